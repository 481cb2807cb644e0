import type { Actor } from '@mel/domain';
import { DomainRuleError } from '@mel/domain';
import { PostgresEventStore } from '@mel/event-store';
import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ErasureIncompleteError, PersonErasure } from './erase-person';
import { PersonalDirectory } from './personal-directory';

const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const secretary: Actor = { subject: 'user-sec', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const at = '2025-03-10T09:30:00+01:00';

/** The personal directory and the erasure service against PostgreSQL, as ledger_app (migration 0006). */
describe('the personal directory and PersonErasure', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let directory: PersonalDirectory;
  let erasure: PersonErasure;

  const rule = async (work: Promise<unknown>) => {
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainRuleError);
    return (error as DomainRuleError).rule;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    pool = new Pool({ connectionString: db.appUrl, max: 2 });
    pool.on('error', () => undefined); // the database is dropped with its connections at the end
    directory = new PersonalDirectory(pool, store);
    erasure = new PersonErasure(store, directory);
    await store.append('party-party-mel', [{ type: 'PartyRegistered', occurredAt: at, actor: admin, data: { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { siren: '200093201', inseeCode: null, rna: null } } }], {
      expectedVersion: 'no-stream',
    });
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  it('registers people under fresh person ids, never derived from the name, and finds them', async () => {
    const a = await directory.register(admin, { displayName: ' Camille Martin ', email: 'camille@example.org' });
    const b = await directory.register(admin, { displayName: 'Camille Martin' });
    expect(a.personId).toMatch(/^person-[0-9a-f-]{36}$/);
    expect(a.personId).not.toBe(b.personId);
    expect(a).toMatchObject({ displayName: 'Camille Martin', email: 'camille@example.org', phone: null, partyId: null });
    expect(await directory.find(a.personId)).toEqual({ status: 'present', person: a });
    expect(await directory.displayNames([a.personId, 'copil-cvs-mel', null, b.personId])).toEqual(new Map([[a.personId, 'Camille Martin'], [b.personId, 'Camille Martin']]));
    expect(await directory.find('person-00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 'unknown' });
  });

  it('lets a representative register people of their own party only, and no one else but an administrator', async () => {
    expect((await directory.register(mel, { displayName: 'Dominique Petit' })).partyId).toBe('party-mel');
    expect(await rule(directory.register(mel, { displayName: 'Dominique Petit', partyId: 'party-caf-nord' }))).toBe('PartyActsOnlyForItself');
    expect(await rule(directory.register(secretary, { displayName: 'Dominique Petit' }))).toBe('OnlyAnAdministratorMayDoThis');
    expect(await rule(directory.register(admin, { displayName: 'Dominique Petit', partyId: 'party-caf-nord' }))).toBe('AggregateMustExist');
    expect(await rule(directory.register(admin, { displayName: '   ' }))).toBe('ValueMustBeValid');
    expect(await rule(directory.register(admin, { displayName: 'x', email: 'not an email' }))).toBe('ValueMustBeValid');
  });

  it('erases: the event first, then the row, then refuses a second erasure; an erased id never gets a row again', async () => {
    const person = await directory.register(admin, { displayName: 'Sacha Effacé' });
    const head = await store.head();
    const outcome = await erasure.erase({ personId: person.personId, reason: 'gdpr-art-17-request', actor: admin, at });
    expect(outcome).toMatchObject({ personId: person.personId, outcome: 'erased', seq: head + 1, directoryRowDeleted: true });
    expect(await directory.find(person.personId)).toMatchObject({ status: 'erased', erasureSeq: head + 1, pending: false });
    expect(await directory.displayNames([person.personId])).toEqual(new Map());
    expect(await rule(erasure.erase({ personId: person.personId, reason: 'gdpr-art-17-request', actor: admin, at }))).toBe('PersonDataIsErasedOnce');
    expect(await store.head()).toBe(head + 1);
    await expect(
      pool.query('INSERT INTO directory.people (person_id, display_name) VALUES ($1, $2)', [person.personId, 'Sacha Effacé']),
    ).rejects.toThrow(/was erased: that id is never used again/);
  });

  it('refuses to erase an id the directory never held, and a non-administrator, writing nothing', async () => {
    const head = await store.head();
    expect(await rule(erasure.erase({ personId: 'person-00000000-0000-4000-8000-000000000000', actor: admin, at }))).toBe('AggregateMustExist');
    const person = await directory.register(admin, { displayName: 'Alex Gardé' });
    expect(await rule(erasure.erase({ personId: person.personId, actor: mel, at }))).toBe('OnlyAnAdministratorMayDoThis');
    expect(await store.head()).toBe(head);
    expect(await directory.find(person.personId)).toMatchObject({ status: 'present' });
  });

  it('says an erasure is incomplete when the directory cannot be updated, and finishes it when run again', async () => {
    const person = await directory.register(admin, { displayName: 'Noa Interrompu' });
    const failing = new PersonErasure(store, Object.assign(Object.create(directory), { completeErasure: () => Promise.reject(new Error('connection lost')) }));
    const error = await failing.erase({ personId: person.personId, reason: 'consent-withdrawn', actor: admin, at }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErasureIncompleteError);
    expect((error as Error).message).toMatch(/recorded in the log \(seq \d+\).*run the erasure again/);
    expect(await directory.find(person.personId)).toMatchObject({ status: 'erased', pending: true });

    const head = await store.head();
    expect(await erasure.erase({ personId: person.personId, reason: 'consent-withdrawn', actor: admin, at })).toMatchObject({ outcome: 'completed', seq: head, directoryRowDeleted: true });
    expect(await store.head()).toBe(head);
    expect(await directory.find(person.personId)).toMatchObject({ status: 'erased', pending: false, erasureSeq: head });
  });

  it('gives the application role what it needs on the directory and nothing more', async () => {
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ table_name: string; privilege_type: string }>(
        `SELECT table_name, privilege_type FROM information_schema.role_table_grants
          WHERE grantee = 'ledger_app' AND table_schema = 'directory' ORDER BY 1, 2`,
      );
      expect(rows.map((r) => `${r.table_name}:${r.privilege_type}`)).toEqual(['erasures:INSERT', 'erasures:SELECT', 'people:DELETE', 'people:INSERT', 'people:SELECT', 'people:UPDATE']);
    } finally {
      await admin.end();
    }
    await expect(pool.query('DELETE FROM directory.erasures')).rejects.toThrow(/permission denied/);
    await expect(pool.query('TRUNCATE directory.people')).rejects.toThrow(/permission denied/);
  });
});
