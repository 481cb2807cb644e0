import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Window {
  hits: number;
  /** When this window ends (ms since the epoch). */
  endsAt: number;
}

/**
 * Rate-limit counters in fixed windows: one count per client and route, reset when its window ends.
 * Constant cost per request, whatever the limit — @nestjs/throttler's default storage keeps every hit of
 * the window and scans them on each request (a fifth of the API's time under load in bench:http, and
 * `Math.min(...hits)` overflows the stack past some 120,000 hits). A client may reach twice the limit
 * across a window's edge; that is the usual price of fixed windows, and enough against floods (ADR 13).
 */
export class FixedWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sweptAt = Date.now();

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, _name: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    if (now - this.sweptAt > ttl) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) this.windows.set(key, (window = { hits: 0, endsAt: now + ttl }));
    window.hits++;
    const timeToExpire = Math.ceil((window.endsAt - now) / 1000);
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  /** Forgets the windows that ended: memory stays bounded by the clients of one window. */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    this.sweptAt = now;
  }
}
