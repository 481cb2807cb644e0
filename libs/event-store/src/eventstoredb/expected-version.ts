import type { AppendExpectedRevision, CurrentRevision, ErrorType } from '@eventstore/db-client';
import type { ExpectedVersion } from '../event-envelope';
import { InvalidAppendError, WrongExpectedVersionError } from '../errors';

/*
 * Versions of the port and revisions of EventStoreDB. A stream's events have versions 1, 2, 3… in the
 * port and revisions 0, 1, 2… in EventStoreDB: version = revision + 1, and version 0 ("no stream") is
 * EventStoreDB's `no_stream`. The constants are spelt here, typed by the client's own declarations
 * (a client whose constants change fails to compile), so that this module loads without the client.
 */
const ANY: typeof import('@eventstore/db-client').ANY = 'any';
const NO_STREAM: typeof import('@eventstore/db-client').NO_STREAM = 'no_stream';
const STREAM_EXISTS: typeof import('@eventstore/db-client').STREAM_EXISTS = 'stream_exists';
const WRONG_EXPECTED_VERSION: `${ErrorType.WRONG_EXPECTED_VERSION}` = 'wrong-expected-version';
const MAXIMUM_APPEND_SIZE_EXCEEDED: `${ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED}` = 'maximum-append-size-exceeded';

/** The expected revision EventStoreDB checks for a port expected version (validated by prepareAppend). */
export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) throw new InvalidAppendError('expectedVersion', "must be 'no-stream', 'exists', 'any' or a non-negative integer");
      return expected === 0 ? NO_STREAM : BigInt(expected - 1);
  }
}

/** The port version of a stream at an EventStoreDB revision (`no_stream`: 0). */
export function versionOfRevision(revision: CurrentRevision): number {
  if (revision === NO_STREAM) return 0;
  const version = Number(revision) + 1;
  if (revision < 0n || !Number.isSafeInteger(version)) throw new Error(`EventStoreDB revision ${revision} is not a stream position the ledger can number`);
  return version;
}

/** The EventStoreDB revision of a port version ≥ 1. */
export function revisionOfVersion(version: number): bigint {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`stream version ${version} has no EventStoreDB revision`);
  return BigInt(version - 1);
}

/**
 * The port's error for what the client raised on an append: a wrong expected version becomes the
 * port's WrongExpectedVersionError with the actual version in port numbering; an append larger than
 * the server accepts becomes an InvalidAppendError. Anything else is returned as it is.
 */
export function toPortError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === WRONG_EXPECTED_VERSION) {
    const actual = (error as { actualVersion: CurrentRevision }).actualVersion;
    return new WrongExpectedVersionError(streamId, expected, versionOfRevision(actual));
  }
  if (type === MAXIMUM_APPEND_SIZE_EXCEEDED) {
    const max = (error as { maxAppendSize?: number }).maxAppendSize;
    return new InvalidAppendError('events', `together exceed what EventStoreDB accepts in one append${max ? ` (${max} bytes)` : ''}: append them in several parts`);
  }
  return error;
}

/** Whether the client refused an append for its expected revision. */
export function isWrongExpectedVersion(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === WRONG_EXPECTED_VERSION;
}
