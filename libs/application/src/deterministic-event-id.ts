import { createHash } from 'node:crypto';

/**
 * A UUIDv7 that is the same every time for the same `name`: its 48-bit time is `at` (the effective
 * date of what it records), its 74 other bits come from SHA-256(name). Used where a command must
 * recognise its own earlier run — a seed step, the effect of an amendment on one of its targets — so
 * that running it again writes nothing (CommandExecutor's `firstEventId`).
 */
export function deterministicEventId(name: string, at: string | Date): string {
  const ms = BigInt(new Date(at).getTime());
  if (ms < 0n || ms >= 2n ** 48n) throw new RangeError(`deterministicEventId: ${String(at)} is outside UUIDv7 time`);
  const hash = createHash('sha256').update(name).digest();
  const hex = ms.toString(16).padStart(12, '0') + hash.subarray(0, 10).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
