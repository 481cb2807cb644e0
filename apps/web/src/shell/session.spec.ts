import { SessionError, sessionFromToken } from './session';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: Record<string, unknown>) => `${b64url({ alg: 'EdDSA', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
const now = Date.UTC(2026, 10, 26);
const exp = now / 1000 + 600;

describe('the session read from a bearer token', () => {
  it('takes the role, party, body and expiry the token claims', () => {
    expect(sessionFromToken(token({ sub: 'agent-7', role: 'signatory-representative', party_id: 'party-mel', exp }), now)).toEqual({
      token: expect.any(String),
      role: 'signatory-representative',
      subject: 'agent-7',
      partyId: 'party-mel',
      expiresAt: exp * 1000,
    });
    expect(sessionFromToken(`  ${token({ sub: 's', role: 'body-secretary', mandate: 'copil-cvs', exp })}\n`, now)).toMatchObject({ role: 'body-secretary', mandate: 'copil-cvs' });
  });

  it.each([
    ['not three parts', 'abc.def', 'malformed'],
    ['claims that are not JSON', 'a.bm90IGpzb24.c', 'malformed'],
    ['no expiry', token({ sub: 's', role: 'auditor' }), 'malformed'],
    ['an expired token', token({ sub: 's', role: 'auditor', exp: now / 1000 - 1 }), 'expired'],
    ['an unknown role', token({ sub: 's', role: 'mayor', exp }), 'role'],
  ])('refuses %s', (_what, text, reason) => {
    expect(() => sessionFromToken(text, now)).toThrow(SessionError);
    try {
      sessionFromToken(text, now);
    } catch (error) {
      expect((error as SessionError).reason).toBe(reason);
    }
  });
});
