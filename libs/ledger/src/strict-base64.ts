/**
 * Standard base64 (RFC 4648 §4) in its one canonical spelling: padded, no whitespace, zero padding bits.
 * Buffer.from(…, 'base64') accepts anything (it skips unknown characters); a verifier must not, or two
 * spellings of one signature or root would both pass.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
