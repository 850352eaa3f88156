// The Explore panel's interactive part: latent sliders, the decoded digit and the clickable
// latent map, in one element (st.components.v2).
//
// Why one custom element: with Streamlit's own slider and Plotly chart, every slider release
// re-rendered 16 slider widgets and re-created a 10,000-point WebGL chart (the moved marker
// changes the figure), about 1 s of browser CPU per move with software rendering. Here the
// DOM is built once per model; a rerun only swaps image sources, moves slider thumbs and
// redraws the marker layer.
//
// Why the page decodes too: the VAE's decoder is a 0.5 M-parameter MLP, under a millisecond
// here, so the digit follows a slider while it is dragged, without waiting for the server.
// Python stays the only owner of z: on release (or a map click, or a button) this code reports
// an event, the server applies it, judges the digit and sends back what to show.

const MARGIN = { l: 46, r: 12, t: 10, b: 40 };  // plot area inside the map canvas, CSS px
const POINT = 3;        // marker size of a test digit, CSS px
const HOVER_PX = 8;     // how close the pointer must be to a digit for its tooltip
const STALE_MS = 3000;  // an answer this long after the last event is shown even if it is not its answer

// The large fixed data (points, labels, decoder weights, manifold) arrives once per session and
// size and is kept for the page's life: a tab change or size switch re-creates this element.
const ASSETS = (window.__latentLabAssets ||= new Map());

// A press that ends off the thumb fires no "change": the slider is not held any more either way.
// One listener for the page, however often the element is re-created.
window.__latentLabPointerUp ||= (window.addEventListener("pointerup", () => {
  document.querySelectorAll(".lab-explorer input[data-dragging]").forEach((input) => delete input.dataset.dragging);
}), true);

export default function ({ parentElement, data, setStateValue }) {
  const root = parentElement.querySelector(".lab-explorer") || parentElement;
  const newId = () => `${Date.now()}-${Math.random()}`;
  if (data.assets) ASSETS.set(data.signature, unpack(data.assets));
  const assets = ASSETS.get(data.signature);
  if (!assets) {  // not expected (the server sends them first); ask again, once per answer
    if (root.__asked !== data) {
      root.__asked = data;
      setStateValue("event", { kind: "assets", id: newId() });
    }
    return;
  }
  let ui = root.__lab;
  if (!ui || ui.signature !== data.signature) {
    ui = root.__lab = build(root, data, assets);
  }
  ui.send = (event) => {
    ui.lastSent = newId();
    ui.lastSentAt = performance.now();
    setStateValue("event", { ...event, id: ui.lastSent });
  };
  update(ui, data);
}

// ---------------------------------------------------------------- building (once per model)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function decodeBase64(text) {
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

function floats(text) {
  return new Float32Array(decodeBase64(text).buffer);
}

function unpack(assets) {
  return {
    points: floats(assets.points), labels: decodeBase64(assets.labels), manifold: assets.manifold,
    decoder: assets.decoder.map((layer) => ({ weight: floats(layer.weight), bias: floats(layer.bias),
                                             out: layer.shape[0], in: layer.shape[1] })),
    mean: assets.projection.mean, components: assets.projection.components,
  };
}

