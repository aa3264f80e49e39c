// Full-cycle login load through the one origin: POST /passwordless/start → the SMS in the outbox → POST /oauth/token
// (passwordless OTP grant). Prints logins/s and p50/p99 of each step as JSON. Node >= 20, no dependencies.
// Env: ORIGIN (http://127.0.0.1:8080), CLIENT_ID (demo-app), CONNECTION (sms), CONCURRENCY (16), DURATION (30 s).
const ORIGIN = process.env.ORIGIN || 'http://127.0.0.1:8080';
const CLIENT_ID = process.env.CLIENT_ID || 'demo-app';
const CONNECTION = process.env.CONNECTION || 'sms';
const CONCURRENCY = +(process.env.CONCURRENCY || 16);
const DURATION = +(process.env.DURATION || 30) * 1000;
// Distinct recipients (the per-recipient limits allow one code per 30 s): valid US area codes × 10,000 lines of 555.
const AREAS = [201, 202, 206, 212, 213, 305, 312, 404, 415, 503, 512, 602, 617, 646, 702, 713, 718, 805, 818, 917];
// A random place in the 200,000 numbers: runs close together seldom share recipients (a shared one gets a 429).
const run = Math.floor(Math.random() * 200000);
let seq = 0;
const nextPhone = () => {
  const n = (run + seq++) % 200000;
  return `+1${AREAS[n % AREAS.length]}555${String(Math.floor(n / AREAS.length) % 10000).padStart(4, '0')}`;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const steps = { start: [], delivery: [], token: [], total: [] };
const errors = {};
const fail = (what) => { errors[what] = (errors[what] || 0) + 1; };

async function outboxCount(phone) {
  const r = await fetch(`${ORIGIN}/dev/outbox/messages?to=${encodeURIComponent(phone)}`);
  return r.ok ? r.json() : [];
}

async function login() {
  const phone = nextPhone();
  const seen = (await outboxCount(phone)).length;
  const t0 = performance.now();
  const s = await fetch(`${ORIGIN}/passwordless/start`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: CLIENT_ID, connection: CONNECTION, phone_number: phone, send: 'code' }),
  });
  await s.text();
  const t1 = performance.now();
  if (s.status !== 200) return fail(`start ${s.status}`);
  let code = null;
  for (let i = 0; i < 300 && !code; i++) {
    const list = await outboxCount(phone);
    if (list.length > seen) code = list[0].body.match(/\b(\d{4,10})\b/)[1];
    else await sleep(20);
  }
  const t2 = performance.now();
  if (!code) return fail('no sms in 6 s');
  const t = await fetch(`${ORIGIN}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'http://auth0.com/oauth/grant-type/passwordless/otp', client_id: CLIENT_ID,
      realm: CONNECTION, username: phone, otp: code, scope: 'openid phone' }),
  });
  await t.text();
  const t3 = performance.now();
  if (t.status !== 200) return fail(`token ${t.status}`);
  steps.start.push(t1 - t0); steps.delivery.push(t2 - t1); steps.token.push(t3 - t2); steps.total.push(t3 - t0);
}

const pct = (a, p) => {
  if (!a.length) return null;
  const s = [...a].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};
const began = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (performance.now() - began < DURATION) {
    try { await login(); } catch (e) { fail(e.message); }
  }
}));
const secs = (performance.now() - began) / 1000;
const report = { concurrency: CONCURRENCY, seconds: Math.round(secs), logins: steps.total.length,
  logins_per_s: Math.round((steps.total.length / secs) * 10) / 10, errors };
for (const [k, v] of Object.entries(steps)) report[`${k}_ms`] = { p50: pct(v, 50), p99: pct(v, 99) };
console.log(JSON.stringify(report, null, 2));
