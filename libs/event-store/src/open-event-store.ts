import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { checkNamespace, DEFAULT_NAMESPACE } from './eventstoredb/stream-names';
import { PostgresEventStore } from './postgres/postgres-event-store';

export type EventStoreKind = 'postgres' | 'eventstoredb';

/** Which adapter the configuration chooses, and its settings. */
export type EventStoreConfig =
  | { kind: 'postgres' }
  | { kind: 'eventstoredb'; connectionString: string; namespace: string };

/**
 * The event store the environment asks for (ADR 11): LEDGER_EVENT_STORE=postgres (the default) or
 * eventstoredb, which needs EVENTSTORE_CONNECTION_STRING and takes LEDGER_EVENTSTORE_NAMESPACE
 * (default `ledger`). Throws, saying what to set, when the configuration is not usable.
 */
export function eventStoreConfig(env: NodeJS.ProcessEnv = process.env): EventStoreConfig {
  const kind = (env.LEDGER_EVENT_STORE ?? '').trim().toLowerCase() || 'postgres';
  if (kind === 'postgres') return { kind };
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim();
    if (!connectionString) {
      throw new Error(
        'LEDGER_EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://node1:2113,node2:2113,node3:2113?tls=true (see docs/operations.md)',
      );
    }
    return { kind, connectionString, namespace: checkNamespace(env.LEDGER_EVENTSTORE_NAMESPACE?.trim() || DEFAULT_NAMESPACE) };
  }
  throw new Error(`LEDGER_EVENT_STORE=${JSON.stringify(env.LEDGER_EVENT_STORE)} is not an event store: say postgres (the default) or eventstoredb`);
}

export interface OpenEventStoreOptions {
  /** The application role's connection to PostgreSQL (Database.appUrl): the PostgreSQL adapter's store. */
  appUrl: string;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** PostgreSQL connections of the store (default 10). */
  poolSize?: number;
  /** Connection errors (PostgreSQL) and background errors (EventStoreDB's durable index). */
  onError?: (error: Error) => void;
}

/**
 * The event store of this deployment, chosen by configuration only: the PostgreSQL adapter on
 * `appUrl`, or the EventStoreDB adapter on EVENTSTORE_CONNECTION_STRING. Either way the read models,
 * the Merkle tree and the checkpoints stay in PostgreSQL.
 */
export function openEventStore(options: OpenEventStoreOptions): EventStore {
  const config = eventStoreConfig(options.env);
  if (config.kind === 'eventstoredb') {
    return new EventStoreDbEventStore({ connectionString: config.connectionString, namespace: config.namespace, onError: options.onError });
  }
  return new PostgresEventStore({ connectionString: options.appUrl, poolSize: options.poolSize, onError: options.onError });
}

/** A sentence for logs and `ledger status`: which event store, where (without credentials). */
export function describeEventStore(config: EventStoreConfig): string {
  if (config.kind === 'postgres') return 'PostgreSQL (event_store.events)';
  return `EventStoreDB ${redactConnection(config.connectionString)}, namespace ${config.namespace}`;
}

/** A connection string without its password. */
export function redactConnection(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
