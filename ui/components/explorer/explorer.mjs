// The Explore panel's interactive part: latent sliders, the decoded digit and the clickable
// latent map of one model (the AE or the VAE), in one element (st.components.v2). This is the
// view: the DOM, the canvases and the student's input. The pure parts (decoder, projection, axes,
// hit-testing, the sliders' grid) are explorer-core.mjs.
//
// Why one custom element: with Streamlit's own slider and Plotly chart, every slider release
// re-rendered 16 slider widgets and re-created a 10,000-point WebGL chart (the moved marker
// changes the figure), about 1 s of browser CPU per move with software rendering. Here the
// DOM is built once per model; a rerun only swaps image sources, moves slider thumbs and
// redraws the marker layer.
//
// Why the page decodes too: each decoder is a 0.5 M-parameter MLP, under a millisecond
// here, so the digit follows a slider while it is dragged, without waiting for the server.
// Python stays the only owner of z: on release (or a map click, or a button) this code sends
// one event as a trigger value, the server applies it once, judges the digit and sends back
// what to show, with the id of the event it answers.

import { HOVER_PX, POINT, arrowDirection, caughtUp, cursorStart, cursorStep, cursorText, decode, fitView, greyRgba, inPlot,
         insidePolygon, keyedValue, movedCursor, nearestPoint, payloadOf, project, sameZ, sliderRows, tickLabel, ticks,
         toData, toPixel, unpack, unpackFile, unproject, valueText } from "./explorer-core.mjs";
import { cleanupWhenGone, currentState, el } from "../element.mjs";

// The large fixed data (points, labels, decoder weights, manifold) is a file per data set, size and
// model (its address in data.assets_url; the browser's cache keeps it across visits), fetched once
// and kept for the page's life: a tab change or size switch re-creates this element, but Streamlit
// imports this module once per page, so what it holds stays.
const ASSETS = new Map();
const WAITING = new Map();  // signature -> the latest call's file address and redraw
const RETRY_MS = 2000;
const SMALL_PRIOR_PX = 12;  // a 2σ circle smaller than this is filled in
// One state object per element (its root node): built once per model and size, updated on every rerun.
const STATES = new WeakMap();
// The data of each call, parsed once: a call repeated with the bytes it already had gets the same
// object, which is how currentState tells a repeated call from new data.
const PAYLOADS = new WeakMap();

function payload(bytes) {
  if (!PAYLOADS.has(bytes)) PAYLOADS.set(bytes, payloadOf(bytes));
  return PAYLOADS.get(bytes);
}

export default function render(args) {
  const { parentElement, data: bytes, setTriggerValue } = args;
  const root = parentElement.querySelector(".lab-explorer") || parentElement;
  const data = payload(bytes);
  const newId = () => `${Date.now()}-${Math.random()}`;
  const state = currentState(STATES, root, data, ASSETS.get(data.signature), {
    build, destroy, askForAssets: () => fetchAssets(data, () => root.isConnected && render(args)),
  });
  if (state) {
    state.send = (event) => {
      state.lastSent = newId();
      state.lastSentAt = performance.now();
      setTriggerValue("event", { ...event, model: data.model, id: state.lastSent });
    };
    update(state, data);
  }
  return cleanupWhenGone(STATES, root, destroy);
}

// Fetch the file once (retrying while it fails: a server restarting), then redraw the latest call.
function fetchAssets(data, redraw) {
  const fetching = WAITING.has(data.signature);
  WAITING.set(data.signature, { url: data.assets_url, redraw });
  if (fetching) return;
  const attempt = () => fetch(WAITING.get(data.signature).url)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
      return response.arrayBuffer();
    })
    .then((buffer) => {
      ASSETS.set(data.signature, unpack(unpackFile(buffer)));
      const { redraw: latest } = WAITING.get(data.signature);
      WAITING.delete(data.signature);
      latest();
    })
    .catch(() => setTimeout(attempt, RETRY_MS));
  attempt();
}

// Canvas text at a size in CSS px for the page's normal 16 px type, grown with presenter mode's.
function textFont(px) {
  const scale = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
  return `${Math.round(px * scale)}px sans-serif`;
}

function destroy(state) {
  state.observer?.disconnect();
  if (state.onPointerUp) window.removeEventListener("pointerup", state.onPointerUp, true);
}

