// Searches the demo site as a reader would: types words into the masthead's box on the front
// page, presses Enter, narrows the results with the filter form, and pages on.
// Usage: node search.mjs BASE_URL ; prints a JSON report and exits 1 on any problem.
import { chromium } from "playwright-core";

const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const report = { steps: {}, problems: [] };
const results = (page) => page.$$eval(".search-result", (items) => items.map((li) => ({
  headline: li.querySelector("h2").textContent.trim(),
  marked: [...li.querySelectorAll("mark")].map((m) => m.textContent.toLowerCase()),
  href: li.querySelector("h2 a").getAttribute("href"),
})));
try {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  page.on("pageerror", (e) => report.problems.push(`script error: ${e.message}`));
  await page.goto(base + "/", { waitUntil: "load" });
  await page.fill("#masthead-q", "rail strike");
  await Promise.all([page.waitForNavigation(), page.press("#masthead-q", "Enter")]);
  const first = await results(page);
  report.steps.typed = { url: page.url(), count: first.length, summary: await page.textContent(".search-summary") };
  if (first.length === 0) report.problems.push("no results for 'rail strike'");
  for (const r of first) {
    if (!r.marked.some((m) => m.startsWith("rail") || m.startsWith("strik"))) report.problems.push(`nothing marked in "${r.headline}"`);
  }
  // The filter form keeps the words and narrows to one section.
  if ((await page.inputValue("#search-q")) !== "rail strike") report.problems.push("the words were not kept in the form");
  await page.selectOption("#search-section", "politics");
  await Promise.all([page.waitForNavigation(), page.click(".search-main button[type=submit]")]);
  const narrowed = await results(page);
  report.steps.narrowed = { url: page.url(), count: narrowed.length };
  if (!page.url().includes("section=politics")) report.problems.push("the section filter was not sent");
  if (narrowed.length === 0 || narrowed.length > first.length) report.problems.push("the section filter did not narrow");
  // A result leads to its story.
  await Promise.all([page.waitForNavigation(), page.click(".search-result h2 a")]);
  report.steps.opened = await page.title();
  if (!(await page.$("#more-like-this"))) report.problems.push("the result did not open a story");
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
process.exit(report.problems.length ? 1 : 0);
