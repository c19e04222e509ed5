// An old site's link followed in Chromium: the address WordPress gave a post, with a comment's
// old number in its fragment (#comment-N), must end on the story with the imported comment
// scrolled to and its own anchor in the address bar; the site page an import brought must pass
// axe. Prints a JSON report; usage: node old-links.mjs BASE OLD_PATH ARCHIVE_NUMBER PAGE_PATH
import { launch, axe } from "./common.mjs";

const [base, oldPath, number, pagePath] = process.argv.slice(2);
const report = { problems: [], checked: [] };
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}${oldPath}#comment-${number}`, { waitUntil: "load" });
  await page.waitForFunction((n) => {
    const el = document.querySelector(`[data-archive-id="${n}"]`);
    return el && location.hash === `#${el.id}`;
  }, number, { timeout: 10000 }).catch(() => {});
  const seen = await page.evaluate((n) => {
    const el = document.querySelector(`[data-archive-id="${n}"]`);
    if (!el) return { found: false, url: location.href };
    const box = el.getBoundingClientRect();
    return {
      found: true,
      url: location.href,
      hash: location.hash,
      id: el.id,
      inView: box.top < window.innerHeight && box.bottom > 0,
      name: el.querySelector(".comment-name")?.textContent.trim(),
    };
  }, number);
  report.comment = seen;
  if (!seen.found) report.problems.push(`no comment numbered ${number} on ${seen.url}`);
  else {
    if (seen.hash !== `#${seen.id}`) report.problems.push(`the address ends ${seen.hash}, not #${seen.id}`);
    if (!seen.inView) report.problems.push("the old comment is not scrolled into view");
    if (!new URL(seen.url).pathname.startsWith("/news/")) report.problems.push(`ended at ${seen.url}`);
  }
  for (const e of errors) report.problems.push(`script error: ${e}`);
  // The old link is followed under the site's own policy; axe is injected where it is lifted.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const checked = await context.newPage();
  await checked.goto(`${base}${pagePath}`, { waitUntil: "load" });
  await axe(checked, pagePath, report);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
