import { describeEventStore, eventStoreConfig, openEventStore, redactConnection } from './open-event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

describe('choosing the event store by configuration', () => {
  it('is PostgreSQL by default, or when LEDGER_EVENT_STORE says so', () => {
    expect(eventStoreConfig({})).toEqual({ kind: 'postgres' });
    expect(eventStoreConfig({ LEDGER_EVENT_STORE: ' Postgres ' })).toEqual({ kind: 'postgres' });
    expect(eventStoreConfig({ LEDGER_EVENT_STORE: '' })).toEqual({ kind: 'postgres' });
  });

  it('is EventStoreDB with its connection string and namespace', () => {
    expect(eventStoreConfig({ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113,b:2113?tls=false' })).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://a:2113,b:2113?tls=false',
      namespace: 'ledger',
    });
    expect(eventStoreConfig({ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113', LEDGER_EVENTSTORE_NAMESPACE: 'mel' })).toMatchObject({ namespace: 'mel' });
  });

  it.each([
    [{ LEDGER_EVENT_STORE: 'eventstoredb' }, /needs EVENTSTORE_CONNECTION_STRING/],
    [{ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: '  ' }, /needs EVENTSTORE_CONNECTION_STRING/],
    [{ LEDGER_EVENT_STORE: 'kafka' }, /"kafka" is not an event store: say postgres \(the default\) or eventstoredb/],
    [{ LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113', LEDGER_EVENTSTORE_NAMESPACE: 'My Ledger' }, /LEDGER_EVENTSTORE_NAMESPACE/],
  ])('refuses %j, saying what to set', (env, message) => {
    expect(() => eventStoreConfig(env)).toThrow(message);
  });

  it('opens the adapter the configuration names (no connection is made before the first use)', async () => {
    const postgres = openEventStore({ appUrl: 'postgres://ledger_app@127.0.0.1:1/none', env: {} });
    expect(postgres).toBeInstanceOf(PostgresEventStore);
    await postgres.close();
    const esdb = openEventStore({ appUrl: 'unused', env: { LEDGER_EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false', LEDGER_EVENTSTORE_NAMESPACE: 'mel' } });
    expect(esdb).toBeInstanceOf(EventStoreDbEventStore);
    expect((esdb as EventStoreDbEventStore).namespace).toBe('mel');
    await esdb.close();
  });

  it('describes the store without its password', () => {
    expect(redactConnection('esdb://admin:changeit@node1:2113,node2:2113?tls=true')).toBe('esdb://admin:***@node1:2113,node2:2113?tls=true');
    expect(describeEventStore({ kind: 'eventstoredb', connectionString: 'esdb://ledger:s3cret@es:2113', namespace: 'mel' })).toBe('EventStoreDB esdb://ledger:***@es:2113, namespace mel');
    expect(describeEventStore({ kind: 'postgres' })).toContain('PostgreSQL');
  });
});
