import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Actor, Role } from '@mel/domain';
import { createLocalJWKSet, createRemoteJWKSet, errors, importJWK, type JWK, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';

/** Issuer and audience of the tokens `ledger token` mints for the embedded default. */
export const LOCAL_TOKEN_ISSUER = 'urn:mel-ledger:local';
export const DEFAULT_TOKEN_AUDIENCE = 'mel-ledger-api';

export const TOKEN_ROLES: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];

/** How long, and how many, verified tokens are remembered (a key removed from the JWKS stops working within CACHE_MS). */
const CACHE_MS = 5 * 60_000;
const CACHE_SIZE = 10_000;

/** The signature algorithms accepted from an identity provider's JWKS (never `none`, never HMAC). */
const REMOTE_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** An Ed25519 key pair, as JWK, that signs the tokens of a deployment without an identity provider. */
export interface LocalTokenKey {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
  /** Where it came from: an environment variable, a file, or generated. */
  source: string;
}

/** How tokens are checked: the issuer and audience they must name, and the keys they are signed with. */
export interface TokenSettings {
  issuer: string;
  audience: string;
  /** An identity provider's JWKS (LEDGER_AUTH_JWKS_URL), or the local key. */
  keys: { jwksUrl: string } | { local: LocalTokenKey };
}

export interface TokenSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** The folder of a key generated for the embedded default (LEDGER_DATA_DIR or .data). */
  dataDir: string;
  warn?: (message: string) => void;
}

/**
 * The token settings (ADR 13): with LEDGER_AUTH_JWKS_URL, tokens of a real identity provider, whose issuer
 * (LEDGER_AUTH_ISSUER) and audience (LEDGER_AUTH_AUDIENCE) must then be named; otherwise tokens signed
 * with a local Ed25519 key: LEDGER_AUTH_KEY (the private JWK), else the file LEDGER_AUTH_KEY_FILE, else
 * `<data dir>/auth-token.jwk`, generated (mode 0600) on first use — what `ledger token` signs with.
 */
export function tokenSettings(options: TokenSettingsOptions): TokenSettings {
  const env = options.env ?? process.env;
  if (env.LEDGER_AUTH_JWKS_URL) {
    let url: URL;
    try {
      url = new URL(env.LEDGER_AUTH_JWKS_URL);
    } catch {
      throw new Error(`LEDGER_AUTH_JWKS_URL ${JSON.stringify(env.LEDGER_AUTH_JWKS_URL)} is not a URL: give the identity provider's JWKS address`);
    }
    if (!env.LEDGER_AUTH_ISSUER || !env.LEDGER_AUTH_AUDIENCE) {
      throw new Error('with LEDGER_AUTH_JWKS_URL, set LEDGER_AUTH_ISSUER and LEDGER_AUTH_AUDIENCE to the issuer and audience of the identity provider’s tokens');
    }
    return { issuer: env.LEDGER_AUTH_ISSUER, audience: env.LEDGER_AUTH_AUDIENCE, keys: { jwksUrl: url.href } };
  }
  return {
    issuer: env.LEDGER_AUTH_ISSUER || LOCAL_TOKEN_ISSUER,
    audience: env.LEDGER_AUTH_AUDIENCE || DEFAULT_TOKEN_AUDIENCE,
    keys: { local: loadLocalTokenKey(options) },
  };
}

/** The local token key: LEDGER_AUTH_KEY, LEDGER_AUTH_KEY_FILE, or generated in the data folder. */
export function loadLocalTokenKey(options: TokenSettingsOptions): LocalTokenKey {
  const env = options.env ?? process.env;
  if (env.LEDGER_AUTH_KEY) return localKeyOf(env.LEDGER_AUTH_KEY, 'LEDGER_AUTH_KEY');
  if (env.LEDGER_AUTH_KEY_FILE) {
    const file = resolve(env.LEDGER_AUTH_KEY_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the token key ${file} (LEDGER_AUTH_KEY_FILE): ${(error as Error).message}; create one with \`npm run ledger -- token --new-key FILE\``);
    }
    return localKeyOf(text, file);
  }
  const file = join(options.dataDir, 'auth-token.jwk');
  if (existsSync(file)) return localKeyOf(readFileSync(file, 'utf8'), file);
  const json = JSON.stringify(generateLocalTokenJwk());
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${json}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  options.warn?.(`generated a token signing key in ${file}; mint tokens with \`npm run ledger -- token --role ROLE\``);
  return localKeyOf(json, file);
}

/** A new Ed25519 private key as JWK. */
export function generateLocalTokenJwk(): JsonWebKey {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
}

function localKeyOf(text: string, source: string): LocalTokenKey {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error(`the token key from ${source} is not JSON: it must be an Ed25519 private JWK`);
  }
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.d !== 'string') {
    throw new Error(`the token key from ${source} is not an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)`);
  }
  const kid = createHash('sha256').update(jwk.x).digest('base64url').slice(0, 16);
  return { privateJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' }, kid, source };
}

