import { apiClient } from '../support/api-client';
import { seededApi } from '../support/seeded-api';

const mel = { subject: 'user-mel', role: 'signatory-representative', partyId: 'party-mel' };
const secretary = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const q = (at: string) => encodeURIComponent(at);

/**
 * Every whole-contract read as of a date, on both clocks (DESIGN §5): the same projections replayed over
 * the events that count on that date, queried by the same code as the live read models.
 */
describe('reads as of a date, on both clocks', () => {
  const ledger = seededApi();
  const { get } = ledger;
  const { step } = apiClient(() => ledger);
  /** Live paths and the explicit dates they would otherwise take from the asOf (a roster date, the lateness date). */
  const READS = [
    '/commitments?limit=200',
    '/commitments?priority=2&ambition=lever%20les%20freins%20%C3%A0%20la%20mobilit%C3%A9%20pour%20tous',
    '/overview',
    '/parties/party-mel/dashboard?on=2026-01-01',
    '/governance/bodies?on=2025-03-01',
    '/governance/bodies/copil-cvs?on=2025-03-01',
    '/governance/meetings',
    '/governance/meetings/copil-2025-06-12',
    '/amendments',
    '/open-data/commitments.json',
    '/open-data/governance.json',
  ];
  let recordedBeforeCorrection: string;
  let head: number;

  beforeAll(async () => {
    // Money in 2025 and a meeting, then, recorded later, a correction effective from 1 June 2024.
    await step('/commitments/mobilimel/funding', { transaction: 'disbursement', year: 2025, amountCents: 250_000_00, partyId: 'party-mel', effectiveAt: '2025-06-30T10:00:00+02:00' }, mel);
    await step('/meetings', { meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-06-12', effectiveAt: '2025-05-22T09:00:00+02:00' }, secretary);
    const [drafted] = await ledger.store.readStream('commitment-mobilimel');
    await new Promise((r) => setTimeout(r, 20));
    recordedBeforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const corrected = await step('/commitments/mobilimel/corrections', {
      correctsEventId: drafted.eventId, field: 'title', value: 'MobilimEL — conseil en mobilité', reason: 'titre complet', effectiveAt: '2024-06-01T00:00:00Z',
    }, mel);
    head = corrected.body.seq;
  });

  it('equals the live read models as of now, on both clocks, for every read', async () => {
    const now = q(new Date(Date.now() + 60_000).toISOString());
    for (const path of READS) {
      const live = await get(`${path}${path.includes('?') ? '&' : '?'}seq=${head}`);
      expect(live.status).toBe(200);
      for (const clock of ['effective', 'recorded']) {
        const asOf = await get(`${path}${path.includes('?') ? '&' : '?'}asOf=${now}&clock=${clock}`);
        expect({ path, clock, body: asOf.body }).toEqual({ path, clock, body: live.body });
      }
    }
  });

  it('shows nothing before the signature', async () => {
    const before = q('2024-05-06T23:59:59Z');
    expect((await get(`/commitments?asOf=${before}`)).body.items).toEqual([]);
    expect((await get(`/governance/bodies?asOf=${before}`)).body.items).toEqual([]);
    const overview = await get(`/overview?asOf=${before}`);
    expect(overview.body.enjeux.map((e: { commitments: { total: number } }) => e.commitments.total)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(overview.body.money.byYear).toEqual([]);
  });

  it('shows a correction recorded after the fact from its effective date, and the recorded view as the ledger said it', async () => {
    const title = async (query: string) =>
      (await get(`/commitments?priority=2&limit=200&${query}`)).body.items.find((c: { commitmentId: string }) => c.commitmentId === 'mobilimel')?.title;
    expect(await title(`asOf=${q('2024-05-20T00:00:00Z')}&clock=effective`)).toBe('MobilimEL');
    expect(await title(`asOf=${q('2024-07-01T00:00:00Z')}&clock=effective`)).toBe('MobilimEL — conseil en mobilité');
    expect(await title(`asOf=${q(recordedBeforeCorrection)}&clock=recorded`)).toBe('MobilimEL');
    expect(await title(`seq=${head}`)).toBe('MobilimEL — conseil en mobilité');
    // The open data of that date carries the same title, and only the releases known then.
    const ocds = await get(`/open-data/commitments.json?asOf=${q(recordedBeforeCorrection)}&clock=recorded`);
    const record = ocds.body.records.find((r: { ocid: string }) => r.ocid.endsWith('-mobilimel'));
    expect(record.compiledRelease.tender.title).toBe('MobilimEL');
    expect(record.releases.map((r: { tag: string[] }) => r.tag[0])).not.toContain('CommitmentCorrected');
  });

  it('counts money from the date it took effect, for dates between events', async () => {
    const disbursed2025 = async (at: string) =>
      (await get(`/overview?asOf=${q(at)}&clock=effective`)).body.money.byYear
        .filter((cell: { year: number }) => cell.year === 2025)
        .reduce((sum: number, cell: { disbursedCents: number }) => sum + cell.disbursedCents, 0);
    const before = await disbursed2025('2025-06-29T00:00:00Z');
    const after = await disbursed2025('2025-07-01T00:00:00Z');
    expect(after - before).toBe(250_000_00);
    const dashboard = await get(`/parties/party-mel/dashboard?asOf=${q('2025-06-29T00:00:00Z')}`);
    expect(dashboard.body.on).toBe('2025-06-29'); // lateness is judged on the asOf date
  });

  it('knows a meeting only from its scheduling, on the effective clock', async () => {
    expect((await get(`/governance/meetings/copil-2025-06-12?asOf=${q('2025-05-21T00:00:00Z')}`)).status).toBe(404);
    const scheduled = await get(`/governance/meetings/copil-2025-06-12?asOf=${q('2025-05-23T00:00:00Z')}`);
    expect(scheduled.body).toMatchObject({ meetingId: 'copil-2025-06-12', status: 'scheduled' });
    expect((await get(`/governance/meetings?asOf=${q('2025-05-21T00:00:00Z')}`)).body.items).toEqual([]);
  });

  it('refuses an asOf without a time zone or an unknown clock, with 400 problem details naming the field', async () => {
    for (const path of ['/overview?asOf=2025-01-01T00:00:00', '/governance/meetings?asOf=2025-01-01T00:00:00Z&clock=legal', '/open-data/governance.json?asOf=yesterday']) {
      const answer = await get(path);
      expect(answer.status).toBe(400);
      expect([...new Set(answer.body.errors.map((e: { field: string }) => e.field))]).toEqual([path.includes('clock') ? 'clock' : 'asOf']);
    }
  });
});
