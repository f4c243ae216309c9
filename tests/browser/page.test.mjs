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

test("words a spinner added are suggested for deletion", { timeout: 60_000 }, async () => {
  const page = await context.newPage();
  await page.goto(BASE, { waitUntil: "load" });
  const text = "Officials said the economic process was once strong in the region, and exports rose.";
  await page.fill("#text", text);
  await page.click("#analyse");
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });
  const detection = await api(page, "/v1/detect", { id: "pasted text", text });
  const i = detection.body.spans.findIndex((s) => s.suggestion === "");
  assert.ok(i >= 0, "no span is suggested for deletion: " + JSON.stringify(detection.body));
  const mark = page.locator("#doc mark.span").nth(i);
  assert.equal(await mark.textContent(), detection.body.spans[i].text);
  await mark.focus();
  await page.waitForSelector("#tip:not([hidden])");
  assert.match(await page.textContent("#tip"), /suggested: \(delete\)/);
  assert.match(await mark.getAttribute("aria-label"), /suggested: \(delete\)/);
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

// A zip archive of [name, text] entries, stored (no compression): enough of
// a .docx for the server's reader, made here so the test needs no fixture.
function storedZip(entries) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const parts = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const nameBuf = Buffer.from(name, "utf8");
    const data = Buffer.from(text, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    parts.push(local, nameBuf, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBuf.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const dirBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dirBuf, end]);
}

// A one-page PDF with the given lines of ASCII text (Helvetica), made here
// so the test needs no fixture; the server reads it with pdftotext.
function pdfOf(lines) {
  const esc = (l) => l.replace(/[\\()]/g, (c) => "\\" + c);
  const content = "BT /F1 12 Tf 72 720 Td 14 TL" + lines.map((l) => " (" + esc(l) + ") Tj T*").join("") + " ET";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length " + content.length + " >>\nstream\n" + content + "\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += i + 1 + " 0 obj\n" + o + "\nendobj\n";
  });
  const xref = out.length;
  out += "xref\n0 " + (objects.length + 1) + "\n0000000000 65535 f \n";
  for (const o of offsets) out += String(o).padStart(10, "0") + " 00000 n \n";
  out += "trailer\n<< /Size " + (objects.length + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n";
  return Buffer.from(out, "latin1");
}

test("upload a Word manuscript, analyse it", { timeout: 60_000 }, async () => {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(BASE, { waitUntil: "load" });
  const paragraphs = SPUN.split(/(?<=\.) /);
  const xml =
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    paragraphs.map((p) => "<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>").join("") +
    "</w:body></w:document>";
  await page.setInputFiles("#file", {
    name: "manuscript.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: storedZip([["word/document.xml", xml]]),
  });
  await page.waitForFunction(() => /^Loaded/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });
  assert.equal(await page.inputValue("#text"), paragraphs.join("\n"));
  assert.match(await page.textContent("#file-name"), /manuscript\.docx \(docx, \d+ bytes\)/);
  await page.click("#analyse");
  await page.waitForSelector("#result:not([hidden])", { timeout: 30_000 });
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });
  assert.ok(Number(await page.textContent("#evidence")) > 0, "no span flagged in the uploaded text");

  // a PDF is read as its lines; a corrupt one is refused with the reason
  const lines = ["Throughout the Chilly Conflict period,", "the navy staged joint workout routines."];
  await page.setInputFiles("#file", { name: "paper.pdf", mimeType: "application/pdf", buffer: pdfOf(lines) });
  await page.waitForFunction(() => /^Loaded/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });
  assert.equal(await page.inputValue("#text"), lines.join("\n"));
  assert.match(await page.textContent("#file-name"), /paper\.pdf \(pdf, \d+ bytes\)/);
  await page.setInputFiles("#file", { name: "broken.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
  await page.waitForFunction(() => /^Cannot read/.test(document.getElementById("status").textContent), null, { timeout: 30_000 });
  assert.match(await page.textContent("#status"), /Cannot read broken\.pdf: the PDF is corrupt/);
  // a file over the server's upload limit is refused in the page, the limit named
  const uploadLimit = await page.evaluate(async () => (await (await fetch("/healthz")).json()).limits.upload_bytes);
  await page.setInputFiles("#file", { name: "huge.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(uploadLimit + 1, 0x41) });
  assert.match(await page.textContent("#status"), new RegExp("huge\\.pdf .*upload limit of " + uploadLimit));
  // a file of another kind is refused with its name
  await page.setInputFiles("#file", { name: "figure.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50]) });
  assert.match(await page.textContent("#status"), /figure\.png/);
  assert.equal(await page.getAttribute("#status", "role"), "alert");
  assert.deepEqual(problems, []);
  await page.close();
});
