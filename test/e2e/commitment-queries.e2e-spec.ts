import { rebuild } from '@mel/projections';
import { Client } from 'pg';
import { seededApi } from '../support/seeded-api';
import { fetchAs } from '../support/tokens';

/** Reading commitments: filters, cursors, read-your-writes, and states as of a date on both clocks. */
const mel = { subject: 'user-mel', role: 'signatory-representative', partyId: 'party-mel' };

describe('commitment queries', () => {
  const ledger = seededApi();
  const get = async (path: string) => {
    const response = await fetchAs(`${ledger.api.url}${path}`); // no retry: the 503 is what one test looks for
    return { status: response.status, headers: response.headers, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const post = async (path: string, body: object) => {
    const response = await fetchAs(`${ledger.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, mel);
    return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('lists the seeded commitments, filtered', async () => {
    // The read models catch up in the background after start: wait for the seeded head once.
    const all = await get(`/commitments?seq=${await ledger.store.head()}`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(10);
    const mels = await get('/commitments?ownerPartyId=party-mel');
    expect(mels.body.items.length).toBeGreaterThan(0);
    expect(mels.body.items.every((c: { ownerPartyId: string }) => c.ownerPartyId === 'party-mel')).toBe(true);
    const enjeu2 = await get('/commitments?priority=2&status=in_progress&horizon=2030');
    expect(enjeu2.body.items.map((c: { commitmentId: string }) => c.commitmentId).sort()).toEqual(['mel-toi-du-territoire', 'mobilimel']);
    const lilleSud = await get('/commitments?qpv=QN05972M');
    expect(lilleSud.body.items.map((c: { commitmentId: string }) => c.commitmentId)).toEqual(['quartiers-fertiles']);
  });

  it('pages with a cursor, each commitment once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { commitmentId: string }[]; nextCursor: string | null } } = await get(`/commitments?limit=3${cursor ? `&after=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((c) => c.commitmentId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });

  it('searches the title and description for every word, whatever the case and accents, wildcards taken literally', async () => {
    const all = (await get(`/commitments?seq=${await ledger.store.head()}`)).body.items as { commitmentId: string; title: string; description: string }[];
    const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const expected = (q: string) =>
      all
        .filter((c) => fold(q).split(/\s+/).filter(Boolean).every((word) => fold(`${c.title}\n${c.description}`).includes(word)))
        .map((c) => c.commitmentId)
        .sort();
    for (const q of ['SANTE mentale', 'Mobilité', 'jeunes quartiers', 'zzz-nowhere', '%', '_', 'emploi   jeunes']) {
      const found = await get(`/commitments?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect(found.body.items.map((c: { commitmentId: string }) => c.commitmentId).sort()).toEqual(expected(q));
    }
    expect(expected('SANTE mentale')).toContain('ambassadeurs-sante-mentale-aupres-des-jeunes');
    // % and _ are found as themselves (some descriptions hold a %), not as LIKE's wildcards matching all.
    expect(expected('%').length).toBeLessThan(all.length);
    expect(expected('_').length).toBeLessThan(all.length);
    const refused = await get(`/commitments?q=${encodeURIComponent('   ')}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['q']);
  });

  it('refuses bad query parameters with 400 problem details', async () => {
    const response = await get('/commitments?priority=9&limit=0');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'priority']);
  });

  it('reads its own writes when given the seq a command answered', async () => {
    const written = await post('/commitments/mobilimel/reports', { reportId: 'r-2024', period: '2024', summary: '412 personnes conseillées', evidence: [] });
    expect(written.status).toBe(201);
    const read = await get(`/commitments/mobilimel?seq=${written.body.seq}`);
    expect(read.body).toMatchObject({ reports: 1, lastSeq: written.body.seq });
  });

  it('answers 503 with Retry-After when the read models cannot reach the seq in time, and 400 for a seq no command answered', async () => {
    // The projector is held back: another transaction locks its checkpoints, as a long rebuild or a stuck batch would.
    const blocker = new Client({ connectionString: ledger.db.adminUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT * FROM projections.checkpoints FOR UPDATE');
      const written = await post('/commitments/mobilimel/reports', { reportId: 'r-held-back', period: '2026', summary: 'projections retenues', evidence: [] });
      expect(written.status).toBe(201);
      const response = await get(`/commitments/mobilimel?seq=${written.body.seq}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body).toMatchObject({ rule: 'ReadModelsMustReachTheSeq', field: 'seq' });
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const beyond = await get('/commitments/mobilimel?seq=999999999');
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({ rule: 'SeqMustNotExceedTheHead', field: 'seq' });
  });

  it('gives a commitment as of a date on the effective clock and on the recorded clock, around a correction', async () => {
    const before = await get('/commitments/mobilimel?asOf=2024-05-01T00:00:00Z');
    expect(before.status).toBe(404);
    const signed = await get('/commitments/mobilimel?asOf=2024-05-07T12:00:00%2B02:00');
    expect(signed.body).toMatchObject({ status: 'in_progress', title: 'MobilimEL', clock: 'effective' });

    const [drafted] = await ledger.store.readStream('commitment-mobilimel');
    const recordedBefore = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 10));
    // A clerical correction recorded today, effective from 1 June 2024.
    const corrected = await post('/commitments/mobilimel/corrections', {
      correctsEventId: drafted.eventId, field: 'title', value: 'MobilimEL — conseil en mobilité', reason: 'titre complet', effectiveAt: '2024-06-01T00:00:00Z',
    });
    expect(corrected.status).toBe(201);

    // What was in force on 1 July 2024: the corrected title, from its effective date.
    const effective = await get('/commitments/mobilimel?asOf=2024-07-01T00:00:00Z&clock=effective');
    expect(effective.body.title).toBe('MobilimEL — conseil en mobilité');
    // What the ledger said just before the correction was recorded: the original title.
    const recorded = await get(`/commitments/mobilimel?asOf=${encodeURIComponent(recordedBefore)}&clock=recorded`);
    expect(recorded.body.title).toBe('MobilimEL');
    // And the current state has it too, once the read models reach the correction.
    expect((await get(`/commitments/mobilimel?seq=${corrected.body.seq}`)).body.title).toBe('MobilimEL — conseil en mobilité');
  });
});

