import fc from 'fast-check';
import { type Assigned, assignSeqs, comparePositions, type ScannedRecord, type ScanState } from './seq-assignment';

const at = (commit: number, prepare = commit) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });
const ledger = (eventId: string, createdMs: number, appendIndex = 0, extra: Partial<NonNullable<ScannedRecord['ledger']>> = {}) => ({
  eventId,
  createdMs,
  appendIndex,
  ...extra,
});
const start: ScanState = { head: 0, lastRecordedAtMs: 0, scanned: null };

describe('comparePositions', () => {
  it('orders by commit position, then by prepare position', () => {
    expect(comparePositions(at(10, 10), at(20, 5))).toBe(-1);
    expect(comparePositions(at(20, 21), at(20, 20))).toBe(1);
    expect(comparePositions(at(20, 20), at(20, 20))).toBe(0);
    expect(comparePositions({ commit: 2n ** 60n, prepare: 2n ** 60n }, { commit: 2n ** 60n + 1n, prepare: 0n })).toBe(-1);
  });
});

describe('assignSeqs: the seq of the ledger events of $all', () => {
  it('numbers the namespace events only, gap-free, in $all order, and moves past the others', () => {
    const records: ScannedRecord[] = [
      { position: at(100) }, // a system event
      { position: at(200), ledger: ledger('a', 1000) },
      { position: at(300) }, // another namespace
      { position: at(400), ledger: ledger('b', 1001) },
      { position: at(500) },
    ];
    const { assigned, state } = assignSeqs(start, records);
    expect(assigned.map((a) => [a.seq, a.eventId, a.position.commit])).toEqual([
      [1, 'a', 200n],
      [2, 'b', 400n],
    ]);
    expect(state).toEqual({ head: 2, lastRecordedAtMs: 1001, scanned: at(500) });
  });

  it('continues from a state: the next page starts at head + 1', () => {
    const first = assignSeqs(start, [{ position: at(10), ledger: ledger('a', 5) }]);
    const next = assignSeqs(first.state, [{ position: at(20), ledger: ledger('b', 6) }]);
    expect(next.assigned).toEqual([{ seq: 2, eventId: 'b', position: at(20), recordedAtMs: 6 }]);
  });

  it('skips the event the read started at when it comes back first', () => {
    const first = assignSeqs(start, [{ position: at(10), ledger: ledger('a', 5) }]);
    const again = assignSeqs(first.state, [
      { position: at(10), ledger: ledger('a', 5) },
      { position: at(20), ledger: ledger('b', 6) },
    ]);
    expect(again.assigned.map((a) => [a.seq, a.eventId])).toEqual([[2, 'b']]);
  });

  it('refuses a page that goes back in $all rather than number it', () => {
    const first = assignSeqs(start, [{ position: at(10), ledger: ledger('a', 5) }]);
    expect(() => assignSeqs(first.state, [{ position: at(5), ledger: ledger('x', 5) }])).toThrow(/went back/);
    expect(() =>
      assignSeqs(start, [
        { position: at(10), ledger: ledger('a', 5) },
        { position: at(10, 9) },
      ]),
    ).toThrow(/went back/);
    expect(() =>
      assignSeqs(first.state, [
        { position: at(20), ledger: ledger('b', 6) },
        { position: at(20), ledger: ledger('b', 6) },
      ]),
    ).toThrow(/went back/);
  });

  describe('recordedAt', () => {
    it("is the server's time of the append, shared by every event of one append", () => {
      const { assigned } = assignSeqs(start, [
        { position: at(10, 1), ledger: ledger('a', 1000, 0) },
        { position: at(10, 2), ledger: ledger('b', 1001, 1) }, // created a millisecond later, same append
        { position: at(10, 3), ledger: ledger('c', 1002, 2) },
        { position: at(20), ledger: ledger('d', 1500, 0) },
      ]);
      expect(assigned.map((a) => a.recordedAtMs)).toEqual([1000, 1000, 1000, 1500]);
    });

    it('never goes back along seq, even when the servers\u2019 clocks do (a new leader with a late clock)', () => {
      const { assigned } = assignSeqs(start, [
        { position: at(10), ledger: ledger('a', 5000) },
        { position: at(20), ledger: ledger('b', 4000) },
        { position: at(30), ledger: ledger('c', 6000) },
      ]);
      expect(assigned.map((a) => a.recordedAtMs)).toEqual([5000, 5000, 6000]);
    });

    it('keeps the original recordedAt of a copied event that lands at the seq it had, and only then', () => {
      const copied = (eventId: string, importedSeq: number, importedRecordedAtMs: number, appendIndex = 0) =>
        ledger(eventId, 9_999_999, appendIndex, { importedSeq, importedRecordedAtMs });
      const { assigned } = assignSeqs(start, [
        { position: at(10, 1), ledger: copied('a', 1, 1000) },
        { position: at(10, 2), ledger: copied('b', 2, 1200, 1) }, // same append here, other batches there
        { position: at(20), ledger: copied('c', 7, 1300) }, // claims another seq: its claim is ignored
      ]);
      expect(assigned.map((a) => a.recordedAtMs)).toEqual([1000, 1200, 9_999_999]);
    });
  });

  it('numbers the same however $all is cut into pages, and whether reads return their start event', () => {
    const recordsArb = fc
      .array(
        fc.record({
          gap: fc.integer({ min: 1, max: 1000 }),
          isLedger: fc.boolean(),
          created: fc.integer({ min: 0, max: 10_000 }),
          appendIndex: fc.nat({ max: 3 }),
        }),
        { minLength: 1, maxLength: 60 },
      )
      .map((specs) => {
        let commit = 0;
        return specs.map((s, i): ScannedRecord => {
          commit += s.gap;
          return { position: at(commit), ...(s.isLedger && { ledger: ledger(`e${i}`, s.created, s.appendIndex) }) };
        });
      });
    fc.assert(
      fc.property(recordsArb, fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }), fc.boolean(), (records, cuts, inclusive) => {
        const whole = assignSeqs(start, records).assigned;
        const paged: Assigned[] = [];
        let state = start;
        let offset = 0;
        for (let k = 0; offset < records.length; k++) {
          const size = cuts[k % cuts.length];
          // An inclusive read from the last position scanned returns that event first again.
          const from = inclusive && offset > 0 ? offset - 1 : offset;
          const page = records.slice(from, offset + size);
          const result = assignSeqs(state, page);
          paged.push(...result.assigned);
          state = result.state;
          offset += size;
        }
        expect(paged).toEqual(whole);
        expect(whole.map((a) => a.seq)).toEqual(whole.map((_, i) => i + 1));
        const times = whole.map((a) => a.recordedAtMs);
        expect(times).toEqual([...times].sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });
});