// ---------------------------------------------------------------- building (once per model)

function build(root, data, assets) {
  root.replaceChildren();
  const state = { signature: data.signature, dim: data.z.length, sliders: [], hidden: new Set(), assets };
  state.pixels = el("canvas", { width: 28, height: 28 });  // the page's own decode, before it becomes a PNG

  // Left: sliders, then the map.
  const scale = data.scale;
  const sliderBox = el("div", { class: "lab-sliders" + (state.dim > 4 ? " lab-two-columns" : "") });
  if (state.dim > 4) sliderBox.style.gridTemplateRows = `repeat(${sliderRows(state.dim)}, auto)`;
  for (const i of data.order) {
    const input = el("input", { type: "range", min: scale.lo[i], max: scale.hi[i], step: scale.step[i],
                                "aria-label": `z${i + 1}`, "data-dim": i, title: data.slider_help[i] });
    const value = el("span", { class: "lab-value" });
    const name = el("span", { class: "lab-slider-name", text: data.slider_labels[i] },
                    el("span", { class: "lab-precise", text: ` (${data.slider_precise[i]})` }));
    const row = el("label", { class: "lab-slider", title: data.slider_help[i] }, name, value, input);
    const moved = () => {
      value.textContent = valueText(input.value, scale.step[i]);
      showLocally(state, sliderValues(state));
    };
    const released = () => {
      delete input.dataset.dragging;
      state.send({ kind: "z", z: sliderValues(state) });
    };
    input.addEventListener("input", moved);
    input.addEventListener("pointerdown", () => { input.dataset.dragging = "1"; });
    input.addEventListener("change", released);
    input.addEventListener("keydown", (e) => {  // the browser's own step would be the fine grid
      const direction = arrowDirection(e.key);
      if (!direction) return;
      e.preventDefault();
      input.value = keyedValue(Number(input.value), direction, e.shiftKey, scale, i);
      moved();
      released();
    });
    state.sliders[i] = { input, value, step: scale.step[i] };
    sliderBox.append(row);
  }
  const precise = el("button", { type: "button", class: "lab-button lab-precise-toggle", "aria-pressed": "false",
                                 text: "Show the numbers" });
  precise.addEventListener("click", () => {
    const shown = sliderBox.classList.toggle("lab-show-precise");
    precise.setAttribute("aria-pressed", String(shown));
    precise.textContent = shown ? "Hide the numbers" : "Show the numbers";
  });
  // A press that ends off the thumb fires no "change": the slider is not held any more either way.
  state.onPointerUp = () => state.sliders.forEach(({ input }) => delete input.dataset.dragging);
  window.addEventListener("pointerup", state.onPointerUp, true);

  state.pointsCanvas = el("canvas", { class: "lab-points", "aria-hidden": "true" });
  // The map from the keyboard: it takes focus with Tab, arrows move a cursor, Enter decodes there.
  state.overlay = el("canvas", { class: "lab-overlay", role: "application", tabindex: "0", "data-testid": "latent-map",
                                 "aria-roledescription": "latent map",
                                 "aria-label": "Latent map: tap or click anywhere to decode that point; from the keyboard, "
                                               + "arrow keys move a cursor, Enter decodes there, Escape leaves" });
  state.cursorLine = el("p", { class: "lab-caption lab-cursor-line", "aria-live": "polite", "data-testid": "map-cursor" });
  state.tooltip = el("div", { class: "lab-tooltip" });
  state.mapBox = el("div", { class: "lab-map", style: `height: ${data.map_height}px` },
                    state.pointsCanvas, state.overlay, state.tooltip);
  const legend = el("div", { class: "lab-legend" }, el("span", { text: `${data.item} (tap or click to hide):` }));
  for (let d = 0; d < 10; d++) {
    const chip = el("button", { type: "button", class: "lab-chip", "aria-pressed": "true",
                                title: `Show or hide the test ${data.item}s labelled ${data.classes[d]}` },
                    el("span", { class: "lab-swatch", style: `background:${data.palette[d]}` }), data.classes[d]);
    chip.addEventListener("click", () => {
      if (state.hidden.has(d)) state.hidden.delete(d); else state.hidden.add(d);
      chip.setAttribute("aria-pressed", String(!state.hidden.has(d)));
      drawPoints(state);
    });
    legend.append(chip);
  }
  state.mapCaption = el("p", { class: "lab-caption" });
  state.layerLegend = el("div", { class: "lab-layer-legend" });
  state.layerCaption = el("p", { class: "lab-caption lab-layer-caption" });
  state.layerImage = new Image();
  state.layerImage.addEventListener("load", () => drawPoints(state));
  state.heading = el("p", { class: "lab-heading" });
  const left = el("div", { class: "lab-left" }, el("div", { class: "lab-heading-row" }, state.heading, precise),
                  sliderBox, legend, state.mapBox, state.cursorLine, state.layerLegend, state.layerCaption,
                  state.mapCaption);

  // Right: the decoded digit, the buttons, reconstructions of a test digit, the manifold.
  state.digit = el("img", { class: "lab-digit", alt: `decoded ${data.item}`, width: 280, height: 280 });
  // Read out when it changes (the judge's reading of the shown image), without taking focus.
  state.digitCaption = el("figcaption", { "aria-live": "polite" });
  const buttons = el("div", { class: "lab-buttons" });
  for (const [kind, label, help] of data.buttons) {
    const button = el("button", { type: "button", class: "lab-button", title: help, text: label });
    button.addEventListener("click", () => state.send({ kind }));
    buttons.append(button);
  }
  state.recon = el("div", { class: "lab-recon" });
  state.manifold = el("img", { class: "lab-manifold", alt: "manifold grid" });
  state.manifoldTitle = el("p", { class: "lab-heading" });
  state.manifoldCaption = el("figcaption");
  const right = el("div", { class: "lab-right" },
                   el("figure", { class: "lab-figure" }, state.digit, state.digitCaption), buttons, state.recon,
                   state.manifoldTitle, el("figure", { class: "lab-figure" }, state.manifold, state.manifoldCaption));
  // The right column comes first in the DOM, so Tab reaches the digit's buttons before the 16
  // sliders; explorer.css places it on the right all the same.
  root.append(el("div", { class: "lab-grid" }, right, left));

  state.manifold.setAttribute("src", assets.manifold);
  state.overlay.addEventListener("click", (e) => onMapClick(state, e));
  state.overlay.addEventListener("focus", () => {
    if (state.overlay.matches(":focus-visible")) showCursor(state);  // not for a click: the pointer is the cursor
  });
  state.overlay.addEventListener("blur", () => hideCursor(state));
  state.overlay.addEventListener("keydown", (e) => onMapKey(state, e));
  state.overlay.addEventListener("pointermove", (e) => onHover(state, e));
  state.overlay.addEventListener("pointerleave", () => {
    state.hover = null;
    state.tooltip.style.display = "none";
    drawOverlay(state);
  });
  state.observer = new ResizeObserver(() => { layout(state); drawPoints(state); drawOverlay(state); });
  state.observer.observe(state.mapBox);
  return state;
}

