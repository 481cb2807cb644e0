import { createHash } from 'node:crypto';
import { browserHarness, describeInBrowser, screenshot, seriousA11yViolations, signIn } from '../../support/browser';
import { seededApi } from '../../support/seeded-api';
import { fetchAs } from '../../support/tokens';

const auditor = { subject: 'auditor-1', role: 'auditor' };
const mel = { subject: 'rep-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const caf = { subject: 'rep-caf-1', role: 'signatory-representative', partyId: 'party-caf-nord' };

describeInBrowser('the web front: commitments (search, one commitment as of a date, a progress report)', () => {
  const ledger = seededApi();
  const web = browserHarness();

  it('filters the commitments by enjeu through the form and the address, and opens one with its timeline and date slider', async () => {
    // An amendment proposed on MobilimEL (no decision yet), through the API, read back before the browser reads it.
    const proposed = await fetchAs(
      `${ledger.api.url}/amendments`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          amendmentId: 'avenant-mobilimel-2025',
          rationale: 'La demande de conseil en mobilité double dans les QPV',
          description: 'Porte à 90 000 € en 2025 le budget de MobilimEL.',
          commitmentIds: ['mobilimel'],
          affectedPartyIds: ['party-mel'],
          changes: [{ target: { kind: 'commitment', id: 'mobilimel' }, change: { budget: [{ year: 2025, amountCents: 9_000_000, status: 'indicative' }] } }],
        }),
      },
      mel,
    );
    expect(proposed.status).toBe(201);
    expect((await ledger.get(`/amendments/avenant-mobilimel-2025?seq=${((await proposed.json()) as { seq: number }).seq}`)).status).toBe(200);

    const page = await web.newPage();
    await signIn(page, ledger.api.url, auditor);
    await page.goto(`${ledger.api.url}/#/commitments`);
    await page.getByRole('heading', { level: 1, name: 'Engagements' }).waitFor();
    const table = page.getByRole('table', { name: 'Engagements répondant aux filtres' });
    await table.getByRole('link', { name: 'MobilimEL' }).waitFor();
    await expect(table.getByRole('link', { name: 'Emmaüs Connect' }).count()).resolves.toBe(1);
    // A search in the text, answered by the API (case and accents ignored).
    await page.getByLabel('Rechercher').fill('SANTE MENTALE');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/#\/commitments\?q=SANTE(\+|%20)MENTALE$/);
    await page.getByText('1 engagement sur cette page.').waitFor();
    await expect(table.locator('tbody th').allTextContents()).resolves.toEqual(['Ambassadeurs Santé Mentale auprès des jeunes']);
    await page.getByLabel('Rechercher').fill('');

    await page.getByLabel('Enjeu', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/#\/commitments\?priority=2$/);
    await page.getByText('2 engagements sur cette page.').waitFor();
    await expect(table.getByRole('link', { name: 'Emmaüs Connect' }).count()).resolves.toBe(0);
    const titles = await table.locator('tbody th').allTextContents();
    expect(titles.sort()).toEqual(['MEL toi du territoire', 'MobilimEL']);
    // The enjeu's title comes from the API's overview.
    await expect(table.locator('tbody').textContent()).resolves.toContain("Amplifier la politique d'accès à l'emploi");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'commitments-list-enjeu-2');

    // Pages of 4 through the API's cursor: the next page holds the next 4, none seen before.
    await page.goto(`${ledger.api.url}/#/commitments?limit=4`);
    await page.getByText('4 engagements sur cette page (d’autres suivent).').waitFor();
    const first = await table.locator('tbody th').allTextContents();
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL(/limit=4&after=/);
    // The rows change once the next page is read (the first row of the first page is gone).
    await table.locator('tbody tr:first-child th').filter({ hasNotText: first[0] }).waitFor();
    await page.getByRole('link', { name: 'Première page' }).waitFor();
    const second = await table.locator('tbody th').allTextContents();
    expect(second).toHaveLength(4);
    expect(second.filter((t) => first.includes(t))).toEqual([]);

    // A link from another page, with the API's filter names: the form shows the filters it applied.
    await page.goto(`${ledger.api.url}/#/commitments?status=completed`);
    await page.getByText('Aucun engagement ne répond à ces filtres.').waitFor();
    await expect(page.getByLabel('Statut').inputValue()).resolves.toBe('completed');

    // The territories page links with a QPV as of a date: the list is read on that date, and its links keep it.
    await page.goto(`${ledger.api.url}/#/commitments?qpv=QN05972M&asOf=2025-01-01T23:59:59Z&clock=effective`);
    await page.getByText('Liste au 1 janvier 2025, en vigueur à cette date.').waitFor();
    await page.getByText('1 engagement sur cette page.').waitFor();
    await expect(table.getByRole('link', { name: 'Quartiers fertiles' }).getAttribute('href')).resolves.toBe('#/commitments/quartiers-fertiles?asOf=2025-01-01T23%3A59%3A59Z');

    await page.goto(`${ledger.api.url}/#/commitments?priority=2`);
    await page.getByText('2 engagements sur cette page.').waitFor();
    await table.getByRole('link', { name: 'MobilimEL' }).click();
    await page.getByRole('heading', { level: 1, name: 'MobilimEL', exact: true }).waitFor();
    await page.getByText('lever les freins à la mobilité pour tous').first().waitFor();
    await page.getByText('Métropole Européenne de Lille (party-mel)').first().waitFor();
    const timeline = page.locator('.commitment-timeline');
    await timeline.getByText('Engagement rédigé').waitFor();
    for (const step of ['Engagement proposé', 'Engagement adopté', 'Mise en œuvre commencée']) await expect(timeline.getByText(step).count()).resolves.toBe(1);
    const trail = await ledger.get('/audit-trail?streamId=commitment-mobilimel');
    const drafted = trail.body.items.find((line: { type: string }) => line.type === 'CommitmentDrafted');
    await expect(timeline.getByRole('link', { name: `Voir le reçu de l'événement n° ${drafted.seq}` }).getAttribute('href')).resolves.toBe(`#/audit/receipts/${drafted.seq}`);
    const amendment = page.locator('.amendment-list > li').first();
    await expect(amendment.getByRole('link', { name: 'Avenant avenant-mobilimel-2025' }).getAttribute('href')).resolves.toBe('#/amendments/avenant-mobilimel-2025');
    await expect(amendment.textContent()).resolves.toMatch(/proposé.*Porte à 90 000 € en 2025 le budget de MobilimEL\..*pas encore de décision de l'instance/);
    expect((await ledger.get('/indicators?commitmentId=mobilimel')).body.items).toEqual([]);
    await page.getByTestId('no-indicator').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'commitment-mobilimel');

    // As of 1 January 2025 on the recorded clock: the seed was recorded today, so the ledger did not know it yet.
    await page.getByRole('radio', { name: 'connu du registre à cette date' }).check();
    await page.waitForURL(/clock=recorded/);
    await page.getByLabel('Date (saisie)').fill('2025-01-01');
    await page.waitForURL(/asOf=2025-01-01/);
    await page.getByText("Au 1 janvier 2025 (connu du registre à cette date), cet engagement n'existait pas encore dans le registre.").waitFor();
    await expect(page.getByRole('heading', { name: "L'engagement" }).count()).resolves.toBe(0);
    // In force on that date (effective since the signature on 7 May 2024): it is shown.
    await page.getByRole('radio', { name: 'en vigueur à cette date' }).check();
    await page.getByText("Vous voyez l'engagement au 1 janvier 2025, en vigueur à cette date.").waitFor();
    await page.getByRole('heading', { name: "L'engagement" }).waitFor();
    await expect(page.getByText('en cours', { exact: true }).count()).resolves.toBe(1);
    // The slider, by keyboard: Home is the signature day.
    await page.getByLabel('Date (curseur)').focus();
    await page.keyboard.press('Home');
    await page.waitForURL(/asOf=2024-05-07/);
    await page.getByText("Vous voyez l'engagement au 7 mai 2024, en vigueur à cette date.").waitFor();
    await expect(page.getByLabel('Date (saisie)').inputValue()).resolves.toBe('2024-05-07');
    await screenshot(page, 'commitment-mobilimel-as-of-signature');

    // A commitment measured by an indicator: its actual against its target (GET /indicators?commitmentId=).
    await page.goto(`${ledger.api.url}/#/commitments/areli-programme-emergence`);
    const measured = page.locator('#commitment-indicators-table').getByRole('row', { name: /Jeunes bacheliers sélectionnés.*30 à 50 jeunes bacheliers/ });
    await measured.first().waitFor();
    await expect(measured.count()).resolves.toBe(1);
    await page.context().close();
  });

  it("records a progress report as the MEL's representative: the API's messages beside the fields, then the report in the timeline and the store", async () => {
    const before = (await ledger.get('/commitments/mobilimel')).body.reports;
    const page = await web.newPage({ phone: true });
    await signIn(page, ledger.api.url, mel);
    await page.goto(`${ledger.api.url}/#/commitments`);
    await page.getByRole('link', { name: 'Les engagements de mon organisation (party-mel)' }).click();
    await page.waitForURL(/ownerPartyId=party-mel/);
    const table = page.getByRole('table', { name: 'Engagements répondant aux filtres' });
    await page.getByText('5 engagements sur cette page.').waitFor();
    await expect(table.getByRole('link', { name: 'Emmaüs Connect' }).count()).resolves.toBe(0);
    await table.getByRole('link', { name: 'MobilimEL' }).click();
    await page.getByRole('link', { name: "Rendre compte de l'avancement" }).click();
    await page.getByRole('heading', { level: 1, name: "Rendre compte de l'avancement — MobilimEL" }).waitFor();

    // An empty summary and a period too long: the API refuses, and says why beside each field.
    const badPeriod = 'x'.repeat(51);
    const refused = await fetchAs(
      `${ledger.api.url}/commitments/mobilimel/reports`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reportId: 'probe', period: badPeriod, summary: '', evidence: [] }) },
      mel,
    );
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as { errors: { field: string; detail: string }[] };
    const apiSays = (field: string) => problem.errors.find((e) => e.field === field)!.detail;
    await page.getByLabel('Période couverte').fill(badPeriod);
    await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
    await page.locator('[data-field="summary"]').waitFor();
    await expect(page.locator('[data-field="summary"]').textContent()).resolves.toContain(apiSays('summary'));
    await expect(page.locator('[data-field="period"]').textContent()).resolves.toContain(apiSays('period'));
    await expect(page.getByLabel('Avancement').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Période couverte').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'report-progress-refused-phone');

    // Now a valid report, with one supporting document identified by its SHA-256 (computed in the browser).
    const bilan = Buffer.from('Bilan MobilimEL 2025 : 412 personnes conseillées.\n');
    await page.getByLabel('Période couverte').fill('2025');
    await page.getByLabel('Avancement').fill('412 personnes conseillées, dont 180 bénéficiaires du RSA.');
    await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
    await page.getByLabel('Fichier').setInputFiles({ name: 'bilan-2025.txt', mimeType: 'text/plain', buffer: bilan });
    const sha256 = createHash('sha256').update(bilan).digest('hex');
    await page.getByText('Empreinte du fichier « bilan-2025.txt » calculée.').waitFor();
    await expect(page.getByLabel('Empreinte SHA-256').inputValue()).resolves.toBe(sha256);
    await expect(page.getByLabel('Titre de la pièce').inputValue()).resolves.toBe('bilan-2025.txt');
    await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();

    await page.waitForURL(/#\/commitments\/mobilimel\?seq=\d+&reported=/);
    await page.getByRole('heading', { level: 1, name: 'MobilimEL', exact: true }).waitFor();
    await page.getByText("Votre compte rendu d'avancement est enregistré au registre").waitFor();
    await expect(page.getByTestId('report-count').textContent()).resolves.toBe('1 compte rendu.');
    await page.locator('.commitment-timeline').getByText("Compte rendu d'avancement").waitFor();
    await expect(page.locator('.commitment-timeline').textContent()).resolves.toContain('412 personnes conseillées, dont 180 bénéficiaires du RSA.');
    await screenshot(page, 'commitment-after-report-phone');

    const after = await ledger.get('/commitments/mobilimel');
    expect(after.body.reports).toBe(before + 1);
    const trail = await ledger.get('/audit-trail?streamId=commitment-mobilimel&type=ProgressReported');
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({ actor: { subject: 'rep-mel-1', partyId: 'party-mel' }, changed: { period: '2025', evidence: [{ sha256, title: 'bilan-2025.txt' }] } });
    expect(page.url()).toContain(`seq=${trail.body.items[0].seq}`);
    await page.context().close();
  });

  it("refuses a CAF representative's report on the MEL's commitment, with the API's 403 said in words", async () => {
    const page = await web.newPage();
    await signIn(page, ledger.api.url, caf);
    await page.goto(`${ledger.api.url}/#/commitments/mobilimel/report`);
    await page.getByRole('heading', { level: 1, name: "Rendre compte de l'avancement — MobilimEL" }).waitFor();
    await page.getByText('Cet engagement est porté par Métropole Européenne de Lille (party-mel) ; vous représentez party-caf-nord.').waitFor();
    await page.getByLabel('Période couverte').fill('2025');
    await page.getByLabel('Avancement').fill('Un compte rendu pour un autre signataire.');
    await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
    const alert = page.locator('.form-problem');
    await alert.waitFor();
    const refused = await fetchAs(
      `${ledger.api.url}/commitments/mobilimel/reports`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reportId: 'probe-caf', period: '2025', summary: 's', evidence: [] }) },
      caf,
    );
    expect(refused.status).toBe(403);
    const problem = (await refused.json()) as { detail: string; rule: string };
    expect(problem.rule).toBe('PartyActsOnlyForItself');
    await expect(alert.textContent()).resolves.toContain(problem.detail);
    await expect(alert.textContent()).resolves.toContain('PartyActsOnlyForItself');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'report-progress-refused-other-party');
    expect((await ledger.get('/commitments/mobilimel')).body.reports).toBe(1);
    await page.context().close();
  });
});
