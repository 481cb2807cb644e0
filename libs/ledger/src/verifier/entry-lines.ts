import { LogVerificationError } from './log-failure';

/**
 * The entries of an audit export's `entries.jsonl` from its bytes in chunks (a file stream): line i is
 * the canonical bytes of leaf i, each line ends with a newline (0x0A). That is unambiguous because
 * RFC 8785 JSON never holds a raw newline (JSON escapes it in strings and has no other place for one)
 * and UTF-8 never has the byte 0x0A inside a multi-byte character (those bytes are all ≥ 0x80).
 *
 * Yields each line without its newline (a view of the chunk, or a copy across chunks); throws a
 * LogVerificationError (`entries-format`) if the data does not end with a newline.
 */
export async function* entryLines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  let index = 0;
  for await (const raw of chunks) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end >= 0; end = chunk.indexOf(0x0a, start)) {
      let line = chunk.subarray(start, end);
      if (carry !== undefined) {
        line = Buffer.concat([carry, line]);
        carry = undefined;
      }
      index++;
      yield line;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry === undefined ? Buffer.from(rest) : Buffer.concat([carry, rest]);
    }
  }
  if (carry !== undefined) {
    throw new LogVerificationError('entries-format', index, `the entries end without a newline after entry ${index} (${carry.length} bytes): truncated or edited`);
  }
}

/** One entry as a line of `entries.jsonl`; refuses bytes holding a newline (not canonical JSON). */
export function entryLine(canonical: Uint8Array): Buffer {
  if (canonical.indexOf(0x0a) >= 0) throw new RangeError('an entry holding a newline byte is not canonical JSON');
  const line = Buffer.allocUnsafe(canonical.length + 1);
  line.set(canonical, 0);
  line[canonical.length] = 0x0a;
  return line;
}
