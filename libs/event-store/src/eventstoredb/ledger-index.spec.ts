import { type IndexBlock, LedgerIndex } from './ledger-index';
import { assignSeqs, type ScannedRecord } from './seq-assignment';

const at = (commit: number, prepare = commit) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });
const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** An index fed with `n` ledger events interleaved with foreign ones, as a scan of $all feeds it. */
function indexOf(n: number, from = 1, index = new LedgerIndex()): LedgerIndex {
  const records: ScannedRecord[] = [];
  for (let k = from; k < from + n; k++) {
    records.push({ position: at(k * 100 - 50) }); // a foreign event
    records.push({ position: at(k * 100), ledger: { eventId: id(k), createdMs: 1_700_000_000_000 + k * 10, appendIndex: 0 } });
  }
  const { assigned, state } = assignSeqs(index.state(), records);
  index.apply(assigned, state);
  return index;
}

describe('LedgerIndex', () => {
  it('answers the id, position and recordedAt of each seq, and the seq of each id and position', () => {
    const index = indexOf(3000); // beyond the first allocation
    expect(index.head).toBe(3000);
    expect(index.idAt(1234)).toBe(id(1234));
    expect(index.positionOf(1234)).toEqual(at(123_400));
    expect(index.recordedAtOf(2)).toBe(new Date(1_700_000_000_020).toISOString());
    expect(index.seqOf(id(2999))).toBe(2999);
    expect(index.seqOf(id(9999))).toBeUndefined();
    expect(index.seqAt(at(100))).toBe(1);
    expect(index.seqAt(at(300_000))).toBe(3000);
    expect(index.seqAt(at(123_450))).toBeUndefined(); // a foreign event's position
    expect(index.state().scanned).toEqual(at(300_000));
    expect(() => index.idAt(3001)).toThrow(/not in the seq index/);
    expect(() => index.positionOf(0)).toThrow(/not in the seq index/);
  });

  it('finds the seqs of one append by its ids, also when an id was stored twice', () => {
    const index = indexOf(10);
    expect(index.runOf([id(4), id(5), id(6)])).toBe(4);
    expect(index.runOf([id(5), id(4)])).toBeUndefined();
    expect(index.runOf([id(10), id(11)])).toBeUndefined();
    // Two processes raced with 'any': the same id again at seq 11 and 12 (the map keeps seq 3).
    const { assigned, state } = assignSeqs(index.state(), [
      { position: at(2000), ledger: { eventId: id(3), createdMs: 1, appendIndex: 0 } },
      { position: at(2001), ledger: { eventId: id(42), createdMs: 1, appendIndex: 1 } },
    ]);
    index.apply(assigned, state);
    expect(index.seqOf(id(3))).toBe(3);
    expect(index.runOf([id(3), id(42)])).toBe(11);
  });

  it('refuses a numbering that does not continue it', () => {
    const index = indexOf(2);
    expect(() => index.apply([{ seq: 4, eventId: id(4), position: at(999), recordedAtMs: 1 }], { head: 4, lastRecordedAtMs: 1, scanned: at(999) })).toThrow(/does not continue/);
    expect(() => index.apply([{ seq: 3, eventId: id(3), position: at(150), recordedAtMs: 2e12 }], { head: 3, lastRecordedAtMs: 2e12, scanned: at(150) })).toThrow(/not after/);
    expect(() => index.apply([{ seq: 3, eventId: id(3), position: at(900), recordedAtMs: 1 }], { head: 3, lastRecordedAtMs: 1, scanned: at(900) })).toThrow(/goes back/);
  });

  describe('durable blocks', () => {
    it('rebuilds, from its blocks, an index that numbers the rest of $all as the original does', () => {
      const original = indexOf(2500);
      const blocks = [original.block(1, 1000), original.block(1001, 1000)];
      const reloaded = new LedgerIndex();
      for (const block of JSON.parse(JSON.stringify(blocks)) as IndexBlock[]) reloaded.load(block);
      expect(reloaded.head).toBe(2000);
      expect(reloaded.state().scanned).toEqual(at(200_000));
      // The reloaded process scans $all from where the blocks end, like the original did.
      indexOf(500, 2001, reloaded);
      for (const seq of [1, 999, 1000, 1001, 2000, 2001, 2500]) {
        expect([reloaded.idAt(seq), reloaded.positionOf(seq), reloaded.recordedAtMsOf(seq)]).toEqual([
          original.idAt(seq),
          original.positionOf(seq),
          original.recordedAtMsOf(seq),
        ]);
      }
      expect(reloaded.block(2001, 500)).toEqual(original.block(2001, 500));
    });

    it('tells whether a block written by another process agrees with its own numbering', () => {
      const index = indexOf(20);
      const block = index.block(11, 10);
      expect(index.agrees(block)).toBe(true);
      expect(index.agrees({ ...block, recordedAtMs: block.recordedAtMs.map((t, k) => (k === 3 ? t + 1 : t)) })).toBe(false);
      expect(index.agrees({ ...block, eventIds: [...block.eventIds].reverse() })).toBe(false);
      // Seqs it has not numbered yet are not held against the block.
      expect(indexOf(15).agrees(block)).toBe(true);
    });

    it('refuses a block that does not continue it or is malformed', () => {
      const source = indexOf(20);
      const index = new LedgerIndex();
      expect(() => index.load(source.block(11, 10))).toThrow(/starts at seq 11 where 1 was expected/);
      expect(() => index.load({ ...source.block(1, 10), v: 2 })).toThrow(/format 1/);
      expect(() => index.load({ ...source.block(1, 10), commit: [1, 2] })).toThrow(/commit is not 10 integers/);
      expect(() => index.load({ ...source.block(1, 10), eventIds: source.block(1, 10).eventIds.map((e, k) => (k === 2 ? 'nope' : e)) })).toThrow(/UUID/);
      const shuffled = source.block(1, 10);
      [shuffled.commit[4], shuffled.commit[5]] = [shuffled.commit[5], shuffled.commit[4]];
      expect(() => new LedgerIndex().load(shuffled)).toThrow(/not after/);
      expect(() => source.block(15, 10)).toThrow(/no block of 10 from 15/);
    });

    it('loads blocks only before it scans past them', () => {
      const index = indexOf(10);
      const more = indexOf(20);
      // Scanned a foreign event beyond seq 10's position: a block from seq 11 would not be continuous.
      index.apply([], { ...index.state(), scanned: at(1050) });
      expect(() => index.load(more.block(11, 5))).toThrow(/before any scan/);
    });
  });
});
