// The Draw tab's results (issue #12): three pictures with the judge's reading, three maps, the
// samples and the numbers of z = μ + σ·ε. Built once per element; each stroke's update swaps only
// the pictures, marks and words that changed (see __init__.py for why), then marks itself shown.
// The pictures arrive at their own size (28 px a digit) and the browser scales them up, pixelated.

import { el } from "../element.mjs";

const DOTS_SCALE = 2;  // canvas pixels per CSS px of the plot: sharp on high-DPI screens

export default function ({ parentElement, data: { view } }) {
  const root = parentElement.querySelector(".drawview") || parentElement;
  if (view.hidden) return hide(root, view.preload);
  const ui = root.__drawview || (root.__drawview = build(root, view.geometry));
  update(ui, view);
}

// Nothing to show (no drawing yet, or the pad was cleared): the element stays, hidden, with what
// it has built; the whole maps' codes are decoded ahead of the first stroke.
function hide(root, preload) {
  root.hidden = true;
  delete root.dataset.shown;
  if (root.__drawview) root.__drawview.token = null;
  root.__preloaded = preload.map((src) => {
    const image = new Image();
    image.src = src;
    image.decode().catch(() => {});
    return image;
  });
}

// ---------------------------------------------------------------- building (once per element)

function picture(image) {
  const caption = el("figcaption");
  return { node: el("figure", {}, image, caption), image, caption };
}

// A map scales with its figure: the codes (a picture, or dots on a canvas) sit on the plot, placed
// in shares of the map's size; the marks (SVG) cover the whole map.
function mapPicture({ width, height, left, top, size }) {
  const pct = (value, of) => `${(100 * value) / of}%`;
  const onPlot = `left:${pct(left, width)};top:${pct(top, height)};width:${pct(size, width)};height:${pct(size, height)}`;
  const marks = el("div");
  const frame = el("div", { class: "drawview-map", role: "img",
                            style: `max-width:${width}px;aspect-ratio:${width} / ${height}` }, marks);
  const map = picture(frame);
  return { ...map, marks, frame, onPlot, size, codes: null, dots: null };
}

// The layer under the marks, made on first use: an <img> for a picture of the codes, or a canvas
// for dots (an <img> without a picture would count as a broken image).
function layer(map, kind) {
  if (!map[kind]) {
    map[kind] = kind === "codes" ? el("img", { alt: "", style: map.onPlot })
      : el("canvas", { width: DOTS_SCALE * map.size, height: DOTS_SCALE * map.size, style: map.onPlot });
    map.frame.prepend(map[kind]);
  }
  return map[kind];
}

function build(root, geometry) {
  const ui = { root, token: null };
  ui.headings = [el("h4"), el("h4"), el("h4")];
  ui.help = el("details", { class: "drawview-help" }, el("summary"), el("p"));
  ui.figures = [0, 1, 2].map(() => picture(el("img", { class: "drawview-digit", width: 140, height: 140 })));
  ui.maps = [0, 1, 2].map(() => mapPicture(geometry));
  ui.note = el("p", { class: "drawview-note" });
  ui.samples = picture(el("img", { class: "drawview-samples" }));
  ui.samples.node.className = "drawview-samples-figure";
  ui.formula = el("p");
  ui.table = el("table", { class: "drawview-table" });
  const row = (items) => el("div", { class: "drawview-row" }, ...items.map((item) => item.node));
  root.replaceChildren(ui.headings[0], ui.help, row(ui.figures), ui.headings[1], row(ui.maps), ui.note,
                       ui.headings[2], ui.samples.node, ui.formula, ui.table);
  return ui;
}

// ---------------------------------------------------------------- updating (every stroke)

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// A new src only when it changed; the promise of its decoding joins `loading`.
function setSrc(image, src, loading) {
  if (image.getAttribute("src") === src) return;
  image.src = src;
  loading.push(image.decode().catch(() => {}));
}

function show(item, { src, alt, caption }, loading) {
  setSrc(item.image, src, loading);
  item.image.alt = alt;
  setText(item.caption, caption);
}

// The test codes near a close-up, as dots in their label's colour ({xy: [x, y, ...] in the plot's px, labels}).
function drawDots(canvas, { xy, labels }, { colours, radius }) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(DOTS_SCALE, 0, 0, DOTS_SCALE, 0, 0);  // the dots come in the plot's CSS px
  colours.forEach((colour, label) => {  // one path per colour: up to ~2,000 dots at 16-D
    ctx.beginPath();
    labels.forEach((l, i) => {
      if (l !== label) return;
      ctx.moveTo(xy[2 * i] + radius, xy[2 * i + 1]);
      ctx.arc(xy[2 * i], xy[2 * i + 1], radius, 0, 2 * Math.PI);
    });
    ctx.fillStyle = colour;
    ctx.fill();
  });
}

function showMap(map, { codes, dots, svg, alt, caption }, style, loading) {
  if (codes) setSrc(layer(map, "codes"), codes, loading);
  if (dots) drawDots(layer(map, "dots"), dots, style);
  if (map.codes) map.codes.hidden = !codes;
  if (map.dots) map.dots.hidden = !dots;
  if (map.svg !== svg) {  // built by the server from numbers and escaped words: no input of the student's
    map.svg = svg;
    map.marks.innerHTML = svg;
  }
  map.frame.setAttribute("aria-label", alt);
  setText(map.caption, caption);
}

function showTable(table, { head, rows }) {
  const cells = (tag, values) => el("tr", {}, ...values.map((text) => el(tag, { text })));
  table.replaceChildren(el("thead", {}, cells("th", head)), el("tbody", {}, ...rows.map((r) => cells("td", r))));
}

function update(ui, d) {
  ui.root.hidden = false;
  const loading = [];
  d.headings.forEach((text, i) => setText(ui.headings[i], text));
  setText(ui.help.firstChild, d.help.summary);
  setText(ui.help.lastChild, d.help.text);
  d.figures.forEach((figure, i) => show(ui.figures[i], figure, loading));
  d.maps.forEach((map, i) => showMap(ui.maps[i], map, d.dots, loading));
  setText(ui.note, d.note);
  ui.note.hidden = !d.note;
  show(ui.samples, d.samples, loading);
  setText(ui.formula, d.formula);
  showTable(ui.table, d.table);
  // Shown once every changed picture is decoded, as the benchmarks time the other tabs' pictures
  // (an older update that finishes late does not overwrite a newer one's mark).
  const token = (ui.token = d.id);
  Promise.all(loading).then(() => {
    if (ui.token === token) ui.root.dataset.shown = token;
  });
}