function build(root, data, assets) {
  root.replaceChildren();
  const ui = { signature: data.signature, dim: data.z.length, sliders: [], hidden: new Set(), assets };
  ui.points = assets.points;
  ui.labels = assets.labels;
  ui.pixels = el("canvas", { width: 28, height: 28 });  // the page's own decode, before it becomes a PNG

  // Left: sliders, then the map.
  const sliderBox = el("div", { class: "lab-sliders" + (ui.dim > 4 ? " lab-two-columns" : "") });
  // Two columns read down, then across: the most used dimensions fill the left column.
  if (ui.dim > 4) sliderBox.style.gridTemplateRows = `repeat(${Math.ceil(ui.dim / 2)}, auto)`;
  for (const i of data.order) {
    const input = el("input", { type: "range", min: -data.limit, max: data.limit, step: data.step,
                                "aria-label": `z${i + 1}`, "data-dim": i, title: data.slider_help[i] });
    const value = el("span", { class: "lab-value" });
    const row = el("label", { class: "lab-slider", title: data.slider_help[i] },
                   el("span", { class: "lab-slider-name", text: data.slider_labels[i] }), value, input);
    input.addEventListener("input", () => {
      value.textContent = Number(input.value).toFixed(2);
      showLocally(ui, sliderValues(ui));
    });
    input.addEventListener("pointerdown", () => { input.dataset.dragging = "1"; });
    input.addEventListener("change", () => {
      delete input.dataset.dragging;
      ui.send({ kind: "z", z: sliderValues(ui) });
    });
    ui.sliders[i] = { input, value };
    sliderBox.append(row);
  }

  ui.points_canvas = el("canvas", { class: "lab-points", "aria-hidden": "true" });
  ui.overlay = el("canvas", { class: "lab-overlay", role: "img", "data-testid": "latent-map",
                              "aria-label": "Latent map: click anywhere to decode that point" });
  ui.tooltip = el("div", { class: "lab-tooltip" });
  ui.mapBox = el("div", { class: "lab-map", style: `height: ${data.map_height}px` },
                 ui.points_canvas, ui.overlay, ui.tooltip);
  const legend = el("div", { class: "lab-legend" }, el("span", { text: "digit (click to hide):" }));
  for (let d = 0; d < 10; d++) {
    const chip = el("button", { type: "button", class: "lab-chip", "aria-pressed": "true",
                                title: `Show or hide the test digits labelled ${d}` },
                    el("span", { class: "lab-swatch", style: `background:${data.palette[d]}` }), String(d));
    chip.addEventListener("click", () => {
      if (ui.hidden.has(d)) ui.hidden.delete(d); else ui.hidden.add(d);
      chip.setAttribute("aria-pressed", String(!ui.hidden.has(d)));
      drawPoints(ui);
    });
    legend.append(chip);
  }
  ui.mapCaption = el("p", { class: "lab-caption" });
  ui.heading = el("p", { class: "lab-heading" });
  const left = el("div", { class: "lab-left" }, ui.heading, sliderBox, legend, ui.mapBox, ui.mapCaption);

  // Right: the decoded digit, the buttons, reconstructions of a test digit, the manifold.
  ui.digit = el("img", { class: "lab-digit", alt: "decoded digit", width: 280, height: 280 });
  ui.digitCaption = el("figcaption");
  const buttons = el("div", { class: "lab-buttons" });
  for (const [kind, label, help] of data.buttons) {
    const button = el("button", { type: "button", class: "lab-button", title: help, text: label });
    button.addEventListener("click", () => ui.send({ kind }));
    buttons.append(button);
  }
  ui.recon = el("div", { class: "lab-recon" });
  ui.manifold = el("img", { class: "lab-manifold", alt: "manifold grid" });
  ui.manifoldTitle = el("p", { class: "lab-heading" });
  ui.manifoldCaption = el("figcaption");
  const right = el("div", { class: "lab-right" },
                   el("figure", { class: "lab-figure" }, ui.digit, ui.digitCaption), buttons, ui.recon,
                   ui.manifoldTitle, el("figure", { class: "lab-figure" }, ui.manifold, ui.manifoldCaption));
  root.append(el("div", { class: "lab-grid" }, left, right));

  ui.manifold.setAttribute("src", assets.manifold);
  ui.overlay.addEventListener("click", (e) => onMapClick(ui, e));
  ui.overlay.addEventListener("pointermove", (e) => onHover(ui, e));
  ui.overlay.addEventListener("pointerleave", () => { ui.hover = null; ui.tooltip.style.display = "none"; drawOverlay(ui); });
  new ResizeObserver(() => { layout(ui); drawPoints(ui); drawOverlay(ui); }).observe(ui.mapBox);
  return ui;
}

// ---------------------------------------------------------------- updating (every rerun)

