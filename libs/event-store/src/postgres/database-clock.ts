/** How long an estimate of the offset is trusted before a new sample replaces it whatever its round trip. */
const SAMPLE_LIFETIME_MS = 60_000;
/** The round trip under which a sample is tight enough to record events by the estimate alone. */
export const TIGHT_ROUND_TRIP_MS = 5;

/**
 * This process's estimate of the database's clock, for the batches composed without a snapshot read.
 *
 * Each snapshot read gives a sample: the database's clock_timestamp(), read at some instant between the
 * moment this process sent the query and the moment it handled the answer. Taking the send time as that
 * instant over-estimates the offset by at most the round trip, never under-estimates it: an estimated
 * clock never lags the database's, so an event is never recorded before its append was asked, even when
 * this process stalled (garbage collection, a long synchronous task) while the answer waited.
 * The sample of the shortest round trip is kept (the tightest bound), until it is a minute old.
 *
 * Over-estimating has its own limit: an event recorded after its append was answered would not be
 * seen by a read as of the instant of the answer. So the store records by the estimate alone only
 * while it is `tight()` — its sample's round trip at most TIGHT_ROUND_TRIP_MS, and under a minute old —
 * and otherwise reads the database's clock with the batch's snapshot (a new sample).
 */
export class DatabaseClock {
  private offsetMs = 0;
  private roundTripMs = Number.POSITIVE_INFINITY;
  private sampledAtMs = Number.NEGATIVE_INFINITY;

  /** The database read `databaseNowMs` between `sentAtMs` and `answeredAtMs` of this process's clock. */
  sample(databaseNowMs: number, sentAtMs: number, answeredAtMs: number): void {
    const roundTripMs = Math.max(0, answeredAtMs - sentAtMs);
    if (roundTripMs <= this.roundTripMs || answeredAtMs - this.sampledAtMs > SAMPLE_LIFETIME_MS) {
      this.offsetMs = databaseNowMs - sentAtMs;
      this.roundTripMs = roundTripMs;
      this.sampledAtMs = answeredAtMs;
    }
  }

  /** Whether the estimate is ahead of the database's clock by at most `withinMs`, from a sample under a minute old. */
  tight(withinMs = TIGHT_ROUND_TRIP_MS, localNowMs = Date.now()): boolean {
    return this.roundTripMs <= withinMs && localNowMs - this.sampledAtMs <= SAMPLE_LIFETIME_MS;
  }

  /** The database's clock now, at or ahead of it by at most the kept sample's round trip. */
  now(localNowMs = Date.now()): number {
    return localNowMs + this.offsetMs;
  }
}
