import fc from 'fast-check';
import { canonicalBytes } from '../canonical-json';
import { entryLine, entryLines } from './entry-lines';

/**
 * entries.jsonl holds one entry per line (line i = the canonical bytes of leaf i, then 0x0A). That is
 * only unambiguous if no entry's bytes hold 0x0A: checked here for any JSON value and any code point.
 */
describe('entries.jsonl: one canonical entry per line', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 40 });
  const jsonWithAnyText = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      anyText,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('canonical JSON never holds the byte 0x0A, whatever the strings hold (newlines and controls are escaped)', () => {
    fc.assert(
      fc.property(jsonWithAnyText, (value) => {
        expect(canonicalBytes(value).includes(0x0a)).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(canonicalBytes({ 'a\nb': 'c\nd\r\u2028' }).toString()).toBe('{"a\\nb":"c\\nd\\r\u2028"}');
  });

  it('UTF-8 never has 0x0A (nor any byte below 0x80) inside a multi-byte character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x80, max: 0x10ffff }), (codePoint) => {
        fc.pre(codePoint < 0xd800 || codePoint > 0xdfff); // surrogates are not characters
        const bytes = Buffer.from(String.fromCodePoint(codePoint), 'utf8');
        expect(bytes.length).toBeGreaterThan(1);
        expect([...bytes].every((b) => b >= 0x80)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // And exhaustively over the planes' boundaries.
    for (const codePoint of [0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff, 0x10a, 0x0a0a, 0x10a0a]) {
      expect(Buffer.from(String.fromCodePoint(codePoint), 'utf8').includes(0x0a)).toBe(false);
    }
  });

  it('splits back into the same entries from chunks cut anywhere, even inside a character', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonWithAnyText, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), async (values, cuts) => {
        const entries = values.map((v) => canonicalBytes(v));
        const file = Buffer.concat(entries.map(entryLine));
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < file.length; i++) {
          chunks.push(file.subarray(at, at + cuts[i % cuts.length]));
          at += cuts[i % cuts.length];
        }
        const lines: Buffer[] = [];
        for await (const line of entryLines(chunks)) lines.push(Buffer.from(line));
        expect(lines).toEqual(entries);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses to write an entry holding a newline, and reads an empty file as no entries', async () => {
    expect(() => entryLine(Buffer.from('{"a":\n1}'))).toThrow(/not canonical JSON/);
    const lines: Buffer[] = [];
    for await (const line of entryLines([Buffer.alloc(0)])) lines.push(line);
    expect(lines).toEqual([]);
  });
});
