// Looks at newsdesk pages in headless Chromium as a reader would, at phone and desktop widths.
// Usage: node check-pages.mjs BASE_URL PATH[@STATUS]... (SHOTS_DIR=dir to keep screenshots)
// Prints a JSON report; exits 1 when any page has a problem.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error("usage: node check-pages.mjs BASE_URL PATH...");
  process.exit(2);
}
const shots = process.env.SHOTS_DIR;
if (shots) mkdirSync(shots, { recursive: true });
const origin = new URL(base).origin;
const viewports = [
  { name: "phone", width: 360, height: 740 },
  { name: "desktop", width: 1280, height: 900 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const report = { pages: [], problems: [] };
try {
  for (const vp of viewports) {
    // bypassCSP lets the test inject axe-core; the pages themselves keep their strict policy.
    const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, bypassCSP: true });
    for (const spec of paths) {
      const [path, expected] = spec.includes("@") ? [spec.split("@")[0], +spec.split("@")[1]] : [spec, 200];
      const page = await context.newPage();
      const problems = [];
      const where = `${vp.name} ${path}`;
      page.on("console", (m) => {
        const expectedMiss = expected !== 200 && m.text().includes(`status of ${expected}`);
        if (m.type() === "error" && !expectedMiss) problems.push(`console error: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
      page.on("request", (r) => {
        const u = new URL(r.url());
        if (!["data:", "about:"].includes(u.protocol) && u.origin !== origin) problems.push(`request to a third party: ${r.url()}`);
      });
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      const response = await page.goto(base + path, { waitUntil: "load" });
      const facts = await page.evaluate(() => {
        const visible = (el) => !!el && el.getBoundingClientRect().width > 0 && getComputedStyle(el).visibility !== "hidden";
        const byId = (id) => document.getElementById(id);
        const brokenImages = [...document.images].filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src);
        return {
          title: document.title,
          h1: document.querySelector("h1")?.textContent.trim() ?? null,
          h1Visible: visible(document.querySelector("h1:not(.visually-hidden)")) || !!document.querySelector("h1.visually-hidden"),
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          ids: Object.fromEntries(["share", "comments", "more-like-this", "debate", "corrections"].map((id) => [id, visible(byId(id))])),
          claims: [...document.querySelectorAll(".story-body .claim")].map((c) => ({
            status: c.dataset.status,
            badgeVisible: visible(c.nextElementSibling) && c.nextElementSibling.classList.contains("claim-badge"),
            describedBy: !!document.getElementById(c.getAttribute("aria-describedby") || "-"),
          })),
          promos: [...document.querySelectorAll(".promo")].map((p) => ({
            headline: p.querySelector(".promo-headline")?.textContent ?? "",
            kicker: p.querySelector(".kicker")?.textContent ?? "",
            visible: visible(p),
          })),
          shareLinks: [...document.querySelectorAll("#share a")].map((a) => a.href),
          brokenImages,
          fontSizePx: parseFloat(getComputedStyle(document.querySelector(".story-body p") || document.body).fontSize),
        };
      });
      // Accessibility: axe-core's WCAG 2.1 A and AA rules.
      await page.addScriptTag({ path: axePath });
      const axe = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of axe.violations) {
        problems.push(`axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
      facts.axeRulesPassed = axe.passes.length;
      if (!response || response.status() !== expected) problems.push(`status ${response && response.status()}, expected ${expected}`);
      if (!facts.h1 || !facts.h1Visible) problems.push("no visible h1");
      if (facts.overflow > 1) problems.push(`page is ${facts.overflow}px wider than the screen`);
      if (facts.brokenImages.length) problems.push(`broken images: ${facts.brokenImages.join(", ")}`);
      if (facts.fontSizePx < 14) problems.push(`text too small: ${facts.fontSizePx}px`);
      if (/^\/news\/[^/?]+$/.test(path)) {
        for (const id of ["share", "comments", "more-like-this"]) if (!facts.ids[id]) problems.push(`#${id} missing or hidden`);
        for (const c of facts.claims) {
          if (!c.badgeVisible) problems.push(`claim (${c.status}) has no visible badge`);
          if (!c.describedBy) problems.push(`claim (${c.status}) is not described for screen readers`);
        }
        for (const p of facts.promos) if (!p.visible || !p.headline) problems.push(`promo without a visible headline`);
      }
      if (shots) {
        const name = `${vp.name}-${path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home"}.png`;
        await page.screenshot({ path: `${shots}/${name}`, fullPage: true });
      }
      report.pages.push({ where, status: response && response.status(), ...facts });
      for (const p of problems) report.problems.push(`${where}: ${p}`);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
process.exit(report.problems.length ? 1 : 0);
