// Where one-time codes land in a local run: SMS in delivery-service's outbox (through the origin), email in the
// GreenMail sink's REST API. Waits for a message newer than `before` (a count taken before the start).
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function smsCount(origin, phone) {
  const r = await fetch(`${origin}/dev/outbox/messages?to=${encodeURIComponent(phone)}`);
  return r.ok ? (await r.json()).length : 0;
}

export async function smsCode(origin, phone, before, seconds = 30) {
  for (let i = 0; i < seconds * 5; i++) {
    const r = await fetch(`${origin}/dev/outbox/messages?to=${encodeURIComponent(phone)}`);
    if (r.ok) {
      const list = await r.json();
      if (list.length > before) return list[0].body.match(/\b(\d{4,10})\b/)[1];
    }
    await sleep(200);
  }
  throw new Error(`no SMS for ${phone} in ${seconds} s`);
}

export async function mailCode(address, seconds = 30) {
  for (let i = 0; i < seconds * 4; i++) {
    const r = await fetch(`${process.env.LATCHKEY_SMTP_API || 'http://127.0.0.1:8025'}/api/user/${encodeURIComponent(address)}/messages/`);
    if (r.ok) {
      const list = await r.json();
      if (list.length > 0) {
        const text = list[list.length - 1].mimeMessage || JSON.stringify(list[list.length - 1]);
        return text.match(/\b(\d{6})\b/)[1];
      }
    }
    await sleep(250);
  }
  throw new Error(`no mail for ${address} in ${seconds} s`);
}

export function launchOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  };
}
