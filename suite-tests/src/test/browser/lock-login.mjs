// Auth0's Lock 14 (auth0-lock from npm, unmodified), bundled by esbuild as an app's build would, in an app page on
// the app's OWN origin (APP_ORIGIN, listed in the client's allowed_origins): Lock loads the client's settings
// (/client/{id}.js) and the country from Latchkey's origin, probes for a session (prompt=none, web_message, in a
// hidden iframe), renders; a person types the phone number (SMS) or the email address, then the code from the
// outbox; Lock's `authenticated` event carries an ID token, verified here against the JWKS. It must render at once
// (no probe timeout), with one probe only and no console error.
//   Env: ORIGIN, APP_ORIGIN, CLIENT_ID, CONNECTION (its name), STRATEGY (sms|email), RECIPIENT (+1… or an address).
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { launchOptions, mailCode, smsCode, smsCount } from './codes.mjs';

const { ORIGIN, APP_ORIGIN, CLIENT_ID, CONNECTION, STRATEGY, RECIPIENT } = process.env;
// Lock waits for its session probe before it renders; unanswered, the probe times out after 5 s, so a render within
// the budget means it was answered. The budget leaves room for a loaded test machine (1.2 MB of app to parse).
const RENDER_BUDGET_MS = 4500;
// From the probe's request to its answer (the web_message page).
const PROBE_BUDGET_MS = 1500;

