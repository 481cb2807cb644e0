import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_ORIGIN } from '@mel/application';
import { projectRoot } from '@mel/database';
import { generateNoteKey, isValidKeyName } from '@mel/ledger';
import type { Command } from 'commander';

/** The ledger's data folder, as the API finds it: LEDGER_DATA_DIR, else <project root>/.data. */
export function ledgerDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LEDGER_DATA_DIR || join(projectRoot(), '.data');
}

/** Where the API and `ledger checkpoint` look for the signing key when neither LEDGER_SIGNING_KEY nor LEDGER_SIGNING_KEY_FILE is set. */
export function defaultSigningKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(ledgerDataDir(env), 'ledger-signing.key');
}

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description(
      'generate a checkpoint signing key (C2SP signed-note, Ed25519): write the secret key (skey) to a file only its owner may read (0600), ' +
        'print the verifier key (vkey) that auditors and witnesses verify the checkpoints with',
    )
    .option('--origin <name>', `the log's name, the first line of its checkpoints (default: LEDGER_ORIGIN, else ${DEFAULT_ORIGIN})`)
    .option('--out <file>', 'where to write the skey; an existing file is never overwritten (default: LEDGER_SIGNING_KEY_FILE, else <LEDGER_DATA_DIR or .data>/ledger-signing.key)')
    .action((options: { origin?: string; out?: string }) => {
      const origin = options.origin ?? (process.env.LEDGER_ORIGIN || DEFAULT_ORIGIN);
      if (!isValidKeyName(origin)) {
        throw new Error(`--origin ${JSON.stringify(origin)} is not a valid key name: no spaces and no '+', e.g. ${DEFAULT_ORIGIN}`);
      }
      const out = resolve(options.out ?? (process.env.LEDGER_SIGNING_KEY_FILE || defaultSigningKeyFile()));
      const { skey, vkey } = generateNoteKey(origin);
      try {
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, `${skey}\n`, { mode: 0o600, flag: 'wx' });
        chmodSync(out, 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new Error(`${out} exists already and is left as it is (a new key is a new identity for auditors): choose another --out, or move the old key away first`);
        }
        throw new Error(`cannot write ${out} (${(error as Error).message}): choose a file you may write with --out`);
      }
      const used =
        out === resolve(process.env.LEDGER_SIGNING_KEY_FILE || defaultSigningKeyFile())
          ? 'the API and `ledger checkpoint` sign with it from now on'
          : `set LEDGER_SIGNING_KEY_FILE=${out} for the API and \`ledger checkpoint\` to sign with it`;
      process.stderr.write(`keygen: signing key of ${origin} written to ${out} (mode 0600); ${used}. Publish the vkey below for auditors.\n`);
      console.log(vkey);
    });
}
