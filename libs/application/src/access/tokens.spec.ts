import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { generateLocalTokenJwk, LOCAL_TOKEN_ISSUER, loadLocalTokenKey, mintToken, signClaims, TokenRejected, tokenSettings, TokenVerifier } from './tokens';

describe('bearer tokens', () => {
  const env = { LEDGER_AUTH_KEY: JSON.stringify(generateLocalTokenJwk()) };
  const settings = tokenSettings({ env, dataDir: '/nonexistent' });
  const key = 'local' in settings.keys ? settings.keys.local : undefined!;
  const verifier = new TokenVerifier(settings);
  const rejection = (token: string) => verifier.verify(token).then(() => 'accepted', (e: TokenRejected) => (e instanceof TokenRejected ? e.rule : `threw ${e}`));

  it('verifies a token it minted and answers the actor it names', async () => {
    const token = await mintToken(key, { subject: 'user-7', role: 'signatory-representative', partyId: 'party-mel' });
    expect(await verifier.verify(token)).toEqual({ subject: 'user-7', role: 'signatory-representative', partyId: 'party-mel' });
    const secretary = await mintToken(key, { subject: 'user-8', role: 'body-secretary', mandate: 'copil-cvs' }, { expiresIn: '5m' });
    expect(await verifier.verify(secretary)).toEqual({ subject: 'user-8', role: 'body-secretary', mandate: 'copil-cvs' });
  });

  it('remembers a verified token until it expires, then refuses it', async () => {
    const fresh = new TokenVerifier(settings);
    const now = Math.floor(Date.now() / 1000);
    const token = await signClaims(key, { subject: 'u', role: 'auditor' }, { issuedAt: now, expiresIn: now + 120 });
    expect(await fresh.verify(token)).toEqual({ subject: 'u', role: 'auditor' });
    expect(await fresh.verify(token)).toEqual({ subject: 'u', role: 'auditor' });
    const later = Date.now() + 200_000; // past exp and its 30 s of tolerance
    jest.useFakeTimers({ now: later, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await expect(fresh.verify(token)).rejects.toMatchObject({ rule: 'TokenMustNotBeExpired' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses to mint a token naming no recordable actor', async () => {
    await expect(mintToken(key, { subject: 'jeanne@lille.fr', role: 'auditor' })).rejects.toThrow(/pseudonymous/);
    await expect(mintToken(key, { subject: 'u', role: 'signatory-representative' })).rejects.toThrow(/party_id/);
    await expect(mintToken(key, { subject: 'u', role: 'body-secretary' })).rejects.toThrow(/mandate/);
    await expect(mintToken(key, { subject: 'u', role: 'root' as never })).rejects.toThrow(/role/);
  });

  it('refuses expired, foreign, unsigned, HMAC and malformed tokens, each for its reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejection(await signClaims(key, { subject: 'u', role: 'auditor' }, { issuedAt: now - 7200, expiresIn: now - 3600 }))).toBe('TokenMustNotBeExpired');
    const other = loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: JSON.stringify(generateLocalTokenJwk()) }, dataDir: '/nonexistent' });
    expect(await rejection(await signClaims(other, { subject: 'u', role: 'auditor' }))).toBe('TokenMustBeValid');
    expect(await rejection(await signClaims(key, { subject: 'u', role: 'auditor' }, { audience: 'another' }))).toBe('TokenMustBeValid');
    expect(await rejection(await signClaims(key, { subject: 'u', role: 'auditor' }, { issuer: 'https://elsewhere' }))).toBe('TokenMustBeValid');
    const unsigned = new UnsecuredJWT({ role: 'administrator' }).setSubject('u').setIssuer(LOCAL_TOKEN_ISSUER).setAudience('mel-ledger-api').setExpirationTime('1h').encode();
    expect(await rejection(unsigned)).toBe('TokenMustBeValid');
    const hmac = await new SignJWT({ role: 'administrator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer(LOCAL_TOKEN_ISSUER).setAudience('mel-ledger-api').setExpirationTime('1h').sign(Buffer.from(key.publicJwk.x!, 'base64url'));
    expect(await rejection(hmac)).toBe('TokenMustBeValid');
    expect(await rejection('a.b.c')).toBe('TokenMustBeValid');
    const noExpiry = await new SignJWT({ role: 'auditor' }).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject('u').setIssuer(LOCAL_TOKEN_ISSUER).setAudience('mel-ledger-api').sign(await (await import('jose')).importJWK(key.privateJwk, 'EdDSA'));
    expect(await rejection(noExpiry)).toBe('TokenMustBeValid');
    expect(await rejection(await signClaims(key, { subject: 'u', role: 'superuser' }))).toBe('TokenClaimsMustNameAnActor');
    expect(await rejection(await signClaims(key, { role: 'auditor' }))).toBe('TokenMustBeValid'); // no sub
    expect(await rejection(await signClaims(key, { subject: 'a\u0000b', role: 'auditor' }))).toBe('TokenClaimsMustNameAnActor');
    expect(await rejection(await signClaims(key, { subject: 'u', role: 'body-secretary', mandate: 'm\u0000' }))).toBe('TokenClaimsMustNameAnActor');
  });

  it('generates the local key once, readable by its owner only, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-token-key-'));
    try {
      const warnings: string[] = [];
      const first = loadLocalTokenKey({ env: {}, dataDir: dir, warn: (m) => warnings.push(m) });
      const file = join(dir, 'auth-token.jwk');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(loadLocalTokenKey({ env: {}, dataDir: dir }).kid).toBe(first.kid);
      expect(warnings).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what to do with a key or settings it cannot use', () => {
    expect(() => loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: 'not json' }, dataDir: '/x' })).toThrow(/Ed25519 private JWK/);
    expect(() => loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: '{"kty":"RSA"}' }, dataDir: '/x' })).toThrow(/Ed25519 private JWK/);
    expect(() => loadLocalTokenKey({ env: { LEDGER_AUTH_KEY_FILE: '/nonexistent/key.jwk' }, dataDir: '/x' })).toThrow(/ledger -- token --new-key/);
    expect(() => tokenSettings({ env: { LEDGER_AUTH_JWKS_URL: 'https://idp.example/jwks' }, dataDir: '/x' })).toThrow(/LEDGER_AUTH_ISSUER and LEDGER_AUTH_AUDIENCE/);
    expect(() => tokenSettings({ env: { LEDGER_AUTH_JWKS_URL: 'not a url', LEDGER_AUTH_ISSUER: 'i', LEDGER_AUTH_AUDIENCE: 'a' }, dataDir: '/x' })).toThrow(/not a URL/);
  });

  describe('with an identity provider’s JWKS', () => {
    let server: Server;
    let jwksUrl: string;
    let sign: (claims: Record<string, unknown>, options?: { kid?: string }) => Promise<string>;

    beforeAll(async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
      sign = (claims, options = {}) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'idp-key-1' }).setSubject('f3a1c9').setIssuer('https://idp.example/realms/mel').setAudience('ledger').setIssuedAt().setExpirationTime('10m').sign(privateKey);
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('accepts its tokens for the configured issuer and audience, fetching its keys', async () => {
      const idp = new TokenVerifier(tokenSettings({ env: { LEDGER_AUTH_JWKS_URL: jwksUrl, LEDGER_AUTH_ISSUER: 'https://idp.example/realms/mel', LEDGER_AUTH_AUDIENCE: 'ledger' }, dataDir: '/x' }));
      expect(await idp.verify(await sign({ role: 'auditor' }))).toEqual({ subject: 'f3a1c9', role: 'auditor' });
      await expect(idp.verify(await sign({ role: 'auditor' }, { kid: 'unknown-key' }))).rejects.toMatchObject({ rule: 'TokenMustBeValid' });
      // The local key's tokens are not the identity provider's.
      await expect(idp.verify(await mintToken(key, { subject: 'u', role: 'administrator' }, { issuer: 'https://idp.example/realms/mel', audience: 'ledger' }))).rejects.toMatchObject({ rule: 'TokenMustBeValid' });
    });
  });
});
