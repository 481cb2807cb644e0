import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { canonicalize, canonicalBytes, CanonicalJsonError } from './canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('gives the RFC 8785 §3.2.2 example its canonical form', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh",' +
        '"1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [9007199254740992, '9007199254740992'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [-1.5, '-1.5'],
  ])('serialises the number %p as %s (RFC 8785 appendix B)', (value, expected) => {
    expect(canonicalize(value)).toBe(expected);
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a lone surrogate', '\ud800'],
    ['a lone surrogate in a key', { '\udc00': 1 }],
    ['undefined in an array', [undefined]],
    ['a bigint', 1n],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a function', () => 1],
  ])('refuses %s', (_label, value) => {
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
  });

  it('names where the refused value sits', () => {
    expect(() => canonicalize({ a: [1, { b: NaN }] })).toThrow('at $.a[1].b');
  });

  it('takes plain objects of another realm (vm context), and refuses class instances', () => {
    expect(canonicalize(runInNewContext('({ b: [1, { c: null }], a: "x" })'))).toBe('{"a":"x","b":[1,{"c":null}]}');
    class Scope {
      qpv = ['QN05972M'];
    }
    expect(() => canonicalize({ scope: new Scope() })).toThrow(CanonicalJsonError);
  });

  it('omits members whose value is undefined, as JSON does', () => {
    expect(canonicalize({ b: undefined, a: 1 })).toBe('{"a":1}');
  });

  it('encodes the canonical form as UTF-8', () => {
    expect(canonicalBytes({ commune: 'Roubaix–Tourcoing' }).toString('hex')).toBe(
      Buffer.from('{"commune":"Roubaix–Tourcoing"}', 'utf8').toString('hex'),
    );
  });

  it('is the same JSON value, with the same form whatever the member order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalize(JSON.parse(text))).toBe(text);
        expect(canonicalize(reverseMembers(value))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

function reverseMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseMembers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reverseMembers(v)]),
    );
  }
  return value;
}
