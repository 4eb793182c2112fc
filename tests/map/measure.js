// SPDX-License-Identifier: MIT
// Run by headless Chromium on a page holding `vmcfg map --svg` pictures inline,
// each in a div[data-case] (tests/map/run): measures what the browser laid out
// and writes the findings per case as JSON into a pre element (id "geometry"),
// read back from --dump-dom. The SVG itself has no script; the markers it
// carries for this are classes: g.column[data-vm] (-1 the host), g.row (its
// first rect is the box, its <title> names the range), path.band / path.arrow
// [data-vm], rect.overlap (conflict hatching).
function measure(svg) {
  const W = +svg.getAttribute("width"), H = +svg.getAttribute("height");
  const o = svg.getBoundingClientRect();
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.left - o.left, y: r.top - o.top, w: r.width, h: r.height };
  };
  const meet = (a, b, tol) =>
    Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > tol &&
    Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > tol;
  const texts = [...svg.querySelectorAll("text")]
    .filter((t) => t.textContent.trim())
    .map((t) => ({ s: t.textContent, b: box(t), e: t }));
  const out = { width: W, height: H, texts: texts.length, bands: 0, points: 0,
                overlapping: [], outside: [], outOfBox: [], underHatch: [], crossing: [],
                addressMissing: [], longSizes: [] };
  const push = (list, v) => { if (list.length < 25) list.push(v); };
  const r1 = (b) => [b.x, b.y, b.w, b.h].map((v) => Math.round(v * 10) / 10);

  // No two text boxes overlap (1 px of tolerance for glyph boxes that touch).
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++)
      if (meet(texts[i].b, texts[j].b, 1))
        push(out.overlapping, [texts[i].s, r1(texts[i].b), texts[j].s, r1(texts[j].b)]);
  // No text leaves the canvas.
  for (const t of texts)
    if (t.b.x < -0.5 || t.b.y < -0.5 || t.b.x + t.b.w > W + 0.5 || t.b.y + t.b.h > H + 0.5)
      push(out.outside, [t.s, r1(t.b)]);
  // A row's text stays in its box, and the box shows its start address in full.
  for (const g of svg.querySelectorAll("g.row")) {
    const rect = g.querySelector("rect"), rb = box(rect);
    const title = g.querySelector("title").textContent;
    for (const t of g.querySelectorAll("text")) {
      const b = box(t);
      if (b.x < rb.x - 1.5 || b.y < rb.y - 1.5 || b.x + b.w > rb.x + rb.w + 1.5 ||
          b.y + b.h > rb.y + rb.h + 1.5)
        push(out.outOfBox, [t.textContent, r1(b), title, r1(rb)]);
    }
    const start = /\[(0x[0-9a-f_]+),/.exec(title);
    if (start && ![...g.querySelectorAll("text")].some((t) => t.textContent.includes(start[1])))
      push(out.addressMissing, [title, [...g.querySelectorAll("text")].map((t) => t.textContent)]);
  }
  // Conflict hatching is never drawn over a label (a text before it in the document).
  for (const h of svg.querySelectorAll("rect.overlap")) {
    const hb = box(h);
    for (const t of texts)
      if (meet(t.b, hb, 1) && (t.e.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING))
        push(out.underHatch, [t.s, r1(t.b), r1(hb)]);
  }
  // Bands and arrows stay out of every VM column but their own: sampled along the outline.
  const columns = [...svg.querySelectorAll("g.column")]
    .map((g) => ({ vm: +g.dataset.vm, b: box(g) }))
    .filter((c) => c.vm >= 0);
  for (const p of svg.querySelectorAll("path.band, path.arrow")) {
    const vm = +p.dataset.vm, len = p.getTotalLength();
    out.bands++;
    let hit = null;
    for (let at = 0; at <= len && !hit; at += 2) {
      const q = p.getPointAtLength(at);
      out.points++;
      for (const c of columns)
        if (c.vm !== vm && q.x > c.b.x + 7 && q.x < c.b.x + c.b.w - 7 && q.y > c.b.y &&
            q.y < c.b.y + c.b.h)
          hit = { vm, column: c.vm, at: [Math.round(q.x), Math.round(q.y)] };
    }
    if (hit) push(out.crossing, hit);
  }
  // Sizes in the largest exact unit or with one decimal: never "262148 KiB".
  for (const t of texts)
    if (/\b\d{4,} ?[KMGTPE]iB\b/.test(t.s)) push(out.longSizes, t.s);
  return out;
}

const results = {};
for (const div of document.querySelectorAll("div[data-case]"))
  results[div.dataset.case] = measure(div.querySelector("svg"));
const pre = document.createElement("pre");
pre.id = "geometry";
pre.textContent = JSON.stringify(results);
document.body.appendChild(pre);
