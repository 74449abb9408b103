// Browser test of the web app in headless Chromium (Debian's package, driven by playwright-core; no
// browser is downloaded). Started by fhir-server's WebAppBrowserTest against a running server with
// seeded data (the patient, her doctors and consents, the web app registered as a SMART client, a
// patient user and an auditor user of the built-in authorization server); every variable it reads
// is set there. People sign in as people do: on the authorization server's own login and consent
// pages (SMART standalone launch with PKCE); only the clinician step uses a pasted token (the
// development path). Exits non-zero on the first failed expectation, after writing a screenshot of
// the failing page.
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
  page.setDefaultTimeout(45_000);
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
  await page.mouse.move(0, 0); // no hover effect where the last click was
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

/**
 * The authorization server's login page: the user types the name and password there (never into the app).
 * @param {import('playwright-core').Page} page @param {string} username @param {string} [screenshot]
 */
async function logInOnServerPage(page, username, screenshot) {
  await page.waitForURL(/\/login$/);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if (screenshot) await shot(page, screenshot);
  await page.fill('#username', username);
  await page.fill('#password', env('PASSWORD'));
  await page.click('button[type=submit]');
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
  assert.equal(new URL(url).search, '', `no query (the authorization code left the address bar): ${url}`);
}

/** @param {import('playwright-core').Page} page */
async function signedInSession(page) {
  return page.evaluate(() => sessionStorage.getItem('fhir-anchor.session'));
}