/** Who a token names, as the ledger records it in the envelope (DESIGN §6). */
export interface TokenClaims {
  /** A pseudonymous identifier, never a name or an address. */
  subject: string;
  role: Role;
  partyId?: string;
  /** A body secretary's body (the id of the governance body they record for). */
  mandate?: string;
}

/** Mints a token signed with the local key: for local use, tests and demos (`ledger token`). */
export async function mintToken(
  key: LocalTokenKey,
  claims: TokenClaims,
  options: { issuer?: string; audience?: string; expiresIn?: string | number; issuedAt?: number } = {},
): Promise<string> {
  checkClaims(claims);
  return signClaims(key, claims, options);
}

/**
 * Signs whatever claims it is given, unchecked: for tests that must show what the API does with a
 * token naming no valid actor. `mintToken` is the way to make a token.
 */
export async function signClaims(
  key: LocalTokenKey,
  claims: { subject?: string; role?: string; partyId?: string; mandate?: string },
  options: { issuer?: string; audience?: string; expiresIn?: string | number; issuedAt?: number } = {},
): Promise<string> {
  const jwt = new SignJWT({ role: claims.role, ...(claims.partyId && { party_id: claims.partyId }), ...(claims.mandate && { mandate: claims.mandate }) })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? LOCAL_TOKEN_ISSUER)
    .setAudience(options.audience ?? DEFAULT_TOKEN_AUDIENCE)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresIn ?? '8h');
  if (claims.subject !== undefined) jwt.setSubject(claims.subject);
  return jwt.sign(await importJWK(key.privateJwk, 'EdDSA'));
}

/** Why a token was not accepted: said to the caller in a 401, never with the token itself. */
export class TokenRejected extends Error {
  constructor(
    readonly rule: 'TokenMustBeValid' | 'TokenMustNotBeExpired' | 'TokenClaimsMustNameAnActor',
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** Checks bearer tokens against the settings and answers the actor they name. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly settings: TokenSettings) {
    if ('jwksUrl' in settings.keys) {
      this.keys = createRemoteJWKSet(new URL(settings.keys.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.algorithms = REMOTE_ALGORITHMS;
    } else {
      this.keys = createLocalJWKSet({ keys: [settings.keys.local.publicJwk] });
      this.algorithms = ['EdDSA'];
    }
  }

  /** Tokens verified already, until their expiry (at most CACHE_MS): a signature is checked once per token, not per request. */
  private readonly verified = new Map<string, { actor: Actor; until: number }>();

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known.actor;
    if (known) this.verified.delete(token);
    const actor = await this.check(token);
    if (this.verified.size >= CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    return actor;
  }

  private async check(token: string): Promise<Actor> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.algorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenRejected('TokenMustNotBeExpired', 'the token has expired: ask for a new one');
      if (error instanceof errors.JOSEError) throw new TokenRejected('TokenMustBeValid', `the token is not valid here (${error.code})`);
      throw error;
    }
    const claims: TokenClaims = {
      subject: payload.sub as string,
      role: payload.role as Role,
      ...(payload.party_id !== undefined && { partyId: payload.party_id as string }),
      ...(payload.mandate !== undefined && { mandate: payload.mandate as string }),
    };
    try {
      checkClaims(claims);
    } catch (error) {
      throw new TokenRejected('TokenClaimsMustNameAnActor', (error as Error).message);
    }
    this.verified.set(token, { actor: claims, until: Math.min((payload.exp as number) * 1000, Date.now() + CACHE_MS) });
    return claims;
  }
}

/** A claim the ledger may record: a non-empty text of at most 200 characters, without control characters. */
const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200 && !/[\u0000-\u001f\u007f]/.test(v);

/** The claims name an actor the ledger can record: a pseudonymous subject, a role, a party or body where the role needs one. */
function checkClaims(claims: TokenClaims): void {
  if (!text(claims.subject) || /[@\s]/.test(claims.subject)) {
    throw new Error('the subject (sub) must be a pseudonymous identifier of at most 200 characters, without spaces or @: it is written into the immutable log');
  }
  if (!TOKEN_ROLES.includes(claims.role)) throw new Error(`the role claim must be one of ${TOKEN_ROLES.join(', ')}`);
  if (claims.partyId !== undefined && !text(claims.partyId)) throw new Error('party_id must be a non-empty text without control characters');
  if (claims.mandate !== undefined && !text(claims.mandate)) throw new Error('mandate must be a non-empty text without control characters');
  if (claims.role === 'signatory-representative' && !claims.partyId) throw new Error('a signatory-representative token names its party (party_id)');
  if (claims.role === 'body-secretary' && !claims.mandate) throw new Error('a body-secretary token names its body (mandate)');
}
