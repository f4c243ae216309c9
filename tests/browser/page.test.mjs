// Browser test of the unspin web page, in Debian's headless Chromium driven
// by playwright-core. It needs a running server: scripts/ci-serve.sh starts
// one and sets UNSPIN_URL (and ARTIFACTS_DIR for the screenshots and the
// exported reports).
//
// What a person does: paste a spun text, analyse it, see the highlights and
// a suggested original (by keyboard focus and by hover), switch to the
// restored text, export the report as HTML and JSON.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.UNSPIN_URL;
const ARTIFACTS = resolve(process.env.ARTIFACTS_DIR || "artifacts");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// A news paragraph and an abstract sentence spun the way PRODUCT.md §1
// describes (wrong-sense synonyms, broken collocations, tortured phrases).
// scripts/ci-serve.sh indexes their original as the document "spun-source":
// "During the Cold War era, the military staged joint exercises near the
// border. The Health Ministry published the total number of active cases on
// Tuesday, and local officials said the recovery rate had improved. In this
// paper we use a random forest and artificial intelligence to detect breast
// cancer in mammogram images."
const SPUN =
  "Throughout the Chilly Conflict period, the navy staged joint workout routines close to the border. " +
  "The Well being Ministry revealed the whole variety of lively instances on Tuesday, and native officers " +
  "stated the restoration charge had improved. In this paper we use an irregular woodland and counterfeit " +
  "consciousness to detect bosom malignancy in mammogram pictures.";

// One persistent context on a fresh profile directory (playwright passes it
// to Chromium as --user-data-dir); each test opens its own page in it.
let context;
let userDataDir;

before(async () => {
  assert.ok(BASE, "set UNSPIN_URL to the server's base URL (scripts/ci-serve.sh does)");
  mkdirSync(ARTIFACTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), "unspin-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  if (context) await context.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function api(page, path, body) {
  return page.evaluate(
    async ([p, b]) => {
      const r = await fetch(p, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) });
      return { status: r.status, body: await r.json() };
    },
    [path, body],
  );
}

