/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * The ledger hashes the canonical bytes of every event envelope, so two parties that hold the same
 * value must produce the same bytes. JCS gives that: object members sorted by their UTF-16 code units,
 * no insignificant whitespace, numbers in their ECMAScript shortest form, strings with the minimal
 * JSON escaping. ECMAScript's own JSON serialisation of numbers and well-formed strings already is
 * the JCS form (RFC 8785 §3.2.2), so this module only adds ordering and the refusals JCS requires.
 *
 * Refused (CanonicalJsonError): non-finite numbers, lone surrogates (I-JSON, RFC 7493), values JSON
 * cannot represent (undefined in arrays, functions, symbols, bigints) and non-plain objects such as
 * Date or Map, whose JSON form would depend on a toJSON method rather than on the data.
 * Object members whose value is undefined are omitted, as JSON.stringify omits them.
 */
export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalize(value: unknown): string {
  return serialize(value, '$');
}

/** The UTF-8 bytes of the canonical form: what the ledger hashes and stores. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function serialize(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('a number must be finite', path);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => serialize(item, `${path}[${i}]`)).join(',')}]`;
      }
      return serializeObject(value as object, path);
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`, path);
  }
}

function serializeString(value: string, path: string): string {
  if (!value.isWellFormed()) throw new CanonicalJsonError('a string must not contain a lone surrogate', path);
  return JSON.stringify(value);
}

function serializeObject(value: object, path: string): string {
  const prototype = Object.getPrototypeOf(value);
  // A plain object's prototype is Object.prototype of some realm (vm contexts have their own), or null.
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
    throw new CanonicalJsonError(`a ${prototype?.constructor?.name ?? 'non-plain'} object has no canonical form`, path);
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 prescribes.
  const keys = Object.keys(record).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${serializeString(key, path)}:${serialize(member, `${path}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
