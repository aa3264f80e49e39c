// The real auth0-js v9 (from npm, unmodified) in a page on the one origin:
// webAuth.passwordlessStart → code from the SMS outbox or the mail sink → webAuth.passwordlessVerify, which posts
// /passwordless/verify and then sends the browser to /passwordless/verify_redirect → the callback page, where
// webAuth.parseHash validates the id_token (signature against the JWKS, iss, aud, nonce).
// Env: ORIGIN, CLIENT_ID, CONNECTION, STRATEGY (sms|email), RECIPIENT, WWW (directory served at ORIGIN/suite/).
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { appPages } from './app-pages.mjs';
import { launchOptions, mailCode, smsCode, smsCount } from './codes.mjs';

const { ORIGIN, CLIENT_ID, CONNECTION, STRATEGY, RECIPIENT, WWW } = process.env;
const require = createRequire(import.meta.url);
copyFileSync(require.resolve('auth0-js/dist/auth0.min.js'), `${WWW}/auth0.min.js`);
const app = appPages({ origin: ORIGIN, clientId: CLIENT_ID, scriptSrc: '/suite/auth0.min.js',
  redirectUri: ORIGIN + '/suite/callback.html', label: 'auth0-js test app' });
writeFileSync(`${WWW}/login.html`, app.login);
writeFileSync(`${WWW}/callback.html`, app.callback);

const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage();
  await page.goto(`${ORIGIN}/suite/login.html`);
  const recipient = STRATEGY === 'sms' ? { phoneNumber: RECIPIENT } : { email: RECIPIENT };
  const before = STRATEGY === 'sms' ? await smsCount(ORIGIN, RECIPIENT) : 0;
  const started = await page.evaluate((o) => new Promise((resolve) => webAuth.passwordlessStart(
    Object.assign({ connection: o.connection, send: 'code' }, o.recipient),
    (err, res) => resolve(err ? { err } : { res }))), { connection: CONNECTION, recipient });
  if (started.err) throw new Error('passwordlessStart: ' + JSON.stringify(started.err));
  const code = STRATEGY === 'sms' ? await smsCode(ORIGIN, RECIPIENT, before) : await mailCode(RECIPIENT);
  // passwordlessVerify navigates away on success; its callback is called only on error.
  const verifyError = page.evaluate((o) => new Promise((resolve) => webAuth.passwordlessVerify(
    Object.assign({ connection: o.connection, verificationCode: o.code }, o.recipient),
    (err) => resolve(err))), { connection: CONNECTION, recipient, code }).catch(() => null);
  await page.waitForURL(/\/suite\/callback\.html#/, { timeout: 30000 }).catch(async (e) => {
    throw new Error('no callback: ' + JSON.stringify(await verifyError) + ' ' + e.message);
  });
  await page.waitForFunction(() => document.getElementById('result').textContent.length > 0, null,
    { timeout: 15000 });
  const result = JSON.parse(await page.textContent('#result'));
  console.log(JSON.stringify(result));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await browser.close();
}
