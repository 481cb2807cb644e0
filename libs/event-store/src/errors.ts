import type { ExpectedVersion } from './event-envelope';

/** The closed set of errors the event store raises on a request it refuses. */
export abstract class EventStoreError extends Error {
  abstract readonly rule: string;
}

/** The stream is not at the version the caller expected; `actualVersion` says where it is (0: no stream). */
export class WrongExpectedVersionError extends EventStoreError {
  readonly rule = 'StreamMustBeAtExpectedVersion';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion}, expected ${
        typeof expectedVersion === 'number' ? `version ${expectedVersion}` : `'${expectedVersion}'`
      }`,
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/** An eventId is already stored with other content, in another stream, or only part of a retry is. */
export class EventIdConflictError extends EventStoreError {
  readonly rule = 'EventIdIdentifiesOneEvent';
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`event ${eventId}: ${reason}`);
    this.name = 'EventIdConflictError';
  }
}

/** The request itself is malformed; `field` names what is wrong. Nothing was written. */
export class InvalidAppendError extends EventStoreError {
  readonly rule = 'AppendMustBeWellFormed';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidAppendError';
  }
}
