import fc from 'fast-check';
import { canonicalBytes } from '../canonical-json';
import { cosignCheckpoint } from '../checkpoint';
import { MemoryTree } from '../merkle-memory-tree';
import { generateNoteKey } from '../note-keys';
import { entryLine, entryLines } from './entry-lines';
import type { LogEnvelope } from './log-entry';
import { ReplayRejection } from './log-failure';
import { checkpointOf, entriesOf, envelopeAt, generateEnvelopes } from './testing/generated-log';
import { type CheckpointInput, type LogVerificationReport, verifyLog, type VerifyLogOptions } from './verify-log';

const ORIGIN = 'example.org/ledger';
const log = generateNoteKey(ORIGIN);
const attacker = generateNoteKey(ORIGIN);

const envelopes = generateEnvelopes(40);
const entries = entriesOf(envelopes);
const signed = (size: number, over: readonly Uint8Array[] = entries, skey = log.skey) => checkpointOf(over, size, skey, ORIGIN);
const kept = (...sizes: number[]): CheckpointInput[] => sizes.map((size) => ({ note: signed(size), source: `kept/${size}` }));

function verify(list: readonly Uint8Array[], checkpoints: CheckpointInput[], options: Partial<VerifyLogOptions> = {}): Promise<LogVerificationReport> {
  return verifyLog({ entries: list, checkpoints, trustedKeys: [log.vkey], ...options });
}

/** The entries with entry i replaced (by an envelope, or bytes as they are). */
function replaced(i: number, by: Partial<LogEnvelope> | Buffer): Buffer[] {
  const copy = [...entries];
  copy[i] = Buffer.isBuffer(by) ? by : canonicalBytes({ ...envelopes[i], ...by });
  return copy;
}

/** Envelopes renumbered as a consistent tamperer would: seq = index + 1, stream versions in order. */
function renumbered(list: LogEnvelope[]): Buffer[] {
  const versions = new Map<string, number>();
  return entriesOf(
    list.map((e, i) => {
      const version = (versions.get(e.streamId) ?? 0) + 1;
      versions.set(e.streamId, version);
      return { ...e, seq: i + 1, streamVersion: version };
    }),
  );
}

function failure(report: LogVerificationReport) {
  expect(report.ok).toBe(false);
  return report.failure!;
}

describe('the offline verifier', () => {
  it('verifies a log: every entry, the root at each checkpoint, the consistency between successive ones', async () => {
    const seen: number[] = [];
    const progress: number[] = [];
    const report = await verify(entries, [...kept(7, 16, 40), { note: signed(16), source: 'export/16' }], {
      replay: (_, i) => {
        seen.push(i);
      },
      onProgress: (n) => progress.push(n),
      progressEvery: 10,
    });
    const tree = new MemoryTree();
    entries.forEach((e) => tree.appendEntry(e));
    expect(report).toMatchObject({ ok: true, entries: 40, streams: 4, consistencyProofs: 2, uncovered: 0 });
    expect(report.root).toEqual(tree.root());
    expect(report.checkpoints.map((c) => [c.size, c.sources])).toEqual([
      [7, ['kept/7']],
      [16, ['kept/16', 'export/16']],
      [40, ['kept/40']],
    ]);
    expect(seen).toEqual(entries.map((_, i) => i));
    expect(progress).toEqual([10, 20, 30, 40, 40]);
  });

  it('streams entries.jsonl in chunks of any size', async () => {
    const file = Buffer.concat(entries.map(entryLine));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 30 }), async (sizes) => {
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < file.length; i++) {
          const size = sizes[i % sizes.length];
          chunks.push(file.subarray(at, at + size));
          at += size;
        }
        const report = await verify([], kept(40), { entries: entryLines(chunks) });
        expect(report).toMatchObject({ ok: true, entries: 40 });
      }),
      { numRuns: 50 },
    );
  });

  it('gathers the consistency proof between any two checkpoint sizes from the streamed tree', async () => {
    const many = entriesOf(generateEnvelopes(300));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        const checkpoints = sizes.map((size) => ({ note: signed(size, many), source: `s${size}` }));
        const report = await verify(many, checkpoints);
        expect(report.ok).toBe(true);
        expect(report.consistencyProofs).toBe(sizes.length - 1);
      }),
      { numRuns: 60 },
    );
  });

  it('counts the entries after the last checkpoint as not covered by a signature', async () => {
    expect(await verify(entries, kept(16))).toMatchObject({ ok: true, uncovered: 24 });
  });

  it('checks cosignatures when a quorum of witnesses is asked for', async () => {
    const witness = generateNoteKey('witness.example', 'cosignature/v1');
    const cosigned = cosignCheckpoint(signed(40), witness.skey, { logVkey: log.vkey, timestamp: 1_700_000_000 });
    const options = { witnesses: [witness.vkey], quorum: 1 };
    expect(await verify(entries, [{ note: cosigned, source: 'c' }], options)).toMatchObject({ ok: true, checkpoints: [{ size: 40, cosignatures: 1 }] });
    expect(failure(await verify(entries, kept(40), options))).toMatchObject({ code: 'checkpoint-signature', index: 0 });
  });
});

