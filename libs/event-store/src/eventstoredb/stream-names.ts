/**
 * Where the ledger lives in EventStoreDB: every ledger stream `<aggregate>-<id>` of the port is the
 * EventStoreDB stream `<namespace>/<aggregate>-<id>`, so that the ledger's events are exactly the
 * events of `$all` whose stream name starts with `<namespace>/`. System streams start with `$` and a
 * namespace never does; several ledgers (or test runs) share one cluster under different namespaces.
 * The durable seq index (ADR 11) is the stream `<namespace>.seq-index`, outside the prefix.
 */
export const DEFAULT_NAMESPACE = 'ledger';

const NAMESPACE = /^[a-z][a-z0-9_]{0,39}$/;

/** The namespace, checked: lowercase letters, digits and `_`, starting with a letter, at most 40. */
export function checkNamespace(namespace: string): string {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(
      `the EventStoreDB namespace ${JSON.stringify(namespace)} must be 1 to 40 lowercase letters, digits or _ starting with a letter (LEDGER_EVENTSTORE_NAMESPACE)`,
    );
  }
  return namespace;
}

/** The prefix of every ledger stream of the namespace. */
export function streamPrefix(namespace: string): string {
  return `${namespace}/`;
}

/** The EventStoreDB stream of a ledger stream. */
export function esdbStreamName(namespace: string, streamId: string): string {
  return `${streamPrefix(namespace)}${streamId}`;
}

/** The ledger stream of an EventStoreDB stream, or undefined when the stream is not the namespace's. */
export function ledgerStreamIdOf(namespace: string, esdbStream: string): string | undefined {
  const prefix = streamPrefix(namespace);
  return esdbStream.startsWith(prefix) && esdbStream.length > prefix.length ? esdbStream.slice(prefix.length) : undefined;
}

/** The stream holding the durable blocks of the seq index. */
export function indexStreamName(namespace: string): string {
  return `${namespace}.seq-index`;
}
