import type { ReadModels } from '../read-models.module';
import { AnswerCache } from './answer-cache';

/** The read models' stamp as the cache reads it: a number the test moves. */
const models = () => ({ stamp: 1 }) as { stamp: number } & ReadModels;

/** A cache of `mb` megabytes (LEDGER_ANSWER_CACHE_MB, read when it is made). */
function cacheOf(mb: number, readModels = models()): AnswerCache {
  const before = process.env.LEDGER_ANSWER_CACHE_MB;
  process.env.LEDGER_ANSWER_CACHE_MB = String(mb);
  try {
    return new AnswerCache(readModels);
  } finally {
    if (before === undefined) delete process.env.LEDGER_ANSWER_CACHE_MB;
    else process.env.LEDGER_ANSWER_CACHE_MB = before;
  }
}

const KB = 1024;
const body = (bytes: number, fill = 'x') => Buffer.from(fill.repeat(bytes));

describe('AnswerCache', () => {
  it('keeps answers up to its bytes, the least recently used forgotten first, a hit counting as a use', () => {
    const cache = cacheOf(1); // 1 MiB: four answers of 250 kB, not five
    for (const n of [1, 2, 3, 4]) cache.set(`public /a${n}`, body(250 * KB), 1, 'R');
    expect(cache.size.entries).toBe(4);
    expect(cache.get('public /a1')?.body.length).toBe(250 * KB); // a1 used: a2 is now the oldest

    cache.set('public /a5', body(250 * KB), 1, 'R');
    expect(cache.get('public /a2')).toBeUndefined();
    expect(['public /a1', 'public /a3', 'public /a4', 'public /a5'].map((key) => cache.get(key) !== undefined)).toEqual([true, true, true, true]);
    expect(cache.size.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(cache.size.bytes).toBe(4 * (250 * KB + 'public /a1'.length + 200));
  });

  it('serves the same entry again and again among many others, and forgets it when the read models move', () => {
    const readModels = models();
    const cache = cacheOf(64, readModels);
    for (let i = 0; i < 30_000; i++) cache.set(`public /commitments/c-${i}`, body(64, String(i % 10)), 1, 'One');
    const kept = cache.set('public /governance/meetings', body(37 * KB), 1, 'Meetings');
    for (let i = 0; i < 50_000; i++) expect(cache.get('public /governance/meetings')).toBe(kept);
    expect(cache.size.entries).toBe(30_001);

    readModels.stamp = 2;
    expect(cache.get('public /governance/meetings')).toBeUndefined();
    expect(cache.size.entries).toBe(30_000); // the stale answer is dropped when found
  });

  it('does not keep an answer computed at an earlier stamp, nor one over a quarter of its bytes', () => {
    const readModels = models();
    const cache = cacheOf(1, readModels);
    readModels.stamp = 2;
    const late = cache.set('public /late', body(10), 1, 'R');
    expect(late.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/); // still sent, with its ETag
    expect(cache.get('public /late')).toBeUndefined();

    cache.set('public /big', body(300 * KB), 2, 'R');
    expect(cache.get('public /big')).toBeUndefined();
    cache.set('public /small', body(10), 2, 'R');
    expect(cache.get('public /small')).toBeDefined();
  });

  it('keeps nothing with LEDGER_ANSWER_CACHE_MB=0, and forgets everything on clear', () => {
    const off = cacheOf(0);
    off.set('public /a', body(10), 1, 'R');
    expect(off.get('public /a')).toBeUndefined();
    expect(off.size).toEqual({ entries: 0, bytes: 0 });

    const on = cacheOf(1);
    on.set('public /a', body(10), 1, 'R');
    on.set('auditor /a', body(10), 1, 'R');
    expect(on.get('auditor /a')).toBeDefined();
    on.clear();
    expect(on.size).toEqual({ entries: 0, bytes: 0 });
    expect(on.get('public /a')).toBeUndefined();
  });
});
