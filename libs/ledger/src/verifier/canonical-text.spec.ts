import fc from 'fast-check';
import { canonicalize } from '../canonical-json';
import { nonCanonicalReason } from './canonical-text';

/** The definition the scan must agree with: re-canonicalising the parsed text gives the text back. */
function reference(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

const agree = (text: string) => expect([text, nonCanonicalReason(text) === undefined]).toEqual([text, reference(text)]);

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '😀', '\ud800', '\udc00'), maxLength: 8 }));
const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, 0.1, -1.5e300, 2 ** 53));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(anyString, fc.constantFrom('0', '1', '10', 'a', 'B', '__proto__', 'é', '😀', '\uffff')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Ways to write the same JSON value that are not canonical, and other small edits. */
const edit = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.constantFrom(' ', '\n', '\t', ',', '"', '\\', '0', '-', '.5', 'e1', 'E+2', '\\/', '\\u0041', '\\u00e9', '\\ud800', '\\u001F', '\\u000a', '}', ']', '{"', 'true') }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 3 }) }),
);

function applyEdit(text: string, e: { at: number; insert?: string; remove?: number }): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return e.insert !== undefined ? text.slice(0, at) + e.insert + text.slice(at) : text.slice(0, at) + text.slice(at + (e.remove ?? 0));
}

/** JSON.stringify's own (non-canonical) forms: indented, or in insertion order. */
const reordered = (value: unknown): string => JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));

describe('the canonical scan agrees with canonicalize(JSON.parse(text)) === text', () => {
  it('on canonical texts of any value', () => {
    fc.assert(
      fc.property(json, (value) => {
        let text: string;
        try {
          text = canonicalize(value);
        } catch {
          return; // a lone surrogate: no canonical form
        }
        expect(nonCanonicalReason(text)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('on every other way to write them, and on edits anywhere', () => {
    fc.assert(
      fc.property(json, fc.array(edit, { maxLength: 3 }), (value, edits) => {
        agree(JSON.stringify(value) ?? 'null');
        agree(JSON.stringify(value, null, 1) ?? 'null');
        agree(reordered(value) ?? 'null');
        let text: string;
        try {
          text = canonicalize(value);
        } catch {
          text = JSON.stringify(value);
        }
        agree(edits.reduce(applyEdit, text));
      }),
      { numRuns: 5000 },
    );
  });

  it('on texts made of JSON punctuation and escapes', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '"a"', '"b"', '"\\n"', '"\\u0000"', '"\\u0008"', '"\\/"', '0', '-0', '1', '1.0', '1e2', '1e+21', '1e21', '0.1', '.1', '-', 'true', 'null', ' ', '"\ud800"', '"😀"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => agree(pieces.join(''))),
      { numRuns: 20000 },
    );
  });

  it('says why, with the place', () => {
    expect(nonCanonicalReason('{"b":1,"a":2}')).toBe('member "a" after "b", not in order at character 7');
    expect(nonCanonicalReason('{"a":1,"a":2}')).toBe('member "a" twice at character 7');
    expect(nonCanonicalReason('{"a": 1}')).toBe('no JSON value at character 5');
    expect(nonCanonicalReason('[1.0]')).toBe('the number 1.0 is not written as 1 at character 1');
    expect(nonCanonicalReason('["\\/"]')).toBe('an escape JSON.stringify does not write at character 2');
    expect(nonCanonicalReason('{"a":1}\n')).toBe('text after the value at character 7');
    expect(nonCanonicalReason('[1e400]')).toBe('the number 1e400 is not written as a finite number at character 1');
    expect(nonCanonicalReason('{"10":0,"9":1,"a":[true,false,null,-1.5,"\\u001f\\n😀"]}')).toBeUndefined();
  });
});