test("paste, highlight, suggest, restore, export", { timeout: 120_000 }, async () => {
  const page = await context.newPage();
  const problems = [];
  const foreign = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(BASE) && !u.startsWith("blob:") && !u.startsWith("data:")) foreign.push(u);
  });

  await page.goto(BASE, { waitUntil: "load" });
  await page.waitForFunction(() => document.getElementById("server-info").textContent.length > 0);
  assert.match(await page.textContent("#server-info"), /unspin \d/);

  // paste the text, analyse with the keyboard shortcut
  await page.click("#text");
  await page.fill("#text", SPUN);
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector("#result:not([hidden])", { timeout: 30_000 });
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });

  // the verdict shows the probability and the evidence count of the API
  const detection = await api(page, "/v1/detect", { id: "pasted text", text: SPUN });
  assert.equal(detection.status, 200);
  const spans = detection.body.spans;
  assert.ok(spans.length > 0, "the spun text has no flagged span: " + JSON.stringify(detection.body));
  assert.equal(await page.textContent("#evidence"), String(spans.length));
  assert.equal(await page.textContent("#probability"), Math.round(detection.body.score * 100) + "%");

  // with a reference index loaded, the source is shown side by side
  const health = await page.evaluate(async () => (await fetch("/healthz")).json());
  if (health.trace) {
    await page.waitForSelector("#trace:not([hidden]) .match");
    const trace = await api(page, "/v1/trace", { id: "pasted text", text: SPUN });
    assert.equal(trace.status, 200);
    assert.ok(trace.body.matches.length > 0, "the source is not traced");
    const first = await page.textContent("#trace .match h4");
    assert.ok(first.startsWith(trace.body.matches[0].doc_id), first);
    const rows = page.locator("#trace .match").first().locator("tbody tr");
    assert.equal(await rows.count(), trace.body.matches[0].alignment.length);
    // each side of a row shows its sentence, substitutions marked on both
    assert.equal(await rows.first().locator("td").first().textContent(), trace.body.matches[0].alignment[0].text);
    assert.equal(await rows.first().locator("td").nth(1).textContent(), trace.body.matches[0].alignment[0].source_text);
    assert.ok((await page.locator("#trace mark.sub").count()) > 0, "no substitution marked");
    assert.ok((await page.locator("#trace ins.sub").count()) > 0, "no original marked");
    await page.locator("#trace").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "serve-trace.png"), fullPage: true });
  } else {
    assert.ok(await page.locator("#trace").isHidden(), "a trace panel without an index");
  }

  // one highlight per span, over exactly the span's text
  const marks = page.locator("#doc mark.span");
  assert.equal(await marks.count(), spans.length);
  assert.deepEqual(await marks.allTextContents(), spans.map((s) => s.text));
  // the page text is the input, unchanged
  assert.equal(await page.evaluate(() => document.getElementById("doc").textContent), SPUN);

  // a suggestion, by keyboard: Tab from the text box reaches the highlights
  const withSuggestion = spans.findIndex((s) => s.suggestion);
  assert.ok(withSuggestion >= 0, "no span has a suggested original");
  await page.focus("#doc mark.span");
  for (let i = 0; i < withSuggestion; i++) await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, spans[withSuggestion].text);
  await page.waitForSelector("#tip:not([hidden])");
  const tip = await page.textContent("#tip");
  assert.ok(tip.includes(spans[withSuggestion].suggestion), `tooltip "${tip}" lacks the suggestion`);
  const label = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  assert.ok(label.includes(spans[withSuggestion].suggestion), "the aria-label lacks the suggestion");
  await page.screenshot({ path: join(ARTIFACTS, "serve-highlights.png"), fullPage: true });

  // and by hover
  await page.keyboard.press("Escape");
  await marks.nth(withSuggestion).hover();
  await page.waitForSelector("#tip:not([hidden])");
  assert.ok((await page.textContent("#tip")).includes(spans[withSuggestion].suggestion));

  // the restored view, switched with the keyboard
  await page.focus("#view-restored");
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute("#view-restored", "aria-pressed"), "true");
  const restoration = await api(page, "/v1/restore", { id: "pasted text", text: SPUN });
  assert.equal(restoration.status, 200);
  assert.equal(await page.evaluate(() => document.getElementById("doc").textContent), restoration.body.text);
  const changes = page.locator("#doc ins.change");
  assert.equal(await changes.count(), restoration.body.changes.length);
  assert.ok(restoration.body.changes.length > 0, "restore changed nothing");
  await changes.first().focus();
  await page.waitForSelector("#tip:not([hidden])");
  assert.ok((await page.textContent("#tip")).includes(restoration.body.changes[0].from));
  await page.screenshot({ path: join(ARTIFACTS, "serve-restored.png"), fullPage: true });

  // export: a self-contained HTML report and the JSON report
  const [htmlDl] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
  const htmlPath = join(ARTIFACTS, "serve-report.html");
  await htmlDl.saveAs(htmlPath);
  const html = readFileSync(htmlPath, "utf8");
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes("<style>"), "the report has no inline style");
  assert.ok(!/<link|<script|src=|https?:\/\//i.test(html), "the report is not self-contained");
  assert.equal((html.match(/<mark class="span/g) || []).length, spans.length);
  assert.ok(html.includes(restoration.body.changes[0].to));

  // the report opens on its own, with no request anywhere
  const reportPage = await context.newPage();
  const reportRequests = [];
  reportPage.on("request", (r) => { if (!r.url().startsWith("file:")) reportRequests.push(r.url()); });
  await reportPage.goto("file://" + htmlPath, { waitUntil: "load" });
  assert.equal(await reportPage.locator("mark.span").count(), spans.length);
  await reportPage.screenshot({ path: join(ARTIFACTS, "serve-report.png"), fullPage: true });
  await reportPage.close();
  assert.deepEqual(reportRequests, [], "the exported report made requests");

  const [jsonDl] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const jsonPath = join(ARTIFACTS, "serve-report.json");
  await jsonDl.saveAs(jsonPath);
  const report = JSON.parse(readFileSync(jsonPath, "utf8"));
  assert.equal(report.text, SPUN);
  assert.deepEqual(report.detect.spans, spans);
  assert.equal(report.restore.text, restoration.body.text);

  // back to the highlights for the artifact screenshot, a suggestion showing
  await page.click("#view-highlights");
  await marks.nth(withSuggestion).focus();
  await page.waitForSelector("#tip:not([hidden])");
  await page.screenshot({ path: join(ARTIFACTS, "serve-page.png"), fullPage: true });

  assert.deepEqual(problems, [], "console errors: " + problems.join("\n"));
  assert.deepEqual(foreign, [], "requests left the server's origin");
  await page.close();
});

test("a server error is shown, not swallowed", { timeout: 60_000 }, async () => {
  const page = await context.newPage();
  await page.goto(BASE, { waitUntil: "load" });
  // an empty text is refused in the page
  await page.click("#analyse");
  assert.match(await page.textContent("#status"), /Paste or upload/);
  // a text over the server's body limit is refused with the limit named
  const limit = await page.evaluate(async () => (await (await fetch("/healthz")).json()).limits.body_bytes);
  await page.evaluate((n) => { document.getElementById("text").value = "x".repeat(n); }, limit + 10);
  await page.click("#analyse");
  assert.match(await page.textContent("#status"), new RegExp(String(limit)));
  assert.equal(await page.getAttribute("#status", "role"), "alert");
  await page.close();
});