function setSrc(img, src) {
  if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
}

function update(ui, data) {
  ui.data = data;
  ui.heading.textContent = data.heading;
  ui.mapCaption.textContent = data.map_caption;
  ui.manifoldTitle.textContent = data.manifold_title;
  ui.manifoldCaption.textContent = data.manifold_caption;
  if (!ui.view) layout(ui);
  if (ui.view && !ui.drawn) drawPoints(ui);
  // An answer to an older event (the student pressed an arrow key again meanwhile) must not
  // move the thumbs or the digit back; the answer to the latest one will follow.
  const caughtUp = !ui.lastSent || data.event_id === ui.lastSent || performance.now() - ui.lastSentAt > STALE_MS;
  if (!caughtUp) return;
  data.z.forEach((v, i) => {
    const { input, value } = ui.sliders[i];
    if (input.dataset.dragging) return;  // never yank a thumb out of the student's hand
    input.value = v;
    value.textContent = Number(v).toFixed(2);
  });
  // The page already shows this z's digit (decoded here): keep it rather than swap in a copy.
  const shown = ui.localZ && data.z.every((v, i) => Math.abs(v - ui.localZ[i]) < 1e-6);
  if (!shown) setSrc(ui.digit, data.digit);
  ui.localZ = null;
  ui.digitCaption.textContent = data.digit_caption;
  ui.digitCaption.classList.remove("lab-stale");
  updateRecon(ui, data.recon);
  ui.marker = data.marker;
  drawOverlay(ui);
}

// ---------------------------------------------------------------- decoding in the page

function sliderValues(ui) {
  return ui.sliders.map(({ input }) => Number(input.value));
}

// The decoder: Linear layers, ELU between them, sigmoid at the end (model/networks.py).
function decode(decoder, z) {
  let h = Float64Array.from(z);
  decoder.forEach(({ weight, bias, out, in: width }, k) => {
    const next = new Float64Array(out), last = k === decoder.length - 1;
    for (let o = 0; o < out; o++) {
      let sum = bias[o];
      for (let i = 0, row = o * width; i < width; i++) sum += weight[row + i] * h[i];
      next[o] = last ? 1 / (1 + Math.exp(-sum)) : (sum > 0 ? sum : Math.expm1(sum));
    }
    h = next;
  });
  return h;
}

