import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { PostgresEventStore } from './postgres-event-store';

/** DESIGN §3: the application role may INSERT and SELECT events, nothing else; triggers stop even the owner. */
describe('PostgreSQL event store: roles and immutability', () => {
  let db: TestDatabase;
  let app: Client;
  let owner: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore({ connectionString: db.appUrl });
    const actor = { subject: 'user-1', role: 'administrator' };
    await store.append('party-mel', [{ eventId: uuidv7(), type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: {} }], {
      expectedVersion: 'no-stream',
    });
    await store.close();
    app = new Client({ connectionString: db.appUrl });
    owner = new Client({ connectionString: db.adminUrl });
    await Promise.all([app.connect(), owner.connect()]);
    await owner.query('SET ROLE ledger_migrator');
  });

  afterAll(async () => {
    await Promise.all([app?.end(), owner?.end()]);
    await db?.drop();
  });

  const sqlState = async (client: Client, sql: string) => {
    try {
      await client.query(sql);
      return 'succeeded';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('connects the application as ledger_app, which is not the owner and not a superuser', async () => {
    const { rows } = await app.query(
      `SELECT current_user AS who, r.rolsuper AS super, t.tableowner AS owner
       FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.schemaname = 'event_store' AND t.tablename = 'events'`,
    );
    expect(rows[0]).toEqual({ who: 'ledger_app', super: false, owner: 'ledger_migrator' });
  });

  it('lets the application role read events', async () => {
    expect((await app.query('SELECT count(*)::int AS n FROM event_store.events')).rows[0].n).toBe(1);
  });

  it.each([
    ['UPDATE', `UPDATE event_store.events SET type = 'Forged'`],
    ['DELETE', 'DELETE FROM event_store.events'],
    ['TRUNCATE', 'TRUNCATE event_store.events'],
    ['ALTER', 'ALTER TABLE event_store.events DISABLE TRIGGER events_append_only'],
    ['DROP', 'DROP TABLE event_store.events'],
  ])('refuses %s of events to the application role (insufficient privilege)', async (_label, sql) => {
    // 42501 insufficient_privilege; 42501 also covers "must be owner" for ALTER and DROP.
    expect(await sqlState(app, sql)).toBe('42501');
  });

  it.each([
    ['UPDATE', `UPDATE event_store.events SET type = 'Forged'`],
    ['DELETE', 'DELETE FROM event_store.events'],
    ['TRUNCATE', 'TRUNCATE event_store.events'],
  ])('refuses %s of events even to the owning migration role (trigger)', async (_label, sql) => {
    expect(await sqlState(owner, sql)).toBe('23001');
  });

  it('leaves the event untouched after all these attempts', async () => {
    const { rows } = await app.query('SELECT type FROM event_store.events');
    expect(rows).toEqual([{ type: 'PartyRegistered' }]);
  });

  it('derives the leaf hash in the database: a row whose hash does not match its bytes is refused', async () => {
    const code = await sqlState(
      app,
      `INSERT INTO event_store.events (seq, event_id, stream_id, stream_version, type, schema_version, occurred_at,
         recorded_at, actor, correlation_id, data, canonical, leaf_hash)
       VALUES (2, '${uuidv7()}', 'party-x', 1, 'Forged', 1, now(), now(), '{}', 'c', '{}', '\\x7b7d', '\\x00')`,
    );
    expect(code).toBe('23514');
  });
});
