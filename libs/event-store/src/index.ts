export * from './errors';
export * from './event-envelope';
export * from './event-store';
export { MAX_DATA_BYTES, MAX_EVENTS_PER_APPEND } from './envelope';
export * from './postgres/postgres-event-store';
