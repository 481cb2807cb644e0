import { createHash, generateKeyPairSync } from 'node:crypto';
import type { Page, Route } from 'playwright-core';
import { browserHarness, describeInBrowser, screenshot, seriousA11yViolations, signIn } from '../../support/browser';
import { seededApi } from '../../support/seeded-api';
import { auditor } from '../../support/tokens';

/**
 * The audit pages in a real browser: the audit trail filtered as an auditor, a receipt verified with Web
 * Crypto (and refused when the answer is tampered with on the way), the public checkpoint page with its
 * signature verified, and a pasted wrong trusted key giving "no".
 */
describeInBrowser('the web front: audit trail, receipts and checkpoint verified in the browser', () => {
  const ledger = seededApi();
  const web = browserHarness();
  let latest: { size: number; rootHash: string; origin: string };
  /** One signed-in auditor's page for the tests that read as members (a hash change is not a page load). */
  let page: Page;

  beforeAll(async () => {
    // The API signs a checkpoint at start: wait until it is there, so that seed events have receipts.
    for (let attempt = 0; ; attempt++) {
      const answer = await ledger.get('/ledger/checkpoints/latest');
      if (answer.status === 200) {
        latest = answer.body;
        break;
      }
      if (attempt === 50) throw new Error(`no checkpoint signed: ${answer.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    page = await web.newPage();
    await signIn(page, ledger.api.url, auditor);
  });

  /** The app at `hash`. */
  const open = (hash: string, on: Page = page) => on.goto(`${ledger.api.url}/${hash}`);

  /** Rewrites the receipt the API answers, on its way to the page. */
  function tamper(change: (receipt: { canonical: string; inclusionProof: string[] }) => void) {
    return async (route: Route) => {
      const response = await route.fetch();
      const receipt = await response.json();
      change(receipt);
      await route.fulfill({ response, json: receipt });
    };
  }

  it('filters the audit trail by type, in the address, with the rows the API answers', async () => {
    await open('#/audit');
    await page.getByRole('heading', { level: 1, name: "Piste d'audit" }).waitFor();
    await page.locator('table.audit-trail tbody tr').first().waitFor();
    await page.getByLabel("Type d'événement").fill('ContractSigned');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/type=ContractSigned/);
    const expected = (await ledger.get('/audit-trail?type=ContractSigned')).body.items as { seq: number; streamId: string }[];
    expect(expected.length).toBeGreaterThan(0);
    const rows = page.locator('table.audit-trail tbody tr');
    await page.locator('table.audit-trail caption', { hasText: `${expected.length} événement` }).waitFor();
    await expect(rows.locator('th[scope=row]').allTextContents()).resolves.toEqual(expected.map((e) => String(e.seq)));
    await expect(rows.locator('td.event-type').allTextContents()).resolves.toEqual(expected.map(() => 'ContractSigned'));
    await expect(rows.first().textContent()).resolves.toContain(expected[0].streamId);
    // What changed, compact then expanded.
    await rows.first().locator('details summary').click();
    await expect(rows.first().locator('details pre').textContent()).resolves.toContain('"contractId"');
    expect(await page.getByLabel("Type d'événement").inputValue()).toBe('ContractSigned');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit-trail-desktop');

    // The next page by cursor, then the receipt of a listed event.
    await page.goto(`${ledger.api.url}/#/audit?type=ContractSignedByParty`);
    const all = (await ledger.get('/audit-trail?type=ContractSignedByParty')).body.items as { seq: number }[];
    await page.locator('table.audit-trail caption', { hasText: `${all.length} événements` }).waitFor();
    await rows.first().getByRole('link', { name: /Vérifier/ }).click();
    await page.waitForURL(new RegExp(`#/audit/receipts/${all[0].seq}$`));
    await page.getByTestId('receipt-verdict').waitFor();
  });

  it('pages the trail by cursor', async () => {
    const first = (await ledger.get('/audit-trail?limit=50')).body as { items: { seq: number }[]; nextCursor: number };
    await open('#/audit');
    await page.locator('table.audit-trail caption', { hasText: 'n° 1 à 50' }).waitFor();
    await page.getByRole('link', { name: 'Page suivante' }).click();
    await page.waitForURL(new RegExp(`after=${first.nextCursor}`));
    const second = (await ledger.get(`/audit-trail?limit=50&after=${first.nextCursor}`)).body.items as { seq: number }[];
    await page.locator('table.audit-trail tbody th[scope=row]', { hasText: new RegExp(`^${second[0].seq}$`) }).waitFor();
    await expect(page.getByRole('link', { name: 'Première page' }).count()).resolves.toBe(1);
  });

  it('verifies a receipt in the browser: yes, each check listed, the entry decoded from its bytes', async () => {
    const trail = (await ledger.get('/audit-trail?type=ContractSigned')).body.items as { seq: number; streamId: string }[];
    const seq = trail[0].seq;
    await open(`#/audit/receipts/${seq}`);
    await page.getByRole('heading', { level: 1, name: `Reçu de l'événement n° ${seq}` }).waitFor();
    const verdict = page.getByTestId('receipt-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('class')).toBe('verdict yes');
    await expect(verdict.textContent()).resolves.toMatch(new RegExp(`^Oui — reçu vérifié : l'événement n° ${seq} figure dans le registre signé \\(arbre de ${latest.size} événements\\)`));
    const checks = page.locator('ol.checks li');
    await expect(checks.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^✓ Réussi — Empreinte de la feuille/),
      `✓ Réussi — Inclusion de la feuille ${seq - 1} dans l'arbre de taille ${latest.size}`,
      expect.stringMatching(/^✓ Réussi — Point de contrôle/),
      `✓ Réussi — Signature du point de contrôle par la clé ${(await ledger.get('/ledger/key')).body.keyId}`,
    ]);
    await expect(page.getByTestId('entry-type').textContent()).resolves.toBe('ContractSigned');
    await expect(page.locator('.entry-data').textContent()).resolves.toContain('"contractId"');
    await expect(page.getByText(trail[0].streamId, { exact: true }).count()).resolves.toBeGreaterThan(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit-receipt-desktop');

    // Another event through the form.
    await page.getByLabel("Numéro de l'événement").fill('2');
    await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: "Reçu de l'événement n° 2" }).waitFor();
    await page.getByText("Oui — reçu vérifié : l'événement n° 2").waitFor();
  });

  it('says no, naming the failing check, when the receipt is tampered with on its way', async () => {
    // One byte of the canonical bytes: "ContractSigned" becomes "ContractSignee" (0x64 ^ 0x01).
    await page.route('**/ledger/receipts/65', tamper((r) => {
      const bytes = Buffer.from(r.canonical, 'base64');
      const at = bytes.indexOf('"type":"ContractSigned"') + '"type":"ContractSigne'.length;
      bytes[at] ^= 0x01;
      r.canonical = bytes.toString('base64');
    }));
    // One bit of the inclusion proof.
    await page.route('**/ledger/receipts/10', tamper((r) => {
      const bytes = Buffer.from(r.inclusionProof[1], 'base64');
      bytes[0] ^= 0x80;
      r.inclusionProof[1] = bytes.toString('base64');
    }));
    expect((await ledger.get('/audit-trail?type=ContractSigned')).body.items[0].seq).toBe(65);

    await open('#/audit/receipts/65');
    const verdict = page.getByTestId('receipt-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('class')).toBe('verdict no');
    await expect(verdict.textContent()).resolves.toMatch(/^Non — reçu non vérifié\. Échec : empreinte de la feuille — les octets canoniques ne donnent pas l'empreinte de feuille annoncée/);
    await expect(page.locator('li[data-check=leaf-hash]').textContent()).resolves.toMatch(/^✗ Échoué/);
    await expect(page.locator('li[data-check=inclusion]').textContent()).resolves.toMatch(/^✓ Réussi/);
    await expect(page.getByTestId('entry-type').textContent()).resolves.toBe('ContractSignee'); // what the altered bytes say
    await screenshot(page, 'audit-receipt-tampered');

    await open('#/audit/receipts/10');
    await page.getByRole('heading', { level: 1, name: "Reçu de l'événement n° 10" }).waitFor();
    await page.getByText(/^Non — reçu non vérifié\. Échec : inclusion dans l'arbre — la preuve d'inclusion ne mène pas à la racine signée/).waitFor();
    await expect(page.locator('li[data-check=inclusion]').textContent()).resolves.toMatch(/^✗ Échoué/);
    await expect(page.locator('li[data-check=leaf-hash]').textContent()).resolves.toMatch(/^✓ Réussi/);
    await page.unrouteAll();
  });

  it('says when no checkpoint covers the event yet, and verifies it on retry', async () => {
    let refuse = true;
    await page.route('**/ledger/receipts/3', async (route) => {
      if (!refuse) return route.continue();
      await route.fulfill({
        status: 409,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '90' },
        body: JSON.stringify({ status: 409, title: 'No checkpoint covers this event yet', rule: 'CheckpointMustCoverTheEvent', detail: 'no checkpoint covers seq 3 yet' }),
      });
    });
    await open('#/audit/receipts/3');
    await page.getByText('Aucun point de contrôle ne couvre encore cet événement').waitFor();
    await page.getByText(/selon le calendrier \(dans 90 secondes\)/).waitFor();
    refuse = false;
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.getByText("Oui — reçu vérifié : l'événement n° 3").waitFor();
    await page.unrouteAll();
  });

  it('shows the latest checkpoint to anyone, its signature verified, and says no with a wrong trusted key', async () => {
    const key = (await ledger.get('/ledger/key')).body as { verifierKey: string; keyId: string };
    const page = await web.newPage(); // nobody signed in
    await page.goto(`${ledger.api.url}/#/audit/checkpoint`);
    await page.getByRole('heading', { level: 1, name: 'Point de contrôle signé du registre' }).waitFor();
    const verdict = page.getByTestId('checkpoint-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('class')).toBe('verdict yes');
    await expect(verdict.textContent()).resolves.toBe(
      `Oui — signature valide : ce point de contrôle de ${latest.size} événements est signé par la clé ${latest.origin}+${key.keyId}.`,
    );
    await expect(page.getByTestId('checkpoint-size').textContent()).resolves.toBe(`${latest.size} événements`);
    await expect(page.getByTestId('checkpoint-root').textContent()).resolves.toBe(latest.rootHash);
    await expect(page.getByTestId('server-key').textContent()).resolves.toBe(key.verifierKey);
    await page.getByText(/cohérent avec lui-même/).waitFor(); // says plainly this trusts the server
    await page.getByText("Aucun témoin n'a cosigné ce point de contrôle.").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit-checkpoint-desktop');

    // A well-formed key of the same name but another key pair: the signature is not by it.
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const id = createHash('sha256').update(latest.origin).update(Buffer.from([0x0a, 0x01])).update(raw).digest().subarray(0, 4).toString('hex');
    const wrong = `${latest.origin}+${id}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`;
    await page.getByLabel(/Clé de vérification de confiance/).fill(wrong);
    await page.getByRole('button', { name: 'Épingler cette clé' }).click();
    await page.getByText(/^Non — signature non vérifiée : la note n'est pas signée par la clé de confiance\.$/).waitFor();
    expect(await verdict.getAttribute('class')).toBe('verdict no');
    await expect(page.getByTestId('pinned-key').textContent()).resolves.toBe(wrong);
    await page.getByText('Attention : la clé que publie le serveur est différente de la clé épinglée.').waitFor();

    // Kept in this browser: still pinned after a reload. Then not a key at all; then back to the server's key.
    await page.reload();
    await page.getByText(/^Non — signature non vérifiée : la note n'est pas signée par la clé de confiance\.$/).waitFor();
    await page.getByLabel(/Clé de vérification de confiance/).fill('not a key');
    await page.getByRole('button', { name: 'Épingler cette clé' }).click();
    await page.getByText(/^Non — signature non vérifiée : la clé de confiance n'est pas une clé de vérification C2SP/).waitFor();
    await page.getByRole('button', { name: 'Revenir à la clé du serveur' }).click();
    await page.getByText(/^Oui — signature valide/).waitFor();
    await page.context().close();
  });

  it('verifies receipts against the pinned key: a wrong one says no at the signature', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const id = createHash('sha256').update(latest.origin).update(Buffer.from([0x0a, 0x01])).update(raw).digest().subarray(0, 4).toString('hex');
    await open('#/audit/checkpoint');
    await page.getByLabel(/Clé de vérification de confiance/).fill(`${latest.origin}+${id}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`);
    await page.getByRole('button', { name: 'Épingler cette clé' }).click();
    await page.getByText(/^Non — signature non vérifiée/).waitFor();
    await open('#/audit/receipts/65');
    await page.getByText(/^Non — reçu non vérifié\. Échec : signature du point de contrôle — la note n'est pas signée par la clé de confiance/).waitFor();
    await expect(page.locator('li[data-check=signature]').textContent()).resolves.toMatch(new RegExp(`^✗ Échoué — Signature du point de contrôle par la clé ${id}`));
    await expect(page.locator('li[data-check=inclusion]').textContent()).resolves.toMatch(/^✓ Réussi/);
    await page.getByText('Clé de confiance : celle que vous avez épinglée dans ce navigateur').waitFor();
    await open('#/audit/checkpoint');
    await page.getByRole('button', { name: 'Revenir à la clé du serveur' }).click();
    await page.getByText(/^Oui — signature valide/).waitFor();
  });

  it('fits a phone: a receipt at 375 px without serious accessibility violation, the trail scrolling in its box', async () => {
    const page = await web.newPage({ phone: true });
    await signIn(page, ledger.api.url, auditor);
    await open('#/audit/receipts/65', page);
    await page.getByText(/^Oui — reçu vérifié/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit-receipt-phone');
    await open('#/audit/checkpoint', page);
    await page.getByText(/^Oui — signature valide/).waitFor();
    await screenshot(page, 'audit-checkpoint-phone');
    await open('#/audit?type=PartyRegistered', page);
    await page.locator('table.audit-trail tbody tr').first().waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