// ---------------------------------------------------------------- updating (every rerun)

function setSrc(img, src) {
  if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
}

function update(state, data) {
  state.data = data;
  state.heading.textContent = data.heading;
  state.mapCaption.textContent = data.map_caption;
  state.manifoldTitle.textContent = data.manifold_title;
  state.manifoldCaption.textContent = data.manifold_caption;
  updateLayer(state, data.layer);
  if (!state.view) layout(state);
  if (state.view && !state.drawn) drawPoints(state);
  if (!caughtUp(state.lastSent, state.lastSentAt, data.event_id, performance.now())) return;
  data.z.forEach((v, i) => {
    const { input, value, step } = state.sliders[i];
    if (input.dataset.dragging) return;  // never yank a thumb out of the student's hand
    input.value = v;
    value.textContent = valueText(v, step);
  });
  if (!sameZ(state.localZ, data.z)) setSrc(state.digit, data.digit);
  state.localZ = null;
  if (state.digitCaption.textContent !== data.digit_caption) state.digitCaption.textContent = data.digit_caption;
  state.digitCaption.classList.remove("lab-stale");
  updateRecon(state, data.recon);
  state.marker = data.marker;
  drawOverlay(state);
}

// The verdict layer: its picture under the points, its legend and caption under the map.
function updateLayer(state, layer) {
  const key = layer ? layer.image : "";
  if (state.layerKey === key) return;
  state.layerKey = key;
  state.layerLegend.replaceChildren();
  state.layerCaption.textContent = layer ? layer.caption : "";
  state.mapBox.dataset.layer = layer ? "verdict" : "";  // read by the browser tests
  if (!layer) {
    state.layerImage.removeAttribute("src");
    drawPoints(state);
    return;
  }
  for (const [swatch, text] of layer.legend) {
    state.layerLegend.append(el("span", { class: "lab-layer-item" },
                                el("span", { class: "lab-layer-swatch", style: `background: ${swatch}` }), text));
  }
  state.layerImage.src = layer.image;  // drawn when it has loaded
}

