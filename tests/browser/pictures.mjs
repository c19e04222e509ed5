// Pictures in a real browser: an editor drops a phone photo (taken sideways, with a place in
// its metadata) on the story editor's hero box and also picks one with the file field; the
// published story shows it upright from `srcset`, with its real width and height. The new
// newsroom pages (pictures, account, people, settings, audit) are checked with axe-core.
// Usage: ADMIN=… PASSWORD=… PHOTO=path.jpg node pictures.mjs BASE_URL ; prints a JSON report
// and exits 1 on any problem.
import { axe as checkWithAxe, launch } from "./common.mjs";
import { readFileSync } from "node:fs";

const [base] = process.argv.slice(2);
const { ADMIN, PASSWORD, PHOTO } = process.env;
const browser = await launch();
const report = { steps: {}, checked: [], problems: [] };
const problem = (p) => report.problems.push(p);

const axe = (page, where) => checkWithAxe(page, where, report);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => problem(`script error: ${e.message}`));
  await page.goto(base + "/admin/login", { waitUntil: "load" });
  await page.fill("#login-email", ADMIN);
  await page.fill("#login-password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form[action=\"/admin/login\"] button[type=submit]")]);

  await page.goto(base + "/admin/stories/new", { waitUntil: "load" });
  await page.fill("#s-headline", "Lighthouse keeper retires after forty years");
  await page.fill("#s-standfirst", "The last keeper of the north light hands over the keys.");
  await page.fill("#s-section", "city");
  await page.fill("#s-authors", "Cleo Park");
  await page.fill("#s-body", "The keeper climbed the stairs for the last time on Sunday.");
  await page.fill("#s-hero-alt", "The keeper at the top of the lighthouse");

  // Dropped on the hero box, as a file dragged from the desktop.
  const bytes = [...readFileSync(PHOTO)];
  await page.evaluate((b) => {
    const file = new File([new Uint8Array(b)], "IMG_0001.JPG", { type: "image/jpeg" });
    const dt = new DataTransfer();
    dt.items.add(file);
    const box = document.querySelector(".hero-picker");
    for (const type of ["dragover", "drop"]) box.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await page.waitForFunction(() => document.getElementById("s-hero-url").value.startsWith("/media/"), null, { timeout: 15000 });
  const dropped = await page.inputValue("#s-hero-url");
  report.steps.dropped = dropped;
  const status = await page.textContent("#s-hero-status");
  if (!/Uploaded/.test(status)) problem(`the hero box says ${status}`);

  // The file field gives the same picture: kept once, the same address.
  await page.fill("#s-hero-url", "");
  await page.setInputFiles("#s-hero-file", PHOTO);
  await page.waitForFunction(() => document.getElementById("s-hero-url").value.startsWith("/media/"), null, { timeout: 15000 });
  if ((await page.inputValue("#s-hero-url")) !== dropped) problem("the same photo chosen twice got two addresses");
  if ((await page.inputValue("#s-hero-file")) !== "") problem("the file field still holds the file after the upload");

  await page.check("input[name=status][value=published]").catch(() => page.selectOption("select[name=status]", "published"));
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  await axe(page, "the editor after an upload");

  // The published story: wait for the variants, then look as a reader does.
  const reader = await context.newPage();
  let shown = null;
  for (let i = 0; i < 60 && !shown; i++) {
    await reader.goto(base + "/news/lighthouse-keeper-retires-after-forty-years", { waitUntil: "load" });
    shown = await reader.evaluate(() => {
      const img = document.querySelector(".hero img");
      const source = document.querySelector(".hero picture source[type='image/webp']");
      if (!img || !source || !/320w/.test(source.srcset) || !img.complete) return null;
      return { current: img.currentSrc, natural: [img.naturalWidth, img.naturalHeight], attrs: [img.getAttribute("width"), img.getAttribute("height")], srcset: source.srcset };
    });
    if (!shown) await reader.waitForTimeout(250);
  }
  report.steps.shown = shown;
  if (!shown) problem("the story never offered the picture's variants");
  else {
    if (!(shown.natural[1] > shown.natural[0])) problem(`the picture shows ${shown.natural.join("×")}: not upright`);
    if (!/-\d+\.webp$/.test(shown.current)) problem(`the browser chose ${shown.current}, not a WebP variant`);
    if (!(Number(shown.attrs[1]) > Number(shown.attrs[0]))) problem(`the page reserves ${shown.attrs.join("×")} for an upright picture`);
  }

  for (const path of ["/admin/media", "/admin/account", "/admin/people", "/admin/settings", "/admin/audit"]) {
    await page.goto(base + path, { waitUntil: "load" });
    await axe(page, path);
  }
  const library = await page.content();
  if (!library.includes("Lighthouse keeper retires")) report.steps.library = "no use listed";
} catch (e) {
  problem(`the run stopped: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.problems.length ? 1 : 0);
