import { join } from 'node:path';
import { projectRoot } from '@mel/database';
import { parseVerifierKey } from '@mel/ledger';

/** The checkpoint schedule when LEDGER_CHECKPOINT_INTERVAL_SECONDS is not set: hourly. */
export const DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 3600;
/** setTimeout's bound (about 24.8 days). */
const MAX_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface LedgerConfig {
  /** Where a signing key generated for a fresh machine goes (LEDGER_DATA_DIR, else <project root>/.data). */
  dataDir: string;
  /** How often a checkpoint is signed when the tree grew since the last one. */
  checkpointIntervalSeconds: number;
  /** The witnesses whose cosignatures are accepted (LEDGER_WITNESS_KEYS): cosignature/v1 vkeys. */
  witnesses: string[];
}

/**
 * The ledger service's settings, from the environment (docs/adr/0009): LEDGER_DATA_DIR,
 * LEDGER_CHECKPOINT_INTERVAL_SECONDS (default 3600), LEDGER_WITNESS_KEYS (vkeys of the witnesses,
 * separated by commas or white space). What cannot be used is told to `warn` and left out.
 */
export function ledgerConfig(env: NodeJS.ProcessEnv, warn: (message: string) => void): LedgerConfig {
  return {
    dataDir: env.LEDGER_DATA_DIR || join(projectRoot(), '.data'),
    checkpointIntervalSeconds: intervalOf(env.LEDGER_CHECKPOINT_INTERVAL_SECONDS, warn),
    witnesses: witnessesOf(env.LEDGER_WITNESS_KEYS, warn),
  };
}

function intervalOf(value: string | undefined, warn: (message: string) => void): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CHECKPOINT_INTERVAL_SECONDS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_INTERVAL_SECONDS) {
    warn(
      `LEDGER_CHECKPOINT_INTERVAL_SECONDS=${JSON.stringify(value)} is not a number of seconds between 0 and ${MAX_INTERVAL_SECONDS}; ` +
        `signing every ${DEFAULT_CHECKPOINT_INTERVAL_SECONDS} s`,
    );
    return DEFAULT_CHECKPOINT_INTERVAL_SECONDS;
  }
  return seconds;
}

function witnessesOf(value: string | undefined, warn: (message: string) => void): string[] {
  const witnesses: string[] = [];
  for (const vkey of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      const key = parseVerifierKey(vkey);
      if (key.type !== 'cosignature/v1') {
        warn(`LEDGER_WITNESS_KEYS: the key of ${key.name} is not a cosignature/v1 (0x04) key; its cosignatures are refused`);
        continue;
      }
      if (!witnesses.includes(key.vkey)) witnesses.push(key.vkey);
    } catch (error) {
      warn(`LEDGER_WITNESS_KEYS: ${JSON.stringify(vkey.slice(0, 120))} is not a C2SP vkey (${(error as Error).message}); left out`);
    }
  }
  return witnesses;
}