function sliderValues(state) {
  return state.sliders.map(({ input }) => Number(input.value));
}

function digitUri(state, pixels) {
  const ctx = state.pixels.getContext("2d"), image = ctx.createImageData(28, 28);
  image.data.set(greyRgba(pixels));
  ctx.putImageData(image, 0, 0);
  return state.pixels.toDataURL();
}

// Show z's digit and marker now; the server's answer (judge caption, reconstructions) follows.
function showLocally(state, z) {
  state.localZ = z;
  setSrc(state.digit, digitUri(state, decode(state.assets.decoder, z)));
  state.digitCaption.classList.add("lab-stale");
  state.marker = project(state.assets, z);
  drawOverlay(state);
}

function updateRecon(state, recon) {
  const key = recon ? recon.title : "";
  if (state.reconKey === key) return;
  state.reconKey = key;
  state.recon.replaceChildren();
  if (!recon) return;
  const row = el("div", { class: "lab-recon-row" });
  for (const [src, caption] of recon.images) {
    row.append(el("figure", { class: "lab-figure" }, el("img", { src, alt: caption, width: 140, height: 140 }),
                  el("figcaption", { text: caption })));
  }
  state.recon.append(el("p", { class: "lab-heading", text: recon.title }), row);
}

// ---------------------------------------------------------------- the map

// Data ranges -> plot area with equal units on both axes, canvases sized for the screen.
function layout(state) {
  const box = state.mapBox.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
  const view = fitView(box.width, box.height, state.data.view, dpr);
  if (!view) return;
  for (const canvas of [state.pointsCanvas, state.overlay]) {
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
  }
  state.view = view;
  state.overlay.dataset.view = JSON.stringify(view);  // read by the browser tests
  state.drawn = false;
}

function drawAxes(ctx, state) {
  const v = state.view, { axes } = state.data;
  ctx.font = textFont(12);
  ctx.fillStyle = "#555";
  ctx.lineWidth = 1;
  for (const axis of ["x", "y"]) {
    for (const tick of axis === "x" ? ticks(v.x0, v.x1) : ticks(v.y0, v.y1)) {
      ctx.strokeStyle = tick === 0 ? "#999" : "#e6e6e6";
      ctx.beginPath();
      if (axis === "x") {
        const [px] = toPixel(v, tick, 0);
        ctx.moveTo(px, v.t); ctx.lineTo(px, v.t + v.h);
        ctx.textAlign = "center"; ctx.fillText(tickLabel(tick), px, v.t + v.h + 14);
      } else {
        const [, py] = toPixel(v, 0, tick);
        ctx.moveTo(v.l, py); ctx.lineTo(v.l + v.w, py);
        ctx.textAlign = "right"; ctx.fillText(tickLabel(tick), v.l - 6, py + 4);
      }
      ctx.stroke();
    }
  }
  ctx.fillStyle = "#222";
  ctx.font = textFont(13);
  ctx.textAlign = "center";
  ctx.fillText(axes[0], v.l + v.w / 2, v.t + v.h + 32);
  ctx.save();
  ctx.translate(12, v.t + v.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(axes[1], 0, 0);
  ctx.restore();
}

// The verdict layer's picture, stretched over the map region it was computed for, cells kept sharp.
function drawLayer(ctx, state) {
  const layer = state.data.layer, image = state.layerImage;
  if (!layer || !image.complete || !image.naturalWidth) return;
  const [ax, ay] = toPixel(state.view, layer.x[0], layer.y[1]), [bx, by] = toPixel(state.view, layer.x[1], layer.y[0]);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image, ax, ay, bx - ax, by - ay);
}

