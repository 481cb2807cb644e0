import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateNoteKey, isValidKeyName, parseSignerKey, verifierKeyOf } from '@mel/ledger';

/** The log's name in its checkpoints (the C2SP origin line), and its signing key's name. */
export const DEFAULT_ORIGIN = 'lillemetropole.fr/contrat-de-ville-2024-2030';

/** The key the checkpoints are signed with (C2SP skey), and what an auditor verifies them with (vkey). */
export interface SigningKey {
  skey: string;
  vkey: string;
  /** The key's name: the checkpoints' origin. */
  name: string;
  /** Where it came from: an environment variable, a file, or generated. */
  source: string;
}

export interface SigningKeyOptions {
  env?: NodeJS.ProcessEnv;
  /** The folder of a key generated for the embedded default (LEDGER_DATA_DIR or .data). */
  dataDir: string;
  /** Told when a key is generated. */
  warn?: (message: string) => void;
}

/**
 * The checkpoint signing key (DESIGN §4: the database never holds it): LEDGER_SIGNING_KEY (the skey
 * itself), else the file LEDGER_SIGNING_KEY_FILE, else `<data dir>/ledger-signing.key`, generated
 * (mode 0600) for origin LEDGER_ORIGIN on first use — what a fresh machine needs; a deployment
 * provides its own with `ledger keygen` and LEDGER_SIGNING_KEY_FILE (ADR 9).
 */
export function loadSigningKey(options: SigningKeyOptions): SigningKey {
  const env = options.env ?? process.env;
  if (env.LEDGER_SIGNING_KEY) return checked(env.LEDGER_SIGNING_KEY.trim(), 'LEDGER_SIGNING_KEY');
  if (env.LEDGER_SIGNING_KEY_FILE) {
    const file = resolve(env.LEDGER_SIGNING_KEY_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the signing key ${file} (LEDGER_SIGNING_KEY_FILE): ${(error as Error).message}; create it with \`npm run ledger -- keygen\``);
    }
    return checked(text.trim(), file);
  }
  const file = join(options.dataDir, 'ledger-signing.key');
  if (existsSync(file)) return checked(readFileSync(file, 'utf8').trim(), file);
  const origin = env.LEDGER_ORIGIN || DEFAULT_ORIGIN;
  if (!isValidKeyName(origin)) throw new Error(`LEDGER_ORIGIN ${JSON.stringify(origin)} is not a valid key name (no spaces, no +)`);
  const { skey } = generateNoteKey(origin);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${skey}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const key = checked(skey, file);
  options.warn?.(`generated a checkpoint signing key in ${file}; auditors verify with ${key.vkey}`);
  return key;
}

function checked(skey: string, source: string): SigningKey {
  let name: string;
  try {
    name = parseSignerKey(skey).name;
  } catch (error) {
    throw new Error(`the signing key from ${source} is not a C2SP signer key (PRIVATE+KEY+name+id+key): ${(error as Error).message}`);
  }
  return { skey, vkey: verifierKeyOf(skey), name, source };
}