function digitUri(ui, pixels) {
  const ctx = ui.pixels.getContext("2d"), image = ctx.createImageData(28, 28);
  pixels.forEach((p, i) => {
    const v = Math.round(Math.min(1, Math.max(0, p)) * 255);
    image.data.set([v, v, v, 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
  return ui.pixels.toDataURL();
}

function project(ui, z) {  // z -> the map's plane (the Projection in model/latent.py)
  const { mean, components } = ui.assets;
  return components.map((c) => c.reduce((sum, ci, i) => sum + ci * (z[i] - mean[i]), 0));
}

function unproject(ui, x, y) {  // a map point -> z on the plane, as the sliders can hold it
  const { mean, components } = ui.assets, { limit, step } = ui.data;
  return mean.map((m, i) => {
    const v = Math.min(limit, Math.max(-limit, m + x * components[0][i] + y * components[1][i]));
    return Math.round(v / step) * step;
  });
}

// Show z's digit and marker now; the server's answer (judge caption, reconstructions) follows.
function showLocally(ui, z) {
  ui.localZ = z;
  setSrc(ui.digit, digitUri(ui, decode(ui.assets.decoder, z)));
  ui.digitCaption.classList.add("lab-stale");
  ui.marker = project(ui, z);
  drawOverlay(ui);
}

function updateRecon(ui, recon) {
  const key = recon ? recon.title : "";
  if (ui.reconKey === key) return;
  ui.reconKey = key;
  ui.recon.replaceChildren();
  if (!recon) return;
  const row = el("div", { class: "lab-recon-row" });
  for (const [src, caption] of recon.images) {
    row.append(el("figure", { class: "lab-figure" }, el("img", { src, alt: caption, width: 140, height: 140 }),
                  el("figcaption", { text: caption })));
  }
  ui.recon.append(el("p", { class: "lab-heading", text: recon.title }), row);
}

// ---------------------------------------------------------------- the map

function niceStep(span) {
  const raw = span / 6, power = 10 ** Math.floor(Math.log10(raw)), f = raw / power;
  return power * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

// Data ranges -> plot area with equal units on both axes (distances on the map mean something).
function layout(ui) {
  const box = ui.mapBox.getBoundingClientRect();
  if (box.width < 50) return;
  const dpr = window.devicePixelRatio || 1;
  for (const canvas of [ui.points_canvas, ui.overlay]) {
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
  }
  const w = box.width - MARGIN.l - MARGIN.r, h = box.height - MARGIN.t - MARGIN.b;
  let [x0, x1] = ui.data.view.x, [y0, y1] = ui.data.view.y;
  const scale = Math.min(w / (x1 - x0), h / (y1 - y0));
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  x0 = cx - w / scale / 2; x1 = cx + w / scale / 2;
  y0 = cy - h / scale / 2; y1 = cy + h / scale / 2;
  ui.view = { x0, x1, y0, y1, l: MARGIN.l, t: MARGIN.t, w, h, dpr };
  ui.overlay.dataset.view = JSON.stringify(ui.view);  // read by the browser tests
  ui.drawn = false;
}

function toPixel(v, x, y) {
  return [v.l + (x - v.x0) / (v.x1 - v.x0) * v.w, v.t + (v.y1 - y) / (v.y1 - v.y0) * v.h];
}

function toData(v, px, py) {
  return [v.x0 + (px - v.l) / v.w * (v.x1 - v.x0), v.y1 - (py - v.t) / v.h * (v.y1 - v.y0)];
}

function drawAxes(ctx, ui) {
  const v = ui.view;
  ctx.font = "12px sans-serif";
  ctx.fillStyle = "#555";
  ctx.lineWidth = 1;
  for (const axis of ["x", "y"]) {
    const lo = axis === "x" ? v.x0 : v.y0, hi = axis === "x" ? v.x1 : v.y1, step = niceStep(hi - lo);
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const tick = Math.abs(t) < step / 1e6 ? 0 : t;
      ctx.strokeStyle = tick === 0 ? "#999" : "#e6e6e6";
      ctx.beginPath();
      if (axis === "x") {
        const [px] = toPixel(v, tick, 0);
        ctx.moveTo(px, v.t); ctx.lineTo(px, v.t + v.h);
        ctx.textAlign = "center"; ctx.fillText(String(+tick.toFixed(2)), px, v.t + v.h + 14);
      } else {
        const [, py] = toPixel(v, 0, tick);
        ctx.moveTo(v.l, py); ctx.lineTo(v.l + v.w, py);
        ctx.textAlign = "right"; ctx.fillText(String(+tick.toFixed(2)), v.l - 6, py + 4);
      }
      ctx.stroke();
    }
  }
  ctx.fillStyle = "#222";
  ctx.font = "13px sans-serif";
  ctx.textAlign = "center";
  ctx.fillText(ui.data.axes[0], v.l + v.w / 2, v.t + v.h + 32);
  ctx.save();
  ctx.translate(12, v.t + v.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(ui.data.axes[1], 0, 0);
  ctx.restore();
  if (ui.data.limit_box) {  // the square the sliders can reach
    const [ax, ay] = toPixel(v, -ui.data.limit, ui.data.limit), [bx, by] = toPixel(v, ui.data.limit, -ui.data.limit);
    ctx.strokeStyle = "#bbb";
    ctx.setLineDash([4, 4]);
    ctx.strokeRect(ax, ay, bx - ax, by - ay);
    ctx.setLineDash([]);
  }
}

function clearedContext(canvas, v) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);  // draw in CSS pixels, sharp on high-DPI screens
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  return ctx;
}

// The 10,000 digits: drawn only when the size, the model or the hidden digits change.
function drawPoints(ui) {
  const v = ui.view;
  if (!v) return;
  const ctx = clearedContext(ui.points_canvas, v);
  drawAxes(ctx, ui);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.l, v.t, v.w, v.h);
  ctx.clip();
  ctx.globalAlpha = 0.6;
  const n = ui.labels.length, sx = v.w / (v.x1 - v.x0), sy = v.h / (v.y1 - v.y0), half = POINT / 2;
  for (let d = 0; d < 10; d++) {
    if (ui.hidden.has(d)) continue;
    ctx.fillStyle = ui.data.palette[d];
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (ui.labels[i] !== d) continue;
      ctx.rect(v.l + (ui.points[2 * i] - v.x0) * sx - half, v.t + (v.y1 - ui.points[2 * i + 1]) * sy - half, POINT, POINT);
    }
    ctx.fill();
  }
  ctx.restore();
  ui.drawn = true;
}

function drawCross(ctx, x, y, size, color, width) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(x - size, y - size); ctx.lineTo(x + size, y + size);
  ctx.moveTo(x - size, y + size); ctx.lineTo(x + size, y - size);
  ctx.stroke();
}

