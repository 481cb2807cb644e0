import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** What the adapter does without any server: its options, and a server that cannot be reached (a closed port). */
describe('EventStoreDbEventStore without a server', () => {
  const unreachable = 'esdb://127.0.0.1:1?tls=false';

  it.each([0, 2, 1000, 5000])('accepts durable index blocks of %p seqs', async (indexBlockSize) => {
    const store = new EventStoreDbEventStore({ connectionString: unreachable, indexBlockSize });
    expect(store.namespace).toBe('ledger');
    await store.close();
  });

  it.each([1, -1, 5001, 2.5])('refuses durable index blocks of %p seqs', (indexBlockSize) => {
    expect(() => new EventStoreDbEventStore({ connectionString: unreachable, indexBlockSize })).toThrow(/indexBlockSize must be 0 .* or an integer from 2 to 5000/);
  });

  it('refuses a namespace that could hold system streams or another ledger', () => {
    expect(() => new EventStoreDbEventStore({ connectionString: unreachable, namespace: '$all' })).toThrow(/namespace/);
  });

  it('reports an unreachable server as the client does, without blaming the durable index', async () => {
    const store = new EventStoreDbEventStore({ connectionString: unreachable });
    try {
      const error = await store.head().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/UNAVAILABLE|ECONNREFUSED/);
      expect(error?.message).not.toMatch(/seq index/);
    } finally {
      await store.close();
    }
  });

  it('validates an append before it reaches the server, and refuses appends once closed', async () => {
    const store = new EventStoreDbEventStore({ connectionString: unreachable });
    await expect(store.append('Not A Stream', [], { expectedVersion: 'any' })).rejects.toMatchObject({ name: 'InvalidAppendError', field: 'streamId' });
    await expect(store.readAll(-1, 10)).rejects.toMatchObject({ field: 'afterSeq' });
    await expect(store.readStream('party-mel', { fromVersion: 0 })).rejects.toMatchObject({ field: 'fromVersion' });
    await store.close();
    await expect(store.append('party-mel', [], { expectedVersion: 'any' })).rejects.toThrow('the event store is closed');
  });
});
