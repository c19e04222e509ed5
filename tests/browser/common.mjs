// What the newsroom's browser scripts share: Debian's Chromium started the same way, and the
// axe-core check of a page at phone and desktop widths (no sideways scrolling either).
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// Runs axe (WCAG 2.1 A and AA) on `page` at 360 and 1280 pixels wide; each violation and any
// sideways scrolling goes to `report.problems`, and `where` to `report.checked`.
export async function axe(page, where, report) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.addScriptTag({ path: axePath });
    const found = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of found.violations) report.problems.push(`${where} at ${width}px: axe ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) report.problems.push(`${where} at ${width}px: the page scrolls sideways by ${wide}px`);
  }
  report.checked.push(where);
  await page.setViewportSize({ width: 1280, height: 900 });
}