// What the sliders reach: the map outside it greyed, its edge dashed (a click there is clamped).
function tracePolygon(ctx, v, polygon) {
  polygon.forEach(([x, y], k) => (k ? ctx.lineTo : ctx.moveTo).call(ctx, ...toPixel(v, x, y)));
  ctx.closePath();
}

function drawReachable(ctx, state) {
  const v = state.view, polygon = state.data.reachable;
  if (!polygon.length) return;
  ctx.beginPath();
  ctx.rect(v.l, v.t, v.w, v.h);
  tracePolygon(ctx, v, polygon);
  ctx.fillStyle = "rgba(0, 0, 0, 0.07)";
  ctx.fill("evenodd");
  ctx.beginPath();
  tracePolygon(ctx, v, polygon);
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
}

// Where draws from N(0, I) land: its 1σ (solid) and 2σ (dashed) circles, labelled.
function drawPrior(ctx, state) {
  const v = state.view, { centre, radii, label } = state.data.prior;
  const [cx, cy] = toPixel(v, centre[0], centre[1]), unit = v.w / (v.x1 - v.x0);
  if (Math.max(...radii) * unit < SMALL_PRIOR_PX) {  // on the AE's map: a spot, so it is seen at all
    ctx.fillStyle = "rgba(0, 0, 0, 0.25)";
    ctx.beginPath();
    ctx.arc(cx, cy, Math.max(...radii) * unit, 0, 2 * Math.PI);
    ctx.fill();
  }
  radii.forEach((r, k) => {
    ctx.setLineDash(k ? [5, 3] : []);
    for (const [colour, width] of [["rgba(255, 255, 255, 0.9)", 4], ["#111", 1.6]]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(cx, cy, r * unit, 0, 2 * Math.PI);
      ctx.stroke();
    }
  });
  ctx.setLineDash([]);
  const outer = Math.max(...radii) * unit * Math.SQRT1_2;
  ctx.font = textFont(12);
  const width = ctx.measureText(label).width;
  const x = Math.min(cx + outer + 4, v.l + v.w - width - 4), y = Math.max(cy - outer - 4, v.t + 14);
  ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
  ctx.fillRect(x - 2, y - 11, width + 4, 15);
  ctx.fillStyle = "#111";
  ctx.textAlign = "left";
  ctx.fillText(label, x, y);
}

function clearedContext(canvas, v) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);  // draw in CSS pixels, sharp on high-DPI screens
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  return ctx;
}

