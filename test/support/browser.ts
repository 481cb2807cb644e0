import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type TestActor, tokenFor } from './tokens';

/** Debian's chromium (apt-get install chromium): the browser tests never download one. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const SKIPPED = "skipped: Debian's chromium is not installed (apt-get install chromium chromium-driver); the browser tests drive /usr/bin/chromium";

/** `describe` when the browser is here; otherwise the same tests registered as skipped, under a name that says why. */
export const describeInBrowser: (name: string, fn: () => void) => void = CHROMIUM
  ? (name, fn) => describe(name, fn)
  : (name, fn) => {
      console.warn(`${name}: ${SKIPPED}`);
      describe.skip(`${name} (${SKIPPED})`, fn);
    };

/** Where the browser tests leave their screenshots (a CI artifact; not committed). */
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface BrowserHarness {
  browser: Browser;
  /** A new page in a fresh context (no storage shared with other pages): desktop, or a phone's viewport. */
  newPage(options?: { phone?: boolean }): Promise<Page>;
}

/**
 * For a `describe`: headless Chromium, launched once, closed after the tests. Flags: as root and without a
 * GPU, and with nothing that reaches out to the network (the machine's network is closed).
 */
export function browserHarness(): BrowserHarness {
  const harness = { contexts: [] as BrowserContext[] } as unknown as BrowserHarness & { contexts: BrowserContext[] };
  beforeAll(async () => {
    harness.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await harness.browser?.close();
  });
  harness.newPage = async ({ phone = false } = {}) => {
    const context = await harness.browser.newContext(
      phone ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } },
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };
  return harness;
}

/**
 * Signs in through the login page as `actor` (a token minted with the tests' key, which the API trusts),
 * then waits until the header shows the role.
 */
export async function signIn(page: Page, baseUrl: string, actor: TestActor): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.getByLabel(/Jeton d'accès|Access token/).fill(await tokenFor(actor));
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).last().click();
  await page.getByTestId('session-role').waitFor();
}

/** A full-page screenshot into test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules run on the page as it is; the violations of impact `serious` or
 * `critical` (RGAA's blocking faults). axe is evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy does not govern, so the page is checked under its real CSP.
 */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${axeSource};undefined`);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`)) as A11yViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
