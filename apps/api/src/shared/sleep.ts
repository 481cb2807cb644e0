import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts; the timer keeps no process alive and none is left behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal, ref: false }).catch(() => undefined);
}
