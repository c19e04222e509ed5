// A newsroom's path in a real browser: a contributor logs in, writes a story with a promo found
// through the picker, a claim made by selecting its words and a debate question, watches the
// live preview, and submits it for review; an editor opens it from the home page and
// publishes it. Every newsroom page is checked with axe-core at phone and desktop widths.
// Usage: CONTRIBUTOR=… EDITOR=… PASSWORD=… node newsroom.mjs BASE_URL ; prints a JSON report
// and exits 1 on any problem.
import { axe as checkWithAxe, launch } from "./common.mjs";

const [base] = process.argv.slice(2);
const { CONTRIBUTOR, EDITOR, PASSWORD } = process.env;
const browser = await launch();
const report = { steps: {}, checked: [], problems: [] };
const problem = (p) => report.problems.push(p);

async function logIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => problem(`${email}: script error: ${e.message}`));
  await page.goto(base + "/admin/login", { waitUntil: "load" });
  await page.fill("#login-email", email);
  await page.fill("#login-password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form[action=\"/admin/login\"] button[type=submit]")]);
  if (!page.url().endsWith("/admin/")) problem(`${email}: logging in led to ${page.url()}`);
  return page;
}

const axe = (page, where) => checkWithAxe(page, where, report);

try {
  const writer = await logIn(CONTRIBUTOR);
  await axe(writer, "contributor /admin/");
  await writer.goto(base + "/admin/stories", { waitUntil: "load" });
  await axe(writer, "/admin/stories");
  await writer.goto(base + "/admin/stories/new", { waitUntil: "load" });
  await axe(writer, "/admin/stories/new");
  await writer.fill("#s-headline", "Night buses return to the harbour route");
  await writer.fill("#s-standfirst", "The council restores the service after a year of complaints.");
  await writer.fill("#s-section", "city");
  await writer.fill("#s-tags", "transport, night");
  await writer.fill("#s-authors", "Cleo Park");
  await writer.fill("#s-body", "The council said night buses would return in March.\n\nDrivers welcomed the news.");
  // The picker finds a published story and inserts its promo line.
  await writer.fill("#picker-q", "rail strike");
  const pick = writer.locator(".pick-promo").first();
  await pick.waitFor({ timeout: 5000 });
  const picked = await pick.getAttribute("data-slug");
  await writer.selectOption("#picker-kicker", "REPORT");
  await pick.click();
  const body = await writer.inputValue("#s-body");
  report.steps.promo = picked;
  if (!body.includes(`[[${picked}]] REPORT`)) problem(`the picker did not insert the promo: ${body}`);
  // A claim from the body's selected words.
  await writer.evaluate(() => {
    const b = document.getElementById("s-body");
    const at = b.value.indexOf("night buses would return in March");
    b.focus();
    b.setSelectionRange(at, at + "night buses would return in March".length);
  });
  await writer.click("#claim-from-selection");
  if ((await writer.inputValue("#c0-quote")) !== "night buses would return in March") problem("the selected words did not become a claim");
  const focused = await writer.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "c0-name") problem(`after making a claim the focus is on ${focused}, not its source`);
  await writer.keyboard.type("Transport committee");
  await writer.fill("#q0-text", "Should night buses run every night?");
  // The live preview shows the promo card and the marked claim, as the public page would.
  await writer.locator("#live-preview .promo").first().waitFor({ timeout: 5000 });
  await writer.locator('#live-preview .claim[data-status="unverified"]').first().waitFor({ timeout: 5000 });
  report.steps.preview = await writer.locator("#live-preview .promo").first().textContent();
  await writer.selectOption("#s-status", "review");
  await Promise.all([writer.waitForNavigation(), writer.click('button[name=action][value=save]')]);
  report.steps.saved = writer.url();
  if (!writer.url().includes("/admin/stories/night-buses-return-to-the-harbour-route")) problem(`saving led to ${writer.url()}`);
  if (!(await writer.textContent(".notice"))?.includes("Story saved")) problem("no notice after saving");
  await axe(writer, "the editor of a saved story");
  // By keyboard alone: from the headline, Tab reaches the Preview button, and Enter uses it.
  await writer.focus("#s-headline");
  let tabs = 0;
  while (tabs < 120 && !(await writer.evaluate(() => document.activeElement && document.activeElement.value === "preview"))) {
    await writer.keyboard.press("Tab");
    tabs += 1;
  }
  report.steps.tabsToPreview = tabs;
  if (tabs >= 120) problem("the Preview button cannot be reached by keyboard");
  else {
    await Promise.all([writer.waitForNavigation(), writer.keyboard.press("Enter")]);
    if ((await writer.locator("#live-preview .story").count()) === 0) problem("Enter on Preview showed no preview");
  }

  // An editor opens it from the home page and schedules it a few seconds ahead; it reaches
  // the front page, the feed and the sitemap at its time.
  const editor = await logIn(EDITOR);
  await axe(editor, "editor /admin/");
  const waiting = editor.locator('[aria-labelledby="h-review"] a').filter({ hasText: "Night buses" });
  if ((await waiting.count()) === 0) problem("the story waiting for review is not on the editor's home");
  else await Promise.all([editor.waitForNavigation(), waiting.first().click()]);
  const at = new Date(Date.now() + 5000);
  const local = at.toISOString().slice(0, 19);
  await editor.selectOption("#s-status", "scheduled");
  await editor.evaluate((v) => { document.getElementById("s-published").value = v; }, local);
  await Promise.all([editor.waitForNavigation(), editor.click('button[name=action][value=save]')]);
  if (!(await editor.textContent(".notice"))?.includes("Story saved")) problem(`scheduling was not saved: ${await editor.textContent("main")}`);
  const text = async (path) => (await (await fetch(base + path)).text());
  if ((await text("/")).includes("night-buses-return")) problem("the scheduled story was on the front page early");
  const shown = {};
  for (const path of ["/", "/feed.xml", "/sitemap.xml"]) {
    while (!(await text(path)).includes("night-buses-return-to-the-harbour-route") && Date.now() - at.getTime() < 4000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    shown[path] = Date.now() - at.getTime();
    if (shown[path] >= 4000) problem(`${path} did not show the story after its time`);
  }
  report.steps.scheduledShownAfterMs = shown;
  // The editor corrects it; the correction shows on the story and on /corrections.
  await editor.goto(base + "/admin/stories/night-buses-return-to-the-harbour-route", { waitUntil: "load" });
  await editor.fill("#s-body", (await editor.inputValue("#s-body")).replace("Drivers welcomed", "Drivers' unions welcomed"));
  await editor.check("#k-correction");
  await editor.fill("#s-change-note", "We said drivers welcomed the news; it was their unions.");
  await Promise.all([editor.waitForNavigation(), editor.click('button[name=action][value=save]')]);
  report.steps.corrected = await editor.evaluate(() => [...document.querySelectorAll(".notice, .field-error")].map((e) => e.textContent.trim()).join(" | "));
  const story = await text("/news/night-buses-return-to-the-harbour-route");
  if (!story.includes("it was their unions")) problem(`the correction is not at the foot of the story (${report.steps.corrected})`);
  if (!(await text("/corrections")).includes("it was their unions")) problem("the correction is not on /corrections");
  await editor.goto(base + "/admin/stories/night-buses-return-to-the-harbour-route/history", { waitUntil: "load" });
  await axe(editor, "a story's history");
  await editor.goto(base + "/corrections", { waitUntil: "load" });
  await axe(editor, "/corrections");
  const r = await editor.goto(base + "/news/night-buses-return-to-the-harbour-route", { waitUntil: "load" });
  report.steps.published = r && r.status();
  if (!r || r.status() !== 200) problem(`the published story answers ${r && r.status()}`);
  if ((await editor.locator(".promo").count()) === 0) problem("the published story has no promo");

  // The editor's login expires while they type: the save is refused, and after logging in
  // again the editor offers back what was typed.
  const edited = base + "/admin/stories/night-buses-return-to-the-harbour-route";
  await editor.goto(edited, { waitUntil: "load" });
  await editor.fill("#s-headline", "Night buses return to the harbour route at last");
  await editor.context().clearCookies();
  await Promise.all([editor.waitForNavigation(), editor.click('button[name=action][value=save]')]);
  if (!editor.url().includes("/admin/login")) problem(`an expired login led to ${editor.url()}`);
  await editor.fill("#login-email", EDITOR);
  await editor.fill("#login-password", PASSWORD);
  await Promise.all([editor.waitForNavigation(), editor.click("form[action=\"/admin/login\"] button[type=submit]")]);
  report.steps.afterLogin = editor.url();
  if (editor.url() !== edited) problem(`after logging in again the editor is at ${editor.url()}`);
  const offered = editor.locator("#restore-draft");
  if ((await offered.count()) === 0) problem("what was typed was not offered back");
  else {
    await offered.click();
    const back = await editor.inputValue("#s-headline");
    report.steps.restored = back;
    if (back !== "Night buses return to the harbour route at last") problem(`the typed headline came back as ${back}`);
  }
} catch (e) {
  problem(`the path broke: ${e.message}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
process.exit(report.problems.length ? 1 : 0);
