import { FixedWindowStorage } from './fixed-window-storage';

describe('FixedWindowStorage', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('counts one client’s hits on one route within a window, blocks past the limit, and starts again with the next window', async () => {
    const storage = new FixedWindowStorage();
    const hit = () => storage.increment('client-a:route', 60_000, 3, 0, 'default');
    expect((await hit()).isBlocked).toBe(false);
    await hit();
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false });
    now += 10_000;
    expect(await hit()).toEqual({ totalHits: 4, isBlocked: true, timeToExpire: 50, timeToBlockExpire: 50 });
    expect((await storage.increment('client-b:route', 60_000, 3, 0, 'default')).totalHits).toBe(1); // another key, its own count
    now += 50_000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('costs the same at any limit: 200,000 hits in one window (past the ~120,000 where the default storage overflowed) are counted, not kept', async () => {
    jest.restoreAllMocks(); // the real clock: a mocked Date.now records each of its calls
    const storage = new FixedWindowStorage();
    let last;
    for (let i = 0; i < 200_000; i++) last = await storage.increment('k', 3_600_000, 2_000_000, 0, 'default');
    expect(last).toMatchObject({ totalHits: 200_000, isBlocked: false });
  });
});