describe('names the first entry that fails, and why', () => {
  it.each([
    ['entry-not-json', 5, Buffer.from('{"seq":6')],
    ['entry-not-json', 5, Buffer.from([0x7b, 0xff, 0x7d])],
    ['entry-not-canonical', 5, Buffer.from(canonicalBytes(envelopes[5]).toString().replace('"seq":6', '"seq": 6'))],
    ['entry-not-canonical', 5, Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(envelopes[5]).reverse())))],
    ['entry-not-canonical', 5, Buffer.from(canonicalBytes(envelopes[5]).toString().replace('"n":5', '"n":5.0'))],
    ['entry-malformed', 5, canonicalBytes({ ...envelopes[5], actor: undefined })],
    ['entry-malformed', 5, canonicalBytes({ ...envelopes[5], extra: 1 })],
    ['entry-malformed', 5, canonicalBytes({ ...envelopes[5], recordedAt: 'yesterday' })],
    ['entry-malformed', 5, canonicalBytes([envelopes[5]])],
    ['seq-mismatch', 5, canonicalBytes({ ...envelopes[5], seq: 7 })],
    ['stream-version-gap', 5, canonicalBytes({ ...envelopes[5], streamVersion: 3 })],
    ['stream-version-gap', 5, canonicalBytes({ ...envelopes[5], streamId: 'party-new', streamVersion: 2 })],
    ['recorded-at-decreased', 5, canonicalBytes({ ...envelopes[5], recordedAt: '2024-12-31T23:59:59.000Z' })],
  ])('%s at entry %i', async (code, index, bytes) => {
    const report = await verify(replaced(index, bytes), kept(3, 40));
    expect(failure(report)).toMatchObject({ code, index });
    expect(report.failure!.message).toContain(`entry ${index}`);
    expect(report.entries).toBe(index); // stopped there
    expect(report.checkpoints.map((c) => c.size)).toEqual([3]);
  });

  it('an entry removed, inserted or moved, the seqs left as they were', async () => {
    const removed = entries.filter((_, i) => i !== 9);
    expect(failure(await verify(removed, kept(40)))).toMatchObject({ code: 'seq-mismatch', index: 9 });
    const moved = [...entries];
    [moved[9], moved[12]] = [moved[12], moved[9]];
    expect(failure(await verify(moved, kept(40)))).toMatchObject({ code: 'seq-mismatch', index: 9 });
  });

  it('the replay hook refusing an event, or not knowing its stream type', async () => {
    const replay = (e: LogEnvelope, i: number) => {
      if (i === 21) throw new Error('evolve does not accept this');
      if (e.streamId.startsWith('meeting-') && i > 30) throw new ReplayRejection('unknown-stream-type', 'no aggregate has the type meeting');
    };
    const report = await verify(entries, kept(40), { replay });
    expect(failure(report)).toMatchObject({ code: 'replay-rejected', index: 21 });
    expect(report.failure!.message).toMatch(/entry 21, SomethingRecorded \(version 6 of commitment-b\), does not replay: evolve does not accept this/);
    const unknown = await verify(entries, kept(40), { replay: (e, i) => i !== 21 && replay(e, i) });
    expect(failure(unknown)).toMatchObject({ code: 'unknown-stream-type', index: 31 });
  });

  it('a changed entry that is still a valid envelope: the root at the next checkpoint, from the last one verified', async () => {
    const changed = replaced(12, { data: { n: 1200 } });
    const report = await verify(changed, kept(7, 16, 40));
    expect(failure(report)).toMatchObject({ code: 'root-mismatch', index: 7 });
    expect(report.failure!.message).toMatch(/the first 16 entries do not have the root signed for size 16 in kept\/16 .*an entry among 7\.\.15 was changed/);
    expect(report.entries).toBe(16);
    expect(failure(await verify(changed, kept(40)))).toMatchObject({ code: 'root-mismatch', index: 0 });
    expect(await verify(changed, kept(7))).toMatchObject({ ok: true, uncovered: 33 }); // nothing signed covers entry 12
  });

  it('entries removed, inserted or moved by a tamperer who renumbers seqs and versions', async () => {
    const removed = renumbered(envelopes.filter((_, i) => i !== 20));
    expect(failure(await verify(removed, kept(16, 40)))).toMatchObject({ code: 'checkpoint-beyond-log', index: 16 });
    const inserted = renumbered([...envelopes.slice(0, 20), envelopeAt(19, 1, 'party-z'), ...envelopes.slice(20)]);
    expect(failure(await verify(inserted, kept(16, 40)))).toMatchObject({ code: 'root-mismatch', index: 16 });
    const swapped = [...envelopes];
    [swapped[18], swapped[19]] = [swapped[19], swapped[18]];
    expect(failure(await verify(renumbered(swapped), kept(16, 40)))).toMatchObject({ code: 'root-mismatch', index: 16 });
  });

  it('a checkpoint larger than the log: entries were removed', async () => {
    const report = await verify(entries.slice(0, 38), kept(16, 40));
    expect(failure(report)).toMatchObject({ code: 'checkpoint-beyond-log', index: 16 });
    expect(report.failure!.message).toMatch(/size 40 .* more entries than the log's 38/);
  });

  it('a checkpoint that is not signed by the trusted key', async () => {
    const forged = { note: signed(40, entries, attacker.skey), source: 'export/40' };
    const report = await verify(entries, [...kept(16), forged]);
    expect(failure(report)).toMatchObject({ code: 'checkpoint-signature', index: 16 });
    expect(report.failure!.message).toMatch(/the checkpoint of size 40 in export\/40 does not verify: .*(no known key|not signed)/);
    // Verified past it when the auditor's own checkpoint of that size holds: the forged one still fails.
    expect(failure(await verify(entries, [...kept(16), forged, ...kept(40)]))).toMatchObject({ code: 'checkpoint-signature', index: 40 });
    // A key of another name: the origin does not match.
    const other = generateNoteKey('other.example');
    expect(failure(await verify(entries, [{ note: checkpointOf(entries, 40, other.skey, 'other.example'), source: 'x' }], { trustedKeys: [log.vkey] }))).toMatchObject({
      code: 'checkpoint-signature',
      index: 0,
    });
  });

  it('the entries failing at the same index as a forged checkpoint are reported first', async () => {
    // The tail rewritten and re-signed with another key; the auditor kept the real checkpoints 16 and 40.
    const attacked = renumbered([...envelopes.slice(0, 37), envelopeAt(37, 1, 'party-evil'), ...envelopes.slice(38)]);
    const forged = { note: signed(40, attacked, attacker.skey), source: 'db/40' };
    const report = await verify(attacked, [...kept(16, 40), forged, { note: signed(16, attacked, attacker.skey), source: 'db/16' }]);
    expect(failure(report)).toMatchObject({ code: 'root-mismatch', index: 16 });
  });

  it('two validly signed roots for one size: a fork', async () => {
    const fork = renumbered([...envelopes.slice(0, 10), envelopeAt(10, 1, 'party-fork'), ...envelopes.slice(11)]);
    const report = await verify(entries, [...kept(8, 40), { note: signed(40, fork), source: 'fork/40' }]);
    expect(failure(report)).toMatchObject({ code: 'checkpoint-conflict', index: 8 });
  });

  it('a checkpoint file that is not a signed checkpoint', async () => {
    const notes = ['hello\n', signed(40).replace('\n\n', '\n'), `${ORIGIN}\n40\nnot base64\n\n— ${ORIGIN} AAAA\n`];
    for (const note of notes) {
      const report = await verify(entries, [...kept(40), { note, source: 'kept/junk.txt' }]);
      expect(failure(report)).toMatchObject({ code: 'checkpoint-malformed', index: 0 });
      expect(report.failure!.message).toMatch(/^kept\/junk\.txt is not a signed checkpoint: /);
    }
  });

  it('no checkpoint at all', async () => {
    expect(failure(await verify(entries, []))).toMatchObject({ code: 'no-checkpoint', index: 0 });
  });

  it('entries.jsonl that does not end with a newline', async () => {
    const file = Buffer.concat(entries.map(entryLine)).subarray(0, -1);
    const report = await verify([], kept(40), { entries: entryLines([file]) });
    expect(failure(report)).toMatchObject({ code: 'entries-format', index: 39 });
  });
});

