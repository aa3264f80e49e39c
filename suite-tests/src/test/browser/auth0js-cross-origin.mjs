// The real auth0-js v9 in an app page served from the app's OWN origin (APP_ORIGIN, http://localhost:<port>), another
// site than Latchkey's (ORIGIN, http://127.0.0.1:<port>): every call is cross-origin, as for a real app.
//   FLOW=login   passwordlessStart → code → passwordlessLogin (POST /co/authenticate with credentials, then
//                /authorize?login_ticket=) → the app's callback, where parseHash validates the id_token.
//   FLOW=verify  passwordlessStart → code → passwordlessVerify (POST /passwordless/verify, then verify_redirect).
//   FLOW=refused the same page from an origin the client does not list: the preflight gets no
//                Access-Control-Allow-Origin, passwordlessStart fails in the browser and no code is sent.
// Env: ORIGIN, APP_ORIGIN, CLIENT_ID, CONNECTION, STRATEGY (sms|email), RECIPIENT, FLOW.
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { appPages } from './app-pages.mjs';
import { launchOptions, mailCode, smsCode, smsCount } from './codes.mjs';

const { ORIGIN, APP_ORIGIN, CLIENT_ID, CONNECTION, STRATEGY, RECIPIENT, FLOW } = process.env;
const require = createRequire(import.meta.url);
const auth0js = readFileSync(require.resolve('auth0-js/dist/auth0.min.js'));

function pages(appOrigin) {
  const p = appPages({ origin: ORIGIN, clientId: CLIENT_ID, scriptSrc: '/auth0.min.js',
    redirectUri: appOrigin + '/callback.html', label: 'auth0-js app on its own origin' });
  return { '/login.html': p.login, '/callback.html': p.callback };
}

/** Serves the app's pages and auth0.min.js on `port` (0: any) of localhost; resolves to the server and its origin. */
function serveApp(port) {
  return new Promise((resolve, reject) => {
    let appOrigin;
    const server = createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/auth0.min.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(auth0js);
      } else if (pages(appOrigin)[path]) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pages(appOrigin)[path]);
      } else {
        res.writeHead(404).end();
      }
    });
    server.on('error', reject);
    server.listen(port, () => {
      appOrigin = `http://localhost:${server.address().port}`;
      resolve({ server, appOrigin });
    });
  });
}

/** A preflight as the browser sends it, from `origin`; resolves to status and Access-Control-Allow-Origin. */
function preflight(path, origin) {
  return new Promise((resolve, reject) => {
    const req = request(ORIGIN + path, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST',
                 'Access-Control-Request-Headers': 'content-type,auth0-client' },
    }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, allowOrigin: res.headers['access-control-allow-origin'] || null });
    });
    req.on('error', reject);
    req.end();
  });
}

const recipient = STRATEGY === 'sms' ? { phoneNumber: RECIPIENT } : { email: RECIPIENT };
const app = FLOW === 'refused' ? await serveApp(0) : await serveApp(Number(new URL(APP_ORIGIN).port));
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage();
  const seen = [];
  page.on('request', (r) => seen.push(r.method() + ' ' + r.url()));
  await page.goto(`${app.appOrigin}/login.html`);
  const before = STRATEGY === 'sms' ? await smsCount(ORIGIN, RECIPIENT) : 0;
  const started = await page.evaluate((o) => new Promise((resolve) => webAuth.passwordlessStart(
    Object.assign({ connection: o.connection, send: 'code' }, o.recipient),
    (err, res) => resolve(err ? { err: { code: err.code, description: err.description, status: err.statusCode } }
      : { res }))), { connection: CONNECTION, recipient });

  if (FLOW === 'refused') {
    const refused = await preflight('/passwordless/start', app.appOrigin);
    const allowed = await preflight('/passwordless/start', APP_ORIGIN);
    const coRefused = await preflight('/co/authenticate', app.appOrigin);
    await new Promise((r) => setTimeout(r, 2000));
    const sent = STRATEGY === 'sms' ? (await smsCount(ORIGIN, RECIPIENT)) > before : await mailCode(RECIPIENT, 1)
      .then(() => true, () => false);
    const result = { ok: !!started.err && refused.allowOrigin === null && coRefused.allowOrigin === null
        && allowed.allowOrigin === APP_ORIGIN && !sent,
      start_failed: !!started.err, preflight: refused, co_preflight: coRefused, listed_preflight: allowed, sent };
    console.log(JSON.stringify(result));
    process.exitCode = result.ok ? 0 : 1;
  } else {
    if (started.err) throw new Error('passwordlessStart: ' + JSON.stringify(started.err));
    const code = STRATEGY === 'sms' ? await smsCode(ORIGIN, RECIPIENT, before) : await mailCode(RECIPIENT);
    const method = FLOW === 'login' ? 'passwordlessLogin' : 'passwordlessVerify';
    // Both navigate away on success; their callback is called only on error.
    const failed = page.evaluate((o) => new Promise((resolve) => webAuth[o.method](
      Object.assign({ connection: o.connection, verificationCode: o.code }, o.recipient),
      (err) => resolve(err))), { method, connection: CONNECTION, recipient, code }).catch(() => null);
    await page.waitForURL((u) => u.href.startsWith(app.appOrigin + '/callback.html#'), { timeout: 30000 })
      .catch(async (e) => { throw new Error('no callback: ' + JSON.stringify(await failed) + ' ' + e.message); });
    await page.waitForFunction(() => document.getElementById('result').textContent.length > 0, null,
      { timeout: 15000 });
    const result = JSON.parse(await page.textContent('#result'));
    result.co_authenticate = seen.some((s) => s === `POST ${ORIGIN}/co/authenticate`);
    result.login_ticket = seen.some((s) => s.startsWith(`GET ${ORIGIN}/authorize?`) && s.includes('login_ticket='));
    result.app_origin = app.appOrigin;
    console.log(JSON.stringify(result));
    process.exitCode = result.ok ? 0 : 1;
  }
} finally {
  await browser.close();
  app.server.close();
}
