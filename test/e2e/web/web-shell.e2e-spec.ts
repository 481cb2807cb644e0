import { browserHarness, describeInBrowser, screenshot, seriousA11yViolations, signIn } from '../../support/browser';
import { seededApi } from '../../support/seeded-api';

describeInBrowser('the web front: served with the API, signed in as each role', () => {
  const ledger = seededApi();
  const web = browserHarness();

  it('is served at / with its assets, under the API\'s security headers', async () => {
    const page = await web.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${ledger.api.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each([
    ['administrator', { subject: 'admin-1', role: 'administrator' }, /administration/],
    ['body secretary', { subject: 'secretary-1', role: 'body-secretary', mandate: 'copil-cvs' }, /secrétariat d'instance \(copil-cvs\)/],
    ['signatory representative', { subject: 'rep-1', role: 'signatory-representative', partyId: 'party-mel' }, /représentant·e de signataire \(party-mel\)/],
    ['auditor', { subject: 'auditor-1', role: 'auditor' }, /audit/],
    ['public', { subject: 'citizen-1', role: 'public' }, /public/],
  ])('signs in as %s', async (name, actor, shown) => {
    const page = await web.newPage();
    await signIn(page, ledger.api.url, actor);
    await expect(page.getByTestId('session-role').textContent()).resolves.toMatch(shown);
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    if (actor.role === 'public') {
      await expect(menu.getByRole('link', { name: 'Engagements' }).count()).resolves.toBe(0);
      await expect(menu.getByRole('link', { name: 'Données ouvertes' }).count()).resolves.toBe(1);
    } else {
      await expect(menu.getByRole('link', { name: 'Engagements' }).count()).resolves.toBe(1);
    }
    await screenshot(page, `signed-in-${name.replace(/ /g, '-')}`);
    await page.context().close();
  });

  it('refuses a text that is not a token, beside the field', async () => {
    const page = await web.newPage();
    await page.goto(`${ledger.api.url}/#/login`);
    await page.getByLabel("Jeton d'accès").fill('not a token');
    await page.getByRole('button', { name: 'Se connecter' }).last().click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain("n'est pas un jeton");
    await expect(page.getByLabel("Jeton d'accès").getAttribute('aria-invalid')).resolves.toBe('true');
    await page.context().close();
  });

  it('speaks English when asked, and remembers it', async () => {
    const page = await web.newPage();
    await page.goto(`${ledger.api.url}/#/login`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.context().close();
  });

  it('has no serious accessibility violation on the login page, on a desktop and on a phone', async () => {
    for (const phone of [false, true]) {
      const page = await web.newPage({ phone });
      await page.goto(`${ledger.api.url}/#/login`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `login-${phone ? 'phone' : 'desktop'}`);
      await page.context().close();
    }
  });
});
