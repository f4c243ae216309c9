// unspin web page: calls the JSON API of the server that served it and
// renders the answers. Plain JavaScript, no framework, no network beyond
// this origin (the server's Content-Security-Policy enforces that).
//
// Offsets in the API are Unicode scalar (code point) offsets, so texts are
// handled as arrays of code points (Array.from), never sliced as UTF-16.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    health: null,
    id: "pasted text",
    text: "",
    detect: null,
    restore: null,
    trace: null,
    view: "highlights",
  };

  // ---- helpers -----------------------------------------------------------

  function escapeHtml(s) {
    return String(s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function pct(x) {
    return Math.round(Number(x) * 100) + "%";
  }

  function confidenceClass(score) {
    if (score >= 0.8) return "c-high";
    if (score >= 0.5) return "c-mid";
    return "c-low";
  }

  function confidenceWord(score) {
    if (score >= 0.8) return "high";
    if (score >= 0.5) return "medium";
    return "low";
  }

  // Splits `chars` (code points) into runs: plain text between items and the
  // items themselves (sorted, non-overlapping; overlapping ones are skipped).
  // `render(item, innerText)` returns the HTML of an item.
  function markUp(chars, items, render) {
    const sorted = items.slice().sort((a, b) => a.start - b.start || a.end - b.end);
    let out = "";
    let cursor = 0;
    for (const it of sorted) {
      const start = Math.max(0, Math.min(it.start, chars.length));
      const end = Math.max(start, Math.min(it.end, chars.length));
      if (start < cursor) continue;
      out += escapeHtml(chars.slice(cursor, start).join(""));
      out += render(it, chars.slice(start, end).join(""));
      cursor = end;
    }
    out += escapeHtml(chars.slice(cursor).join(""));
    return out;
  }

  const SOURCES = { model: "language model", list: "tortured-phrase list", rule: "spinner-residue rule", reference: "reference source" };

  function sourceLabel(source) {
    return source ? " · from the " + (SOURCES[source] || source) : "";
  }

  // A span's suggested original for display: null when there is none; an
  // empty suggestion means the spun words were added and should go.
  function suggestionLabel(s) {
    if (s.suggestion == null) return null;
    return s.suggestion === "" ? "(delete)" : s.suggestion;
  }

  function spanTip(s) {
    const sugg = s.suggestion == null ? "no suggestion" : "suggested: " + suggestionLabel(s);
    return sugg + " · " + confidenceWord(s.score) + " confidence " + pct(s.score) + sourceLabel(s.source);
  }

  function renderSpan(s, inner, i) {
    const tip = spanTip(s);
    return (
      '<mark class="span ' + confidenceClass(s.score) + '" tabindex="0" data-i="' + i + '"' +
      ' data-suggestion="' + escapeHtml(s.suggestion == null ? "" : suggestionLabel(s)) + '"' +
      ' data-tip="' + escapeHtml(tip) + '"' +
      ' aria-label="' + escapeHtml('"' + inner + '" flagged as spun, ' + tip) + '">' +
      escapeHtml(inner) + "</mark>"
    );
  }

  function renderChange(c, i) {
    const tip = "was: " + c.from + " · confidence " + pct(c.score) + sourceLabel(c.source);
    return (
      '<ins class="change" tabindex="0" data-i="' + i + '" data-from="' + escapeHtml(c.from) + '"' +
      ' data-tip="' + escapeHtml(tip) + '"' +
      ' aria-label="' + escapeHtml('restored "' + c.to + '", ' + tip) + '">' +
      escapeHtml(c.to) + "</ins>"
    );
  }

  // The highlighted input: every flagged span is a focusable <mark>.
  function highlightsHtml(text, detection) {
    const chars = Array.from(text);
    const spans = detection.spans.map((s, i) => Object.assign({ i }, s));
    return markUp(chars, spans, (s, inner) => renderSpan(s, inner, s.i));
  }

  // The restored text, built from the input and the changes (offsets into
  // the input) so that each change can be marked.
  function restoredHtml(text, restoration) {
    const chars = Array.from(text);
    const changes = restoration.changes.map((c, i) => Object.assign({ i }, c));
    return markUp(chars, changes, (c) => renderChange(c, c.i));
  }

  // One aligned sentence side: substitutions marked with `tag`.
  function sideHtml(text, offset, subs, startKey, endKey, tag, otherKey) {
    const chars = Array.from(text);
    const items = subs
      .filter((s) => s[endKey] > s[startKey])
      .map((s) => ({ start: s[startKey] - offset, end: s[endKey] - offset, other: s[otherKey] }));
    return markUp(chars, items, (it, inner) =>
      "<" + tag + ' class="sub" title="' + escapeHtml((tag === "mark" ? "original: " : "spun: ") + (it.other || "(nothing)")) + '">' +
      escapeHtml(inner) + "</" + tag + ">");
  }

  function traceHtml(trace) {
    if (!trace) return "";
    if (trace.error) return '<p class="muted">' + escapeHtml(trace.error) + "</p>";
    if (!trace.matches.length) return '<p class="muted">No source in the index aligns with this text.</p>';
    return trace.matches.slice(0, 5).map((m) => {
      const rows = (m.alignment || []).map((p) => {
        const subs = p.substitutions || [];
        return "<tr><td>" + sideHtml(p.text, p.start, subs, "start", "end", "mark", "original") + "</td><td>" +
          sideHtml(p.source_text, p.source_start, subs, "source_start", "source_end", "ins", "text") + "</td></tr>";
      }).join("");
      return '<section class="match"><h4>' + escapeHtml(m.doc_id) + " — score " + Number(m.score).toFixed(2) +
        ", covers " + pct(m.coverage) + " of the text</h4>" +
        '<table class="pairs"><thead><tr><th scope="col">Suspect text</th><th scope="col">Source</th></tr></thead><tbody>' +
        rows + "</tbody></table></section>";
    }).join("");
  }

  function verdictHtml(detection, restoration) {
    const p = detection.score;
    const spun = p >= 0.5;
    const changes = restoration ? restoration.changes.length : 0;
    return '<strong>' + (spun ? "Likely spun" : "Probably not spun") + "</strong>" +
      '<span class="figure">probability <b id="probability">' + pct(p) + "</b></span>" +
      '<span class="figure">evidence: <b id="evidence">' + detection.spans.length + "</b> flagged span" +
      (detection.spans.length === 1 ? "" : "s") + "</span>" +
      '<span class="figure">' + changes + " restored change" + (changes === 1 ? "" : "s") + "</span>";
  }

  function findingsRows(detection) {
    return detection.spans.map((s) =>
      "<tr><td>" + s.start + "–" + s.end + "</td><td>" + escapeHtml(s.text) + "</td><td>" +
      escapeHtml(s.suggestion == null ? "—" : suggestionLabel(s)) + "</td><td>" + pct(s.score) + "</td></tr>").join("");
  }

  // ---- API ---------------------------------------------------------------

  async function post(path, body) {
    const res = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      throw new Error(path + " answered " + res.status + " without JSON");
    }
    if (!res.ok) throw new Error((data && data.error) || path + " answered " + res.status);
    return data;
  }

  async function loadHealth() {
    try {
      const res = await fetch("/healthz");
      state.health = await res.json();
      const h = state.health;
      $("server-info").textContent = "unspin " + h.version + " · " +
        (h.trace ? "reference index: " + h.index : "no reference index loaded (sources are not traced)") +
        (h.fingerprints ? " · " + h.fingerprints + " tortured phrases listed" : "");
    } catch (e) {
      $("server-info").textContent = "The server did not answer /healthz.";
    }
  }

  function setStatus(msg, isError) {
    const el = $("status");
    el.textContent = msg;
    el.classList.toggle("error", !!isError);
    el.setAttribute("role", isError ? "alert" : "status");
  }

  async function analyse() {
    const text = $("text").value;
    if (!text.trim()) {
      setStatus("Paste or upload a text first.", true);
      $("text").focus();
      return;
    }
    const limit = state.health && state.health.limits ? state.health.limits.body_bytes : null;
    if (limit && new Blob([text]).size + 64 > limit) {
      setStatus("The text is larger than the server's limit of " + limit + " bytes.", true);
      return;
    }
    const button = $("analyse");
    button.disabled = true;
    setStatus("Analysing…");
    const body = { id: state.id, text };
    try {
      const wantTrace = !!(state.health && state.health.trace);
      const [detection, restoration, trace] = await Promise.all([
        post("/v1/detect", body),
        post("/v1/restore", body),
        wantTrace ? post("/v1/trace", body).catch((e) => ({ error: e.message })) : Promise.resolve(null),
      ]);
      state.text = text;
      state.detect = detection;
      state.restore = restoration;
      state.trace = trace;
      render();
      setStatus("Done: " + detection.spans.length + " flagged span" + (detection.spans.length === 1 ? "" : "s") + ".");
    } catch (e) {
      setStatus("Analysis failed: " + e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // ---- rendering -----------------------------------------------------------

  function render() {
    $("result").hidden = false;
    const v = $("verdict");
    v.className = "verdict " + (state.detect.score >= 0.5 ? "spun" : "clean");
    v.innerHTML = verdictHtml(state.detect, state.restore);
    $("findings").querySelector("tbody").innerHTML = findingsRows(state.detect);
    const traceBox = $("trace");
    traceBox.hidden = !state.trace;
    $("trace-body").innerHTML = traceHtml(state.trace);
    setView(state.view);
  }

  function setView(view) {
    state.view = view;
    const restored = view === "restored";
    $("view-highlights").setAttribute("aria-pressed", String(!restored));
    $("view-restored").setAttribute("aria-pressed", String(restored));
    $("legend").hidden = restored;
    $("legend-restored").hidden = !restored;
    hideTip();
    if (!state.detect) return;
    $("doc").innerHTML = restored ? restoredHtml(state.text, state.restore) : highlightsHtml(state.text, state.detect);
    $("doc").setAttribute("aria-label", restored ? "Restored text" : "Analysed text with flagged spans");
  }

  // ---- tooltip (hover and keyboard focus) ----------------------------------

  let tipOwner = null;

  function showTip(el) {
    tipOwner = el;
    const tip = $("tip");
    const text = el.getAttribute("data-tip");
    if (!text) return;
    const sugg = el.getAttribute("data-suggestion");
    if (sugg) {
      tip.innerHTML = 'suggested: <span class="sugg">' + escapeHtml(sugg) + "</span>" +
        escapeHtml(text.replace(/^suggested: .*? · /, " · "));
    } else {
      tip.textContent = text;
    }
    tip.hidden = false;
    const r = el.getBoundingClientRect();
    const top = window.scrollY + r.bottom + 6;
    let left = window.scrollX + r.left;
    const maxLeft = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.top = top + "px";
    tip.style.left = Math.max(8, Math.min(left, maxLeft)) + "px";
    el.setAttribute("aria-describedby", "tip");
  }

  function hideTip() {
    tipOwner = null;
    $("tip").hidden = true;
  }

  // Scrolling (including the scroll that focusing a highlight causes) moves
  // the tooltip with its highlight rather than hiding it.
  function followTip() {
    if (tipOwner && document.body.contains(tipOwner)) showTip(tipOwner);
    else hideTip();
  }

  function tipTarget(e) {
    return e.target.closest ? e.target.closest("[data-tip]") : null;
  }

  // ---- export --------------------------------------------------------------

  function download(name, mime, content) {
    const blob = new Blob([content], { type: mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function reportJson() {
    return {
      tool: "unspin",
      version: state.health ? state.health.version : null,
      generated: new Date().toISOString(),
      id: state.id,
      text: state.text,
      detect: state.detect,
      restore: state.restore,
      trace: state.trace,
    };
  }

  async function reportHtml() {
    let css = "";
    try {
      css = await (await fetch("/app.css")).text();
    } catch (e) {
      css = "";
    }
    // In the report, suggestions are shown inline (no script runs there).
    const chars = Array.from(state.text);
    const marked = markUp(chars, state.detect.spans, (s, inner) =>
      '<mark class="span ' + confidenceClass(s.score) + '" title="' + escapeHtml(spanTip(s)) + '">' + escapeHtml(inner) +
      "</mark>" + (s.suggestion != null ? '<sup class="sugg-inline"> → ' + escapeHtml(suggestionLabel(s)) + "</sup>" : ""));
    const restored = markUp(chars, state.restore.changes, (c) =>
      '<ins class="change" title="' + escapeHtml("was: " + c.from) + '">' + escapeHtml(c.to) + "</ins>");
    const v = state.detect.score >= 0.5 ? "spun" : "clean";
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
      "<title>unspin report — " + escapeHtml(state.id) + "</title><style>" + css +
      "\n.sugg-inline{color:#1e7b34;font-weight:600;font-size:.8em}\nbody{padding:1rem 2rem}</style></head><body>" +
      "<h1>unspin report</h1><p class=\"muted\">" + escapeHtml(state.id) + " · generated " +
      escapeHtml(new Date().toISOString()) + (state.health ? " · unspin " + escapeHtml(state.health.version) : "") + "</p>" +
      '<div class="verdict ' + v + '">' + verdictHtml(state.detect, state.restore) + "</div>" +
      "<h2>Flagged spans</h2><div class=\"doc\">" + marked + "</div>" +
      "<h2>Restored text</h2><div class=\"doc\">" + restored + "</div>" +
      (state.trace ? '<h2>Sources</h2><div class="trace">' + traceHtml(state.trace) + "</div>" : "") +
      '<h2>Findings</h2><table id="findings"><thead><tr><th>Chars</th><th>Text</th><th>Suggested original</th>' +
      "<th>Confidence</th></tr></thead><tbody>" + findingsRows(state.detect) + "</tbody></table>" +
      "</body></html>\n";
  }

  function baseName() {
    return "unspin-report-" + String(state.id).replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
  }

  // ---- wiring --------------------------------------------------------------

  function init() {
    $("analyse").addEventListener("click", analyse);
    $("text").addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        analyse();
      }
    });
    $("text").addEventListener("input", () => {
      if (state.id !== "pasted text" && !$("file").value) state.id = "pasted text";
    });
    $("file").addEventListener("change", async () => {
      const f = $("file").files[0];
      if (!f) return;
      $("file").value = "";
      if (!/\.(txt|docx|pdf)$/i.test(f.name)) {
        setStatus("Upload a .txt, .docx or .pdf file: " + f.name + " is none of them.", true);
        return;
      }
      const max = state.health && state.health.limits ? state.health.limits.upload_bytes : null;
      if (max && f.size > max) {
        setStatus(f.name + " (" + f.size + " bytes) is larger than the server's upload limit of " + max + " bytes.", true);
        return;
      }
      setStatus("Reading " + f.name + "…");
      try {
        // the server reads the file (Word and PDF included) and answers its text
        const res = await fetch("/v1/extract", {
          method: "POST",
          headers: { "Content-Type": "application/octet-stream" },
          body: f,
        });
        let data = null;
        try {
          data = await res.json();
        } catch (e) {
          throw new Error("/v1/extract answered " + res.status + " without JSON");
        }
        if (!res.ok) throw new Error((data && data.error) || "/v1/extract answered " + res.status);
        $("text").value = data.text;
        state.id = f.name;
        $("file-name").textContent = f.name + " (" + data.format + ", " + f.size + " bytes)";
        setStatus("Loaded " + f.name + ". Press Analyse.");
      } catch (e) {
        setStatus("Cannot read " + f.name + ": " + e.message, true);
      }
    });
    $("view-highlights").addEventListener("click", () => setView("highlights"));
    $("view-restored").addEventListener("click", () => setView("restored"));
    $("export-json").addEventListener("click", () => {
      if (!state.detect) return;
      download(baseName() + ".json", "application/json", JSON.stringify(reportJson(), null, 2) + "\n");
    });
    $("export-html").addEventListener("click", async () => {
      if (!state.detect) return;
      download(baseName() + ".html", "text/html", await reportHtml());
    });
    const doc = $("doc");
    doc.addEventListener("mouseover", (e) => { const t = tipTarget(e); if (t) showTip(t); });
    doc.addEventListener("mouseout", (e) => { if (tipTarget(e)) hideTip(); });
    doc.addEventListener("focusin", (e) => { const t = tipTarget(e); if (t) showTip(t); });
    doc.addEventListener("focusout", hideTip);
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideTip(); });
    window.addEventListener("scroll", followTip, { passive: true });
    window.addEventListener("resize", followTip);
    doc.addEventListener("scroll", followTip, { passive: true });
    loadHealth();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
