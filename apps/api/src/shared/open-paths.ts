/** Paths any web page may read (open data; the public verification of the ledger). */
const OPEN_TO_ANY_ORIGIN = /^\/(open-data|ledger)\//;

/**
 * Whether CORS lets any origin make this request, without credentials (ADR 13): reads of the open
 * paths. `path` may hold the query. What CORS answers depends on this and on the Origin header alone.
 */
export function openToAnyOrigin(method: string, path: string): boolean {
  return method !== 'POST' && OPEN_TO_ANY_ORIGIN.test(path);
}