// The app: its own code imports Lock; the configuration names only documented options.
const app = await build({
  stdin: {
    resolveDir: dirname(fileURLToPath(import.meta.url)),
    contents: `
      import { Auth0LockPasswordless } from 'auth0-lock';
      const c = window.APP_CONFIG;
      const lock = new Auth0LockPasswordless(c.clientId, c.domain, {
        // autoclose: Lock closes on success instead of showing its "signed in" pane (whose ref Lock 14.3.0 treats
        // as a DOM node under React 18: a TypeError in the console, on Auth0 as here).
        allowedConnections: [c.connection], passwordlessMethod: 'code', autoclose: true,
        // Auth0's passwordless connections are always named "sms" and "email"; Latchkey's are named freely.
        useCustomPasswordlessConnection: true,
        configurationBaseUrl: c.domain, languageBaseUrl: window.location.origin,
        auth: { redirect: false, responseType: 'token id_token', params: { scope: 'openid email phone' } },
        overrides: { __tenant: 'latchkey', __token_issuer: c.domain + '/', __jwks_uri: c.domain + '/.well-known/jwks.json' },
        theme: { logo: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/%3E' },
      });
      lock.on('authenticated', (r) => { window.lockResult = { ok: true, idToken: r.idToken, accessToken: r.accessToken,
        sub: r.idTokenPayload.sub, email: r.idTokenPayload.email, phone_number: r.idTokenPayload.phone_number }; });
      lock.on('authorization_error', (e) => { window.lockResult = { ok: false, error: e }; });
      lock.show();`,
  },
  bundle: true, write: false, format: 'iife', target: 'es2019', minify: true, logLevel: 'error',
  // As webpack resolves: auth0-js's "module" build even where Lock require()s it (esbuild's default picks "main",
  // a UMD file that a "type": "module" package turns into an ES module without exports).
  mainFields: ['browser', 'module', 'main'],
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
});
const appJs = app.outputFiles[0].contents;
// Lock fetches its dictionary from languageBaseUrl (default https://cdn.auth0.com); this app serves Lock's own.
const en = createRequire(import.meta.url)('auth0-lock/lib/i18n/en.js').default;
const enJs = `Auth0.registerLanguageDictionary('en', ${JSON.stringify(en)});`;
const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lock app</title></head><body>
<script>window.APP_CONFIG = ${JSON.stringify({ clientId: CLIENT_ID, domain: ORIGIN, connection: CONNECTION })};</script>
<script src="/app.js"></script></body></html>`;

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/app.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(appJs);
  else if (path === '/js/lock/14.3.0/en.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(enJs);
  else if (path === '/favicon.ico') res.writeHead(204).end();
  else if (path === '/login.html') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  else res.writeHead(404).end();
});
await new Promise((resolve, reject) => server.on('error', reject).listen(Number(new URL(APP_ORIGIN).port), resolve));

/** Verifies an RS256 JWT against the origin's JWKS; answers its claims. */
async function verified(jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const { keys } = await (await fetch(`${ORIGIN}/.well-known/jwks.json`)).json();
  const jwk = keys.find((k) => k.kid === header.kid);
  if (header.alg !== 'RS256' || !jwk) throw new Error('no JWKS key for ' + JSON.stringify(header));
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url'))) throw new Error('ID token signature does not verify');
  return JSON.parse(Buffer.from(p, 'base64url'));
}

const browser = await chromium.launch(launchOptions());
try {
  const context = await browser.newContext({ locale: 'en-US' });
  const tab = await context.newPage();
  const errors = [];
  const probes = [];
  const logins = [];
  let probeSent;
  let probeMs;
  context.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/authorize' && u.searchParams.get('prompt') === 'none' && !u.searchParams.has('login_ticket')
      && r.status() === 200 && probeMs === undefined) probeMs = Date.now() - probeSent;
  });
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  tab.on('pageerror', (e) => errors.push(String(e)));
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === ORIGIN && u.pathname === '/authorize' && u.searchParams.get('prompt') === 'none'
      && !u.searchParams.has('login_ticket')) {
      probes.push(u.searchParams.get('response_mode'));
      probeSent = Date.now();
    }
    else if (u.origin === ORIGIN && u.pathname === '/authorize') logins.push(u.searchParams.get('response_mode'));
  });
  const traffic = [];
  context.on('response', async (r) => traffic.push(`${r.status()} ${r.request().method()} ${r.url().split('?')[0]}`
    + (r.status() >= 400 ? ' ' + (await r.text().catch(() => '')).slice(0, 300) : '')));
  context.on('requestfailed', (r) => traffic.push(`failed ${r.url().split('?')[0]} ${r.failure()?.errorText}`));
  // What went wrong, when something did: Lock's text, console errors, the requests and their statuses.
  const explain = async (e) => {
    const text = await tab.evaluate(() => document.body.innerText).catch(() => '');
    throw new Error(`${e.message}\npage: ${text}\nconsole: ${JSON.stringify(errors)}\ntraffic: ${traffic.join('\n  ')}`);
  };
  // The suite's services have just started: one warm-up call each, so that the budget measures Lock, not the JIT.
  await fetch(`${ORIGIN}/client/${CLIENT_ID}.js`);
  await fetch(`${ORIGIN}/user/geoloc/country`);
  await fetch(`${ORIGIN}/authorize?client_id=${CLIENT_ID}&prompt=none&response_mode=web_message&response_type=token`
    + `&redirect_uri=${encodeURIComponent(APP_ORIGIN + '/login.html')}&state=w`);
  const started = Date.now();
  await tab.goto(`${APP_ORIGIN}/login.html`);
  const field = STRATEGY === 'sms' ? 'input[name="phoneNumber"]' : 'input[name="email"]';
  await tab.waitForSelector(field, { state: 'visible', timeout: 20000 }).catch(explain);
  const renderMs = Date.now() - started;

  const before = STRATEGY === 'sms' ? await smsCount(ORIGIN, RECIPIENT) : 0;
  // Lock starts with the country of /user/geoloc/country (US for en-US): the national number is typed.
  await tab.fill(field, STRATEGY === 'sms' ? RECIPIENT.replace(/^\+1/, '') : RECIPIENT);
  await tab.click('button.auth0-lock-submit');
  const codeField = 'input[name="vcode"], input[name="code"]';
  await tab.waitForSelector(codeField, { state: 'visible', timeout: 15000 }).catch(explain);
  const code = STRATEGY === 'sms' ? await smsCode(ORIGIN, RECIPIENT, before) : await mailCode(RECIPIENT);
  await tab.fill(codeField, code);
  await tab.click('button.auth0-lock-submit');
  await tab.waitForFunction(() => window.lockResult, null, { timeout: 20000 }).catch(explain);
  const r = await tab.evaluate(() => window.lockResult);
  const claims = r.ok ? await verified(r.idToken) : {};
  const recipientClaim = STRATEGY === 'sms' ? claims.phone_number : claims.email;
  const result = {
    ok: r.ok && recipientClaim === RECIPIENT && [].concat(claims.aud).includes(CLIENT_ID)
      && claims.iss === ORIGIN + '/' && renderMs < RENDER_BUDGET_MS && probeMs < PROBE_BUDGET_MS && probes.length === 1 && errors.length === 0
      && logins.join() === 'web_message',
    render_ms: renderMs, probe_ms: probeMs, probes, logins, console_errors: errors, error: r.error, sub: claims.sub,
    recipient: recipientClaim, has_access_token: !!r.accessToken,
  };
  console.log(JSON.stringify(result));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await browser.close();
  server.close();
}
