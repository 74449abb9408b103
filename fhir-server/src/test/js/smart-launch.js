// Drives a standalone SMART launch of the test app in headless Chromium (Debian's, never a
// downloaded one): launch page, the server's login page, its consent page, back to the app, which
// prints what it read. Usage: node smart-launch.js <launch URL> <username> <password> <screenshot dir> [other patient id]
// Prints the app's result (JSON) on standard output.
const { chromium } = require("playwright-core");

async function main() {
  const [launchUrl, username, password, shots, otherPatientId] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"]
  });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    page.setDefaultTimeout(60000);
    // Diagnostics on standard error: what the browser refused or the server answered with an error.
    page.on("requestfailed", r => console.error("request failed:", r.method(), r.url(), r.failure() && r.failure().errorText));
    page.on("response", r => { if (r.status() >= 400) console.error("HTTP", r.status(), r.request().method(), r.url()); });
    page.on("console", m => { if (m.type() === "error") console.error("console:", m.text()); });
    const origin = new URL(launchUrl).origin;
    await page.goto(origin + "/blank.html");
    if (otherPatientId) {
      await page.evaluate(id => localStorage.setItem("otherPatientId", id), otherPatientId);
    }
    await page.goto(launchUrl);
    await page.waitForURL(/\/login$/);
    await page.screenshot({ path: shots + "/login.png", fullPage: true });
    await page.fill("#username", username);
    await page.fill("#password", password);
    await Promise.all([page.waitForURL(/\/oauth2\/consent/), page.click("button[type=submit]")]);
    await page.screenshot({ path: shots + "/consent.png", fullPage: true });
    await page.click("#allow");
    const result = await page.waitForSelector("#result");
    console.log(await result.textContent());
  } finally {
    await browser.close();
  }
}

main().catch(e => { console.error(e); process.exit(1); });
