import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostgresEventStore } from '@mel/event-store';
import { generateNoteKey, MemoryTree, verifyCheckpoint, verifyConsistency, verifyInclusion, fetchConsistencyProof, fetchInclusionProof, fetchRoot } from '@mel/ledger';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { loadMelSeed, runSeed } from '../seed/run-seed';
import { CheckpointSigner, listCheckpoints } from './checkpoint-signer';
import { PostgresTree } from './postgres-tree';
import { loadSigningKey } from './signing-key';

const projectRoot = resolve(__dirname, '../../../..');
const actor = { subject: 'user-admin', role: 'administrator' };

describe('the Merkle tree and checkpoints in PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let dataDir: string;
  /** The tree an auditor computes from the canonical bytes, leaf by leaf. */
  const reference = async () => {
    const tree = new MemoryTree();
    const { rows } = await pool.query<{ canonical: Buffer }>('SELECT canonical FROM event_store.events ORDER BY seq');
    for (const row of rows) tree.appendEntry(row.canonical);
    return tree;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(projectRoot));
    pool = new Pool({ connectionString: db.appUrl, max: 4 });
    pool.on('error', () => undefined); // the database is dropped with its connections at the end
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-key-'));
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the tree in batches and gives, for every size, the root and proofs of RFC 6962', async () => {
    const tree = new PostgresTree(pool);
    const sizes: number[] = [];
    expect(await tree.extend({ batchSize: 7, onBatch: (size) => sizes.push(size) })).toBe(await store.head());
    expect(sizes.length).toBeGreaterThan(10);
    const memory = await reference();
    for (let size = 1; size <= memory.size; size++) {
      const root = await fetchRoot(tree.fetch, size);
      expect(root).toEqual(memory.root(size));
      const index = (size * 7919) % size;
      const proof = await fetchInclusionProof(tree.fetch, index, size);
      expect(proof).toEqual(memory.inclusionProof(index, size));
      verifyInclusion(index, size, memory.node({ level: 0, index }), proof, root);
      const m = 1 + ((size * 31) % size);
      verifyConsistency(m, size, await fetchConsistencyProof(tree.fetch, m, size), memory.root(m), root);
    }
    await expect(fetchRoot(tree.fetch, memory.size + 1)).rejects.toThrow(/not in the stored tree/);
  });

  it('extends from the leaves it is given (a subscription’s batch) without reading them, the same tree as from the store', async () => {
    const other = await createTestDatabase();
    const otherStore = new PostgresEventStore({ connectionString: other.appUrl });
    const otherPool = new Pool({ connectionString: other.appUrl, max: 2 });
    otherPool.on('error', () => undefined); // the database is dropped with its connections at the end
    try {
      await runSeed(otherStore, loadMelSeed(projectRoot));
      const head = await otherStore.head();
      const half = Math.floor(head / 2);
      // The statements the tree sends, through a pool that records them.
      const statements: string[] = [];
      const recording = Object.create(otherPool) as Pool;
      recording.connect = (async () => {
        const client = await otherPool.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        client.query = ((...args: unknown[]) => (statements.push(String(args[0])), query(...args))) as typeof client.query;
        return client;
      }) as typeof otherPool.connect;
      const tree = new PostgresTree(recording);
      expect(await tree.extend({ upTo: half })).toBe(half);
      expect(statements.some((sql) => sql.includes('SELECT seq, leaf_hash'))).toBe(true);
      statements.length = 0;
      // A batch that starts past the tree's size is not used: the gap's leaves are read.
      const late = await otherStore.readAll(half + 5, 10);
      expect(await tree.extend({ upTo: half + 15, leaves: late })).toBe(half + 15);
      expect(statements.some((sql) => sql.includes('SELECT seq, leaf_hash'))).toBe(true);
      statements.length = 0;
      const batch = await otherStore.readAll(half + 15, head);
      expect(await tree.extend({ upTo: head, leaves: batch })).toBe(head);
      expect(statements.filter((sql) => sql.includes('SELECT seq, leaf_hash') || sql.includes('max(seq)'))).toEqual([]);
      const memory = new MemoryTree();
      for (const { canonical } of await otherStore.readAll(0, head)) memory.appendEntry(canonical);
      const stored = new PostgresTree(otherPool); // the nodes as stored, read without the recording pool
      for (const size of [half, half + 15, head]) expect(await fetchRoot(stored.fetch, size)).toEqual(memory.root(size));
    } finally {
      await otherPool.end();
      await otherStore.close();
      await other.drop();
    }
  });

  it('lets two processes extend the tree at once, each node stored once', async () => {
    await store.append('party-extra', [{ type: 'PartyRegistered', schemaVersion: 1, data: { partyId: 'extra' }, occurredAt: '2025-01-01T00:00:00Z', actor }], { expectedVersion: 0 });
    const [a, b] = [new PostgresTree(pool), new PostgresTree(pool)];
    const sizes = await Promise.all([a.extend({ batchSize: 1 }), b.extend({ batchSize: 1 })]);
    expect(sizes).toEqual([await store.head(), await store.head()]);
    expect(await fetchRoot(a.fetch, sizes[0])).toEqual((await reference()).root());
  });

  it('signs checkpoints with a key kept out of the database, once per size, each consistent with the last', async () => {
    const warnings: string[] = [];
    const key = loadSigningKey({ env: {}, dataDir, warn: (m) => warnings.push(m) });
    expect(warnings[0]).toContain(key.vkey);
    expect(statSync(join(dataDir, 'ledger-signing.key')).mode & 0o777).toBe(0o600);
    expect(loadSigningKey({ env: {}, dataDir }).vkey).toBe(key.vkey); // the same key on the next start
    const signer = new CheckpointSigner(pool, new PostgresTree(pool), key);
    const first = await signer.sign('start');
    expect(first.size).toBe(await store.head());
    const verified = verifyCheckpoint(first.note, key.vkey);
    expect(verified.checkpoint.rootHash).toEqual((await reference()).root());
    expect(await signer.sign('schedule')).toEqual(first); // nothing new: the same checkpoint, not a second one

    await store.append('party-extra', [{ type: 'PartyRenamed', schemaVersion: 1, data: { partyId: 'extra', name: 'x' }, occurredAt: '2025-01-02T00:00:00Z', actor }], { expectedVersion: 1 });
    const second = await signer.sign('meeting-closed:copil-x');
    expect(second.size).toBe(first.size + 1);
    expect((await listCheckpoints(pool)).map((c) => [c.size, c.reason])).toEqual([[second.size, 'meeting-closed:copil-x'], [first.size, 'start']]);
    const db = await pool.query('SELECT note FROM ledger.checkpoints');
    // The key's material: what follows PRIVATE+KEY+<name>+<id>+ (base64, which may itself hold a '+').
    const material = key.skey.split('+').slice(4).join('+');
    expect(material).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    expect(JSON.stringify(db.rows)).not.toContain(material);
  });

  it('refuses to sign a tree that is not consistent with the last checkpoint, and a second root for a size', async () => {
    const other = generateNoteKey('lillemetropole.fr/contrat-de-ville-2024-2030');
    const signer = new CheckpointSigner(pool, new PostgresTree(pool), { skey: other.skey, vkey: other.vkey, name: 'lillemetropole.fr/contrat-de-ville-2024-2030', source: 'test' });
    const [latest] = await listCheckpoints(pool, { limit: 1 });
    // Someone with the superuser's rights rewrites the last checkpoint's root behind the application's back.
    const admin = new Pool({ connectionString: db.adminUrl, max: 1 });
    admin.on('error', () => undefined); // the database is dropped with its connections at the end
    try {
      await admin.query('SET session_replication_role = replica');
      await admin.query('UPDATE ledger.checkpoints SET root = $1 WHERE size = $2', [Buffer.alloc(32, 7), latest.size]);
    } finally {
      await admin.end();
    }
    await store.append('party-extra', [{ type: 'PartyRenamed', schemaVersion: 1, data: { partyId: 'extra', name: 'y' }, occurredAt: '2025-01-03T00:00:00Z', actor }], { expectedVersion: 2 });
    await expect(signer.sign('schedule')).rejects.toThrow(/refusing to sign: the tree of size \d+ is not consistent with the checkpoint of size \d+/);
    await expect(pool.query('INSERT INTO ledger.checkpoints (size, root, note, key_id, reason) VALUES ($1, $2, $3, $4, $5)', [latest.size, Buffer.alloc(32), 'x', 'x', 'x'])).rejects.toThrow(/duplicate key/);
    expect(readFileSync(join(dataDir, 'ledger-signing.key'), 'utf8')).toMatch(/^PRIVATE\+KEY\+/);
  });
});