/** A read with the given bearer token, from outside the browser: what the server answers a REST client. @param {string} ref @param {string} token */
async function restStatus(ref, token) {
  const response = await fetch(`${BASE}/fhir/${ref}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });
  return response.status;
}

async function run() {
  const patientName = env('PATIENT_FULL_NAME');
  const doctor = env('DOCTOR_NAME');
  const doctorRef = env('DOCTOR_REF');

  // 1. The root leads to the app; the app's answers carry a strict CSP.
  let page = await newPage();
  const response = await page.goto(`${BASE}/`);
  assert.ok(response);
  await page.waitForURL(/\/app\//);
  const csp = (await page.request.get(`${BASE}/app/`)).headers()['content-security-policy'];
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await shot(page, 'sign-in');

  // 2. The patient signs in through the real SMART standalone launch: the app sends her to the
  //    server's login page, she signs in and allows the app on the consent page, the app exchanges
  //    the code (PKCE) and opens her record.
  await page.getByRole('button', { name: 'Sign in as a patient', exact: true }).click();
  await logInOnServerPage(page, env('PATIENT_USER'), 'smart-login');
  await page.waitForURL(/\/oauth2\/consent/);
  await page.locator('#allow').waitFor();
  await shot(page, 'smart-consent');
  await page.click('#allow');
  await page.waitForURL(/\/app\/#\/record$/);
  const ada = JSON.parse(String(await signedInSession(page)));
  assert.equal(ada.via, 'smart', 'signed in by the SMART launch');
  assert.equal(ada.patient, env('PATIENT_ID'), 'the launch context names her Patient');
  assert.ok(ada.idToken, 'the ID token is kept to end the server session at sign-out');
  await page.getByText('Signed in as a patient').waitFor();

  // 3. Her record by category, with a chart; every version verified on chain in the browser with her
  //    own token: strictly "Anchored on chain at block N", nothing skipped.
  await page.getByRole('heading', { name: patientName }).waitFor();
  for (const category of ['Conditions', 'Observations', 'Medications', 'Claims']) {
    await page.getByRole('heading', { name: category, exact: true }).waitFor();
  }
  await page.locator('#cat-Observation ~ .charts figure').first().waitFor();
  assert.ok(await page.locator('.charts svg[role=img]').count() >= 1, 'a chart of observations over time');
  await page.getByRole('row', { name: /Heart rate/ }).first().waitFor();
  await page.locator('.category table').first().waitFor();
  for (const c of await page.locator('.category').all()) await c.locator('table, p:not(.loading), .notice').first().waitFor();
  assert.equal(await page.locator('.category .notice').count(), 0, 'every category readable with her token');
  // The Patient resource's own badge, by keyboard.
  const verify = page.getByRole('button', { name: /Verify version \d+ of this Patient on chain/ });
  await verify.focus();
  await page.keyboard.press('Enter');
  await page.locator('.patient-header .badge').waitFor();
  const patientBadge = await page.locator('.patient-header .badge').innerText();
  assert.match(patientBadge, /^✔ Anchored on chain at block \d+$/, `the patient's own version: ${patientBadge}`);
  // Every row.
  const rows = await page.locator('.verify-cell').count();
  assert.ok(rows >= 8, `the record shows its versions (${rows})`);
  await page.getByRole('button', { name: 'Verify everything shown' }).click();
  const summary = page.locator('.verify-all-result .notice');
  await summary.waitFor({ timeout: 120_000 });
  const summaryText = await summary.innerText();
  assert.match(summaryText, new RegExp(`${rows} of ${rows} versions verified on chain in this browser`), summaryText);
  const badges = await page.locator('.verify-cell .badge').allInnerTexts();
  assert.equal(badges.length, rows);
  for (const b of badges) assert.match(b, /^✔ Anchored on chain at block \d+$/, b);
  console.log(`patient verified ${rows} versions in the browser: ${badges[0]}`);
  await assertNoPhiStored(page, [env('PATIENT_ID'), patientName]);
  await shot(page, 'patient-record');

  // 4. A dishonest server: the bytes of one version are altered on their way to the browser; the
  //    page recomputes the hash and flags it, whatever the server's $verify says.
  const tamperRef = env('TAMPER_REF');
  let tampered = 0;
  await page.route((url) => url.pathname.endsWith(`/fhir/${tamperRef}/_history/1`), async (route) => {
    const original = await route.fetch();
    const body = (await original.text()).replace(/("value":\s*)([0-9.]+)/, (_m, k, v) => `${k}${Number(v) + 1}`);
    tampered++;
    await route.fulfill({ response: original, body });
  });
  await page.reload();
  await page.getByRole('heading', { name: patientName }).waitFor();
  const tamperedCell = page.locator(`.verify-cell[data-ref="${tamperRef}/_history/1"]`);
  await tamperedCell.getByRole('button').click();
  await tamperedCell.locator('.badge.failed').filter({ hasText: 'Does not match what was anchored (content hash mismatch)' }).waitFor();
  assert.equal(tampered, 1, 'the altered bytes were the ones verified');
  await tamperedCell.locator('xpath=ancestor::section[1]').screenshot({ path: join(SHOTS, 'patient-record-tampered.png') });
  console.log('screenshot patient-record-tampered.png');
  await page.unroute(() => true);

  // 5. The access log: the doctor's read of her Observation, and a break-glass read highlighted.
  await page.getByRole('link', { name: 'My access log' }).click();
  await page.getByRole('heading', { name: 'Who looked at my record' }).waitFor();
  await page.locator('table.audit').waitFor();
  const doctorRead = page.locator('table.audit tbody tr').filter({ hasText: doctorRef }).filter({ hasText: env('OBSERVATION_REF') })
    .filter({ has: page.getByRole('cell', { name: 'read', exact: true }) });
  assert.ok(await doctorRead.count() >= 1, `a row for ${doctorRef}'s read of ${env('OBSERVATION_REF')}`);
  assert.match(await doctorRead.first().innerText(), /allowed/);
  const btgRow = page.locator('table.audit tbody tr.btg').filter({ hasText: env('EMERGENCY_DOCTOR_REF') });
  assert.ok(await btgRow.count() >= 1, 'the break-glass read is highlighted');
  assert.match(await btgRow.first().innerText(), /Break-glass/);
  await page.locator('.notice.warn').filter({ hasText: /\d+ break-glass access/ }).waitFor();
  assert.equal(await page.locator('table.audit tbody tr').filter({ hasText: `Patient/${env('PATIENT_ID')} (patient)` }).count(), 0,
    'her own visits are hidden until asked for');
  // Her copy leaves out other patients and network addresses, so it offers no proof (the auditor proves the events).
  assert.equal(await page.getByRole('button', { name: /Verify version/ }).count(), 0, 'no proof button on a redacted copy');
  await shot(page, 'patient-access-log');

  // 6. Consents: she revokes the doctor; the server refuses him from then on (asked at REST level
  //    with his own token, outside the browser).
  assert.equal(await restStatus(env('OBSERVATION_REF'), env('DOCTOR_TOKEN')), 200, 'the doctor reads before the revocation');
  await page.getByRole('link', { name: 'My consents' }).click();
  await page.getByRole('heading', { name: 'My consents', level: 2 }).waitFor();
  await page.getByRole('row', { name: new RegExp(doctor) }).waitFor();
  await page.getByRole('button', { name: `Revoke ${doctor}`, exact: true }).click();
  await page.locator('.notice.ok').filter({ hasText: `Access revoked for ${doctor}` }).waitFor();
  // One new version of the same Consent: it now denies him (deny wins over her consent to treatment by anyone).
  await page.getByRole('row', { name: new RegExp(`${doctor} Denied active`) }).waitFor();
  await page.getByRole('button', { name: `Allow ${doctor} again`, exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: `Revoke ${doctor}`, exact: true }).count(), 0, 'nothing left to revoke for him');
  assert.equal(await restStatus(env('OBSERVATION_REF'), env('DOCTOR_TOKEN')), 403, 'the revoked doctor is refused');
  console.log(`revoked ${doctor}: his token now gets 403`);
  await shot(page, 'patient-consents');
  await assertNoPhiStored(page, [env('PATIENT_ID'), patientName]);

  // 7. Sign-out ends the session at the authorization server too (its end_session_endpoint), so the
  //    next sign-in meets the login page again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('.notice.ok').filter({ hasText: "You are signed out, here and on the server's sign-in page." }).waitFor();
  assert.equal(await signedInSession(page), null, 'signing out forgets the token');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing left in the tab');

  // 8. A refused sign-in, shown clearly: the login page is back (the server session ended), and an
  //    auditor's account on "Sign in as a patient" is refused by the server (invalid_scope).
  await page.getByRole('button', { name: 'Sign in as a patient', exact: true }).click();
  await logInOnServerPage(page, env('AUDITOR_USER'));
  await page.waitForURL(/\/app\/#\/signin$/);
  const refusal = page.locator('.notice.bad[role=alert]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Sign-in refused\. Your account may not use “Sign in as a patient”.*invalid_scope/s);
  assert.equal(await signedInSession(page), null, 'not signed in');
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  await shot(page, 'sign-in-refused');

  // 9. Verify a file, without signing in: the saved version verifies; a tampered copy is flagged.
  page = await newPage();
  await page.goto(`${BASE}/app/#/verify-file`);
  const resourceText = readFileSync(env('RESOURCE_FILE'), 'utf8');
  await page.getByLabel(/^Resource version/).fill(resourceText);
  await page.locator('#vf-proof-file').setInputFiles(env('VERIFY_FILE'));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const ok = page.locator('#vf-result .badge');
  await ok.filter({ hasText: /Anchored on chain at block \d+/ }).waitFor();
  await shot(page, 'verify-file-verified');
  const tamperedText = resourceText.replace(/"value":\s*([0-9.]+)/, (_m, v) => `"value":${Number(v) + 1}`);
  assert.notEqual(tamperedText, resourceText, 'the tampering changes a value');
  await page.getByLabel(/^Resource version/).fill(tamperedText);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await page.locator('#vf-result .badge').filter({ hasText: /Does not match what was anchored \(content hash mismatch\)/ }).waitFor();
  await shot(page, 'verify-file-tampered');

  // 10. A clinician Ada still permits (pasted token, the development path) finds her and opens a
  //     prescription, verified with the clinician's own token.
  await signInWithToken(page, env('CLINICIAN_TOKEN'));
  await page.waitForURL(/#\/clinical$/);
  await page.getByLabel('Patient name', { exact: true }).fill(env('PATIENT_NAME'));
  await page.getByLabel('Patient name', { exact: true }).press('Enter');
  await page.getByRole('button', { name: new RegExp(patientName) }).click();
  await page.getByRole('heading', { name: 'Medications', exact: true }).waitFor();
  await page.getByLabel('Resource', { exact: true }).fill(env('PRESCRIPTION_REF'));
  await page.getByLabel('Resource', { exact: true }).press('Enter');
  await page.getByRole('heading', { name: new RegExp(`^${env('PRESCRIPTION_REF')}, version`) }).waitFor();
  const rxBadge = page.locator('.card').filter({ has: page.getByRole('heading', { name: new RegExp(`^${env('PRESCRIPTION_REF')}, version`) }) }).locator('.badge');
  await rxBadge.waitFor();
  assert.match(await rxBadge.innerText(), /Anchored on chain at block \d+/, 'the prescription is exactly what was anchored');
  await shot(page, 'clinician');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('.notice.ok').filter({ hasText: 'You are signed out.' }).waitFor();

  // 11. An auditor signs in on the server's login page. "Don't allow" on the consent page is a
  //     refusal the app states; then "Allow" opens the auditor console.
  await page.getByRole('button', { name: 'Sign in as an auditor', exact: true }).click();
  await logInOnServerPage(page, env('AUDITOR_USER'));
  await page.waitForURL(/\/oauth2\/consent/);
  await page.click('#deny');
  await page.waitForURL(/\/app\/#\/signin$/);
  await page.locator('.notice.bad').filter({ hasText: /You chose not to allow the app access.*access_denied/s }).waitFor();
  await page.getByRole('button', { name: 'Sign in as an auditor', exact: true }).click();
  await page.waitForURL(/\/oauth2\/consent/);
  await page.click('#allow');
  await page.waitForURL(/\/app\/#\/audit$/);
  await page.getByRole('heading', { name: 'Auditor console' }).waitFor();
  assert.equal(JSON.parse(String(await signedInSession(page))).via, 'smart');
  await page.locator('.notice.ok').filter({ hasText: /anchored checkpoints?; the \d+ most recent match the contract/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Check consistency' }).click();
  await page.locator('.notice.ok').filter({ hasText: /extends the log of/ }).waitFor();
  await page.getByRole('button', { name: 'Run the audit sweep' }).click();
  await page.locator('.notice.ok').filter({ hasText: /logged versions re-hash to what was logged/ }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Patient', { exact: true }).fill(env('PATIENT_ID'));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('table.audit').waitFor();
  assert.ok(await page.locator('table.audit tbody tr').count() >= 1, 'the access log of the patient has entries');
  assert.ok(await page.locator('table.audit tbody tr.btg').filter({ hasText: env('EMERGENCY_DOCTOR_REF') }).count() >= 1,
    'the auditor sees the break-glass read');
  // The break-glass read's AuditEvent verifies on chain in the browser, through the audit batch it was sealed in
  // (docs/verification.md 4.2), once that batch is sealed and anchored (a few seconds).
  let auditBadge = '';
  for (let attempt = 0; attempt < 20 && !/anchored/i.test(auditBadge); attempt++) {
    if (attempt > 0) {
      await page.waitForTimeout(1500);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.locator('table.audit').waitFor();
    }
    const row = page.locator('table.audit tbody tr.btg').filter({ hasText: env('EMERGENCY_DOCTOR_REF') }).first();
    await row.getByRole('button', { name: /Verify version/ }).click();
    await row.locator('.badge').waitFor();
    auditBadge = await row.locator('.badge').innerText();
    assert.doesNotMatch(auditBadge, /✖/, `the break-glass AuditEvent does not fail verification: ${auditBadge}`);
  }
  assert.match(auditBadge, /anchored/i, 'the break-glass AuditEvent verifies on chain through its batch');
  console.log('auditor verified an AuditEvent in the browser: ' + auditBadge);
  await page.getByLabel('Break-glass only').check();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('table.audit tbody tr.btg').filter({ hasText: env('EMERGENCY_DOCTOR_REF') }).first().waitFor();
  const shown = await page.locator('table.audit tbody tr').count();
  assert.equal(await page.locator('table.audit tbody tr.btg').count(), shown, 'break-glass only: every row is one');
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
