import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../event-envelope';
import { describeEventStoreContract, type StoreUnderTest } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/*
 * The shared contract suite against a real EventStoreDB (or KurrentDB), whenever
 * EVENTSTORE_CONNECTION_STRING names one, e.g. after `docker compose -f infra/compose.yaml up -d eventstore1
 * eventstore2 eventstore3`:
 *   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' npx jest libs/event-store/src/eventstoredb
 * Every store under test gets a namespace of its own, so runs and tests never see each other's events.
 * Without a server the same tests are registered as skipped, under a name that says why.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIPPED = 'skipped: EVENTSTORE_CONNECTION_STRING is not set; no EventStoreDB server can run on this machine';

const freshNamespace = () => `t${process.pid}_${randomBytes(6).toString('hex')}`;

async function open(namespace = freshNamespace(), indexBlockSize = 16): Promise<StoreUnderTest & { namespace: string }> {
  const opened: EventStoreDbEventStore[] = [];
  const connect = async () => {
    // Small index blocks, so that the contract's longer tests write and reload the durable index.
    const store = new EventStoreDbEventStore({ connectionString: connectionString!, namespace, indexBlockSize, pollIntervalMs: 100 });
    opened.push(store);
    return store;
  };
  return {
    namespace,
    store: await connect(),
    connect,
    dispose: async () => {
      await Promise.all(opened.map((s) => s.close()));
    },
  };
}

const actor = { subject: 'user-7f3a', role: 'body-secretary' };
const event = (n: number): NewEvent => ({ eventId: uuidv7(), type: 'ProgressReported', occurredAt: '2024-05-07T10:00:00Z', actor, data: { n } });

function adapterSpecifics(): void {
  describe('EventStoreDB adapter specifics', () => {
    it('maps versions to revisions exactly: version n of the port is revision n - 1 of EventStoreDB', async () => {
      const sut = await open();
      try {
        const result = await sut.store.append('commitment-r1', [event(1), event(2), event(3)], { expectedVersion: 'no-stream' });
        expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(await sut.store.streamVersion('commitment-r1')).toBe(3);
        await expect(sut.store.append('commitment-r1', [event(4)], { expectedVersion: 3 })).resolves.toMatchObject({ streamVersion: 4 });
        await expect(sut.store.append('commitment-r1', [event(5)], { expectedVersion: 3 })).rejects.toMatchObject({ actualVersion: 4 });
      } finally {
        await sut.dispose();
      }
    });

    it('a new process numbers the log as the first did, from the durable index blocks and $all', async () => {
      const first = await open(freshNamespace(), 8);
      try {
        for (let i = 0; i < 30; i++) await first.store.append(`party-p${i % 4}`, [event(i)], { expectedVersion: 'any' });
        const written = await first.store.readAll(0, 100);
        await first.dispose();
        const second = await open(first.namespace, 8);
        try {
          expect(await second.store.head()).toBe(30);
          const reread = await second.store.readAll(0, 100);
          expect(reread.map((e) => [e.seq, e.eventId, e.recordedAt, e.leafHash.toString('hex')])).toEqual(
            written.map((e) => [e.seq, e.eventId, e.recordedAt, e.leafHash.toString('hex')]),
          );
          // Without the durable index, reading $all from its start gives the same numbering.
          const scanning = new EventStoreDbEventStore({ connectionString: connectionString!, namespace: first.namespace, indexBlockSize: 0 });
          try {
            expect((await scanning.readAll(0, 100)).map((e) => e.canonical.toString())).toEqual(written.map((e) => e.canonical.toString()));
          } finally {
            await scanning.close();
          }
        } finally {
          await second.dispose();
        }
      } catch (error) {
        await first.dispose();
        throw error;
      }
    });

    it('keeps the seq, stream version, recordedAt and bytes of copied events (ledger migrate)', async () => {
      const source = await open();
      const target = await open();
      try {
        for (let i = 0; i < 12; i++) await source.store.append(`indicator-i${i % 3}`, [event(i), event(i + 100)], { expectedVersion: 'any' });
        const original = await source.store.readAll(0, 1000);
        await (target.store as EventStoreDbEventStore).importStored(original);
        const copied = await target.store.readAll(0, 1000);
        expect(copied.map((e) => e.canonical.toString())).toEqual(original.map((e) => e.canonical.toString()));
        await expect((target.store as EventStoreDbEventStore).importStored(original.slice(0, 1))).rejects.toThrow(/continue the log at seq 25/);
      } finally {
        await source.dispose();
        await target.dispose();
      }
    });
  });
}

if (connectionString) {
  describeEventStoreContract('EventStoreDB', () => open());
  adapterSpecifics();
} else {
  console.warn(`EventStoreDB adapter: the contract suite is ${SKIPPED}. Set EVENTSTORE_CONNECTION_STRING (see infra/compose.yaml) to run it.`);
  describe.skip(`EventStoreDB adapter (${SKIPPED})`, () => {
    describeEventStoreContract('EventStoreDB', () => open());
    adapterSpecifics();
  });
}
