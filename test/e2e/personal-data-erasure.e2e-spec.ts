import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor } from '@mel/application';
import { type PersonCommand, personDecider } from '@mel/domain';
import { verifierKeyOf } from '@mel/ledger';
import { Client } from 'pg';
import { buildProgram } from '../../apps/cli/src/program';
import { apiClient } from '../support/api-client';
import { findTextInDatabase } from '../support/find-personal-data';
import { seededApi } from '../support/seeded-api';
import { fetchAs } from '../support/tokens';

const admin = { subject: 'admin-1', role: 'administrator' };
const auditor = { subject: 'auditor-1', role: 'auditor' };
const secretary = { subject: 'secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const cafRepresentative = { subject: 'rep-caf-1', role: 'signatory-representative', partyId: 'party-caf-nord' };
const publicReader = { subject: 'visitor-1', role: 'public' };

/** A name no other test, seed or fixture holds, so that finding it anywhere means it came from here. */
const NAME = 'Jeanne Exemple-Effacement';
const EMAIL = 'jeanne.exemple-effacement@example.org';
const PHONE = '+33 3 20 99 17 17';
const TITLE = 'Conseillère citoyenne Exemple-Effacement';
const PERSONAL = [NAME, EMAIL, 'Exemple-Effacement', PHONE];
const PERSON_ID = /^person-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const MEETING = 'copil-2025-10-02';

/**
 * Personal data out of the immutable log (issue 6, part 3; ADR 12): a person registered in the erasable
 * directory, made member of a body by their pseudonymous id, read by name by authenticated people and
 * never in the open data; then erased with `ledger erase-person`, after which the name is nowhere (the
 * database, the API, a fresh export) and the ledger still verifies.
 */
describe('personal data: the erasable directory and `ledger erase-person`', () => {
  const ledger = seededApi();
  const { post, step, refused, expectNothingWritten } = apiClient(() => ledger);
  let personId: string;
  let memberAddedSeq: number;
  let namedMeetingEtag: string;
  let work: string;
  let stdout = '';
  let stderr = '';
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_DATA_DIR'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

  /** Every API read made before the erasure, made again after it. */
  const reads: { path: string; actor: object | null }[] = [];

  /** GET as `actor` (null: no token), answered as text (JSON, CSV or a ZIP's bytes) and parsed when JSON. */
  async function read(path: string, actor: object | null = auditor, remember = true) {
    if (remember && !reads.some((r) => r.path === path && r.actor === actor)) reads.push({ path, actor });
    for (let attempt = 0; ; attempt++) {
      const response = await fetchAs(`${ledger.api.url}${path}`, {}, actor);
      if (response.status === 503 && attempt < 10) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      const type = response.headers.get('content-type') ?? '';
      const text = type.includes('application/zip') ? unzipped(bytes) : bytes.toString('utf8');
      return { status: response.status, headers: response.headers, text, body: type.includes('json') ? JSON.parse(text) : undefined };
    }
  }

  /** The CLI's own code, in process, on the test's database. */
  const cli = async (...args: string[]) => {
    stdout = '';
    stderr = '';
    await buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
    return stdout;
  };

  const adminQuery = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: ledger.db.adminUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const peopleCount = async () => Number((await adminQuery<{ n: string }>('SELECT count(*) AS n FROM directory.people'))[0].n);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'personal-data-'));
    process.env.DATABASE_URL = ledger.db.adminUrl;
    process.env.DATABASE_APP_URL = ledger.db.appUrl;
    process.env.LEDGER_DATA_DIR = join(work, 'data'); // never the repository's .data
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  });
  afterAll(() => {
    jest.restoreAllMocks();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('registers a person in the directory under a pseudonymous id drawn by the server, writing nothing to the log', async () => {
    const registered = await expectNothingWritten(() =>
      post('/directory/people', { displayName: NAME, email: EMAIL, phone: PHONE, title: TITLE, partyId: 'party-conseils-citoyens' }, admin),
    );
    expect(registered.status).toBe(201);
    personId = registered.body.personId;
    expect(personId).toMatch(PERSON_ID);
    expect(registered.body).toEqual({ personId });
    expect(registered.headers.get('location')).toBe(`/directory/people/${personId}`);

    const person = await read(`/directory/people/${personId}`);
    expect(person.status).toBe(200);
    expect(person.headers.get('cache-control')).toBe('no-store');
    expect(person.body).toMatchObject({ personId, displayName: NAME, email: EMAIL, phone: PHONE, title: TITLE, partyId: 'party-conseils-citoyens' });
    for (const reader of [admin, secretary, cafRepresentative]) expect((await read(`/directory/people/${personId}`, reader)).body.displayName).toBe(NAME);
    // Contact details only to those who need them: not to a secretary, nor to another party's representative.
    for (const reader of [secretary, cafRepresentative]) expect((await read(`/directory/people/${personId}`, reader)).body).toMatchObject({ email: null, phone: null });
    expect((await read(`/directory/people/${personId}`, { subject: 'user-auditor-9', role: 'auditor' })).body).toMatchObject({ email: EMAIL, phone: PHONE });
  });

  it('never shows a person to the public, nor without a token', async () => {
    expect((await read(`/directory/people/${personId}`, publicReader, false)).status).toBe(403);
    expect((await read(`/directory/people/${personId}`, null, false)).status).toBe(401);
  });

  it('lets a signatory representative register people of their own party only: another party is 403 and nothing is written', async () => {
    const own = await expectNothingWritten(() => post('/directory/people', { displayName: 'Représentant Exemple CAF' }, cafRepresentative));
    expect(own.status).toBe(201);
    expect((await read(`/directory/people/${own.body.personId}`, admin, false)).body.partyId).toBe('party-caf-nord');

    const before = await peopleCount();
    const other = await refused(403, 'PartyActsOnlyForItself', '/directory/people', { displayName: 'Quelqu’un de la MEL', partyId: 'party-mel' }, cafRepresentative);
    expect(other.body.field).toBe('partyId');
    await refused(403, 'RoleMayNotDoThis', '/directory/people', { displayName: 'Quelqu’un', partyId: 'party-mel' }, auditor);
    await refused(403, 'RoleMayNotDoThis', '/directory/people', { displayName: 'Quelqu’un', partyId: 'party-mel' }, secretary);
    await refused(404, 'AggregateMustExist', '/directory/people', { displayName: 'Quelqu’un', partyId: 'party-nowhere' }, admin);
    const unknownField = await refused(400, 'whitelistValidation', '/directory/people', { displayName: 'Quelqu’un', personId: 'person-chosen-by-me' }, admin);
    expect(unknownField.body.field).toBe('personId');
    await refused(400, 'isEmail', '/directory/people', { displayName: 'Quelqu’un', email: 'not an address' }, admin);
    expect(await peopleCount()).toBe(before);
  });

  it('names the member for authenticated readers of the governance register, and only there: never the read models, the log or the open data', async () => {
    const added = await step(
      '/governance-bodies/copil-cvs/members',
      { memberId: personId, partyId: 'party-conseils-citoyens', votingRight: false, seat: 'observer', startDate: '2025-09-01', effectiveAt: '2025-08-25T10:00:00+02:00' },
      admin,
    );
    memberAddedSeq = added.body.seq;
    const M = `/meetings/${MEETING}`;
    await step('/meetings', { meetingId: MEETING, bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-10-02', effectiveAt: '2025-09-10T09:00:00+02:00' }, secretary);
    await step(`${M}/agenda-items`, { itemId: 'odj-1', title: 'Bilan à mi-parcours', effectiveAt: '2025-09-10T09:05:00+02:00' }, secretary);
    await step(`${M}/convene`, { effectiveAt: '2025-09-15T09:00:00+02:00' }, secretary);
    await step(`${M}/open`, { effectiveAt: '2025-10-02T14:00:00+02:00' }, secretary);
    const last = await step(`${M}/attendance`, { attendance: [{ memberId: personId, status: 'present' }, { memberId: 'copil-cvs-mel', status: 'present' }], effectiveAt: '2025-10-02T14:05:00+02:00' }, secretary);

    const body = await read(`/governance/bodies/copil-cvs?on=2025-10-02&seq=${last.body.seq}`);
    expect(body.status).toBe(200);
    expect(body.body.members.find((m: { memberId: string }) => m.memberId === personId)).toMatchObject({ memberId: personId, displayName: NAME, seat: 'observer' });
    expect(body.body.memberships.find((m: { memberId: string }) => m.memberId === personId)).toMatchObject({ displayName: NAME });
    // A member id that is not a person of the directory has no name.
    expect(body.body.members.find((m: { memberId: string }) => m.memberId === 'copil-cvs-mel')).toMatchObject({ displayName: null });

    const meeting = await read(`/governance/meetings/${MEETING}?seq=${last.body.seq}`, secretary);
    expect(meeting.status).toBe(200);
    // Read twice (the second would be a kept answer if answers holding names were kept: ADR 15), with its ETag.
    const named = await read(`/governance/meetings/${MEETING}`, secretary);
    expect((await read(`/governance/meetings/${MEETING}`, secretary)).text).toBe(named.text);
    expect(named.text).toContain(NAME);
    namedMeetingEtag = named.headers.get('etag')!;
    expect(meeting.body.roster.find((m: { memberId: string }) => m.memberId === personId)).toMatchObject({ displayName: NAME });
    expect(meeting.body.attendance).toEqual(
      expect.arrayContaining([
        { memberId: personId, status: 'present', proxyMemberId: null, displayName: NAME },
        { memberId: 'copil-cvs-mel', status: 'present', proxyMemberId: null, displayName: null },
      ]),
    );

    // The open data, which anyone reads without a token, has the pseudonymous id and never the name.
    for (const path of ['/open-data/governance.json', '/open-data/commitments.json', '/open-data/csv.zip']) {
      const open = await read(`${path}?seq=${last.body.seq}`, null);
      expect(open.status).toBe(200);
      expectNoPersonalData(open.text, path);
    }
    expect((await read('/open-data/governance.json', null)).text).toContain(personId);
    expect((await read('/open-data/csv.zip', null)).text).toContain(personId);

    // The name is in one row of one table: the directory's. No read model, no event, no ledger table holds it.
    const found = await findTextInDatabase(ledger.db.adminUrl, [NAME, EMAIL]);
    expect(found.map(({ table, text, rows }) => ({ table, text, rows }))).toEqual([
      { table: 'directory.people', text: NAME, rows: 1 },
      { table: 'directory.people', text: EMAIL, rows: 1 },
    ]);
  });

  it('`ledger export` writes the open data with the pseudonymous id and without the name', async () => {
    const dir = join(work, 'open-data-before');
    await cli('export', '--dir', dir);
    const files = openDataFiles(dir);
    expect(files['governance.json']).toContain(personId);
    for (const [name, text] of Object.entries(files)) expectNoPersonalData(text, name);
  });

  it('`ledger erase-person` records the erasure without personal data, and the name is then nowhere: database, API, fresh exports; the ledger still verifies', async () => {
    // A checkpoint signed before the erasure, and an inclusion proof of the membership against it.
    await cli('checkpoint');
    const sizeBefore = await ledger.store.head();
    const proofBefore = await read(`/ledger/proofs/inclusion?seq=${memberAddedSeq}&size=${sizeBefore}`, null, false);
    expect(proofBefore.status).toBe(200);

    const printed = await cli('erase-person', personId, '--reason', 'gdpr-art-17-request');
    const head = await ledger.store.head();
    expect(head).toBe(sizeBefore + 1);
    expect(printed).toContain(`erased ${personId}: PersonDataErased recorded at seq ${head} in stream person-${personId}`);
    expect(printed).toContain('the directory entry is deleted');
    expect(printed).toContain('every proof stays valid');

    // The erasure event: the id, a category and a date; nothing personal.
    const [erasure, ...more] = await ledger.store.readStream(`person-${personId}`);
    expect(more).toEqual([]);
    expect(erasure).toMatchObject({ type: 'PersonDataErased', seq: head, streamVersion: 1, actor: { subject: 'ledger-cli', role: 'administrator' } });
    expect(erasure.data).toEqual({ personId, reason: 'gdpr-art-17-request', requestedAt: expect.any(String) });
    expectNoPersonalData(JSON.stringify(erasure), 'the erasure event');

    // Every table of every schema, the log and the ledger's own included: the name is nowhere.
    expect(await findTextInDatabase(ledger.db.adminUrl, PERSONAL)).toEqual([]);
    expect(await adminQuery('SELECT person_id, erasure_seq FROM directory.erasures')).toEqual([{ person_id: personId, erasure_seq: String(head) }]);

    // Every API read made before, made again: no name anywhere.
    for (const { path, actor } of reads) {
      const again = await read(path, actor, false);
      expectNoPersonalData(again.text, `GET ${path}`);
    }
    const person = await read(`/directory/people/${personId}`, admin, false);
    expect(person.status).toBe(404);
    expect(person.headers.get('content-type')).toContain('application/problem+json');
    expect(person.body).toMatchObject({ rule: 'PersonDataWasErased', status: 404, field: 'personId', erasureSeq: head, personId });
    expect(person.body.detail).toContain('was erased');
    const body = await read(`/governance/bodies/copil-cvs?on=2025-10-02&seq=${head}`, auditor, false);
    expect(body.body.members.find((m: { memberId: string }) => m.memberId === personId)).toMatchObject({ memberId: personId, displayName: null });
    const meeting = await read(`/governance/meetings/${MEETING}`, secretary, false);
    expect(meeting.body.attendance.find((a: { memberId: string }) => a.memberId === personId)).toEqual({ memberId: personId, status: 'present', proxyMemberId: null, displayName: null });
    // The answer that held the name is not answered again, not even as 304 to its ETag (ADR 15).
    const revalidated = await fetchAs(`${ledger.api.url}/governance/meetings/${MEETING}`, { headers: { 'if-none-match': namedMeetingEtag } }, secretary);
    expect(revalidated.status).toBe(200);
    const revalidatedText = await revalidated.text();
    expectNoPersonalData(revalidatedText, 'the meeting revalidated');
    expect(revalidatedText).toContain(personId);

    // A fresh export, the open data (JSON and the CSV ZIP) and the audit export.
    await cli('export', '--dir', join(work, 'open-data-after'), '--audit', join(work, 'audit-after'));
    for (const [name, text] of Object.entries(openDataFiles(join(work, 'open-data-after')))) expectNoPersonalData(text, name);
    const entries = readFileSync(join(work, 'audit-after', 'entries.jsonl'), 'utf8');
    expect(entries).toContain('"PersonDataErased"');
    expectNoPersonalData(entries, 'entries.jsonl');

    // The log, the tree and the checkpoints are untouched: the proof made before is still the proof,
    // and the whole ledger verifies, live and from the export.
    const proofAfter = await read(`/ledger/proofs/inclusion?seq=${memberAddedSeq}&size=${sizeBefore}`, null, false);
    expect(proofAfter.body).toEqual(proofBefore.body);
    const vkey = verifierKeyOf(process.env.LEDGER_SIGNING_KEY!);
    await cli('verify', '--live', '--key', vkey);
    expect(stdout).toMatch(new RegExp(`verified ${head} entries`));
    await cli('verify', join(work, 'audit-after'), '--key', vkey);
    expect(stdout).toMatch(new RegExp(`verified ${head} entries`));
  });

  it('refuses a second erasure with 409 problem details, through the API and the CLI, writing nothing', async () => {
    const erasuresBefore = await adminQuery('SELECT * FROM directory.erasures ORDER BY person_id');
    const again = await refused(409, 'PersonDataIsErasedOnce', `/directory/people/${personId}/erasure`, { reason: 'gdpr-art-17-request' }, admin);
    expect(again.body.detail).toContain('erased already');
    await expectNothingWritten(() => expect(cli('erase-person', personId, '--reason', 'legal-obligation')).rejects.toThrow(/erased already.*Nothing was written/));
    expect(await adminQuery('SELECT * FROM directory.erasures ORDER BY person_id')).toEqual(erasuresBefore);
  });

  it('lets only an administrator erase: an auditor, the public, a secretary or a representative is refused, and nothing is written', async () => {
    const other = (await post('/directory/people', { displayName: 'Personne Exemple Deux', partyId: 'party-caf-nord' }, admin)).body.personId;
    for (const actor of [auditor, publicReader, secretary, cafRepresentative]) {
      await refused(403, 'OnlyAnAdministratorMayDoThis', `/directory/people/${other}/erasure`, { reason: 'gdpr-art-17-request' }, actor);
    }
    await refused(401, 'ActorMustBeIdentified', `/directory/people/${other}/erasure`, { reason: 'gdpr-art-17-request' }, null);
    // The ground is a category, never free text (which could hold a name, for good, in the log).
    await refused(400, 'isIn', `/directory/people/${other}/erasure`, { reason: 'Personne Exemple Deux asked by mail' }, admin);
    await refused(400, 'whitelistValidation', `/directory/people/${other}/erasure`, { reason: 'gdpr-art-17-request', displayName: 'x' }, admin);
    await refused(404, 'AggregateMustExist', '/directory/people/person-00000000-0000-4000-8000-000000000000/erasure', { reason: 'gdpr-art-17-request' }, admin);
    await refused(400, 'matches', '/directory/people/copil-cvs-mel/erasure', { reason: 'gdpr-art-17-request' }, admin);
    expect((await read(`/directory/people/${other}`, admin, false)).status).toBe(200);

    const erased = await post(`/directory/people/${other}/erasure`, { reason: 'registered-in-error', effectiveAt: '2025-11-03T10:00:00+01:00' }, admin);
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ personId: other, outcome: 'erased', seq: await ledger.store.head(), streamId: `person-${other}`, directoryRowDeleted: true });
    expect((await ledger.store.readStream(`person-${other}`))[0]).toMatchObject({
      data: { personId: other, reason: 'registered-in-error', requestedAt: '2025-11-03T10:00:00+01:00' },
      actor: { subject: admin.subject, role: 'administrator' },
    });
    expect((await read(`/directory/people/${other}`, auditor, false)).body).toMatchObject({ rule: 'PersonDataWasErased' });
  });

  it('finishes an erasure interrupted after its event was recorded: the person reads as erased, running it again deletes the entry and writes no second event', async () => {
    const id = (await post('/directory/people', { displayName: 'Personne Exemple Interrompue' }, admin)).body.personId;
    // The first step alone, as if the process had stopped right after appending the event.
    const command: PersonCommand = { type: 'RecordPersonErasure', personId: id, reason: 'consent-withdrawn', known: true, actor: admin as PersonCommand['actor'], at: '2025-11-04T09:00:00+01:00' };
    const recorded = await new CommandExecutor(ledger.store).execute(personDecider as never, id, command);
    expect(await adminQuery('SELECT person_id FROM directory.people WHERE person_id = $1', [id])).toHaveLength(1);
    const pending = await read(`/directory/people/${id}`, admin, false);
    expect(pending.status).toBe(404);
    expect(pending.body).toMatchObject({ rule: 'PersonDataWasErased', erasureSeq: recorded.seq });
    expect(pending.text).not.toContain('Interrompue');

    const finished = await expectNothingWritten(() => post(`/directory/people/${id}/erasure`, { reason: 'consent-withdrawn' }, admin));
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ personId: id, outcome: 'completed', seq: recorded.seq, directoryRowDeleted: true });
    expect(await findTextInDatabase(ledger.db.adminUrl, ['Personne Exemple Interrompue'])).toEqual([]);
    await refused(409, 'PersonDataIsErasedOnce', `/directory/people/${id}/erasure`, { reason: 'consent-withdrawn' }, admin);
  });
});

function expectNoPersonalData(text: string, where: string): void {
  for (const personal of PERSONAL) {
    if (text.toLowerCase().includes(personal.toLowerCase())) throw new Error(`${where} holds ${JSON.stringify(personal)}`);
  }
}

/** The files of `ledger export --dir`, the CSV ZIP's entries concatenated. */
function openDataFiles(dir: string): Record<string, string> {
  return {
    'commitments.json': readFileSync(join(dir, 'commitments.json'), 'utf8'),
    'governance.json': readFileSync(join(dir, 'governance.json'), 'utf8'),
    'csv.zip': unzipped(readFileSync(join(dir, 'csv.zip'))),
  };
}

/** Every entry of a ZIP, uncompressed and concatenated (with `unzip`, as the exports' own tests read them). */
function unzipped(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'personal-data-zip-'));
  try {
    const file = join(dir, 'archive.zip');
    writeFileSync(file, bytes);
    return execFileSync('unzip', ['-p', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
