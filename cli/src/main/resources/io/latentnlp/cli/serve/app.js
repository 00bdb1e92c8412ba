// latent-nlp serve: the page over the JSON API of docs/serve.md. No framework, no build step;
// every value from the server is put in the page with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let pending = 0;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function busy(delta) {
  pending += delta;
  document.body.dataset.state = pending > 0 ? "busy" : "ready";
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  busy(1);
  try {
    const response = await fetch(path, init);
    const json = await response.json();
    if (!response.ok) {
      throw new Error(json.error + (json.field ? " [field " + json.field + "]" : ""));
    }
    return json;
  } finally {
    busy(-1);
  }
}

function status(message, isError) {
  const s = $("status");
  s.textContent = message;
  s.className = isError ? "error" : "";
}

// Surprisal in nats to a colour: white at 0, deep red from 12 nats up.
function heat(surprisal) {
  const t = Math.max(0, Math.min(1, surprisal / 12));
  const light = 97 - 52 * t;
  return "hsl(" + (50 - 45 * t) + ", 90%, " + light + "%)";
}

function bitsRow(bits, differing) {
  const row = el("span", "bits");
  if (!bits) return row;
  const diff = new Set(differing || []);
  for (let i = 0; i < bits.length; i++) {
    const c = el("span", "bit" + (bits[i] === "1" ? " on" : "") + (diff.has(i) ? " diff" : ""));
    c.title = "bit " + i + " = " + bits[i] + (diff.has(i) ? " (differs)" : "");
    row.appendChild(c);
  }
  return row;
}

function legend() {
  const l = $("legend");
  l.textContent = "surprisal: ";
  for (const s of [0, 2, 4, 6, 8, 10, 12]) {
    const t = el("span", "tok", String(s));
    t.style.background = heat(s);
    if (s >= 8) t.style.color = "#fff";
    l.appendChild(t);
  }
  l.appendChild(document.createTextNode(" nats"));
}

function renderAnalysis(result) {
  const box = $("analysis");
  box.replaceChildren();
  for (const s of result.sentences) {
    const div = el("div", "sentence");
    const tokens = el("div", "tokens");
    for (const t of s.tokens) {
      const span = el("span", "tok" + (t.surprisal === null ? " none" : ""), t.token);
      if (t.surprisal !== null) {
        span.style.background = heat(t.surprisal);
        span.title = "−log p = " + t.surprisal.toFixed(2) + " nats";
      } else {
        span.title = "no unit of its own (joined to the token before, or past the model's length)";
      }
      tokens.appendChild(span);
    }
    div.appendChild(tokens);
    div.appendChild(bitsRow(s.bits));
    div.appendChild(el("div", "meta", "hash " + s.hash + "   log p(x|z) " +
      (s.logLikelihood === null ? "–" : s.logLikelihood.toFixed(2)) + " nats over " + s.modelTokens + " units" +
      (s.unknownTokens ? ", " + s.unknownTokens + " unknown" : "") + (s.truncated ? ", truncated" : "")));
    box.appendChild(div);
  }
}

function hitList(query, hits) {
  const ul = el("ul", "hits");
  for (const h of hits) {
    const li = el("li", "hit");
    li.appendChild(el("span", "d", "d=" + h.distance));
    const text = el("span", "text");
    text.appendChild(el("span", "id", h.sentence < 0 ? h.id : h.id + " #" + h.sentence));
    text.appendChild(document.createTextNode(h.text));
    li.appendChild(text);
    li.appendChild(bitsRow(h.bits, h.differingBits));
    ul.appendChild(li);
  }
  if (hits.length === 0) ul.appendChild(el("li", "muted", "the index is empty"));
  return ul;
}

function renderNeighbours(result) {
  const box = $("neighbours");
  box.replaceChildren();
  box.appendChild(el("h3", null, "Texts nearest to the whole text (its document code, the majority of its sentences' bits)"));
  box.appendChild(bitsRow(result.document.bits));
  box.appendChild(hitList(result.document, result.document.neighbours));
  result.sentences.forEach((s, i) => {
    box.appendChild(el("h3", null, "Sentences nearest to sentence " + (i + 1) + ": " + s.text));
    box.appendChild(bitsRow(s.bits));
    box.appendChild(hitList(s, s.neighbours));
  });
}

