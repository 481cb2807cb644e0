import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { fetchAs } from '../support/tokens';

/** The contract's overview per enjeu and a party's dashboard, over the seeded contract and recorded funding. */
describe('overview and dashboards', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  let lastSeq = 0;
  const mel = { subject: 'u', role: 'signatory-representative', partyId: 'party-mel' };
  const recorded = [
    { transaction: 'commitment', year: 2024, amountCents: 50_000_00 },
    { transaction: 'expenditure', year: 2024, amountCents: 20_000_00 },
    { transaction: 'commitment', year: 2025, amountCents: 80_000_00 },
    { transaction: 'expenditure', year: 2025, amountCents: 30_000_00 },
    { transaction: 'expenditure', year: 2025, amountCents: 5_000_00 },
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
    api = await startTestApp(db);
    for (const funding of recorded) {
      const response = await fetchAs(
        `${api.url}/commitments/mobilimel/funding`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...funding, partyId: 'party-mel' }) },
        mel,
      );
      const body = (await response.json()) as { seq: number };
      expect(response.status).toBe(201);
      lastSeq = body.seq;
    }
  });
  afterAll(async () => {
    await api?.close();
    await store?.close();
    await db?.drop();
  });

  const get = async (path: string) => {
    const response = await fetchAs(`${api.url}${path}`);
    return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('gives the 6 enjeux, their commitments by status and indicators, and the money against the envelopes', async () => {
    const { status, body } = await get(`/overview?seq=${lastSeq}`);
    expect(status).toBe(200);
    expect(body.enjeux.map((e: { priority: number }) => e.priority)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.enjeux.every((e: { title: string | null }) => typeof e.title === 'string')).toBe(true);
    const inProgress = body.enjeux.reduce((n: number, e: { commitments: { byStatus: Record<string, number> } }) => n + (e.commitments.byStatus.in_progress ?? 0), 0);
    const total = body.enjeux.reduce((n: number, e: { commitments: { total: number } }) => n + e.commitments.total, 0);
    expect([inProgress, total]).toEqual([10, 10]);

    // Indicators are counted per enjeu; GET /indicators lists them (ADR 16).
    for (const enjeu of body.enjeux as { priority: number; indicators: { total: number; measured: number } }[]) {
      const listed = await allIndicators(`priority=${enjeu.priority}&seq=${lastSeq}`);
      expect(listed.every((i) => i.priority === enjeu.priority)).toBe(true);
      const measured = listed.filter((i) => i.periods.some((p) => p.actual !== null)).length;
      expect(enjeu.indicators).toEqual({ total: listed.length, measured });
    }
    expect(body.enjeux[0].indicators.total).toBeGreaterThan(0);

    const { component } = (await get('/commitments/mobilimel')).body;
    expect(component).toBe('contrat-de-ville');
    const envelopes = Object.fromEntries(body.money.components.map((c: { component: string; indicativeAnnualBudgetCents: number }) => [c.component, c.indicativeAnnualBudgetCents]));
    expect(envelopes).toEqual({ 'contrat-de-ville': 2_000_000_000, 'pacte-local-solidarites': 200_000_000 });
    expect(body.money.byYear).toEqual([
      { year: 2024, component, committedCents: 50_000_00, disbursedCents: 0, spentCents: 20_000_00, indicativeAnnualBudgetCents: 2_000_000_000 },
      { year: 2025, component, committedCents: 80_000_00, disbursedCents: 0, spentCents: 35_000_00, indicativeAnnualBudgetCents: 2_000_000_000 },
    ]);
    expect(body.money.components.find((c: { component: string }) => c.component === component)).toMatchObject({ committedCents: 130_000_00, spentCents: 55_000_00 });
  });

  /** Every page of GET /indicators?<query>, two at a time so that the cursor is followed. */
  async function allIndicators(query: string) {
    type Indicator = { indicatorId: string; priority: number | null; commitmentId: string | null; periods: { actual: number | null }[] };
    const items: Indicator[] = [];
    for (let after = ''; ; ) {
      const page = await get(`/indicators?${query}&limit=2${after && `&after=${after}`}`);
      expect(page.status).toBe(200);
      items.push(...(page.body.items as Indicator[]));
      if (page.body.nextCursor === null) return items;
      after = page.body.nextCursor;
    }
  }

  it('lists the indicators with their target and actual per period, by enjeu or commitment, page by page', async () => {
    const all = await allIndicators(`seq=${lastSeq}`);
    expect(all.map((i) => i.indicatorId)).toEqual([...all.map((i) => i.indicatorId)].sort());
    expect(new Set(all.map((i) => i.indicatorId)).size).toBe(all.length);
    const emergence = (await get('/indicators?priority=1')).body.items.find((i: { indicatorId: string }) => i.indicatorId === 'emergence-laureats');
    expect(emergence).toMatchObject({ priority: 1, unit: 'jeunes bacheliers', commitmentId: 'areli-programme-emergence' });
    const p2024 = emergence.periods.find((p: { period: { start: string } }) => p.period.start.startsWith('2024'));
    expect(p2024).toMatchObject({ target: { value: 30, upperValue: 50 }, actual: null });

    // An indicator of a commitment, found by it.
    const defined = await fetchAs(
      `${api.url}/indicators`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ indicatorId: 'ind-mobilimel-trajets', title: 'Trajets accompagnés', level: 'local', measure: 'unit', unit: 'trajets', ascending: true, ownerPartyId: 'party-mel', commitmentId: 'mobilimel', priority: 3 }),
      },
      mel,
    );
    expect(defined.status).toBe(201);
    const { seq } = (await defined.json()) as { seq: number };
    const ofCommitment = await allIndicators(`commitmentId=mobilimel&seq=${seq}`);
    expect(ofCommitment).toContainEqual(expect.objectContaining({ indicatorId: 'ind-mobilimel-trajets', commitmentId: 'mobilimel', priority: 3, periods: [] }));
    expect(ofCommitment.every((i) => i.commitmentId === 'mobilimel')).toBe(true);
    expect(ofCommitment.length).toBe(all.filter((i) => i.commitmentId === 'mobilimel').length + 1);
    expect((await get(`/overview?seq=${seq}`)).body.enjeux[2].indicators.total).toBe((await allIndicators(`priority=3&seq=${seq}`)).length);
    // Before it was defined (the recorded clock: what the ledger said then).
    expect((await get(`/indicators?commitmentId=mobilimel&asOf=2024-06-01T00:00:00Z&clock=recorded`)).body.items).toEqual([]);
  });

  it('refuses a cursor that is not one of this list, and a priority out of range, with 400 naming the field', async () => {
    const cursor = await get(`/indicators?after=${Buffer.from('not an id!').toString('base64url')}`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ field: 'after', rule: 'isCursorOfThisList' })]);
    const priority = await get('/indicators?priority=7');
    expect(priority.status).toBe(400);
    expect(priority.body.errors.map((e: { field: string }) => e.field)).toEqual(['priority']);
  });

  it("gives a party's dashboard: its commitments, the late ones on a date, and what it spent against what it committed", async () => {
    const { status, body } = await get(`/parties/party-mel/dashboard?on=2024-09-03&seq=${lastSeq}`);
    expect(status).toBe(200);
    expect(body.on).toBe('2024-09-03');
    expect(body.commitments.length).toBeGreaterThan(0);
    expect(body.commitments.every((c: { ownerPartyId: string }) => c.ownerPartyId === 'party-mel')).toBe(true);
    expect(body.late).toHaveLength(1);
    expect(body.late[0]).toMatchObject({
      commitmentId: 'ambassadeurs-sante-mentale-aupres-des-jeunes',
      milestones: [{ milestoneId: 'deploiement-rentree-2024', dueDate: '2024-09-02', status: 'scheduled' }],
    });
    expect(body.money).toEqual([
      { year: 2024, committedCents: 50_000_00, disbursedCents: 0, spentCents: 20_000_00, spentVsCommitted: 0.4 },
      { year: 2025, committedCents: 80_000_00, disbursedCents: 0, spentCents: 35_000_00, spentVsCommitted: 0.4375 },
    ]);

    // On its due date the milestone is not late yet.
    expect((await get('/parties/party-mel/dashboard?on=2024-09-02')).body.late).toEqual([]);
  });

  it('refuses a bad date with 400', async () => {
    const response = await get('/parties/party-mel/dashboard?on=2024-02-30');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['on']);
  });
});
