import { readFileSync } from 'node:fs';
import { seededApi } from '../support/seeded-api';
import { sharedPath } from '../support/shared';
import { fetchAs } from '../support/tokens';

/** The official list, read in place: `code_qp,lib_qp,insee_com,lib_com`, several communes joined with `;`. */
function officialQpv(): { code: string; name: string; communes: { inseeCode: string; name: string }[] }[] {
  const [, ...rows] = readFileSync(sharedPath('reference/qpv-mel-2024.csv'), 'utf8').trim().split(/\r?\n/);
  return rows.map((row) => {
    const [code, name, insee, names] = row.split(',');
    const communeNames = names.split(';');
    return { code, name, communes: insee.split(';').map((inseeCode, i) => ({ inseeCode, name: communeNames[i] })) };
  });
}

/** GET /territories and GET /contract: the contract's QPV and terms, for members, now or as of a date. */
describe('territories and the contract, read from the contract’s stream and the read models', () => {
  const ledger = seededApi();
  const official = officialQpv();

  beforeAll(async () => {
    await ledger.get(`/commitments?seq=${await ledger.store.head()}`); // the read models have caught up with the seed
  });

  it('lists the 26 QPV of the MEL with their official codes, names and communes (INSEE code and name)', async () => {
    const { status, body } = await ledger.get('/territories');
    expect(status).toBe(200);
    expect(body.contractId).toBe('mel-2024');
    expect(body.qpv).toHaveLength(26);
    expect(body.qpv.map((q: { code: string; name: string; communes: unknown }) => ({ code: q.code, name: q.name, communes: q.communes }))).toEqual(official);
    expect(body.communes).toHaveLength(19);
    expect(body.communes).toContainEqual({ inseeCode: '59512', name: 'Roubaix' });
  });

  it('counts for each QPV the commitments that name it, as /commitments?qpv= lists them', async () => {
    const { body } = await ledger.get('/territories');
    let named = 0;
    for (const qpv of body.qpv as { code: string; commitments: number }[]) {
      const listed = await ledger.get(`/commitments?qpv=${qpv.code}&limit=200`);
      expect({ code: qpv.code, commitments: listed.body.items.length }).toEqual({ code: qpv.code, commitments: qpv.commitments });
      named += qpv.commitments;
    }
    expect(named).toBeGreaterThan(0); // the seed's "Quartiers fertiles" names Secteur Sud
    expect(body.qpv.find((q: { code: string }) => q.code === 'QN05972M').commitments).toBeGreaterThanOrEqual(1);
  });

  it('filters by commune, and refuses what is not an INSEE code', async () => {
    const { body } = await ledger.get('/territories?commune=59512');
    expect(body.qpv.length).toBeGreaterThan(0);
    expect(body.qpv.length).toBeLessThan(26);
    for (const qpv of body.qpv) expect(qpv.communes.map((c: { inseeCode: string }) => c.inseeCode)).toContain('59512');
    expect((await ledger.get('/territories?commune=Roubaix')).status).toBe(400);
    expect((await ledger.get('/territories?clock=sometimes')).status).toBe(400);
  });

  it('as of a date: no contract before its adoption, the territory once adopted, and no commitment before the signature', async () => {
    const before = await ledger.get('/territories?asOf=2024-04-01T00:00:00Z');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ contractId: null, qpv: [] });
    const adopted = await ledger.get('/territories?asOf=2024-05-01T00:00:00Z&clock=effective');
    expect(adopted.body.qpv).toHaveLength(26);
    const counted = (adopted.body.qpv as { commitments: number }[]).reduce((sum, q) => sum + q.commitments, 0);
    const listed = await ledger.get('/commitments?asOf=2024-05-01T00:00:00Z&clock=effective&limit=200');
    expect(counted).toBe((listed.body.items as { qpv: string[] }[]).reduce((sum, c) => sum + c.qpv.length, 0));
  });

  it('gives the contract’s enjeux with their ambitions, now and as of a date', async () => {
    const { status, body } = await ledger.get('/contract');
    expect(status).toBe(200);
    expect(body).toMatchObject({ contractId: 'mel-2024', status: 'in_force', qpv: 26 });
    expect(body.priorities.map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.priorities[1].title).toBe("Amplifier la politique d'accès à l'emploi");
    for (const priority of body.priorities) expect(priority.ambitions.length).toBeGreaterThan(0);
    const adopted = await ledger.get('/contract?asOf=2024-05-01T00:00:00Z');
    expect(adopted.body).toMatchObject({ contractId: 'mel-2024', status: 'adopted' });
  });

  it('is for members: the public and callers without a token are refused', async () => {
    const publicAnswer = await fetchAs(`${ledger.api.url}/territories`, {}, { subject: 'citizen-1', role: 'public' });
    expect(publicAnswer.status).toBe(403);
    expect((await fetchAs(`${ledger.api.url}/contract`, {}, null)).status).toBe(401);
    const secretary = await fetchAs(`${ledger.api.url}/territories`, {}, { subject: 'secretary-1', role: 'body-secretary', mandate: 'copil-cvs' });
    expect(secretary.status).toBe(200);
  });
});
