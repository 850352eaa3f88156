// The explorer's pure part: no DOM, no `window`, so Node's test runner checks it
// (explorer-core.test.mjs). The decoder, the map's projection and its inverse, the map's axes and
// ticks, pixel <-> data mapping, hit-testing, and the decisions about a server answer.
// explorer.mjs (the view) imports it; ui/components/bundle.py inlines it there, into the one
// module Streamlit serves.

export const MARGIN = { l: 46, r: 12, t: 10, b: 40 };  // plot area inside the map canvas, CSS px
export const POINT = 3;        // marker size of a test digit, CSS px
export const HOVER_PX = 8;     // how close the pointer must be to a digit for its tooltip
export const STALE_MS = 3000;  // an answer this long after the last event is shown even if it is not its answer

// ---------------------------------------------------------------- the data, as sent

// The server sends the element's data as the bytes of its JSON (explorer.payload in explorer.py).
export function payloadOf(bytes) {
  return JSON.parse(new TextDecoder().decode(bytes));
}

// One IEEE 754 half-precision number (its 16 bits) as a float.
export function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;  // zero and subnormals
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

// Little-endian float16 values (numpy "<f2" .tobytes()) -> Float32Array. The replay uses it too.
export function halfsToFloats(bytes) {
  const out = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = halfToFloat(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return out;
}

// Base64 text -> its bytes (the replay's frames arrive so).
export function decodeBase64(text) {
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

const MAGIC = "LLX1";
const DTYPES = { "<f2": halfsToFloats, "|u1": (bytes) => bytes.slice() };

// The explorer's file (ui/components/explorer/files.py: "LLX1", a 4-byte header length, a JSON
// header, the arrays' bytes) -> the header's fields with each array in place of its index.
export function unpackFile(buffer) {
  const bytes = new Uint8Array(buffer);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) throw new Error("not an explorer file");
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const { arrays, ...header } = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  const body = 8 + length;
  for (const [name, [offset, size, dtype]] of Object.entries(arrays)) {
    if (!DTYPES[dtype]) throw new Error(`${name}: unknown dtype ${dtype}`);
    header[name] = DTYPES[dtype](bytes.subarray(body + offset, body + offset + size));
  }
  return header;
}

// The file's fields -> what the view draws with: typed arrays and decoder layers.
export function unpack(file) {
  return {
    points: file.points, labels: file.labels, manifold: file.manifold,
    decoder: file.decoder.map((layer, i) => ({ weight: file[`decoder.${i}.weight`], bias: file[`decoder.${i}.bias`],
                                              out: layer.shape[0], in: layer.shape[1] })),
    mean: file.projection.mean, components: file.projection.components,
  };
}

// ---------------------------------------------------------------- decoding in the page

// The decoder: Linear layers, ELU between them, sigmoid at the end (model/networks.py).
export function decode(decoder, z) {
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

// Pixels in [0, 1] -> grey RGBA bytes, as ImageData holds them (rounded as ui/images.py does).
export function greyRgba(pixels) {
  const rgba = new Uint8ClampedArray(4 * pixels.length);
  pixels.forEach((p, i) => {
    const v = Math.round(Math.min(1, Math.max(0, p)) * 255);
    rgba.set([v, v, v, 255], 4 * i);
  });
  return rgba;
}

// z -> the map's plane (the Projection in model/latent.py).
export function project({ mean, components }, z) {
  return components.map((c) => c.reduce((sum, ci, i) => sum + ci * (z[i] - mean[i]), 0));
}

// A map point -> z on the plane, as the sliders can hold it (each within its ends, on its grid):
// scale is the model's {lo, hi, step, key_step}, one entry per latent dimension.
export function unproject({ mean, components }, x, y, scale) {
  return mean.map((m, i) => snapValue(m + x * components[0][i] + y * components[1][i],
                                      scale.lo[i], scale.hi[i], scale.step[i]));
}

// ---------------------------------------------------------------- the sliders

// A value as a slider holds it: on its grid, within its ends (as SliderScale.snap in scales.py).
export function snapValue(v, lo, hi, step) {
  const snapped = Number((Math.round(v / step) * step).toFixed(10));
  return Math.min(hi, Math.max(lo, snapped));
}

// Which way an arrow key moves a slider: +1, -1, or 0 for any other key.
export function arrowDirection(key) {
  return key === "ArrowRight" || key === "ArrowUp" ? 1 : key === "ArrowLeft" || key === "ArrowDown" ? -1 : 0;
}

// Slider i's value after an arrow key: a key step (about 1 % of its range; 0.1 for the VAE), or
// with Shift one step of its grid, a tenth of that.
export function keyedValue(value, direction, fine, scale, i) {
  const move = fine ? scale.step[i] : scale.key_step[i];
  return snapValue(value + direction * move, scale.lo[i], scale.hi[i], scale.step[i]);
}

// How many decimals a value on a grid of this step needs.
export function decimals(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

// ---------------------------------------------------------------- the map's axes

// The round number (1, 2 or 5 times a power of ten) nearest to raw.
export function roundNumber(raw) {
  const power = 10 ** Math.floor(Math.log10(raw)), f = raw / power;
  return power * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

export function niceStep(span) {
  return roundNumber(span / 6);
}

// Tick values from lo to hi at a nice step (a tick that should be 0 is exactly 0).
export function ticks(lo, hi) {
  const step = niceStep(hi - lo), out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(Math.abs(t) < step / 1e6 ? 0 : t);
  return out;
}

export function tickLabel(t) {
  return String(+t.toFixed(2));
}

// The data ranges {x: [x0, x1], y: [y0, y1]} fitted into a box of width × height CSS px with
// equal units on both axes (distances on the map mean something), centred; null if too small.
export function fitView(width, height, ranges, dpr = 1, margin = MARGIN) {
  if (width < 50) return null;
  const w = width - margin.l - margin.r, h = height - margin.t - margin.b;
  const [ax0, ax1] = ranges.x, [ay0, ay1] = ranges.y;
  const scale = Math.min(w / (ax1 - ax0), h / (ay1 - ay0));
  const cx = (ax0 + ax1) / 2, cy = (ay0 + ay1) / 2;
  return { x0: cx - w / scale / 2, x1: cx + w / scale / 2, y0: cy - h / scale / 2, y1: cy + h / scale / 2,
           l: margin.l, t: margin.t, w, h, dpr };
}

export function toPixel(v, x, y) {
  return [v.l + (x - v.x0) / (v.x1 - v.x0) * v.w, v.t + (v.y1 - y) / (v.y1 - v.y0) * v.h];
}

export function toData(v, px, py) {
  return [v.x0 + (px - v.l) / v.w * (v.x1 - v.x0), v.y1 - (py - v.t) / v.h * (v.y1 - v.y0)];
}

export function inPlot(v, px, py) {
  return px >= v.l && px <= v.l + v.w && py >= v.t && py <= v.t + v.h;
}

// The visible point nearest to pixel (px, py) within radius CSS px, or null: the hovered test digit.
export function nearestPoint(v, points, labels, hidden, px, py, radius = HOVER_PX) {
  let best = null, bestDist = radius * radius;
  const [x0, y0] = toData(v, px - radius, py + radius), [x1, y1] = toData(v, px + radius, py - radius);
  for (let i = 0; i < labels.length; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    if (x < x0 || x > x1 || y < y0 || y > y1 || hidden.has(labels[i])) continue;
    const [qx, qy] = toPixel(v, x, y), dist = (qx - px) ** 2 + (qy - py) ** 2;
    if (dist < bestDist) { best = i; bestDist = dist; }
  }
  return best;
}

// ---------------------------------------------------------------- the map from the keyboard

// About how many arrow presses cross the map: its cursor's step is the round number nearest to
// the map's larger data range over this (0.2 on the 2-D VAE's ±3 map, 5 on the 2-D AE's).
export const CURSOR_STEPS_ACROSS = 25;
export const FINE = 10;  // Shift+arrow moves a tenth of a step, as on the sliders

export function cursorStep(ranges) {
  return roundNumber(Math.max(ranges.x[1] - ranges.x[0], ranges.y[1] - ranges.y[0]) / CURSOR_STEPS_ACROSS);
}

// A coordinate on the step's grid (round numbers to read out), at the grid point nearest to v
// that lies within [lo, hi]: the plot's edges need not be on the grid.
export function onGrid(v, lo, hi, step) {
  const first = Math.ceil(lo / step - 1e-9), last = Math.floor(hi / step + 1e-9);
  return Number((Math.min(last, Math.max(first, Math.round(v / step))) * step).toFixed(10));
}

// Where the cursor starts when the map takes focus: at the current z's marker (or the middle of
// the plot), on the grid, inside the plot. plot: {x0, x1, y0, y1}, the data range the map shows.
export function cursorStart(marker, plot, step) {
  const [x, y] = marker || [(plot.x0 + plot.x1) / 2, (plot.y0 + plot.y1) / 2];
  return [onGrid(x, plot.x0, plot.x1, step), onGrid(y, plot.y0, plot.y1, step)];
}

// The cursor after a key: an arrow moves it one step that way (up is +y), fine: a tenth of one;
// it stays on the fine grid (so steps after fine ones stay whole steps) and inside the plot.
// null for any other key.
export function movedCursor([x, y], key, step, plot, fine = false) {
  const move = fine ? step / FINE : step, grid = step / FINE;
  const [dx, dy] = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[key] || [];
  if (dx === undefined) return null;
  return [onGrid(x + dx * move, plot.x0, plot.x1, grid), onGrid(y + dy * move, plot.y0, plot.y1, grid)];
}

// Is the point (x, y) inside the polygon [[x, y], ...] (even-odd rule)? The reachable region:
// beyond it the sliders stop at their ends.
export function insidePolygon(polygon, x, y) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i], [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < xi + (y - yi) / (yj - yi) * (xj - xi)) inside = !inside;
  }
  return inside;
}

// The cursor in words, for the line under the map and screen readers: where it is (at the step's
// decimals), the step, the test digit it is on (hit: its index and label, or null) and, when the
// map has a reachable region, whether the sliders reach it.
export function cursorText([x, y], step, hit, reachable) {
  const places = decimals(step / FINE), fmt = (v) => v.toFixed(places).replace("-", "−");
  const parts = [`Map cursor at (${fmt(x)}, ${fmt(y)})`,
                 `arrow keys move it by ${fmt(step)} (with Shift ${fmt(step / FINE)})`];
  if (hit) parts.push(`on test digit #${hit.index} (label ${hit.label})`);
  if (reachable === false) parts.push("beyond the sliders' reach: Enter moves them as far as they go");
  return `${parts.join(" · ")} · Enter decodes here · Escape leaves the map`;
}

// ---------------------------------------------------------------- the server's answers

// Is this answer (it echoes the id of the last event the server applied) one to show? An answer
// to an older event (the student pressed an arrow key again meanwhile) must not move the thumbs
// or the digit back; the answer to the latest one will follow (or STALE_MS passes).
export function caughtUp(lastSent, lastSentAt, answeredId, now) {
  return !lastSent || answeredId === lastSent || now - lastSentAt > STALE_MS;
}

// Does the page already show this z's digit (decoded here)? Then keep it rather than swap in a copy.
export function sameZ(a, b) {
  return Boolean(a && b && a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-6));
}

// Two columns read down, then across (most used dimensions fill the left one) beyond four sliders.
export function sliderRows(dim) {
  return dim > 4 ? Math.ceil(dim / 2) : dim;
}

export function valueText(v, step = 0.01) {
  return Number(v).toFixed(decimals(step));
}
