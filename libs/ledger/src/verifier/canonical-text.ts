/**
 * Whether a JSON text is already in its RFC 8785 canonical form, i.e. `canonicalize(JSON.parse(text))
 * === text` (canonical-json.ts), checked in one pass over the text without building the canonical
 * form again: the offline verifier runs it on a million entries, where re-serialising costs several
 * times more than this scan. The two are the same test (property tests compare them); a text is
 * canonical exactly when
 * - it is JSON with no white space outside strings;
 * - every string escapes only what JSON.stringify escapes, as it does: `\"`, `\\`, `\b`, `\f`, `\n`,
 *   `\r`, `\t`, and `\u00xx` (lowercase) for the other characters below U+0020; no other escape (a
 *   lone surrogate, which JCS refuses, can only be written as an escape in a well-formed string);
 * - every number is written as ECMAScript writes it (Number#toString: no `-0`, `1.0`, `1E5`…), and is finite;
 * - each object's member names are strictly increasing in UTF-16 code units (so no duplicates);
 * - it holds no lone surrogate.
 *
 * Answers undefined when canonical, else why not, with the offset.
 */
export function nonCanonicalReason(text: string): string | undefined {
  const scan = new Scan(text);
  try {
    scan.value();
    if (scan.at !== text.length) scan.fail('text after the value');
    return undefined;
  } catch (error) {
    if (error instanceof NotCanonical) return error.message;
    if (error instanceof RangeError) return 'nested too deep to be checked'; // the call stack, as canonicalize's own recursion
    throw error;
  }
}

class NotCanonical extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** What a canonical string holds unescaped, surrogates aside (checked in pairs one by one). */
const PLAIN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;

class Scan {
  at = 0;

  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new NotCanonical(`${what} at character ${this.at}`);
  }

  value(): void {
    const c = this.s.charCodeAt(this.at);
    if (c === 0x7b) this.object();
    else if (c === 0x5b) this.array();
    else if (c === 0x22) this.string(false);
    else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.number();
    else this.fail(Number.isNaN(c) ? 'end of text where a value is expected' : 'no JSON value');
  }

  private object(): void {
    const s = this.s;
    this.at++;
    if (s.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return;
    }
    let previous: string | undefined;
    for (;;) {
      if (s.charCodeAt(this.at) !== 0x22) this.fail('no member name');
      const keyAt = this.at;
      const key = this.string(true)!;
      if (previous !== undefined && !(previous < key)) {
        this.at = keyAt;
        this.fail(previous === key ? `member ${JSON.stringify(key)} twice` : `member ${JSON.stringify(key)} after ${JSON.stringify(previous)}, not in order`);
      }
      previous = key;
      if (s.charCodeAt(this.at) !== 0x3a) this.fail('no colon right after a member name');
      this.at++;
      this.value();
      const c = s.charCodeAt(this.at);
      this.at++;
      if (c === 0x7d) return;
      if (c !== 0x2c) {
        this.at--;
        this.fail('no comma or closing brace right after a member');
      }
    }
  }

  private array(): void {
    const s = this.s;
    this.at++;
    if (s.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return;
    }
    for (;;) {
      this.value();
      const c = s.charCodeAt(this.at);
      this.at++;
      if (c === 0x5d) return;
      if (c !== 0x2c) {
        this.at--;
        this.fail('no comma or closing bracket right after an element');
      }
    }
  }

  /** Checks a string from its opening quote; answers its value when asked (member names). */
  private string(decode: boolean): string | undefined {
    const s = this.s;
    const start = this.at;
    let escaped = false;
    this.at++;
    for (;;) {
      // Runs of characters written as they are, at the regular expression engine's speed.
      PLAIN.lastIndex = this.at;
      PLAIN.test(s);
      this.at = PLAIN.lastIndex;
      const c = s.charCodeAt(this.at);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        const e = s.charCodeAt(this.at + 1);
        if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          this.at += 2;
          continue;
        }
        if (e === 0x75 && /^00[01][0-9a-f]$/.test(s.slice(this.at + 2, this.at + 6))) {
          const code = parseInt(s.slice(this.at + 4, this.at + 6), 16);
          // The characters with a short escape are written with it.
          if (code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) {
            this.at += 6;
            continue;
          }
        }
        this.fail('an escape JSON.stringify does not write');
      }
      if (c < 0x20 || Number.isNaN(c)) this.fail(Number.isNaN(c) ? 'an unterminated string' : 'a control character not escaped');
      if (c >= 0xd800 && c <= 0xdfff) {
        // Well-formed text only (JCS refuses lone surrogates): a high surrogate, then a low one.
        const low = s.charCodeAt(this.at + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) this.fail('a lone surrogate');
        this.at++;
      }
      this.at++;
    }
    this.at++;
    if (!decode) return undefined;
    return escaped ? (JSON.parse(s.slice(start, this.at)) as string) : s.slice(start + 1, this.at - 1);
  }

  private literal(word: string): void {
    if (!this.s.startsWith(word, this.at)) this.fail('no JSON value');
    this.at += word.length;
  }

  private number(): void {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.s);
    if (match === null) this.fail('a malformed number');
    const token = match[0];
    const value = Number(token);
    if (!Number.isFinite(value) || String(value) !== token) this.fail(`the number ${token} is not written as ${Number.isFinite(value) ? String(value) : 'a finite number'}`);
    this.at += token.length;
  }
}
