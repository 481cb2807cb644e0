import { signCheckpoint } from '../../checkpoint';
import { canonicalBytes } from '../../canonical-json';
import { MemoryTree } from '../../merkle-memory-tree';
import type { LogEnvelope } from '../log-entry';

/**
 * Small generated logs for the verifier's tests: canonical JSON envelopes over a few streams, with
 * seq = index + 1, contiguous stream versions and a clock that never goes back.
 */
export const STREAMS = ['party-a', 'commitment-b', 'governance-body-c', 'meeting-d'];

export function envelopeAt(index: number, streamVersion: number, streamId: string, overrides: Partial<LogEnvelope> = {}): LogEnvelope {
  const hex = (index + 1).toString(16).padStart(12, '0');
  return {
    eventId: `01900000-0000-7000-8000-${hex}`,
    type: 'SomethingRecorded',
    schemaVersion: 1,
    streamId,
    streamVersion,
    seq: index + 1,
    occurredAt: '2025-01-01T00:00:00.000Z',
    recordedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(index / 3) * 1000).toISOString(),
    actor: { subject: 'user-1', role: 'administrator' },
    correlationId: `c-${index}`,
    causationId: null,
    data: { n: index, text: `entrée n° ${index} — « ok »` },
    ...overrides,
  };
}

/** `count` envelopes, round-robin over STREAMS. */
export function generateEnvelopes(count: number): LogEnvelope[] {
  const versions = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const streamId = STREAMS[i % STREAMS.length];
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    return envelopeAt(i, version, streamId);
  });
}

export function entriesOf(envelopes: readonly unknown[]): Buffer[] {
  return envelopes.map((e) => canonicalBytes(e));
}

/** The checkpoint of the first `size` entries, signed with `skey`. */
export function checkpointOf(entries: readonly Uint8Array[], size: number, skey: string, origin: string): string {
  const tree = new MemoryTree();
  for (const entry of entries.slice(0, size)) tree.appendEntry(entry);
  return signCheckpoint({ origin, size, rootHash: tree.root() }, skey);
}