// The current z and the hovered digit: cheap, redrawn on every change.
function drawOverlay(ui) {
  const v = ui.view;
  if (!v) return;
  const ctx = clearedContext(ui.overlay, v);
  if (ui.hover != null) {
    const [hx, hy] = toPixel(v, ui.points[2 * ui.hover], ui.points[2 * ui.hover + 1]);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.arc(hx, hy, 6, 0, 2 * Math.PI); ctx.stroke();
  }
  if (ui.marker) {
    const [mx, my] = toPixel(v, ...ui.marker);
    drawCross(ctx, mx, my, 8, "#fff", 5);
    drawCross(ctx, mx, my, 8, "#111", 2.5);
  }
  ui.overlay.dataset.marker = ui.marker ? ui.marker.map((m) => m.toFixed(4)).join(",") : "";
}

function eventPixel(ui, e) {
  const box = ui.overlay.getBoundingClientRect();
  return [e.clientX - box.left, e.clientY - box.top];
}

function onMapClick(ui, e) {
  const v = ui.view;
  if (!v) return;
  const [px, py] = eventPixel(ui, e);
  if (px < v.l || px > v.l + v.w || py < v.t || py > v.t + v.h) return;
  const [x, y] = toData(v, px, py), z = unproject(ui, x, y);
  z.forEach((value, i) => {
    ui.sliders[i].input.value = value;
    ui.sliders[i].value.textContent = value.toFixed(2);
  });
  showLocally(ui, z);
  ui.send({ kind: "click", x, y });
}

function onHover(ui, e) {
  const v = ui.view;
  if (!v) return;
  const [px, py] = eventPixel(ui, e);
  let best = null, bestDist = HOVER_PX * HOVER_PX;
  const [x0, y0] = toData(v, px - HOVER_PX, py + HOVER_PX), [x1, y1] = toData(v, px + HOVER_PX, py - HOVER_PX);
  for (let i = 0; i < ui.labels.length; i++) {
    const x = ui.points[2 * i], y = ui.points[2 * i + 1];
    if (x < x0 || x > x1 || y < y0 || y > y1 || ui.hidden.has(ui.labels[i])) continue;
    const [qx, qy] = toPixel(v, x, y), dist = (qx - px) ** 2 + (qy - py) ** 2;
    if (dist < bestDist) { best = i; bestDist = dist; }
  }
  if (best !== ui.hover) {
    ui.hover = best;
    drawOverlay(ui);
  }
  if (best == null) {
    ui.tooltip.style.display = "none";
    return;
  }
  ui.tooltip.textContent = `test digit #${best} · label ${ui.labels[best]}`;
  ui.tooltip.style.display = "block";
  ui.tooltip.style.left = `${px + 12}px`;
  ui.tooltip.style.top = `${py + 12}px`;
}
