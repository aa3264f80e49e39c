// Signs in to the operator console, opens an SMS connection, edits its template and watches the live preview
// follow, including a broken template's parser message; then saves. Run by ConsoleBrowserTest (Java), which
// starts admin-service and passes:
//   CONSOLE_URL         base URL of admin-service, e.g. http://localhost:41234
//   CONSOLE_TOKEN       a Management API token (read:connections update:connections ...)
//   CONSOLE_CONNECTION  name of an SMS connection that still has the default template
//   SCREENSHOT          where to save a screenshot of the edited page (optional)
//   CHROMIUM            the browser binary (default /usr/bin/chromium, Debian's package)
import { chromium } from 'playwright-core';

const base = process.env.CONSOLE_URL;
const token = process.env.CONSOLE_TOKEN;
const connection = process.env.CONSOLE_CONNECTION;
if (!base || !token || !connection) {
  console.error('CONSOLE_URL, CONSOLE_TOKEN and CONSOLE_CONNECTION are required');
  process.exit(2);
}

const steps = [];
const step = (name) => { steps.push(name); console.log('step: ' + name); };

async function textIs(page, selector, expected) {
  await page.waitForFunction(([s, t]) => {
    const el = document.querySelector(s);
    return el !== null && el.textContent === t;
  }, [selector, expected], { timeout: 15000 }).catch(async (e) => {
    const actual = await page.locator(selector).textContent().catch(() => '(missing)');
    throw new Error(`${selector}: expected "${expected}", saw "${actual}" (${e.message})`);
  });
}

async function textContains(page, selector, expected) {
  await page.waitForFunction(([s, t]) => {
    const el = document.querySelector(s);
    return el !== null && el.textContent.includes(t);
  }, [selector, expected], { timeout: 15000 }).catch(async (e) => {
    const actual = await page.locator(selector).textContent().catch(() => '(missing)');
    throw new Error(`${selector}: expected to contain "${expected}", saw "${actual}" (${e.message})`);
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error: ' + e.message));

  step('the console sends a visitor without a token to the sign-in page');
  await page.goto(`${base}/console`);
  await page.waitForURL(`${base}/console/login`);

  step('sign in with a Management API token');
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(`${base}/console`), page.click('main button[type=submit]')]);

  step('open the connection from the overview');
  await Promise.all([
    page.waitForURL(`${base}/console/connections/${connection}`),
    page.click(`a[href="/console/connections/${connection}"]`),
  ]);

  step('the preview shows the current template rendered with sample values');
  await textIs(page, '#preview-default', 'Your verification code is: 482915');
  await textContains(page, '#preview-segments-default', '1 SMS segment');

  step('typing a new template changes the preview');
  await page.fill('#body-default', 'Tu código es {{ code }} para {{ application.name }}');
  await textIs(page, '#preview-default', 'Tu código es 482915 para Example app');

  step('a broken template shows the parser message instead');
  await page.fill('#body-default', 'Tu código es {{ code ');
  await textContains(page, '#preview-error-default', 'parser error');
  await textIs(page, '#preview-default', '');

  step('the code length changes the sample code');
  await page.fill('#body-default', 'Tu código: {{ code }}');
  await page.fill('#code_length', '8');
  await page.dispatchEvent('#code_length', 'change');
  await textIs(page, '#preview-default', 'Tu código: 48291503');

  step('save');
  await Promise.all([page.waitForURL(/saved=true/), page.click('#save')]);
  await textContains(page, '#saved', 'Saved');
  const saved = await page.inputValue('#body-default');
  if (saved !== 'Tu código: {{ code }}') {
    throw new Error('after saving the editor shows ' + JSON.stringify(saved));
  }
  await textIs(page, '#preview-default', 'Tu código: 48291503');
  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  }
  console.log(JSON.stringify({ ok: true, steps }));
} catch (e) {
  console.error('FAILED after steps ' + JSON.stringify(steps) + ': ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