function renderMap(result) {
  const svg = $("map");
  svg.replaceChildren();
  const all = result.points.concat(result.query);
  if (result.points.length === 0) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", 20); t.setAttribute("y", 30);
    t.textContent = "fewer than two codes at this level: nothing to map";
    svg.appendChild(t);
    return;
  }
  const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = (x) => 20 + 600 * (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5);
  const sy = (y) => 380 - 360 * (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5);
  const hover = $("map-hover");
  for (const p of result.points) {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("class", "pt");
    c.setAttribute("cx", sx(p.x).toFixed(1));
    c.setAttribute("cy", sy(p.y).toFixed(1));
    c.setAttribute("r", 4);
    const title = document.createElementNS(SVG, "title");
    title.textContent = (p.sentence < 0 ? p.id : p.id + " #" + p.sentence) + ": " + p.text;
    c.appendChild(title);
    c.addEventListener("mouseenter", () => { hover.textContent = title.textContent; });
    svg.appendChild(c);
  }
  for (const q of result.query) {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("class", "q" + (q.kind === "document" ? " doc" : ""));
    c.setAttribute("cx", sx(q.x).toFixed(1));
    c.setAttribute("cy", sy(q.y).toFixed(1));
    c.setAttribute("r", 7);
    svg.appendChild(c);
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", (sx(q.x) + 9).toFixed(1));
    t.setAttribute("y", (sy(q.y) + 4).toFixed(1));
    t.textContent = q.kind === "document" ? "your text" : "sentence " + (q.sentence + 1);
    svg.appendChild(t);
  }
  hover.textContent = result.indexed + " " + result.level + " codes in the index" +
    (result.points.length < result.indexed ? ", " + result.points.length + " drawn" : "") +
    "; variance along the axes " + result.variances.map((v) => v.toFixed(2)).join(", ") + " (bits²)";
}

async function look() {
  const text = $("query").value;
  const k = Number($("k").value);
  status("reading…");
  try {
    const [analysis, neighbours, map] = await Promise.all([
      api("/api/analyze", { text }),
      api("/api/neighbours", { text, k }),
      api("/api/map", { text, level: $("level").value }),
    ]);
    renderAnalysis(analysis);
    renderNeighbours(neighbours);
    renderMap(map);
    status(analysis.sentences.length + " sentence(s); document hash " + analysis.document.hash);
  } catch (e) {
    status(e.message, true);
  }
}

async function interpolate() {
  const list = $("interpolation");
  try {
    const result = await api("/api/interpolate", {
      from: $("from").value, to: $("to").value, steps: Number($("steps").value),
    });
    list.replaceChildren();
    let previous = null;
    for (const p of result.points) {
      const li = el("li");
      li.appendChild(el("span", "t", "t=" + p.t.toFixed(2)));
      li.appendChild(document.createTextNode(p.text + (p.finished ? "" : " […]")));
      li.appendChild(el("br"));
      const diff = [];
      if (previous && p.bits) for (let i = 0; i < p.bits.length; i++) if (p.bits[i] !== previous[i]) diff.push(i);
      li.appendChild(bitsRow(p.bits, diff));
      previous = p.bits;
      list.appendChild(li);
    }
  } catch (e) {
    list.replaceChildren(el("li", "error", e.message));
  }
}

async function start() {
  legend();
  $("query-form").addEventListener("submit", (e) => { e.preventDefault(); look(); });
  $("interpolate-form").addEventListener("submit", (e) => { e.preventDefault(); interpolate(); });
  $("level").addEventListener("change", () => look());
  try {
    const info = await api("/api/info");
    $("info").textContent = "model " + info.model + " (" + info.latent + ", " + info.bits + "-bit " + info.hashMethod +
      " hash) over the index " + info.index.split(/[\\/]/).filter(Boolean).pop();
    $("info").title = info.index;
    if (!info.interpolate) {
      $("interpolate-go").disabled = true;
      $("interpolation").replaceChildren(el("li", "muted", "this model has no step decoder: it cannot decode"));
    }
  } catch (e) {
    status(e.message, true);
  }
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    $("query").value = q;
    look();
  }
}

start();
