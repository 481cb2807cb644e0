import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateLocalTokenJwk, mintToken, TOKEN_ROLES, tokenSettings } from '@mel/application';
import type { Role } from '@mel/domain';
import type { Command } from 'commander';
import { ledgerDataDir } from './keygen.command';

interface TokenOptions {
  role?: string;
  party?: string;
  body?: string;
  subject?: string;
  expiresIn: string;
  newKey?: string;
}

/**
 * `ledger token`: a bearer token for local use (ADR 13), signed with the same local key the API checks
 * tokens with (LEDGER_AUTH_KEY, LEDGER_AUTH_KEY_FILE, or the one generated in the data folder).
 * A deployment with an identity provider (LEDGER_AUTH_JWKS_URL) gets its tokens from it instead.
 */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description(
      'mint a bearer token for the local API: a role, with the party it represents or the body it is secretary of; ' +
        'prints the token (use it as "Authorization: Bearer <token>")',
    )
    .option('--role <role>', `one of ${TOKEN_ROLES.join(', ')}`)
    .option('--party <partyId>', 'the party a signatory-representative acts for (e.g. party-mel)')
    .option('--body <bodyId>', 'the governance body a body-secretary records for (their mandate)')
    .option('--subject <id>', 'a pseudonymous identifier of who acts (default: a new user-<uuid>); never a name or an e-mail address')
    .option('--expires-in <duration>', 'how long the token is valid, e.g. 30m, 8h, 7d', '8h')
    .option('--new-key <file>', 'instead: write a new token signing key (Ed25519 JWK, mode 0600) to <file>, for LEDGER_AUTH_KEY_FILE')
    .action(async (options: TokenOptions) => {
      if (options.newKey) return writeNewKey(resolve(options.newKey));
      if (!options.role || !TOKEN_ROLES.includes(options.role as Role)) {
        throw new Error(`--role must be one of ${TOKEN_ROLES.join(', ')}, e.g. npm run ledger -- token --role auditor`);
      }
      const role = options.role as Role;
      if (role === 'signatory-representative' && !options.party) throw new Error('a signatory-representative acts for a party: add --party <partyId> (e.g. --party party-mel)');
      if (role === 'body-secretary' && !options.body) throw new Error('a body-secretary records for a body: add --body <bodyId>');
      if (process.env.LEDGER_AUTH_JWKS_URL) {
        throw new Error('LEDGER_AUTH_JWKS_URL is set: the API accepts the identity provider’s tokens only; ask it for one, or unset LEDGER_AUTH_JWKS_URL for local use');
      }
      const settings = tokenSettings({ dataDir: ledgerDataDir(), warn: (message) => process.stderr.write(`warning: ${message}\n`) });
      if (!('local' in settings.keys)) throw new Error('no local token key');
      const token = await mintToken(
        settings.keys.local,
        { subject: options.subject ?? `user-${randomUUID()}`, role, ...(options.party && { partyId: options.party }), ...(options.body && { mandate: options.body }) },
        { issuer: settings.issuer, audience: settings.audience, expiresIn: options.expiresIn },
      );
      process.stderr.write(`token: ${role}${options.party ? ` of ${options.party}` : ''}${options.body ? ` of ${options.body}` : ''}, valid ${options.expiresIn}, signed with ${settings.keys.local.source}\n`);
      console.log(token);
    });
}

function writeNewKey(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(generateLocalTokenJwk())}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists already and is left as it is: choose another file, or move the old key away first`);
    throw new Error(`cannot write ${file} (${(error as Error).message}): choose a file you may write`);
  }
  process.stderr.write(`token: new token signing key written to ${file} (mode 0600); set LEDGER_AUTH_KEY_FILE=${file} for the API and \`ledger token\`\n`);
}