describe('the stored tree (ledger verify --live)', () => {
  const stored = new MemoryTree();
  entries.forEach((e) => stored.appendEntry(e));
  const storedTree = (size = 40, tree = stored) => ({
    size,
    fetch: async (refs: readonly { level: number; index: number }[]) => refs.map((r) => tryNode(tree, r)),
  });
  const tryNode = (tree: MemoryTree, ref: { level: number; index: number }) => {
    try {
      return tree.node(ref);
    } catch {
      return undefined;
    }
  };

  it('agrees node by node with the recomputed tree', async () => {
    const report = await verify(entries, kept(16, 40), { storedTree: storedTree() });
    expect(report).toMatchObject({ ok: true, storedNodesChecked: 38 });
  });

  it('pins a changed entry to the two leaves under the stored node', async () => {
    for (const [index, expected] of [
      [12, 12],
      [13, 12],
      [30, 30],
    ]) {
      const report = await verify(replaced(index, { data: { n: -1 } }), kept(8, 40), { storedTree: storedTree() });
      expect(failure(report)).toMatchObject({ code: 'tree-node-mismatch', index: expected });
      expect(report.failure!.message).toMatch(new RegExp(`the stored tree node 1/${expected / 2} over entries ${expected}\\.\\.${expected + 1} is `));
    }
  });

  it('does not name an entry a verified checkpoint vouches for', async () => {
    // Entry 17 changed, checkpoint 17 verified entries 0..16: the stored node over 16..17 names 17.
    const report = await verify(replaced(17, { data: { n: -1 } }), kept(17, 40), { storedTree: storedTree() });
    expect(failure(report)).toMatchObject({ code: 'tree-node-mismatch', index: 17 });
  });

  it('a missing stored node, and a stored tree larger than the log', async () => {
    const holes = { size: 40, fetch: async (refs: readonly { level: number; index: number }[]) => refs.map((r) => (r.level === 2 && r.index === 3 ? undefined : stored.node(r))) };
    expect(failure(await verify(entries, kept(40), { storedTree: holes }))).toMatchObject({ code: 'tree-node-mismatch', index: 12 });
    expect(failure(await verify(entries.slice(0, 38), kept(16), { storedTree: storedTree() }))).toMatchObject({ code: 'tree-beyond-log', index: 38 });
  });
});

