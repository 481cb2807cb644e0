import { type Actor, DomainRuleError, partyDecider, type PartyState } from '@mel/domain';
import { type EventStore, PostgresEventStore, type ReadStreamOptions } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { CommandExecutor, type AnyDecider } from './command-executor';

const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const at = '2024-05-07T10:00:00Z';
const party = partyDecider as unknown as AnyDecider;
const register = (partyId: string, name: string) => ({ type: 'RegisterParty', partyId, name, kind: 'association', identifiers: {}, actor: admin, at });
const rename = (partyId: string, name: string) => ({ type: 'RenameParty', partyId, name, reason: 'statuts', actor: admin, at });

/** The store, with the reads of streams it was asked for (which stream, from which version). */
function watched(store: EventStore): { store: EventStore; reads: { streamId: string; fromVersion?: number; events: number }[] } {
  const reads: { streamId: string; fromVersion?: number; events: number }[] = [];
  const proxy = Object.create(store) as EventStore;
  proxy.readStream = async (streamId: string, options?: ReadStreamOptions) => {
    const events = await store.readStream(streamId, options);
    reads.push({ streamId, fromVersion: options?.fromVersion, events: events.length });
    return events;
  };
  return { store: proxy, reads };
}

describe('CommandExecutor: states kept between commands', () => {
  let db: TestDatabase;
  let other: TestDatabase;
  let store: PostgresEventStore;
  let otherStore: PostgresEventStore;

  beforeAll(async () => {
    [db, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    store = new PostgresEventStore({ connectionString: db.appUrl });
    otherStore = new PostgresEventStore({ connectionString: other.appUrl });
  });
  afterAll(async () => {
    await Promise.all([store?.close(), otherStore?.close()]);
    await Promise.all([db?.drop(), other?.drop()]);
  });

  it('reads only the events from the kept version on, and decides on the state a whole read gives', async () => {
    const { store: seen, reads } = watched(store);
    const executor = new CommandExecutor(seen);
    await executor.execute(party, 'asso-kept', register('asso-kept', 'Association A'));
    for (const name of ['Association B', 'Association C', 'Association D']) await executor.execute(party, 'asso-kept', rename('asso-kept', name));

    // The first command read the empty stream whole; each next one from the version it knew (one event back, to check it).
    expect(reads.map((r) => [r.fromVersion, r.events])).toEqual([[undefined, 0], [undefined, 1], [1, 2], [2, 2]]);
    const kept = await executor.read<PartyState>(partyDecider as never, 'asso-kept');
    const whole = await new CommandExecutor(store, { keptStates: 0 }).read<PartyState>(partyDecider as never, 'asso-kept');
    expect(kept).toEqual(whole);
    expect(whole).toMatchObject({ version: 4, state: { name: 'Association D', formerNames: ['Association A', 'Association B', 'Association C'] } });
  });

  it('folds what another writer appended meanwhile before deciding', async () => {
    const mine = new CommandExecutor(store);
    const theirs = new CommandExecutor(store);
    await mine.execute(party, 'asso-shared', register('asso-shared', 'Centre social'));
    await mine.execute(party, 'asso-shared', rename('asso-shared', 'Centre social Lazare-Garreau'));
    await theirs.execute(party, 'asso-shared', rename('asso-shared', 'Centre social Marcel-Bertrand'));

    // Kept at version 2, the stream is at 3: the name is already the other writer's.
    await expect(mine.execute(party, 'asso-shared', rename('asso-shared', 'Centre social Marcel-Bertrand'))).rejects.toThrow(DomainRuleError);
    const answer = await mine.execute(party, 'asso-shared', rename('asso-shared', 'Centre social Lazare-Garreau'));
    expect(answer.streamVersion).toBe(4);
    expect((await mine.read<PartyState>(partyDecider as never, 'asso-shared')).state.formerNames).toEqual([
      'Centre social',
      'Centre social Lazare-Garreau',
      'Centre social Marcel-Bertrand',
    ]);
  });

  it('reads the whole stream again when the event at the kept version is another one (the stream was replaced)', async () => {
    // One executor over a store that is switched from one database to another, as a reset test database would be.
    let current: EventStore = store;
    const switching = Object.create(store) as EventStore;
    switching.readStream = (id, options) => current.readStream(id, options);
    switching.append = (id, events, options) => current.append(id, events, options);
    const executor = new CommandExecutor(switching);
    await executor.execute(party, 'asso-replaced', register('asso-replaced', 'Maison de quartier'));
    await executor.execute(party, 'asso-replaced', rename('asso-replaced', 'Maison de quartier du Faubourg'));

    // In the other database, the same stream holds other events, one of them already the name asked for.
    const elsewhere = new CommandExecutor(otherStore);
    await elsewhere.execute(party, 'asso-replaced', register('asso-replaced', 'Maison des associations'));
    await elsewhere.execute(party, 'asso-replaced', rename('asso-replaced', 'Maison de quartier du Faubourg'));
    current = otherStore;
    await expect(executor.execute(party, 'asso-replaced', rename('asso-replaced', 'Maison de quartier du Faubourg'))).rejects.toThrow(
      /already named Maison de quartier du Faubourg/,
    );
    expect((await executor.read<PartyState>(partyDecider as never, 'asso-replaced')).state.formerNames).toEqual(['Maison des associations']);
  });

  it('keeps the states of keptStates streams, the least recently used forgotten first', async () => {
    const { store: seen, reads } = watched(store);
    const executor = new CommandExecutor(seen, { keptStates: 2 });
    for (const id of ['asso-lru-1', 'asso-lru-2', 'asso-lru-3']) await executor.execute(party, id, register(id, `Association ${id}`));
    // Read in order 1, 2, 3: the state of 1 is forgotten when the third is kept.
    for (const id of ['asso-lru-1', 'asso-lru-2', 'asso-lru-3']) await executor.read(partyDecider as never, id);
    reads.length = 0;
    await executor.read(partyDecider as never, 'asso-lru-3');
    await executor.read(partyDecider as never, 'asso-lru-2');
    await executor.read(partyDecider as never, 'asso-lru-1');
    expect(reads.map((r) => [r.streamId, r.fromVersion])).toEqual([
      ['party-asso-lru-3', 1],
      ['party-asso-lru-2', 1],
      ['party-asso-lru-1', undefined],
    ]);
  });

  it('reads the whole stream for a command that must find its own earlier events (firstEventId)', async () => {
    const { store: seen, reads } = watched(store);
    const executor = new CommandExecutor(seen);
    const first = await executor.execute(party, 'asso-retry', register('asso-retry', 'Régie de quartier'), { firstEventId: '0190f3c1-0000-7000-8000-000000000001' });
    const again = await executor.execute(party, 'asso-retry', register('asso-retry', 'Régie de quartier'), { firstEventId: '0190f3c1-0000-7000-8000-000000000001' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(reads.map((r) => r.fromVersion)).toEqual([undefined, undefined]);
  });
});
