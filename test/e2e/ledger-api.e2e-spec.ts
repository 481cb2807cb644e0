import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { PostgresEventStore } from '@mel/event-store';
import {
  cosignCheckpoint,
  generateNoteKey,
  MemoryTree,
  parseNote,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@mel/ledger';
import { Pool } from 'pg';
import { apiClient } from '../support/api-client';
import { seededApi } from '../support/seeded-api';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const secretary = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const actor = { subject: 'user-admin', role: 'administrator' };
const b64 = (text: string) => Buffer.from(text, 'base64');
/** Polls `probe` until it answers something, for at most `ms`. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Settings the API reads at start, set for one describe (call it before the API's beforeAll) and given back after. */
function withEnv(values: Record<string, string>): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  beforeAll(() => void Object.assign(process.env, values));
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

describe('the verifiable ledger API', () => {
  const witness = generateNoteKey('witness.example/w1', 'cosignature/v1');
  const stranger = generateNoteKey('witness.example/stranger', 'cosignature/v1');
  withEnv({ LEDGER_WITNESS_KEYS: `${witness.vkey}, ${generateNoteKey('witness.example/w2', 'cosignature/v1').vkey}` });
  const ledger = seededApi();
  const { get } = ledger;
  const { step } = apiClient(() => ledger);
  let pool: Pool;
  let vkey: string;
  beforeAll(() => {
    pool = new Pool({ connectionString: ledger.db.appUrl, max: 2 });
    pool.on('error', () => undefined); // the database is dropped with its connections at the end
  });
  afterAll(() => pool?.end());

  /** The tree an auditor computes from the events' canonical bytes. */
  const reference = async () => {
    const tree = new MemoryTree();
    const { rows } = await pool.query<{ canonical: Buffer }>('SELECT canonical FROM event_store.events ORDER BY seq');
    for (const row of rows) tree.appendEntry(row.canonical);
    return tree;
  };
  const raw = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${ledger.api.url}${path}`, init);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const postNote = (size: number, body: string, contentType = 'text/plain') =>
    raw(`/ledger/checkpoints/${size}/cosignatures`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const cosignatureCount = async () => Number((await pool.query('SELECT count(*) AS n FROM ledger.cosignatures')).rows[0].n);
  const checkpoints = async () => (await get('/ledger/checkpoints?limit=500')).body.items as { size: number; reason: string; note: string; rootHash: string }[];

  it('signs a checkpoint at start that verifies with the served key, over the root an auditor recomputes', async () => {
    const latest = await until(async () => {
      const answer = await get('/ledger/checkpoints/latest');
      return answer.status === 200 ? answer.body : undefined;
    }, 'the checkpoint signed at start');
    const key = await get('/ledger/key');
    expect(key.status).toBe(200);
    expect(key.body).toMatchObject({ origin: 'lillemetropole.fr/contrat-de-ville-2024-2030', algorithm: 'Ed25519', witnesses: [witness.vkey, expect.any(String)] });
    vkey = key.body.verifierKey;
    expect(latest).toMatchObject({ size: await ledger.store.head(), reason: 'start', origin: key.body.origin, keyId: key.body.keyId, verifierKey: vkey, cosignatures: [] });

    const verified = verifyCheckpoint(latest.note, vkey);
    expect(verified.checkpoint.size).toBe(latest.size);
    const auditor = await reference();
    expect(auditor.size).toBe(latest.size);
    expect(verified.checkpoint.rootHash).toEqual(auditor.root());
    expect(b64(latest.rootHash)).toEqual(auditor.root());

    // As transparency-log clients fetch it: the raw note.
    for (const [path, init] of [['/ledger/checkpoint', {}], ['/ledger/checkpoints/latest', { headers: { accept: 'text/plain' } }]] as const) {
      const text = await raw(path, init);
      expect(text.status).toBe(200);
      expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(text.text).toBe(latest.note);
    }
  });

  it('signs a checkpoint when a meeting is closed, at a size that includes the MeetingClosed event', async () => {
    const M = '/meetings/copil-2025-09-18';
    await step('/meetings', { meetingId: 'copil-2025-09-18', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-09-18', effectiveAt: '2025-09-01T09:00:00+02:00' }, secretary);
    await step(`${M}/agenda-items`, { itemId: 'odj-1', title: 'Bilan', effectiveAt: '2025-09-01T09:00:00+02:00' }, secretary);
    await step(`${M}/convene`, { effectiveAt: '2025-09-04T09:00:00+02:00' }, secretary);
    await step(`${M}/open`, { effectiveAt: '2025-09-18T14:00:00+02:00' }, secretary);
    const before = (await checkpoints()).length;
    const closed = await step(`${M}/close`, { effectiveAt: '2025-09-18T16:00:00+02:00' }, secretary);

    const checkpoint = await until(async () => (await checkpoints()).find((c) => c.reason === 'meeting-closed:copil-2025-09-18'), 'the meeting’s checkpoint');
    expect(checkpoint.size).toBeGreaterThanOrEqual(closed.body.seq);
    expect(await checkpoints()).toHaveLength(before + 1);
    const verified = verifyCheckpoint(checkpoint.note, vkey);
    expect(verified.checkpoint.rootHash).toEqual((await reference()).root(checkpoint.size));
    const { rows } = await pool.query('SELECT type FROM event_store.events WHERE seq = $1', [closed.body.seq]);
    expect(rows[0].type).toBe('MeetingClosed');
  });

  it('proves inclusion for several seqs and sizes, by seq or by index', async () => {
    const auditor = await reference();
    const [latest] = await checkpoints();
    const cases: [number, number | undefined][] = [
      [1, undefined],
      [latest.size, undefined],
      [1, 1],
      [2, 3],
      [5, 17],
      [17, 17],
      [Math.ceil(latest.size / 2), latest.size - 1],
      [latest.size, latest.size],
    ];
    for (const [seq, size] of cases) {
      const answer = await get(`/ledger/proofs/inclusion?seq=${seq}${size === undefined ? '' : `&size=${size}`}`);
      expect(answer.status).toBe(200);
      const treeSize = size ?? latest.size;
      expect(answer.body).toMatchObject({ seq, leafIndex: seq - 1, treeSize });
      expect(b64(answer.body.rootHash)).toEqual(auditor.root(treeSize));
      expect(b64(answer.body.leafHash)).toEqual(auditor.node({ level: 0, index: seq - 1 }));
      // Verified against the auditor's own root, not the one served.
      verifyInclusion(seq - 1, treeSize, b64(answer.body.leafHash), answer.body.proof.map(b64), auditor.root(treeSize));
    }
    const byIndex = await get(`/ledger/proofs/inclusion?index=4&size=17`);
    expect(byIndex.body).toEqual((await get('/ledger/proofs/inclusion?seq=5&size=17')).body);
  });

  it('proves consistency between two checkpoints, and between any sizes of the tree', async () => {
    const [second, first] = await checkpoints();
    const answer = await get(`/ledger/proofs/consistency?from=${first.size}&to=${second.size}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ size1: first.size, size2: second.size, root1: first.rootHash, root2: second.rootHash });
    const root1 = verifyCheckpoint(first.note, vkey).checkpoint.rootHash;
    const root2 = verifyCheckpoint(second.note, vkey).checkpoint.rootHash;
    verifyConsistency(first.size, second.size, answer.body.proof.map(b64), root1, root2);

    const auditor = await reference();
    for (const [from, to] of [[1, 2], [7, 64], [0, 5], [13, 13], [first.size - 3, undefined]] as const) {
      const proof = await get(`/ledger/proofs/consistency?from=${from}${to === undefined ? '' : `&to=${to}`}`);
      expect(proof.status).toBe(200);
      const size2 = to ?? second.size;
      verifyConsistency(from, size2, proof.body.proof.map(b64), auditor.root(from), auditor.root(size2));
    }
  });

  it('gives a receipt that verifies end to end: signature, inclusion proof and leaf hash of the canonical bytes', async () => {
    const [latest] = await checkpoints();
    for (const seq of [1, latest.size]) {
      const receipt = await get(`/ledger/receipts/${seq}`);
      expect(receipt.status).toBe(200);
      expect(receipt.body).toMatchObject({ seq, leafIndex: seq - 1, checkpoint: { size: latest.size, rootHash: latest.rootHash, note: latest.note } });
      const canonical = b64(receipt.body.canonical);
      const leafHash = createHash('sha256').update(Buffer.from([0])).update(canonical).digest();
      expect(b64(receipt.body.leafHash)).toEqual(leafHash);
      const { checkpoint } = verifyCheckpoint(receipt.body.checkpoint.note, vkey);
      expect(checkpoint.size).toBe(receipt.body.checkpoint.size);
      verifyInclusion(seq - 1, checkpoint.size, leafHash, receipt.body.inclusionProof.map(b64), checkpoint.rootHash);
      expect(JSON.parse(canonical.toString('utf8'))).toMatchObject({ seq });
    }
  });

  it('answers 409 for an event no checkpoint covers yet, saying when one will, and 404 for no event', async () => {
    const { seq } = await ledger.store.append('party-ledger-receipt', [{ type: 'PartyRegistered', occurredAt: '2025-01-01T00:00:00Z', actor, data: { partyId: 'ledger-receipt' } }], {
      expectedVersion: 'no-stream',
    });
    const early = await get(`/ledger/receipts/${seq}`);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(early.body).toMatchObject({ rule: 'CheckpointMustCoverTheEvent', field: 'seq', nextCheckpointAt: expect.any(String) });
    expect(early.body.detail).toMatch(/meeting is closed|schedule/);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    const missing = await get(`/ledger/receipts/${seq + 1000}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ rule: 'EventMustExist', field: 'seq' });
  });

  it('accepts a witness’s cosignature of a checkpoint, then serves the checkpoint with it', async () => {
    const [latest] = await checkpoints();
    const cosigned = cosignCheckpoint(latest.note, witness.skey, { logVkey: vkey });
    const accepted = await postNote(latest.size, cosigned);
    expect(accepted.status).toBe(201);
    const body = JSON.parse(accepted.text);
    expect(body).toMatchObject({ size: latest.size, accepted: [{ witness: 'witness.example/w1', alreadyStored: false }], ignored: [] });
    expect(body.note).toBe(cosigned);

    const served = await get('/ledger/checkpoints/latest');
    expect(served.body.note).toBe(cosigned);
    expect(served.body.cosignatures).toEqual([expect.objectContaining({ witness: 'witness.example/w1', time: expect.any(Number) })]);
    expect(verifyCheckpoint(served.body.note, vkey, { witnesses: [witness.vkey], quorum: 1 }).cosignatures).toHaveLength(1);
    expect((await raw('/ledger/checkpoint')).text).toBe(cosigned);
    expect((await get(`/ledger/receipts/1`)).body.checkpoint.note).toBe(cosigned);
    // The checkpoint row itself is unchanged (append-only); the line is stored beside it.
    const { rows } = await pool.query('SELECT note FROM ledger.checkpoints WHERE size = $1', [latest.size]);
    expect(rows[0].note).toBe(latest.note);

    // Sent again (as JSON this time): nothing new, the first one kept.
    const again = await postNote(latest.size, JSON.stringify({ note: cosignCheckpoint(latest.note, witness.skey, { logVkey: vkey, timestamp: 1_700_000_000 }) }), 'application/json');
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text).accepted).toEqual([expect.objectContaining({ alreadyStored: true })]);
    expect(await cosignatureCount()).toBe(1);
  });

  it('refuses forged, foreign or malformed cosignatures with problem details naming the rule, and stores nothing', async () => {
    const [served, previous] = await checkpoints();
    // The note as the log signed it, without the cosignature accepted above.
    const latest = { size: served.size, note: (await pool.query('SELECT note FROM ledger.checkpoints WHERE size = $1', [served.size])).rows[0].note as string };
    const count = await cosignatureCount();
    const good = cosignCheckpoint(latest.note, witness.skey, { logVkey: vkey });
    const line = good.trimEnd().split('\n').pop()!;
    const bytes = b64(line.split(' ').pop()!);
    bytes[bytes.length - 1] ^= 1;
    const forged = `${latest.note}${line.slice(0, line.lastIndexOf(' ') + 1)}${bytes.toString('base64')}\n`;
    const text = parseNote(latest.note).text;
    const cases: [string, number, string, string, string?][] = [
      ['a forged signature', 422, 'CosignatureMustVerify', forged],
      ['a cosignature of another checkpoint', 422, 'CosignatureMustCoverTheStoredCheckpoint', cosignCheckpoint(previous.note, witness.skey, { logVkey: vkey })],
      ['an unknown witness', 422, 'CosignatureMustBeOfAKnownWitness', cosignCheckpoint(latest.note, stranger.skey, { logVkey: vkey })],
      ['no log signature', 422, 'NoteMustCarryTheLogSignature', `${text}\n${line}\n`],
      ['a cosignature dated in the future', 422, 'CosignatureMustNotBeDatedInTheFuture', cosignCheckpoint(latest.note, witness.skey, { logVkey: vkey, timestamp: Math.floor(Date.now() / 1000) + 86_400 })],
      ['not a note', 400, 'NoteMustBeASignedNote', 'hello\n'],
      ['an empty body', 400, 'NoteMustBeGiven', ''],
      ['JSON without note', 400, 'isString', JSON.stringify({}), 'application/json'],
      ['JSON with a note that is not text', 400, 'isString', JSON.stringify({ note: 42 }), 'application/json'],
      ['JSON that is not an object', 400, 'BodyMustBeJsonObject', JSON.stringify([good]), 'application/json'],
      ['JSON with another field', 400, 'whitelistValidation', JSON.stringify({ note: good, witness: 'x' }), 'application/json'],
      ['another media type', 415, 'BodyMustBeTextOrJson', good, 'application/xml'],
    ];
    for (const [what, status, rule, body, type] of cases) {
      const answer = await postNote(latest.size, body, type);
      expect({ what, status: answer.status, rule: JSON.parse(answer.text).rule }).toEqual({ what, status, rule });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(answer.text).field).toBeDefined();
    }
    const noCheckpoint = await postNote(latest.size + 1000, good);
    expect([noCheckpoint.status, JSON.parse(noCheckpoint.text).rule]).toEqual([404, 'CheckpointMustExist']);
    const badSize = await postNote(-1 as never, good);
    expect([badSize.status, JSON.parse(badSize.text).field]).toEqual([400, 'size']);
    expect(await cosignatureCount()).toBe(count);
  });

  it('lists every checkpoint, latest first, page by page', async () => {
    const all = await checkpoints();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map((c) => c.size)).toEqual([...all.map((c) => c.size)].sort((a, b) => b - a));
    const first = await get('/ledger/checkpoints?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBe(all[0].size);
    const second = await get(`/ledger/checkpoints?limit=1&before=${first.body.nextCursor}`);
    expect(second.body.items[0].size).toBe(all[1].size);
    const one = await get(`/ledger/checkpoints/${all[1].size}`);
    expect(one.body).toEqual(second.body.items[0]);
  });

  it('refuses bad query parameters with 400 problem details naming the field', async () => {
    const tree = await ledger.store.head();
    await until(async () => ((await get(`/ledger/proofs/inclusion?seq=${tree}&size=${tree}`)).status === 200 ? true : undefined), 'the tree to include the last event');
    const cases: [string, string[]][] = [
      ['/ledger/checkpoints?limit=0&before=x', ['before', 'limit']],
      ['/ledger/checkpoints?limit=501', ['limit']],
      ['/ledger/checkpoints?other=1', ['other']],
      ['/ledger/proofs/inclusion', ['seq']],
      ['/ledger/proofs/inclusion?seq=1&index=0', ['seq']],
      ['/ledger/proofs/inclusion?seq=0', ['seq']],
      ['/ledger/proofs/inclusion?seq=1.5', ['seq']],
      ['/ledger/proofs/inclusion?index=-1', ['index']],
      ['/ledger/proofs/inclusion?seq=5&size=4', ['seq']],
      ['/ledger/proofs/inclusion?index=4&size=4', ['index']],
      [`/ledger/proofs/inclusion?seq=1&size=${tree + 1}`, ['size']],
      ['/ledger/proofs/inclusion?seq=1&size=0', ['size']],
      ['/ledger/proofs/inclusion?seq=1&size=99999999999999999999', ['size']],
      ['/ledger/proofs/consistency', ['from']],
      ['/ledger/proofs/consistency?from=5&to=4', ['from']],
      [`/ledger/proofs/consistency?from=1&to=${tree + 1}`, ['to']],
      ['/ledger/proofs/consistency?from=abc', ['from']],
      ['/ledger/receipts/0', ['seq']],
      ['/ledger/receipts/abc', ['seq']],
      ['/ledger/checkpoints/abc', ['size']],
    ];
    for (const [path, fields] of cases) {
      const answer = await get(path);
      expect({ path, status: answer.status, fields: [...new Set(answer.body.errors?.map((e: { field: string }) => e.field))].sort() }).toEqual({ path, status: 400, fields });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await get(`/ledger/checkpoints/${tree + 1000}`)).status).toBe(404);
  });

  it('documents the routes in OpenAPI under the ledger tag', async () => {
    const document = (await get('/openapi.json')).body;
    for (const path of ['/ledger/key', '/ledger/checkpoint', '/ledger/checkpoints', '/ledger/checkpoints/latest', '/ledger/proofs/inclusion', '/ledger/proofs/consistency', '/ledger/receipts/{seq}', '/ledger/checkpoints/{size}/cosignatures']) {
      const operations = Object.values(document.paths[path] ?? {}) as { tags: string[] }[];
      expect({ path, tags: operations[0]?.tags }).toEqual({ path, tags: ['ledger'] });
    }
  });
});

describe('the checkpoint schedule and the ledger loop’s errors', () => {
  withEnv({ LEDGER_CHECKPOINT_INTERVAL_SECONDS: '1' });
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  const warnings: string[] = [];

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    api = await startTestApp(db);
  });
  afterAll(async () => {
    await api?.close();
    await store?.close();
    await db?.drop();
    jest.restoreAllMocks();
  });
  const latest = async () => {
    const response = await fetch(`${api.url}/ledger/checkpoints/latest`);
    return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const append = (version: number, name: string) =>
    store.append('party-schedule', [{ type: version === 0 ? 'PartyRegistered' : 'PartyRenamed', occurredAt: '2025-01-01T00:00:00Z', actor, data: { partyId: 'schedule', name } }], {
      expectedVersion: version === 0 ? 'no-stream' : version,
    });

  it('signs nothing for an empty ledger, then signs on schedule once the tree grew', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const empty = await latest();
    expect(empty.status).toBe(404);
    expect(empty.body).toMatchObject({ rule: 'CheckpointMustExist' });
    expect(((await fetch(`${api.url}/ledger/proofs/inclusion?seq=1`).then((r) => r.json())) as { rule: string }).rule).toBe('CheckpointMustExist');

    await append(0, 'a');
    await append(1, 'b');
    const signed = await until(async () => {
      const answer = await latest();
      return answer.status === 200 && answer.body.size === 2 ? answer.body : undefined;
    }, 'a scheduled checkpoint');
    expect(signed.reason).toBe('schedule');
  });

  it('warns and keeps serving when it cannot sign, and signs again once it can', async () => {
    // Someone with the superuser's rights rewrites the last checkpoint's root: the log refuses to sign on top of it.
    const admin = new Pool({ connectionString: db.adminUrl, max: 1 });
    admin.on('error', () => undefined); // the database is dropped with its connections at the end
    const [{ root }] = (await admin.query('SELECT root FROM ledger.checkpoints WHERE size = 2')).rows;
    try {
      await admin.query('SET session_replication_role = replica');
      await admin.query('UPDATE ledger.checkpoints SET root = $1 WHERE size = 2', [Buffer.alloc(32, 7)]);
      await append(2, 'c');
      await until(async () => (warnings.some((w) => /refusing to sign/.test(w)) ? true : undefined), 'a warning');
      expect((await fetch(`${api.url}/health`)).status).toBe(200);
      expect((await latest()).body.size).toBe(2);

      await admin.query('UPDATE ledger.checkpoints SET root = $1 WHERE size = 2', [root]);
      const resumed = await until(async () => {
        const answer = await latest();
        return answer.body.size === 3 ? answer.body : undefined;
      }, 'a checkpoint after the error');
      expect(['schedule', 'start']).toContain(resumed.reason);
    } finally {
      await admin.end();
    }
  });
});