describe('with a worker thread for the entries\' own checks', () => {
  const many = generateEnvelopes(5000);
  const manyEntries = entriesOf(many);
  const sign = (size: number, list: readonly Uint8Array[] = manyEntries) => ({ note: checkpointOf(list, size, log.skey, ORIGIN), source: `s${size}` });

  it('verifies the same log, batch after batch', async () => {
    const seen: number[] = [];
    const report = await verifyLog({
      entries: entryLines([Buffer.concat(manyEntries.map(entryLine))]),
      checkpoints: [sign(1000), sign(2048), sign(4097), sign(5000)],
      trustedKeys: [log.vkey],
      replay: (_, i) => {
        seen.push(i);
      },
      workers: 1,
    });
    expect(report).toMatchObject({ ok: true, entries: 5000, consistencyProofs: 3 });
    const tree = new MemoryTree();
    manyEntries.forEach((e) => tree.appendEntry(e));
    expect(report.root).toEqual(tree.root());
    expect(seen.length).toBe(5000);
  });

  it('names the same first failure as without it', async () => {
    const bad = [...manyEntries];
    bad[3000] = Buffer.from(bad[3000].toString().replace('"n":3000', '"n": 3000'));
    bad[4000] = Buffer.from('not json');
    for (const workers of [0, 1]) {
      const report = await verifyLog({ entries: bad, checkpoints: [sign(2048), sign(5000)], trustedKeys: [log.vkey], workers });
      expect(report.failure).toMatchObject({ code: 'entry-not-canonical', index: 3000 });
      expect(report.failure!.message).toMatch(/^entry 3000 is not in canonical JSON \(RFC 8785\): no JSON value at character \d+$/);
    }
    const truncated = Buffer.concat(manyEntries.map(entryLine)).subarray(0, -1);
    const report = await verifyLog({ entries: entryLines([truncated]), checkpoints: [sign(2048)], trustedKeys: [log.vkey], workers: 1 });
    expect(report.failure).toMatchObject({ code: 'entries-format', index: 4999 });
    expect(report.checkpoints.map((c) => c.size)).toEqual([2048]);
  });
});
