import { href, parseHash } from './router';

describe('hash routes', () => {
  it('reads segments and query from the hash, decoding each segment', () => {
    expect(parseHash('#/commitments/a%20b%2Fc?asOf=2025-01-01&clock=recorded')).toEqual({ segments: ['commitments', 'a b/c'], query: new URLSearchParams('asOf=2025-01-01&clock=recorded') });
    expect(parseHash('')).toEqual({ segments: [], query: new URLSearchParams() });
    expect(parseHash('#/%E0%A4%A')).toEqual({ segments: ['%E0%A4%A'], query: new URLSearchParams() });
  });

  it('writes addresses that read back the same, leaving out empty query values', () => {
    const to = href(['commitments', 'a b/c'], { asOf: '2025-01-01T00:00:00Z', clock: undefined, status: '', priority: 2 });
    expect(to).toBe('#/commitments/a%20b%2Fc?asOf=2025-01-01T00%3A00%3A00Z&priority=2');
    const back = parseHash(to);
    expect(back.segments).toEqual(['commitments', 'a b/c']);
    expect(Object.fromEntries(back.query)).toEqual({ asOf: '2025-01-01T00:00:00Z', priority: '2' });
  });
});
