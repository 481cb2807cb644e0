import { DatabaseClock, TIGHT_ROUND_TRIP_MS } from './database-clock';

describe('DatabaseClock: the estimate of the database clock between snapshot reads', () => {
  it('takes the database clock as read when the query was sent, so a stalled answer does not make it lag', () => {
    const clock = new DatabaseClock();
    // Same clocks; the answer was handled 250 ms late because this process stalled.
    clock.sample(1_000, 1_000, 1_250);
    expect(clock.now(1_300)).toBe(1_300);
  });

  it('over-estimates by at most the round trip, never under-estimates, whatever the instant of the read', () => {
    for (const trueOffset of [-5_000, -3, 0, 7, 60_000]) {
      for (const readAfter of [0, 1, 20, 40]) {
        const clock = new DatabaseClock();
        const sent = 10_000;
        clock.sample(sent + readAfter + trueOffset, sent, sent + 40);
        const error = clock.now(20_000) - (20_000 + trueOffset);
        expect(error).toBeGreaterThanOrEqual(0);
        expect(error).toBeLessThanOrEqual(40);
      }
    }
  });

  it('keeps the sample of the shortest round trip, a tighter bound, until it is a minute old', () => {
    const clock = new DatabaseClock();
    clock.sample(1_000, 1_000, 1_001); // 1 ms round trip: exact to within 1 ms
    clock.sample(2_000, 1_800, 2_100); // 300 ms round trip: would put the clock 200 ms ahead
    expect(clock.now(3_000)).toBe(3_000);
    clock.sample(70_000 + 500, 70_000, 70_300); // a minute later: the clocks may have been stepped
    expect(clock.now(71_000)).toBe(71_500);
  });

  it('starts with no offset before any sample', () => {
    expect(new DatabaseClock().now(42)).toBe(42);
  });

  it('is tight only from a sample of a short round trip, under a minute old', () => {
    const clock = new DatabaseClock();
    expect(clock.tight(TIGHT_ROUND_TRIP_MS, 0)).toBe(false); // no sample yet
    clock.sample(1_000, 1_000, 1_250); // a stalled answer: the estimate may be 250 ms ahead
    expect(clock.tight(TIGHT_ROUND_TRIP_MS, 1_300)).toBe(false);
    clock.sample(2_000, 2_000, 2_000 + TIGHT_ROUND_TRIP_MS);
    expect(clock.tight(TIGHT_ROUND_TRIP_MS, 2_100)).toBe(true);
    expect(clock.tight(TIGHT_ROUND_TRIP_MS, 2_000 + TIGHT_ROUND_TRIP_MS + 60_001)).toBe(false); // a minute old
  });
});