describe('commitment queries across a rebuild', () => {
  const ledger = seededApi();
  const getRetrying = (path: string) => ledger.get(path);

  it('keeps answering while a rebuild switches the read models, then reads the new version', async () => {
    expect((await getRetrying(`/commitments?seq=${await ledger.store.head()}`)).body.items).toHaveLength(10);
    const report = await rebuild({ adminUrl: ledger.db.adminUrl, appUrl: ledger.db.appUrl, store: ledger.store });
    expect(report.switched).toBe(true);
    // Straight after the switch, reads go on (from the version the API still holds).
    expect((await fetchAs(`${ledger.api.url}/commitments`)).status).toBe(200);
    const written = await fetchAs(
      `${ledger.api.url}/commitments/mobilimel/reports`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reportId: 'r-after-rebuild', period: '2025', summary: 'après la reconstruction', evidence: [] }) },
      mel,
    );
    const { seq } = (await written.json()) as { seq: number };
    await new Promise((r) => setTimeout(r, 2500)); // the API notices the switch within 2 s
    const read = await getRetrying(`/commitments/mobilimel?seq=${seq}`);
    expect(read).toMatchObject({ status: 200, body: { reports: 1, lastSeq: seq } });
  });
});

describe('the audit trail', () => {
  const { get } = seededApi();

  it('lists one entity’s history with both clocks, who acted and under which mandate', async () => {
    const trail = await get('/audit-trail?streamId=contract-mel-2024&limit=500');
    expect(trail.status).toBe(200);
    const types = trail.body.items.map((l: { type: string }) => l.type);
    expect(types[0]).toBe('ContractAdopted');
    expect(types.at(-1)).toBe('ContractEnteredIntoForce');
    const signature = trail.body.items.find((l: { type: string }) => l.type === 'ContractSignedByParty');
    expect(signature).toMatchObject({ occurredAt: '2024-05-07T09:00:00.000Z', actor: { role: 'administrator' }, under: 'dossier de presse du 7 mai 2024' });
    expect(Date.parse(signature.recordedAt)).toBeGreaterThan(Date.parse(signature.occurredAt));
  });

  it('filters the whole ledger by what and when (effective clock), paginating by seq', async () => {
    const drafted = await get('/audit-trail?type=CommitmentDrafted&clock=effective&from=2024-05-07T00:00:00Z&to=2024-05-07T23:59:59Z&limit=4');
    expect(drafted.body.items).toHaveLength(4);
    const rest = await get(`/audit-trail?type=CommitmentDrafted&clock=effective&from=2024-05-07T00:00:00Z&to=2024-05-07T23:59:59Z&after=${drafted.body.nextCursor}`);
    expect(drafted.body.items.length + rest.body.items.length).toBe(10);
    const seqs = [...drafted.body.items, ...rest.body.items].map((l: { seq: number }) => l.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect((await get('/audit-trail?type=CommitmentDrafted&clock=effective&to=2024-05-06T23:59:59Z')).body.items).toEqual([]);
  });

  it('refuses bad filters with 400', async () => {
    expect((await get('/audit-trail?clock=tomorrow&limit=10000')).status).toBe(400);
  });
});
