import { MaxAppendSizeExceededError, WrongExpectedVersionError as ClientWrongExpectedVersion } from '@eventstore/db-client';
import { InvalidAppendError, WrongExpectedVersionError } from '../errors';
import type { ExpectedVersion } from '../event-envelope';
import { isWrongExpectedVersion, revisionOfVersion, toExpectedRevision, toPortError, versionOfRevision } from './expected-version';

describe('expected versions and EventStoreDB revisions', () => {
  it.each<[ExpectedVersion, unknown]>([
    ['no-stream', 'no_stream'],
    ['exists', 'stream_exists'],
    ['any', 'any'],
    [0, 'no_stream'],
    [1, 0n],
    [2, 1n],
    [1_000_000, 999_999n],
    [Number.MAX_SAFE_INTEGER, BigInt(Number.MAX_SAFE_INTEGER - 1)],
  ])('maps %p to the revision %p', (expected, revision) => {
    expect(toExpectedRevision(expected)).toBe(revision);
  });

  it.each([-1, 1.5, Number.NaN])('refuses the expected version %p', (expected) => {
    expect(() => toExpectedRevision(expected)).toThrow(InvalidAppendError);
  });

  it('numbers versions from 1 where EventStoreDB numbers revisions from 0', () => {
    expect(versionOfRevision('no_stream')).toBe(0);
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(41n)).toBe(42);
    expect(revisionOfVersion(1)).toBe(0n);
    expect(revisionOfVersion(42)).toBe(41n);
    for (const version of [1, 2, 17, 2 ** 31, Number.MAX_SAFE_INTEGER]) expect(versionOfRevision(revisionOfVersion(version))).toBe(version);
  });

  it('refuses what has no counterpart', () => {
    expect(() => revisionOfVersion(0)).toThrow();
    expect(() => versionOfRevision(-1n)).toThrow();
    expect(() => versionOfRevision(BigInt(Number.MAX_SAFE_INTEGER))).toThrow();
  });
});

describe('errors of the client as errors of the port', () => {
  const refusal = (current: bigint | 'no_stream', expected: bigint | 'no_stream' | 'stream_exists' | 'any') =>
    new ClientWrongExpectedVersion(undefined, { streamName: 'ledger/body-b1', current, expected });

  it.each<[string, ExpectedVersion, bigint | 'no_stream', bigint | 'no_stream' | 'stream_exists' | 'any', number]>([
    ["'no-stream' on a stream at revision 1", 'no-stream', 1n, 'no_stream', 2],
    ["'exists' on no stream", 'exists', 'no_stream', 'stream_exists', 0],
    ['version 1 on no stream', 1, 'no_stream', 0n, 0],
    ['version 3 on a stream at revision 1', 3, 1n, 2n, 2],
    ['version 0 on a stream at revision 0', 0, 0n, 'no_stream', 1],
  ])('converts a wrong expected version (%s) with the actual version in port numbering', (_label, expected, current, sent, actual) => {
    const error = toPortError(refusal(current, sent), 'body-b1', expected);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: 'body-b1', expectedVersion: expected, actualVersion: actual });
    expect(isWrongExpectedVersion(refusal(current, sent))).toBe(true);
  });

  it('converts an append larger than the server accepts into a refusal of the request', () => {
    const error = toPortError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), 'body-b1', 'any');
    expect(error).toBeInstanceOf(InvalidAppendError);
    expect(error).toMatchObject({ field: 'events' });
    expect((error as Error).message).toContain('1048576');
  });

  it('leaves any other error as it is', () => {
    const other = new Error('14 UNAVAILABLE: No connection established');
    expect(toPortError(other, 'body-b1', 'any')).toBe(other);
    expect(toPortError(undefined, 'body-b1', 'any')).toBeUndefined();
    expect(isWrongExpectedVersion(other)).toBe(false);
  });
});
