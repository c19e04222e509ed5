// A reader whose browser runs no script: the story page every reader shares holds no form
// stamp, so their comment and their vote are shown back once to confirm, then taken, and
// they land on the story with their comment on it (not a stale copy from the browser's cache).
// Usage: node without-script.mjs BASE_URL STORY_PATH ; prints a JSON report, exits 1 on a problem.
import { chromium } from "playwright-core";

const [base, story] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const report = { steps: {}, problems: [] };
try {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + story, { waitUntil: "load" });
  // Seen once, so the browser holds a copy that the comment makes stale.
  report.steps.firstVisit = await page.locator(".comment-body").count();
  await page.fill("#comment-body", "Written without any script at all");
  await page.fill("#comment-name", "Plain Reader");
  await Promise.all([page.waitForNavigation(), page.click("#comments .comment-form button[type=submit]")]);
  report.steps.confirm = await page.textContent("h1");
  if (report.steps.confirm.trim() !== "Please confirm") report.problems.push(`no confirm page: ${report.steps.confirm}`);
  const shown = await page.textContent(".confirm-text").catch(() => "");
  if (!shown.includes("Written without any script at all")) report.problems.push("the confirm page does not show the comment");
  await Promise.all([page.waitForNavigation(), page.click(".confirm-form button[type=submit]")]);
  report.steps.landed = page.url();
  const bodies = await page.locator(".comment-body").allTextContents();
  if (!bodies.some((b) => b.includes("Written without any script at all"))) report.problems.push("the comment is not on the page the reader lands on");
  // A vote goes the same way.
  const votes = page.locator(".vote-form button[value=up]").first();
  const before = await page.locator(".vote-form .up-count").first().textContent();
  await Promise.all([page.waitForNavigation(), votes.click()]);
  if ((await page.textContent("h1")).trim() === "Please confirm") {
    await Promise.all([page.waitForNavigation(), page.click(".confirm-form button[type=submit]")]);
  } else {
    report.problems.push("a vote without a stamp was not shown back to confirm");
  }
  const after = await page.locator(".vote-form .up-count").first().textContent();
  report.steps.vote = { before, after };
  if (Number(after) !== Number(before) + 1) report.problems.push(`the vote was not counted: ${before} → ${after}`);
} catch (e) {
  report.problems.push(`failed: ${e.message}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.problems.length ? 1 : 0);
