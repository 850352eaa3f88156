// The training replay's pure part: no DOM, no `window`, so Node's test runner checks it
// (replay-core.test.mjs). Frame stepping and playback timing, float16 codes, fitting a map's view
// to a frame's codes, and scaling the loss curves. replay.mjs (the view) imports it;
// ui/components/bundle.py inlines it there, with explorer-core.mjs (axes, ticks, base64).

export const SPEEDS = [1, 2, 5, 10];  // frames per second the speed control offers
export const DEFAULT_SPEED = 2;       // slow enough to read a caption, fast enough to see motion
export const REPORT_DELAY_MS = 600;   // the position reaches the server this long after the last step or scrub
export const FIT_SHARE = 0.98;        // a map's view fits this share of its codes (the rest may fall outside)
export const PRIOR_RADII = [1, 2];    // the prior's 1σ and 2σ circles
export const MAP_MARGIN = { l: 38, r: 8, t: 8, b: 26 };
export const CURVE_MARGIN = { l: 44, r: 10, t: 8, b: 30 };

// ---------------------------------------------------------------- the playhead
// (The frames' float16 arrays are decoded by explorer-core.mjs's halfsToFloats.)

export function clampFrame(frame, count) {
  const f = Math.round(Number(frame));
  return Number.isFinite(f) ? Math.min(Math.max(f, 0), Math.max(count - 1, 0)) : 0;
}

export function stepFrame(frame, delta, count) {
  return clampFrame(frame + delta, count);
}

// Play from here: at the last frame, Play starts again from the first.
export function playFrom(frame, count) {
  return frame >= count - 1 ? 0 : frame;
}

// Where playback is `now` ms after it started at frame `from` (at `startedAt`): counted from the
// start rather than advanced per tick, so a slow tick never makes it drift; done at the last frame.
export function playhead(from, startedAt, fps, now, count) {
  const frame = from + Math.floor(Math.max(0, now - startedAt) * fps / 1000);
  return frame >= count - 1 ? { frame: Math.max(count - 1, 0), done: true } : { frame, done: false };
}

// Should the page move to the position the server sent? Only when the server changed it (a
// link), not when it echoes a position this page reported: the student may have moved on since.
export function adoptServerFrame(previous, reported, incoming) {
  return incoming !== previous && incoming !== reported;
}

// ---------------------------------------------------------------- a map's view

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q, lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

// The data ranges {x: [x0, x1], y: [y0, y1]} a frame's map shows: the central `share` of its codes
// on each axis (codes: [x0, y0, x1, y1, ...]) and always the prior's 2σ circle, padded by 5 %.
// Fitting each frame keeps the AE's map readable while its codes spread far beyond the circles.
export function fitRanges(codes, share = FIT_SHARE, radius = PRIOR_RADII[PRIOR_RADII.length - 1]) {
  const n = codes.length >> 1, tail = (1 - share) / 2, ranges = {};
  ["x", "y"].forEach((axis, a) => {
    const values = Float64Array.from({ length: n }, (_, i) => codes[2 * i + a]).filter(Number.isFinite).sort();
    const lo = values.length ? Math.min(quantile(values, tail), -radius) : -radius;
    const hi = values.length ? Math.max(quantile(values, 1 - tail), radius) : radius;
    const pad = 0.05 * (hi - lo);
    ranges[axis] = [lo - pad, hi + pad];
  });
  return ranges;
}

// ---------------------------------------------------------------- the loss curves

// The curves' x axis: batches seen on a log scale (1 + step, so step 0 sits at the origin): the
// space forms in the first few hundred batches, which a linear axis would squeeze into a sliver.
export function logStep(step) {
  return Math.log10(1 + step);
}

// Tick steps 0, 10, 100, 1000 ... up to maxStep, with short labels (1k, 10k).
export function stepTicks(maxStep) {
  const out = [0];
  for (let t = 10; t <= Math.max(maxStep, 10); t *= 10) out.push(t);
  return out.map((step) => ({ step, label: step >= 1000 ? `${step / 1000}k` : String(step) }));
}

// The value range that holds every finite value of the given series, padded by 5 % (never empty,
// and never below 0 for values that cannot be: losses in nats).
export function valueRange(series) {
  const values = series.flat().filter(Number.isFinite);
  if (!values.length) return [0, 1];
  let lo = Math.min(...values), hi = Math.max(...values);
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const pad = 0.05 * (hi - lo);
  return [lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad];
}

// The plot area of a curve chart of width × height CSS px: x from step 0 to the last step (log),
// y over the series' values, in the shape explorer-core's toPixel maps data through.
export function curveView(width, height, steps, series, dpr = 1, margin = CURVE_MARGIN) {
  if (width < 60 || height < 50 || !steps.length) return null;
  const [y0, y1] = valueRange(series);
  return { x0: 0, x1: Math.max(logStep(steps[steps.length - 1]), 1e-9), y0, y1, l: margin.l, t: margin.t,
           w: width - margin.l - margin.r, h: height - margin.t - margin.b, dpr };
}
