import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMITMENTS_CSV_HEADER } from '@mel/projections';
import { seededApi } from '../support/seeded-api';
import { fetchAs } from '../support/tokens';

describe('open-data exports (e2e)', () => {
  const ctx = seededApi();

  /** The raw body, after the read models have caught up (a 503 is retried). */
  async function raw(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchAs(`${ctx.api.url}${path}`);
      if (response.status !== 503 || attempt === 10) return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Waits until the seeded commitments are in the read models. */
  async function caughtUp(): Promise<void> {
    for (let attempt = 0; attempt < 30; attempt++) {
      const { body } = await ctx.get('/open-data/commitments.json');
      if (body?.records?.length === 10) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('exports the commitments as an OCDS record package, one release per event in date order', async () => {
    await caughtUp();
    const { status, body } = await ctx.get('/open-data/commitments.json');
    expect(status).toBe(200);
    expect(body.records).toHaveLength(10);
    for (const record of body.records) {
      expect(record.ocid).toMatch(/^ocds-mel-cvs-/);
      expect(record.compiledRelease).toEqual(expect.objectContaining({ ocid: record.ocid, buyer: expect.any(Object), tender: expect.objectContaining({ title: expect.any(String) }) }));
      expect(record.releases.length).toBeGreaterThan(0);
      expect(record.releases[0].tag[0]).toBe('CommitmentDrafted');
      const dates = record.releases.map((r: { date: string }) => r.date);
      expect([...dates].sort()).toEqual(dates);
      for (const release of record.releases) expect(release).not.toHaveProperty('actor');
    }
  });

  it('exports the governance register as Popolo: 3 organizations and their memberships', async () => {
    await caughtUp();
    const { status, body } = await ctx.get('/open-data/governance.json');
    expect(status).toBe(200);
    expect(body.organizations).toHaveLength(3);
    const ids = new Set(body.organizations.map((o: { id: string }) => o.id));
    expect(body.memberships.length).toBeGreaterThan(0);
    for (const m of body.memberships) {
      expect(ids.has(m.organization_id)).toBe(true);
      expect(m).toEqual(expect.objectContaining({ person_id: expect.any(String), start_date: expect.any(String), on_behalf_of_id: expect.any(String) }));
      expect(m).toHaveProperty('end_date');
    }
    for (const key of ['events', 'motions', 'vote_events']) expect(Array.isArray(body[key])).toBe(true);
  });

  it('exports a ZIP of CSV files with a commitments.csv', async () => {
    await caughtUp();
    const { status, headers, bytes } = await raw('/open-data/csv.zip');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/zip');
    expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
    const dir = mkdtempSync(join(tmpdir(), 'open-data-'));
    try {
      const file = join(dir, 'csv.zip');
      writeFileSync(file, bytes);
      const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(names.sort()).toEqual(['bodies.csv', 'commitments.csv', 'meetings.csv', 'memberships.csv', 'votes.csv']);
      const csv = execFileSync('unzip', ['-p', file, 'commitments.csv'], { encoding: 'utf8' });
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe(COMMITMENTS_CSV_HEADER.join(','));
      expect(lines[0].startsWith('commitment_id,title,description,owner_party_id')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never exports the seed actor’s subject', async () => {
    await caughtUp();
    for (const path of ['/open-data/commitments.json', '/open-data/governance.json', '/open-data/csv.zip']) {
      const { bytes } = await raw(path);
      expect(bytes.toString('utf8')).not.toContain('ledger-seed');
    }
    // The ZIP is compressed: look inside it too.
    const { bytes } = await raw('/open-data/csv.zip');
    const dir = mkdtempSync(join(tmpdir(), 'open-data-'));
    try {
      const file = join(dir, 'csv.zip');
      writeFileSync(file, bytes);
      expect(execFileSync('unzip', ['-p', file], { encoding: 'utf8' })).not.toContain('ledger-seed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts ?seq= like the other queries', async () => {
    expect((await ctx.get('/open-data/governance.json?seq=1')).status).toBe(200);
    expect((await ctx.get('/open-data/commitments.json?seq=abc')).status).toBe(400);
  });

  it('keeps a draft out of the open data until it is proposed, then publishes it with its whole history', async () => {
    const mel = { subject: 'user-mel', role: 'signatory-representative', partyId: 'party-mel' };
    const send = async (path: string, body: object) => {
      const response = await fetchAs(`${ctx.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, mel);
      expect(response.status).toBe(201);
      return (await response.json()) as { seq: number };
    };
    const ids = async (seq: number) => {
      const ocds = (await ctx.get(`/open-data/commitments.json?seq=${seq}`)).body.records.map((r: { ocid: string }) => r.ocid);
      const csv = (await ctx.get(`/commitments/brouillon-velo?seq=${seq}`)).status;
      return { ocds, csv };
    };
    const drafted = await send('/commitments', {
      commitmentId: 'brouillon-velo', title: 'Atelier vélo solidaire', description: 'Réparation de vélos au pied des immeubles.', ownerPartyId: 'party-mel', coFunderPartyIds: [],
      priority: 2, ambition: 'lever les freins à la mobilité pour tous', component: 'contrat-de-ville', horizon: 2027,
      scope: { qpv: ['QN05972M'], communes: ['59350'] }, means: { droitCommunCents: 10_000_00, creditsSpecifiquesCents: 5_000_00 }, budget: [], effectiveAt: '2025-02-01T09:00:00+01:00',
    });
    const whileDraft = await ids(drafted.seq);
    expect(whileDraft.csv).toBe(200); // the signatory's own reads see it
    expect(whileDraft.ocds).not.toContain('ocds-mel-cvs-brouillon-velo');
    const { bytes } = await raw(`/open-data/csv.zip?seq=${drafted.seq}`);
    const dir = mkdtempSync(join(tmpdir(), 'open-data-'));
    try {
      writeFileSync(join(dir, 'csv.zip'), bytes);
      const csv = execFileSync('unzip', ['-p', join(dir, 'csv.zip'), 'commitments.csv'], { encoding: 'utf8' });
      expect(csv).toContain('mobilimel');
      expect(csv).not.toContain('brouillon-velo');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const proposed = await send('/commitments/brouillon-velo/propose', { effectiveAt: '2025-02-10T09:00:00+01:00' });
    const record = (await ctx.get(`/open-data/commitments.json?seq=${proposed.seq}`)).body.records.find((r: { ocid: string }) => r.ocid === 'ocds-mel-cvs-brouillon-velo');
    expect(record.releases.map((r: { tag: string[] }) => r.tag[0])).toEqual(['CommitmentDrafted', 'CommitmentProposed']);
  });
});
