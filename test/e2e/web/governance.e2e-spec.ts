import { createHash, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { browserHarness, describeInBrowser, screenshot, seriousA11yViolations, signIn } from '../../support/browser';
import { seededApi } from '../../support/seeded-api';
import { fetchAs, type TestActor } from '../../support/tokens';

const BODY = 'copil-cvs';
const copilSecretary: TestActor = { subject: 'sec-copil', role: 'body-secretary', mandate: BODY };
const suiviSecretary: TestActor = { subject: 'sec-suivi', role: 'body-secretary', mandate: 'comite-suivi-cvs' };
const admin: TestActor = { subject: 'admin-1', role: 'administrator' };
const melRepresentative: TestActor = { subject: 'rep-mel', role: 'signatory-representative', partyId: 'party-mel' };

const MEETING = 'copil-web-2025-06-12';
const AMENDMENT = 'avenant-web-1';
const UNAPPROVED = 'avenant-web-2';
const COMMITMENT = 'ambassadeurs-sante-mentale-aupres-des-jeunes';

/**
 * The governance pages and forms in a browser: a COPIL meeting prepared through the API, then recorded by
 * its secretary through the form (attendance, quorum, motion, vote, decision), seen on the meeting page
 * and in the store; refused to another body's secretary; an amendment signed by a party's representative.
 */
describeInBrowser('the web front: governance bodies, meetings and amendments', () => {
  const ledger = seededApi();
  const web = browserHarness();
  let members: string[] = [];

  /** A command through the API, as `actor`; it must be written (201). */
  async function command(path: string, body: unknown, actor: TestActor): Promise<{ seq: number }> {
    const response = await fetchAs(
      `${ledger.api.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body) },
      actor,
    );
    const answer = (await response.json()) as { seq: number };
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  const at = '2025-06-12T14:00:00+02:00';
  /** Schedules a COPIL meeting on 12 June 2025, with an agenda, convened and in session. */
  async function openMeeting(meetingId: string, title: string) {
    await command('/meetings', { meetingId, bodyId: BODY, title, date: '2025-06-12', effectiveAt: at }, copilSecretary);
    await command(`/meetings/${meetingId}/agenda-items`, { itemId: 'odj-1', title: 'Avenant n°1 au contrat de ville et des solidarités', effectiveAt: at }, copilSecretary);
    await command(`/meetings/${meetingId}/convene`, { effectiveAt: at }, copilSecretary);
    await command(`/meetings/${meetingId}/open`, { effectiveAt: at }, copilSecretary);
  }

  beforeAll(async () => {
    // The read models catch up in the background after the start: read at the seeded head.
    const body = await ledger.get(`/governance/bodies/${BODY}?seq=${await ledger.store.head()}`);
    members = body.body.members.map((m: { memberId: string }) => m.memberId);
    expect(members.length).toBeGreaterThanOrEqual(6);
    await openMeeting(MEETING, 'Comité de pilotage — bilan 2024 et avenant n°1');
  });

  /** Goes to a page of the front without reloading it (the signed-in application changes its hash). */
  async function go(page: Page, hash: string) {
    await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  }

  /** Playwright's wait for the page's status line after a step of the record form. */
  async function recorded(page: Page, what: string) {
    await page.getByRole('status').filter({ hasText: what }).waitFor();
  }

  it('refuses the secretary of the comité de suivi on the COPIL meeting, with the API’s message', async () => {
    const page = await web.newPage();
    await signIn(page, ledger.api.url, suiviSecretary);
    await go(page, `#/governance/meetings/${MEETING}/record`);
    await page.getByTestId('other-mandate').waitFor();
    const head = await ledger.store.head();
    await page.getByRole('button', { name: 'Clore la séance' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/this secretary's mandate is comite-suivi-cvs.*OnlyAnAdministratorMayDoThis/);
    expect(await ledger.store.head()).toBe(head);
    await page.context().close();
  });

  it('records the meeting through the secretary’s form, one step at a time, and shows the API’s messages beside the fields', async () => {
    const page = await web.newPage();
    await signIn(page, ledger.api.url, copilSecretary);
    await go(page, `#/governance/meetings/${MEETING}/record`);
    await page.getByRole('heading', { level: 1, name: /Enregistrer la séance : Comité de pilotage — bilan 2024/ }).waitFor();
    await expect(page.getByTestId('record-status').textContent()).resolves.toBe('En séance');

    // The meeting was held on 12 June 2025: each step is recorded at that time (effectiveAt).
    await page.getByLabel('Date et heure des faits enregistrés (facultatif)').fill('2025-06-12T14:30');

    // Attendance: six present, one represented, the others absent; first without naming the proxy.
    const [a, b, c, d, e, f, represented, ...absent] = members;
    for (const member of [a, b, c, d, e, f]) await page.getByLabel(`Présence de ${member}`).selectOption('present');
    await page.getByLabel(`Présence de ${represented}`).selectOption('represented');
    for (const member of absent) await page.getByLabel(`Présence de ${member}`).selectOption('absent');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    const proxyErrors = page.locator(`tr[data-member="${represented}"] .field-errors`);
    await proxyErrors.waitFor();
    await expect(proxyErrors.getAttribute('data-field')).resolves.toMatch(/^attendance\[\d+\]\.proxyMemberId$/);
    await expect(proxyErrors.textContent()).resolves.toContain('proxyMemberId');
    await expect(page.getByLabel(`Procuration donnée par ${represented} à`).getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'governance-record-attendance-refused');
    await page.getByLabel(`Procuration donnée par ${represented} à`).selectOption(a);
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await recorded(page, 'Présences enregistrées');

    // Quorum: 7 of 10 voting members present or represented, half required.
    await page.getByRole('button', { name: 'Vérifier le quorum' }).click();
    await recorded(page, 'Quorum vérifié');
    await expect(page.getByTestId('record-quorum').textContent()).resolves.toMatch(/^atteint \(7 sur 5 requis\)/);

    // A motion about the contract's programme, then its vote.
    await page.getByLabel('Texte de la motion').fill('Le comité de pilotage approuve le bilan 2024 du contrat de ville et des solidarités.');
    await page.getByLabel('Objet de la motion').selectOption('other');
    await page.getByRole('button', { name: 'Déposer la motion' }).click();
    await recorded(page, 'Motion déposée');

    const options: Record<string, string> = { [a]: 'yes', [b]: 'yes', [c]: 'yes', [d]: 'yes', [e]: 'no', [f]: 'abstain', [represented]: 'yes' };
    for (const [member, option] of Object.entries(options)) await page.getByLabel(`Vote de ${member}`).selectOption(option);
    // Counts that are not the tally: the API names the count at fault.
    await page.getByLabel('Nombre de votes « Pour »').fill('4');
    await page.getByLabel('Nombre de votes « Contre »').fill('1');
    await page.getByLabel('Nombre de votes « Abstention »').fill('1');
    await page.getByLabel('Nombre de votes « Absent·e »').fill(String(absent.length));
    await page.getByRole('button', { name: 'Enregistrer le vote' }).click();
    const countError = page.locator('[data-field="counts[0].value"]');
    await countError.waitFor();
    await expect(countError.textContent()).resolves.toContain('VoteCountsEqualIndividualVotes');
    await expect(page.getByLabel('Nombre de votes « Pour »').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Nombre de votes « Pour »').fill('5');
    await page.getByRole('button', { name: 'Enregistrer le vote' }).click();
    await recorded(page, 'Vote enregistré');

    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await recorded(page, 'Décision enregistrée');
    await expect(page.getByTestId('record-decisions').textContent()).resolves.toBe(`decision-${MEETING}-motion-1 (Adoptée)`);
    await screenshot(page, 'governance-record-meeting');

    // Closing, then the minutes, identified by the SHA-256 the browser computes from the document.
    await page.getByRole('button', { name: 'Clore la séance' }).click();
    await recorded(page, 'Séance close');
    const minutes = Buffer.from('Procès-verbal du comité de pilotage du 12 juin 2025', 'utf8');
    const minutesSha256 = createHash('sha256').update(minutes).digest('hex');
    await page.getByLabel('Document du procès-verbal').setInputFiles({ name: 'pv-copil-2025-06-12.txt', mimeType: 'text/plain', buffer: minutes });
    await page.locator(`input[name="minutesSha256"][value="${minutesSha256}"]`).waitFor();
    await page.getByRole('button', { name: 'Approuver le procès-verbal' }).click();
    await recorded(page, 'Procès-verbal approuvé');

    // The meeting page shows what was recorded.
    await page.getByRole('link', { name: 'Voir la séance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Comité de pilotage — bilan 2024 et avenant n°1' }).waitFor();
    const attendance = page.getByRole('table', { name: 'Présences' });
    await expect(attendance.getByRole('row', { name: new RegExp(represented) }).textContent()).resolves.toContain('Représenté·e (procuration)');
    await expect(attendance.getByRole('row', { name: new RegExp(absent[0]) }).textContent()).resolves.toContain('Absent·e');
    await expect(page.getByTestId('quorum-verdict').textContent()).resolves.toBe('Quorum atteint : 7 membre(s) présent(s) ou représenté(s), 5 requis.');
    const counts = page.getByRole('table', { name: 'Décompte' });
    await expect(counts.getByRole('row', { name: /Pour/ }).textContent()).resolves.toBe('Pour5');
    await expect(counts.getByRole('row', { name: /Contre/ }).textContent()).resolves.toBe('Contre1');
    await expect(page.getByRole('table', { name: 'Votes individuels' }).getByRole('row', { name: new RegExp(represented) }).textContent()).resolves.toContain(`par procuration, voté par ${a}`);
    await expect(page.getByRole('table', { name: 'Décisions' }).textContent()).resolves.toContain('Adoptée5 / 112 juin 2025 à 14:30');
    await expect(page.getByTestId('minutes-hash').textContent()).resolves.toBe(minutesSha256);
    await expect(page.getByTestId('meeting-status').textContent()).resolves.toBe('Procès-verbal approuvé');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'governance-meeting');
    await page.context().close();

    // The store holds each step once (the refused submissions wrote nothing), by the secretary.
    const events = await ledger.store.readStream(`meeting-${MEETING}`);
    expect(events.map((event) => event.type)).toEqual([
      'MeetingScheduled',
      'AgendaItemAdded',
      'MeetingConvened',
      'SessionOpened',
      'AttendanceRecorded',
      'QuorumChecked',
      'MotionTabled',
      'VoteRecorded',
      'DecisionRecorded',
      'MeetingClosed',
      'MinutesApproved',
    ]);
    expect(events.every((event) => event.actor.subject === 'sec-copil')).toBe(true);
    expect(events[4].data).toMatchObject({ attendance: expect.arrayContaining([{ memberId: represented, status: 'represented', proxyMemberId: a }]) });
    expect(events[8].data).toMatchObject({ decisionId: `decision-${MEETING}-motion-1`, outcome: 'approved', yes: 5, no: 1 });
    expect(events[8].occurredAt).toBe('2025-06-12T12:30:00.000Z');
    expect(events[10].data).toEqual({ meetingId: MEETING, minutesSha256 });
  });

  it('shows the bodies with their quorum rule and meetings, and a body’s members on a date', async () => {
    const page = await web.newPage();
    await signIn(page, ledger.api.url, { subject: 'auditor-1', role: 'auditor' });
    await go(page, `#/governance`);
    await page.getByRole('heading', { level: 1, name: 'Instances de gouvernance' }).waitFor();
    const copil = page.locator('.card').filter({ hasText: 'Comité de pilotage du contrat de ville' });
    await expect(copil.textContent()).resolves.toContain('au moins 1/2 des membres ayant voix délibérative');
    await expect(copil.textContent()).resolves.toContain(`${members.length} membre(s), dont ${members.length} avec voix délibérative`);
    await page.getByRole('link', { name: 'Comité de pilotage — bilan 2024 et avenant n°1' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'governance-bodies');

    await copil.getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: /^Membres au / }).waitFor();
    await page.getByLabel('Composition à la date du').fill('2024-06-01');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('heading', { level: 2, name: 'Membres au 1 juin 2024' }).waitFor();
    await page.getByText(`${members.length} membre(s), dont ${members.length} avec voix délibérative.`).waitFor();
    expect(page.url()).toContain('asOf=2024-06-01');
    await page.getByRole('link', { name: 'Comité de pilotage — bilan 2024 et avenant n°1' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'governance-body');

    // English, on request, without reloading.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Members on 1 June 2024' }).waitFor();
    await expect(page.locator('.gov-facts').first().textContent()).resolves.toContain('at least 1/2 of the members with a voting right');
    await page.context().close();
  });

  it('has a party’s representative sign an approved amendment, and lists the signature', async () => {
    // An amendment, approved by a decision of the COPIL (all through the API), and another not approved.
    const proposal = (amendmentId: string) => ({
      amendmentId,
      rationale: 'Bilan 2024 : la demande dépasse l’offre dans les QPV de Roubaix',
      description: 'Précise le public visé par les ambassadeurs santé mentale.',
      commitmentIds: [COMMITMENT],
      affectedPartyIds: ['party-mel', 'party-caf-nord'],
      changes: [{ target: { kind: 'commitment', id: COMMITMENT }, change: { description: 'Des jeunes en service civique parlent aux jeunes des QPV de santé mentale.' } }],
      effectiveAt: '2025-05-20T10:00:00+02:00',
    });
    await command('/amendments', proposal(AMENDMENT), admin);
    await command('/amendments', proposal(UNAPPROVED), admin);
    const meetingId = 'copil-web-avenant';
    await openMeeting(meetingId, 'Comité de pilotage — avenant n°1');
    const step = (path: string, body: object) => command(`/meetings/${meetingId}${path}`, { ...body, effectiveAt: at }, copilSecretary);
    await step('/attendance', { attendance: members.map((memberId) => ({ memberId, status: 'present' })) });
    await step('/quorum-checks', {});
    await step('/motions', { motionId: 'motion-avenant', text: 'Le comité approuve l’avenant n°1.', target: { kind: 'amendment', id: AMENDMENT }, agendaItemId: 'odj-1' });
    await step('/motions/motion-avenant/votes', { votes: members.map((memberId) => ({ memberId, option: 'yes' })), counts: [{ option: 'yes', value: members.length }] });
    await step('/decisions', { decisionId: 'decision-avenant-1', motionId: 'motion-avenant' });
    await command(`/amendments/${AMENDMENT}/approval`, { meetingId, decisionId: 'decision-avenant-1', effectiveAt: '2025-06-12T18:00:00+02:00' }, copilSecretary);

    const page = await web.newPage();
    await signIn(page, ledger.api.url, melRepresentative);
    await go(page, `#/amendments`);
    await page.getByRole('heading', { level: 1, name: 'Avenants' }).waitFor();
    await page.getByTestId(`signatures-${AMENDMENT}`).filter({ hasText: '0 sur 2' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Not approved yet: the API refuses, the page says why.
    await go(page, `#/amendments/${UNAPPROVED}/sign`);
    await page.getByRole('heading', { level: 1, name: `Signer l'avenant ${UNAPPROVED}` }).waitFor();
    await page.getByLabel("J'ai lu l'avenant et je le signe au nom de party-mel.").check();
    await page.getByRole('button', { name: 'Signer', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/is not approved yet.*AmendmentTakesEffectOnlyWhenSignedByAll/);

    // The approved one: its page names the decision and its meeting, then the representative signs.
    await go(page, `#/amendments/${AMENDMENT}`);
    await page.getByRole('heading', { level: 1, name: `Avenant ${AMENDMENT}` }).waitFor();
    await expect(page.getByTestId('amendment-decision').textContent()).resolves.toContain('Approuvé par la décision decision-avenant-1');
    await page.getByTestId('amendment-decision').getByRole('link', { name: meetingId }).waitFor();
    await page.getByRole('link', { name: "Signer l'avenant" }).click();
    await page.getByRole('heading', { level: 1, name: `Signer l'avenant ${AMENDMENT}` }).waitFor();
    await page.getByLabel('Date et heure de la signature (facultatif)').fill('2025-06-20T11:00');
    await page.getByLabel("J'ai lu l'avenant et je le signe au nom de party-mel.").check();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'amendment-sign');
    await page.getByRole('button', { name: 'Signer', exact: true }).click();

    await page.getByRole('status').filter({ hasText: 'Signature inscrite au registre' }).waitFor();
    const signatures = page.getByRole('table', { name: 'Signatures' });
    await expect(signatures.getByRole('row', { name: /party-mel/ }).textContent()).resolves.toMatch(/party-mel20 juin 2025 à 11:00représentant·e de la partie/);
    await expect(page.getByTestId('missing-signatures').textContent()).resolves.toBe('party-caf-nord');
    await expect(page.getByTestId('in-force').textContent()).resolves.toMatch(/^Pas en vigueur/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'amendment');
    await page.context().close();

    const signed = (await ledger.store.readStream(`amendment-${AMENDMENT}`)).filter((event) => event.type === 'AmendmentSigned');
    expect(signed.map((event) => [event.data, event.actor.subject])).toEqual([[{ amendmentId: AMENDMENT, partyId: 'party-mel' }, 'rep-mel']]);
    expect((await ledger.store.readStream(`amendment-${UNAPPROVED}`)).map((event) => event.type)).toEqual(['AmendmentProposed']);
  });

  it('reads the meeting and the amendments list on a phone', async () => {
    const page = await web.newPage({ phone: true });
    await signIn(page, ledger.api.url, copilSecretary);
    await go(page, `#/governance/meetings/${MEETING}`);
    await page.getByTestId('quorum-verdict').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'governance-meeting-phone');
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await go(page, `#/amendments`);
    await page.getByTestId(`signatures-${AMENDMENT}`).filter({ hasText: '1 sur 2' }).waitFor();
    await screenshot(page, 'amendments-phone');
    await page.context().close();
  });
});