// The 10,000 digits: drawn only when the size, the model or the hidden digits change.
function drawPoints(state) {
  const v = state.view;
  if (!v) return;
  const { points, labels } = state.assets;
  const ctx = clearedContext(state.pointsCanvas, v);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.l, v.t, v.w, v.h);
  ctx.clip();
  drawLayer(ctx, state);
  ctx.restore();
  drawAxes(ctx, state);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.l, v.t, v.w, v.h);
  ctx.clip();
  ctx.globalAlpha = state.data.point_opacity;
  const n = labels.length, sx = v.w / (v.x1 - v.x0), sy = v.h / (v.y1 - v.y0), half = POINT / 2;
  for (let d = 0; d < 10; d++) {
    if (state.hidden.has(d)) continue;
    ctx.fillStyle = state.data.palette[d];
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (labels[i] !== d) continue;
      ctx.rect(v.l + (points[2 * i] - v.x0) * sx - half, v.t + (v.y1 - points[2 * i + 1]) * sy - half, POINT, POINT);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  drawReachable(ctx, state);
  drawPrior(ctx, state);
  ctx.restore();
  state.drawn = true;
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
function drawOverlay(state) {
  const v = state.view;
  if (!v) return;
  const ctx = clearedContext(state.overlay, v), { points } = state.assets;
  if (state.hover != null) {
    const [hx, hy] = toPixel(v, points[2 * state.hover], points[2 * state.hover + 1]);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.arc(hx, hy, 6, 0, 2 * Math.PI); ctx.stroke();
  }
  if (state.marker) {
    const [mx, my] = toPixel(v, ...state.marker);
    drawCross(ctx, mx, my, 8, "#fff", 5);
    drawCross(ctx, mx, my, 8, "#111", 2.5);
  }
  if (state.cursor) {  // the keyboard's cursor: a ring with cross-hairs, unlike the ✕ of the current z
    const [cx, cy] = toPixel(v, ...state.cursor);
    for (const [colour, width] of [["#fff", 5], [CURSOR_COLOUR, 2.5]]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(cx, cy, 10, 0, 2 * Math.PI);
      ctx.moveTo(cx - 16, cy); ctx.lineTo(cx - 6, cy); ctx.moveTo(cx + 6, cy); ctx.lineTo(cx + 16, cy);
      ctx.moveTo(cx, cy - 16); ctx.lineTo(cx, cy - 6); ctx.moveTo(cx, cy + 6); ctx.lineTo(cx, cy + 16);
      ctx.stroke();
    }
  }
  state.overlay.dataset.cursor = state.cursor ? state.cursor.join(",") : "";  // read by the browser tests
  state.overlay.dataset.marker = state.marker ? state.marker.map((m) => m.toFixed(4)).join(",") : "";
}

function eventPixel(state, e) {
  const box = state.overlay.getBoundingClientRect();
  return [e.clientX - box.left, e.clientY - box.top];
}

function onMapClick(state, e) {
  const v = state.view;
  if (!v) return;
  const [px, py] = eventPixel(state, e);
  if (!inPlot(v, px, py)) return;
  const [x, y] = toData(v, px, py);
  if (state.cursor) state.cursor = cursorStart([x, y], plotRange(v), cursorStep(state.data.view));
  decodeAt(state, x, y);
}

// The point (x, y) of the map decoded: sliders, digit and marker at once, the server told.
function decodeAt(state, x, y) {
  const z = unproject(state.assets, x, y, state.data.scale);
  z.forEach((value, i) => {
    state.sliders[i].input.value = value;
    state.sliders[i].value.textContent = valueText(value, state.sliders[i].step);
  });
  showLocally(state, z);
  state.send({ kind: "click", x, y });
}

function onHover(state, e) {
  const v = state.view;
  if (!v) return;
  const [px, py] = eventPixel(state, e), { points, labels } = state.assets;
  const best = nearestPoint(v, points, labels, state.hidden, px, py, HOVER_PX);
  if (best !== state.hover) {
    state.hover = best;
    drawOverlay(state);
  }
  if (best == null) {
    state.tooltip.style.display = "none";
    return;
  }
  state.tooltip.textContent = `test ${state.data.item} #${best} · ${state.data.classes[labels[best]]}`;
  state.tooltip.style.display = "block";
  state.tooltip.style.left = `${px + 12}px`;
  state.tooltip.style.top = `${py + 12}px`;
}

// ---------------------------------------------------------------- the map from the keyboard

const CURSOR_COLOUR = "#1f5fa8";

function plotRange(v) {
  return { x0: v.x0, x1: v.x1, y0: v.y0, y1: v.y1 };
}

function showCursor(state) {
  if (!state.view) return;
  state.cursor = cursorStart(state.marker, plotRange(state.view), cursorStep(state.data.view));
  describeCursor(state);
  drawOverlay(state);
}

function hideCursor(state) {
  state.cursor = null;
  state.cursorLine.textContent = "";
  drawOverlay(state);
}

function describeCursor(state) {
  const v = state.view, [x, y] = state.cursor, { points, labels } = state.assets;
  const index = nearestPoint(v, points, labels, state.hidden, ...toPixel(v, x, y), HOVER_PX);
  const reachable = state.data.reachable.length ? insidePolygon(state.data.reachable, x, y) : null;
  state.cursorLine.textContent = cursorText(state.cursor, cursorStep(state.data.view),
                                            index == null ? null : { index, label: labels[index] }, reachable);
}

function onMapKey(state, e) {
  if (e.key === "Escape") {
    state.overlay.blur();
    return;
  }
  if (!state.view) return;
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    if (!state.cursor) showCursor(state);
    decodeAt(state, ...state.cursor);
    return;
  }
  if (!state.cursor) showCursor(state);
  const moved = movedCursor(state.cursor, e.key, cursorStep(state.data.view), plotRange(state.view), e.shiftKey);
  if (!moved) return;
  e.preventDefault();  // the arrows move the cursor, not the page
  state.cursor = moved;
  describeCursor(state);
  drawOverlay(state);
}
