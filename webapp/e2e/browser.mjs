// Browser test of the web app in headless Chromium (Debian's package, driven by playwright-core; no
// browser is downloaded). Started by fhir-server's WebAppBrowserTest against a running server with
// seeded data; it can also be run by hand:
//   BASE_URL=http://127.0.0.1:8080 PATIENT_TOKEN=... AUDITOR_TOKEN=... CLINICIAN_TOKEN=... \
//   PATIENT_NAME=Ada RESOURCE_FILE=obs.json VERIFY_FILE=verify.json SCREENSHOT_DIR=../docs/screenshots \
//   node e2e/browser.mjs
// Exits non-zero on the first failed expectation, after writing a screenshot of the failing page.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (/** @type {string} */ name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('BASE_URL');
const SHOTS = env('SCREENSHOT_DIR');
const FAILURES = process.env.FAILURE_DIR ?? SHOTS;
mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
/** @type {string[]} */
const cspViolations = [];
/** @type {import('playwright-core').Page | null} */
let current = null;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') {
      console.log(`[browser] ${m.text()}`);
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    }
  });
  current = page;
  return page;
}

/** @param {import('playwright-core').Page} page @param {string} name */
async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  console.log(`screenshot ${name}.png`);
}

/** @param {import('playwright-core').Page} page @param {string} token */
async function signInWithToken(page, token) {
  await page.goto(`${BASE}/`);
  await page.waitForURL(/\/app\/#\/signin$|\/app\/$|\/app\/#\/$/);
  await page.getByLabel('Access token', { exact: true }).fill(token);
  // Keyboard only: the submit button is reached with Tab and pressed with Enter.
  await page.getByLabel('Access token', { exact: true }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
}

/** The page's address and storage carry no personal data. @param {import('playwright-core').Page} page @param {string[]} phi */
async function assertNoPhiStored(page, phi) {
  const url = page.url();
  for (const p of phi) assert.ok(!url.includes(p), `URL ${url} contains ${p}`);
  assert.match(new URL(url).hash, /^#\/[a-z-]*$/, `route without identifiers: ${url}`);
  const storage = await page.evaluate(() => ({
    local: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'),
    sessionKeys: Object.keys(sessionStorage),
    session: Object.keys(sessionStorage).map((k) => `${k}=${sessionStorage.getItem(k)}`).join('\n'),
  }));
  for (const p of phi) {
    assert.ok(!storage.local.includes(p), `localStorage holds ${p}`);
  }
  assert.deepEqual(storage.sessionKeys.filter((k) => k !== 'fhir-anchor.session'), [], 'sessionStorage holds only the session');
}

async function run() {
  // 1. The root leads to the app; the app's answers carry a strict CSP.
  let page = await newPage();
  const response = await page.goto(`${BASE}/`);
  assert.ok(response);
  await page.waitForURL(/\/app\//);
  const csp = (await page.request.get(`${BASE}/app/`)).headers()['content-security-policy'];
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(page, 'sign-in');

  // 2. A patient signs in with a pasted token and sees the record by category.
  await signInWithToken(page, env('PATIENT_TOKEN'));
  await page.waitForURL(/#\/record$/);
  await page.getByRole('heading', { name: env('PATIENT_FULL_NAME') }).waitFor();
  for (const category of ['Conditions', 'Observations', 'Medications', 'Claims']) {
    await page.getByRole('heading', { name: category, exact: true }).waitFor();
  }
  await page.locator('#cat-Observation ~ .charts figure').first().waitFor();
  assert.ok(await page.locator('.charts svg[role=img]').count() >= 1, 'a chart of observations over time');
  await page.getByRole('row', { name: /Heart rate/ }).first().waitFor();
  // Verify one version in the browser: a badge with words (verified, or a clear "cannot check" where
  // the server gives this role no proof).
  const verify = page.getByRole('button', { name: /Verify version \d+ of this Patient on chain/ });
  await verify.focus();
  await page.keyboard.press('Enter');
  const badge = page.locator('.patient-header .badge');
  await badge.waitFor();
  const badgeText = await page.locator('.patient-header .verify-slot').innerText();
  assert.doesNotMatch(badgeText, /null|undefined/, 'no stray null in the badge');
  assert.match(badgeText, /Anchored on chain at block \d+|Cannot check: the server gives no proof to this sign-in/, badgeText);
  console.log(`patient's own verify: ${badgeText}`);
  await assertNoPhiStored(page, [env('PATIENT_ID'), env('PATIENT_FULL_NAME')]);
  await shot(page, 'patient-record');

  // 3. The access log: a table, or a clear message while the server does not offer it.
  await page.getByRole('link', { name: 'My access log' }).click();
  await page.getByRole('heading', { name: 'Who looked at my record' }).waitFor();
  await page.locator('table.audit, .notice').first().waitFor();
  await shot(page, 'patient-access-log');

  // 4. Consents: revoke a doctor; the server either records it or says clearly why not.
  await page.getByRole('link', { name: 'My consents' }).click();
  await page.getByRole('heading', { name: 'My consents', level: 2 }).waitFor();
  const doctor = process.env.DOCTOR_NAME ?? 'Dr. Sam Lee'; // seeded by WebAppBrowserTest
  await page.getByRole('row', { name: new RegExp(doctor) }).waitFor();
  const revoke = page.getByRole('button', { name: `Revoke ${doctor}`, exact: true });
  await revoke.waitFor();
  await revoke.click();
  const after = page.locator('.notice').filter({ hasText: /Access revoked|The server did not accept this, nothing was changed/ }).first();
  await after.waitFor();
  console.log(`revoke: ${await after.innerText()}`);
  await shot(page, 'patient-consents');
  await assertNoPhiStored(page, [env('PATIENT_ID'), env('PATIENT_FULL_NAME')]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the token');

  // 5. Verify a file, without signing in: the saved version verifies; a tampered copy is flagged.
  page = await newPage();
  await page.goto(`${BASE}/app/#/verify-file`);
  const resourceText = readFileSync(env('RESOURCE_FILE'), 'utf8');
  await page.getByLabel(/^Resource version/).fill(resourceText);
  await page.locator('#vf-proof-file').setInputFiles(env('VERIFY_FILE'));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const ok = page.locator('#vf-result .badge');
  await ok.filter({ hasText: /Anchored on chain at block \d+/ }).waitFor();
  await shot(page, 'verify-file-verified');
  const tampered = resourceText.replace(/"value":\s*([0-9.]+)/, (_m, v) => `"value":${Number(v) + 1}`);
  assert.notEqual(tampered, resourceText, 'the tampering changes a value');
  await page.getByLabel(/^Resource version/).fill(tampered);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await page.locator('#vf-result .badge').filter({ hasText: /Does not match what was anchored \(content hash mismatch\)/ }).waitFor();
  await shot(page, 'verify-file-tampered');

  // 6. A clinician finds the patient and opens a prescription.
  await signInWithToken(page, env('CLINICIAN_TOKEN'));
  await page.waitForURL(/#\/clinical$/);
  await page.getByLabel('Patient name', { exact: true }).fill(env('PATIENT_NAME'));
  await page.getByLabel('Patient name', { exact: true }).press('Enter');
  await page.getByRole('button', { name: new RegExp(env('PATIENT_FULL_NAME')) }).click();
  await page.getByRole('heading', { name: 'Medications', exact: true }).waitFor();
  await page.getByLabel('Resource', { exact: true }).fill(env('PRESCRIPTION_REF'));
  await page.getByLabel('Resource', { exact: true }).press('Enter');
  await page.getByRole('heading', { name: new RegExp(`^${env('PRESCRIPTION_REF')}, version`) }).waitFor();
  await page.locator('.card .badge').first().waitFor();
  await shot(page, 'clinician');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // 7. An auditor: checkpoints re-read from the contract, consistency, the sweep, the access log.
  await signInWithToken(page, env('AUDITOR_TOKEN'));
  await page.waitForURL(/#\/audit$/);
  await page.getByRole('heading', { name: 'Auditor console' }).waitFor();
  await page.locator('.notice.ok').filter({ hasText: /anchored checkpoints?; the \d+ most recent match the contract/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Check consistency' }).click();
  await page.locator('.notice.ok').filter({ hasText: /extends the log of/ }).waitFor();
  await page.getByRole('button', { name: 'Run the audit sweep' }).click();
  await page.locator('.notice.ok').filter({ hasText: /logged versions re-hash to what was logged/ }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Patient', { exact: true }).fill(env('PATIENT_ID'));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('table.audit').waitFor();
  assert.ok(await page.locator('table.audit tbody tr').count() >= 1, 'the access log of the patient has entries');
  await shot(page, 'auditor-console');

  assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violations');
}

try {
  await run();
  console.log('browser test passed');
} catch (e) {
  console.error(e);
  if (current) await current.screenshot({ path: join(FAILURES, 'failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
