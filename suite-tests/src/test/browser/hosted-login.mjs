// The hosted login page as a person uses it: the demo app's login → /authorize → pick the country, type the phone
// number → code from the SMS outbox → type it → the demo's callback shows the ID token's claims. Screenshots of the
// page and of the result go to SCREENSHOT_DIR.
// Env: ORIGIN, CLIENT_ID, CONNECTION (an sms connection), NATIONAL (number without country code), COUNTRY_DIAL.
import { chromium } from 'playwright-core';
import { launchOptions, smsCode, smsCount } from './codes.mjs';

const { ORIGIN, CLIENT_ID, CONNECTION, NATIONAL, COUNTRY_DIAL, SCREENSHOT_DIR } = process.env;
const phone = `+${COUNTRY_DIAL}${NATIONAL}`;
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(`${ORIGIN}/demo/login?client_id=${encodeURIComponent(CLIENT_ID)}&connection=${encodeURIComponent(CONNECTION)}`);
  await page.waitForSelector('#identify');
  await page.selectOption('#country', { label: `United States (+${COUNTRY_DIAL})` });
  await page.getByLabel('Phone number').fill(NATIONAL);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/hosted-login-phone.png`, fullPage: true });
  const before = await smsCount(ORIGIN, phone);
  await page.keyboard.press('Enter'); // keyboard only: the form submits from the field
  await page.waitForSelector('#verify:not([hidden])', { timeout: 15000 });
  const code = await smsCode(ORIGIN, phone, before);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Verification code').fill(wrong);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#verify-error:not([hidden])', { timeout: 15000 });
  const wrongMessage = await page.textContent('#verify-error');
  await page.getByLabel('Verification code').fill(code);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/hosted-login-code.png`, fullPage: true });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/demo\/callback/, { timeout: 30000 });
  await page.waitForSelector('#claims', { timeout: 15000 });
  const claims = JSON.parse(await page.textContent('#claims'));
  await page.screenshot({ path: `${SCREENSHOT_DIR}/hosted-login-done.png`, fullPage: true });
  const ok = claims.phone_number === phone && [].concat(claims.aud).includes(CLIENT_ID) && /not right/.test(wrongMessage);
  console.log(JSON.stringify({ ok, wrongMessage, sub: claims.sub, phone_number: claims.phone_number }));
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
}
