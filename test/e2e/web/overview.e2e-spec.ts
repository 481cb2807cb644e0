import type { Page } from 'playwright-core';
import { browserHarness, describeInBrowser, screenshot, seriousA11yViolations, signIn } from '../../support/browser';
import { seededApi } from '../../support/seeded-api';
import { fetchAs, type TestActor } from '../../support/tokens';

const members: [string, TestActor][] = [
  ['administrator', { subject: 'admin-1', role: 'administrator' }],
  ['body-secretary', { subject: 'secretary-1', role: 'body-secretary', mandate: 'copil-cvs' }],
  ['signatory-representative', { subject: 'rep-1', role: 'signatory-representative', partyId: 'party-mel' }],
  ['auditor', { subject: 'auditor-1', role: 'auditor' }],
];

/**
 * The contract at a glance, the QPV and the open data, in a browser against the seeded MEL contract.
 * One desktop page goes through the tests in turn (signing in again as each role: the address changes
 * only after the `#`, so the front is loaded once), to keep page loads few.
 */
describeInBrowser('the web front: the contract at a glance, the QPV and the open data', () => {
  const ledger = seededApi();
  const web = browserHarness();
  let page: Page;
  let enjeuTitles: string[];
  let total: number;
  let territories: { qpv: { code: string; name: string; commitments: number }[] };

  beforeAll(async () => {
    const overview = await ledger.get(`/overview?seq=${await ledger.store.head()}`);
    enjeuTitles = overview.body.enjeux.map((e: { title: string }) => e.title);
    total = overview.body.enjeux.reduce((sum: number, e: { commitments: { total: number } }) => sum + e.commitments.total, 0);
    territories = (await ledger.get('/territories')).body;
    page = await web.newPage();
  });
  afterAll(async () => {
    await page?.context().close();
  });

  const openOverview = async (on: Page) => {
    await on.goto(`${ledger.api.url}/#/`);
    await on.getByRole('heading', { level: 1, name: "Le contrat en un coup d'œil" }).waitFor();
    await on.getByTestId('commitments-total').waitFor();
  };

  it.each(members)('shows the overview to a signed-in %s, in French, with the enjeux and a chart of the API’s figures', async (_name, actor) => {
    await signIn(page, ledger.api.url, actor);
    await openOverview(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(total).toBeGreaterThan(0);
    await expect(page.getByTestId('commitments-total').textContent()).resolves.toBe(String(total));
    for (const [i, title] of enjeuTitles.entries()) {
      await expect(page.getByRole('heading', { level: 3, name: `Enjeu ${i + 1} — ${title}` }).count()).resolves.toBe(1);
    }
    // The chart's table holds the figures: every commitment of the seed is in progress.
    await expect(page.locator('#chart-by-status-table').getByRole('row', { name: `en cours ${total}` }).count()).resolves.toBe(1);
    await expect(page.getByTestId('contract-status').textContent()).resolves.toMatch(/^en vigueur — signé le 7 mai 2024/);
  });

  it('shows each enjeu’s ambitions, a link to its commitments, its indicators on demand and money against the envelopes', async () => {
    const enjeu2 = page.getByTestId('enjeu-2');
    await expect(enjeu2.locator('.ambitions li').count()).resolves.toBeGreaterThan(0);
    expect(await enjeu2.getByRole('link', { name: "Voir les engagements de l'enjeu 2" }).getAttribute('href')).toBe('#/commitments?priority=2');
    // Indicators are drawn once their enjeu is opened: target against actual for the period shown.
    const enjeu1 = page.getByTestId('enjeu-1');
    await expect(enjeu1.locator('#indicators-1-table').count()).resolves.toBe(0);
    await enjeu1.getByText(/^Indicateurs : réalisé face à la cible/).click();
    const bacheliers = enjeu1.locator('#indicators-1-table').getByRole('row', { name: /Jeunes bacheliers sélectionnés.*non mesuré 30 à 50 jeunes bacheliers/ });
    await bacheliers.first().waitFor(); // read from GET /indicators once opened
    await expect(bacheliers.count()).resolves.toBe(1);
    // 20 M€ a year for the contrat de ville.
    await expect(page.locator('#money-chart-contrat-de-ville-table').getByRole('row', { name: /^2024 .* 20 000 000,00 €$/ }).count()).resolves.toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'overview-desktop');
  });

  it('shows an enjeu’s indicators 50 at a time when it has more', async () => {
    const before = (await ledger.get('/overview')).body.enjeux[4].indicators.total as number;
    const admin = { subject: 'admin-1', role: 'administrator' };
    let seq = 0;
    for (let i = 0; i < 51; i++) {
      const response = await fetchAs(
        `${ledger.api.url}/indicators`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ indicatorId: `ind-page-${String(i).padStart(2, '0')}`, title: `Indicateur de page ${i}`, level: 'local', measure: 'unit', unit: 'actions', ascending: true, ownerPartyId: 'party-mel', priority: 5 }),
        },
        admin,
      );
      expect(response.status).toBe(201);
      seq = ((await response.json()) as { seq: number }).seq;
    }
    const total = before + 51;
    expect((await ledger.get(`/overview?seq=${seq}`)).body.enjeux[4].indicators).toEqual({ total, measured: expect.any(Number) });
    await openOverview(page);
    await page.reload(); // the overview read again, with the new indicators
    await page.getByTestId('commitments-total').waitFor();
    const enjeu5 = page.getByTestId('enjeu-5');
    await enjeu5.getByText(new RegExp(`^Indicateurs : réalisé face à la cible \\(${total}, dont`)).click();
    const shown = enjeu5.getByRole('status');
    await shown.filter({ hasText: `Indicateurs 1 à 50 sur ${total}` }).waitFor();
    await expect(enjeu5.locator('#indicators-5-table tbody tr').count()).resolves.toBe(50);
    await enjeu5.getByRole('button', { name: 'Indicateurs suivants' }).click();
    await shown.filter({ hasText: `Indicateurs 51 à ${total} sur ${total}` }).waitFor();
    await expect(enjeu5.locator('#indicators-5-table tbody tr').count()).resolves.toBe(total - 50);
    await expect(enjeu5.getByRole('button', { name: 'Indicateurs suivants' }).count()).resolves.toBe(0);
    await enjeu5.getByRole('button', { name: 'Premiers indicateurs' }).click();
    await shown.filter({ hasText: `Indicateurs 1 à 50 sur ${total}` }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('reads the overview as of a date: before the signature, no commitment and a contract only adopted', async () => {
    await page.getByLabel('Date', { exact: true }).fill('2024-05-01');
    await page.getByLabel('Selon').selectOption('effective');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByTestId('no-commitment').waitFor();
    expect(page.url()).toContain('asOf=2024-05-01T23%3A59%3A59Z');
    await expect(page.getByTestId('as-of-state').textContent()).resolves.toBe("État au 1 mai 2024, selon la date d'effet.");
    await expect(page.getByTestId('commitments-total').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('contract-status').textContent()).resolves.toBe('adopté');
    await expect(page.getByTestId('enjeu-1').getByText('Aucun engagement').count()).resolves.toBe(1);
    await screenshot(page, 'overview-as-of-2024-05-01');
    await page.getByRole('button', { name: "Revenir à aujourd'hui" }).click();
    await page.locator('#chart-by-status-table').getByRole('row', { name: `en cours ${total}` }).waitFor();
  });

  it('lists the 26 QPV with their official codes, communes and links to the commitments naming them', async () => {
    await page.goto(`${ledger.api.url}/#/territories`);
    await page.getByRole('heading', { level: 1, name: 'Les quartiers prioritaires (QPV)' }).waitFor();
    const rows = page.locator('table.territories tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(26);
    const secteurSud = page.locator('tr[data-qpv="QN05972M"]');
    await expect(secteurSud.textContent()).resolves.toContain('Faches-Thumesnil, Lezennes, Lille, Loos');
    const named = territories.qpv.find((q) => q.code === 'QN05972M')!;
    expect(named.commitments).toBeGreaterThan(0);
    const link = secteurSud.getByRole('link', { name: new RegExp(`^${named.commitments} engagements? pour Secteur Sud$`) });
    expect(await link.getAttribute('href')).toBe('#/commitments?qpv=QN05972M');
    await page.getByLabel('Commune').selectOption('59512'); // Roubaix
    await expect(rows.count()).resolves.toBe((await ledger.get('/territories?commune=59512')).body.qpv.length);
    await expect(rows.count()).resolves.toBeLessThan(26);
    await page.getByLabel('Commune').selectOption('');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'territories-desktop');
    // English is complete: the page's own words change, the API's names stay.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Priority neighbourhoods (QPV)' }).waitFor();
    await expect(page.getByRole('link', { name: new RegExp(`^${named.commitments} commitments? for Secteur Sud$`) }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Les quartiers prioritaires (QPV)' }).waitFor();
  });

  it('shows the open data to the public and without a session, and sends them to sign in for the QPV', async () => {
    for (const actor of [{ subject: 'citizen-1', role: 'public' }, null]) {
      if (actor) await signIn(page, ledger.api.url, actor);
      else await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.goto(`${ledger.api.url}/#/`);
      await page.getByRole('heading', { level: 1, name: 'Données ouvertes' }).waitFor();
      expect(await page.getByRole('link', { name: 'Télécharger les engagements (JSON OCDS)' }).getAttribute('href')).toBe('/open-data/commitments.json');
      expect(await page.getByRole('link', { name: 'Télécharger la gouvernance (JSON Popolo)' }).getAttribute('href')).toBe('/open-data/governance.json');
      expect(await page.getByRole('link', { name: /^Télécharger les tableaux/ }).getAttribute('href')).toBe('/open-data/csv.zip');
      expect(await page.getByRole('link', { name: 'Vérifier le dernier point de contrôle signé' }).getAttribute('href')).toBe('#/audit/checkpoint');
      if (!actor) {
        // The links lead to files the API serves without a token.
        const answer = await page.request.get(`${ledger.api.url}/open-data/commitments.json`);
        expect(answer.status()).toBe(200);
        expect(((await answer.json()) as { records: unknown[] }).records.length).toBe(total);
        expect(await seriousA11yViolations(page)).toEqual([]);
        await screenshot(page, 'open-data-desktop');
      }
      await page.goto(`${ledger.api.url}/#/territories`);
      await page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain('réservée aux membres');
    }
  });

  it('shows the overview on a phone, without serious accessibility violation', async () => {
    const phone = await web.newPage({ phone: true });
    await signIn(phone, ledger.api.url, members[2][1]);
    await openOverview(phone);
    expect(await seriousA11yViolations(phone)).toEqual([]);
    // Nothing wider than the phone: wide tables scroll in their own boxes.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(phone, 'overview-phone');
    await phone.context().close();
  });
});
