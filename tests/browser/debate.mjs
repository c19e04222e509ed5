// The reader debate in headless Chromium: hostile comments must render as inert text, and the
// page's script must post, vote and answer polls without a reload.
// Usage: node debate.mjs BASE_URL STORY_PATH EXPECTED_COMMENTS
// Prints a JSON report; exits 1 when anything is wrong.
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));
const [base, path, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const origin = new URL(base).origin;
const problems = [];
const facts = {};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
});
try {
  for (const width of [360, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const where = `${width}px`;
    let navigations = 0;
    page.on("dialog", async (d) => { problems.push(`${where}: a dialog opened: ${d.message()}`); await d.dismiss(); });
    page.on("pageerror", (e) => problems.push(`${where}: script error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`${where}: console error: ${m.text()}`); });
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (!["data:", "about:"].includes(u.protocol) && u.origin !== origin) problems.push(`${where}: request to ${r.url()}`);
    });
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations += 1; });
    await page.goto(base + path, { waitUntil: "load" });
    const seen = await page.evaluate(() => {
      const tags = new Set();
      const badLinks = [];
      for (const el of document.querySelectorAll(".comment-body *")) {
        tags.add(el.tagName);
        if (el.tagName === "A" && (!/^https?:/.test(el.getAttribute("href")) || el.rel !== "nofollow ugc noopener")) badLinks.push(el.outerHTML);
      }
      const attrs = [...document.querySelectorAll(".comment *")].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith("on"));
      return {
        comments: document.querySelectorAll(".comment").length,
        pwned: window.__pwned === 1,
        tags: [...tags].sort(),
        badLinks,
        eventAttributes: attrs,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        title: document.title,
      };
    });
    facts[where] = seen;
    if (seen.comments !== expected) problems.push(`${where}: ${seen.comments} comments shown, expected ${expected}`);
    if (seen.pwned) problems.push(`${where}: a comment ran script`);
    for (const t of seen.tags) if (!["A", "BR", "P"].includes(t)) problems.push(`${where}: a <${t}> inside a comment`);
    if (seen.badLinks.length) problems.push(`${where}: unsafe links: ${seen.badLinks.slice(0, 3).join(" ")}`);
    if (seen.eventAttributes.length) problems.push(`${where}: event attributes in comments: ${seen.eventAttributes.slice(0, 5)}`);
    if (seen.overflow > 1) problems.push(`${where}: the page is ${seen.overflow}px wider than the screen`);

    await page.addScriptTag({ path: axePath });
    const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of axe.violations) problems.push(`${where}: axe ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);

    if (width === 1280) {
      // Post with the page's script: no reload, and the comment appears in the list.
      const before = navigations;
      await page.fill("#comment-body", "Posted from the browser without a reload");
      await page.fill("#comment-name", "Script Reader");
      await page.click("#comments .comment-form button[type=submit]");
      await page.waitForFunction(() => [...document.querySelectorAll(".comment-body")].some((b) => b.textContent.includes("Posted from the browser without a reload")), null, { timeout: 10000 })
        .catch(() => problems.push("the posted comment did not appear"));
      facts.posted = await page.textContent("#comments .form-status");
      // Vote on the first comment by someone else.
      const up = page.locator(".vote-form button[value=up]").first();
      await up.click();
      await page.waitForFunction(() => document.querySelector(".vote-form .up-count")?.textContent === "1", null, { timeout: 10000 })
        .catch(() => problems.push("the vote was not counted on the page"));
      // Answer the first poll.
      const yes = page.locator(".poll button[value=yes]").first();
      if (await yes.count()) {
        await yes.click();
        await page.waitForFunction(() => document.querySelector(".tally-votes")?.textContent === "1", null, { timeout: 10000 })
          .catch(() => problems.push("the poll tally did not change"));
      }
      // Reply: the form moves under the comment and the reply lands in the thread.
      await page.locator(".reply-link").first().click();
      await page.fill("#comment-body", "A reply from the browser");
      await page.click("#comments .comment-form button[type=submit]");
      await page.waitForFunction(() => [...document.querySelectorAll(".comment.indent-1 .comment-body")].some((b) => b.textContent.includes("A reply from the browser")), null, { timeout: 10000 })
        .catch(() => problems.push("the reply did not appear indented"));
      if (navigations !== before) problems.push(`the page reloaded ${navigations - before} times`);
      facts.afterScript = await page.evaluate(() => document.querySelector(".comment-count").textContent);
    }
    await context.close();
  }
  // A moderator's pages, signed in through the login form, looked at with axe-core.
  const email = process.env.MOD_EMAIL, password = process.env.MOD_PASSWORD;
  if (email && password) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`moderation: script error: ${e.message}`));
    page.on("dialog", async (d) => { problems.push(`moderation: a dialog opened: ${d.message()}`); await d.dismiss(); });
    await page.goto(base + "/admin/login", { waitUntil: "load" });
    await page.fill("#login-email", email);
    await page.fill("#login-password", password);
    await Promise.all([page.waitForNavigation(), page.click("form[action=\"/admin/login\"] button[type=submit]")]);
    facts.moderation = {};
    for (const path of ["/admin/moderation?kind=held", "/admin/moderation?kind=flagged", "/admin/moderation?kind=spam",
      "/admin/moderation/bans", "/admin/moderation/debate", "/admin/moderation/log"]) {
      const r = await page.goto(base + path, { waitUntil: "load" });
      if (!r || r.status() !== 200) problems.push(`moderation ${path}: status ${r && r.status()}`);
      const shown = await page.evaluate(() => ({
        rows: document.querySelectorAll("table.queue tbody tr").length,
        pwned: window.__pwned === 1,
        h1: document.querySelector("h1")?.textContent,
      }));
      if (shown.pwned) problems.push(`moderation ${path}: a comment ran script`);
      await page.addScriptTag({ path: axePath });
      const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of axe.violations) problems.push(`moderation ${path}: axe ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      facts.moderation[path] = shown;
    }
    // Approve everything held, as a moderator would with the bulk form.
    await page.goto(base + "/admin/moderation?kind=held", { waitUntil: "load" });
    const boxes = page.locator("input[name=ids]");
    const held = await boxes.count();
    for (let i = 0; i < held; i++) await boxes.nth(i).check();
    if (held) {
      await page.selectOption("#act-action", "approve");
      await Promise.all([page.waitForNavigation(), page.click(".queue-form button[type=submit]")]);
      facts.approved = await page.textContent(".notice").catch(() => null);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ problems, facts }, null, 1));
process.exit(problems.length ? 1 : 0);
