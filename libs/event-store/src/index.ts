export * from './errors';
export * from './event-envelope';
export * from './event-store';
export { MAX_DATA_BYTES, MAX_EVENTS_PER_APPEND } from './envelope';
export * from './postgres/postgres-event-store';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export { checkNamespace as checkEventStoreNamespace, DEFAULT_NAMESPACE as DEFAULT_EVENTSTORE_NAMESPACE } from './eventstoredb/stream-names';
export { LedgerRecordError } from './eventstoredb/event-mapping';
export * from './open-event-store';
