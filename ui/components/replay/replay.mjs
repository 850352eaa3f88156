// The training replay: the AE's and the VAE's latent maps side by side as training goes on, each
// model's prior samples with the judge's count, and the loss curves, played in the page.
//
// This is the view: the DOM, the canvases, the controls and the playback clock. The pure parts
// (stepping, timing, view fitting, curve scaling, float16) are replay-core.mjs; the axes and the
// base64 decoding are shared with the explorer (explorer-core.mjs).
//
// Why playback runs here: every frame arrives once per session, so Play needs no server round
// trip per frame (30 students playing cost the server nothing). The page tells the server the
// position only when it settles (Pause, the end, a step or a scrub), for the shareable link.

import { CURVE_MARGIN, DEFAULT_SPEED, MAP_MARGIN, PRIOR_RADII, REPORT_DELAY_MS, SPEEDS, adoptServerFrame,
         clampFrame, curveView, fitRanges, logStep, playFrom, playhead, stepFrame,
         stepTicks } from "./replay-core.mjs";
import { decodeBase64, fitView, halfsToFloats, tickLabel, ticks, toPixel } from "../explorer/explorer-core.mjs";
import { cleanupWhenGone, currentState, el } from "../element.mjs";

// Every frame of a replay arrives once per session: kept for the page's life (a tab change
// re-creates the element, but Streamlit imports this module once per page).
const ASSETS = new Map();
// One state object per element (its root node), built once per replay, updated on every rerun.
const STATES = new WeakMap();
const DOT = 2.5;  // marker size of a test digit on the maps, CSS px

export default function ({ parentElement, data, setStateValue, setTriggerValue }) {
  const root = parentElement.querySelector(".lab-replay") || parentElement;
  if (data.assets) ASSETS.set(data.signature, unpackReplay(data.assets, data.count));
  const state = currentState(STATES, root, data, ASSETS.get(data.signature), {
    build, destroy, askForAssets: () => setTriggerValue("assets", `${Date.now()}-${Math.random()}`),
  });
  if (state) {
    state.report = (frame) => {
      state.reported = frame;
      setStateValue("frame", frame);
    };
    update(state, data);
  }
  return cleanupWhenGone(STATES, root, destroy);
}

function destroy(state) {
  if (state.raf) cancelAnimationFrame(state.raf);
  clearTimeout(state.reportTimer);
  state.observer?.disconnect();
}

function unpackReplay(assets, count) {
  const codes = {};
  for (const [kind, text] of Object.entries(assets.codes)) {
    const all = halfsToFloats(decodeBase64(text)), size = all.length / count;
    codes[kind] = Array.from({ length: count }, (_, f) => all.subarray(f * size, (f + 1) * size));
  }
  const sprites = {};
  for (const [kind, uri] of Object.entries(assets.sprites)) {
    sprites[kind] = new Image();
    sprites[kind].src = uri;
  }
  return { labels: decodeBase64(assets.labels), codes, sprites,
           ranges: Object.fromEntries(Object.entries(codes).map(([kind, frames]) => [kind, frames.map((codes) => fitRanges(codes))])) };
}

// ---------------------------------------------------------------- building (once per replay)

function build(root, data, assets) {
  root.replaceChildren();
  const state = { root, signature: data.signature, count: data.count, assets, frame: 0, playing: false,
                  fps: DEFAULT_SPEED, panels: {} };
  const button = (text, label, onClick) => {
    const node = el("button", { type: "button", class: "rp-button", text, "aria-label": label, title: label });
    node.addEventListener("click", onClick);
    return node;
  };
  state.back = button("◀", "Step back one frame", () => goTo(state, stepFrame(state.frame, -1, state.count)));
  state.play = button("▶ Play", "Play the replay", () => (state.playing ? pause(state) : play(state)));
  state.play.classList.add("rp-play");
  state.forward = button("▶▶", "Step forward one frame", () => goTo(state, stepFrame(state.frame, 1, state.count)));
  state.scrubber = el("input", { type: "range", min: 0, max: data.count - 1, step: 1, value: 0,
                                 class: "rp-scrubber", "aria-label": "Replay position" });
  state.scrubber.addEventListener("input", () => goTo(state, clampFrame(state.scrubber.value, state.count)));
  state.speed = el("select", { class: "rp-speed", "aria-label": "Playback speed" });
  for (const fps of SPEEDS) {
    state.speed.append(el("option", { value: fps, text: `${fps} frames/s` }));
  }
  state.speed.value = String(DEFAULT_SPEED);
  state.speed.addEventListener("change", () => setSpeed(state, Number(state.speed.value)));
  state.position = el("span", { class: "rp-position" });
  const controls = el("div", { class: "rp-controls" }, state.back, state.play, state.forward, state.scrubber,
                      el("label", { class: "rp-speed-label" }, "Speed ", state.speed), state.position);
  state.caption = el("p", { class: "rp-caption", "data-testid": "replay-caption" });

  const models = el("div", { class: "rp-models" });
  for (const { kind, title } of data.kinds) {
    const panel = {
      map: el("canvas", { class: "rp-map", role: "img", "data-testid": `replay-map-${kind}`,
                          "aria-label": `${title}: where the test digits' codes are at this frame` }),
      samples: el("canvas", { class: "rp-samples", role: "img", "data-testid": `replay-samples-${kind}`,
                              "aria-label": `${title}: decoded random samples at this frame` }),
      judge: el("p", { class: "rp-judge" }),
    };
    panel.mapBox = el("div", { class: "rp-map-box" }, panel.map);
    state.panels[kind] = panel;
    if (!assets.sprites[kind].complete) {
      assets.sprites[kind].addEventListener("load", () => drawSamples(state, kind), { once: true });
    }
    models.append(el("div", { class: "rp-model" }, el("p", { class: "rp-title", text: title }), panel.mapBox,
                     panel.samples, panel.judge));
  }
  state.mapNote = el("p", { class: "rp-note" });
  state.samplesNote = el("p", { class: "rp-note" });
  state.curves = {};
  const curves = el("div", { class: "rp-curves" });
  for (const name of ["recon", "kl"]) {
    const canvas = el("canvas", { class: "rp-curve", role: "img", "data-testid": `replay-curve-${name}` });
    state.curves[name] = { canvas, title: el("p", { class: "rp-title" }), box: el("div", { class: "rp-curve-box" }, canvas) };
    curves.append(el("div", {}, state.curves[name].title, state.curves[name].box));
  }
  state.legend = el("p", { class: "rp-note" });
  for (const { kind, title } of data.kinds) state.legend.append(el("span", { class: `rp-key rp-key-${kind}` }), `${title}   `);
  state.legend.append(`· x: ${data.x_title}`);
  root.append(controls, state.caption, models, state.mapNote, state.samplesNote, curves, state.legend);
  setPlaying(state, false);

  state.observer = new ResizeObserver(() => draw(state));
  state.observer.observe(root);
  return state;
}

// ---------------------------------------------------------------- updating (every rerun)

function update(state, data) {
  state.data = data;
  state.mapNote.textContent = data.map_note;
  state.samplesNote.textContent = data.samples_note;
  for (const [name, title] of [["recon", data.recon_title], ["kl", data.kl_title]]) {
    state.curves[name].title.textContent = title;
    // a picture needs its name for a screen reader (axe: role-img-alt)
    state.curves[name].canvas.setAttribute("aria-label", `${title}: both models over training, this frame marked`);
  }
  if (adoptServerFrame(state.serverFrame, state.reported, data.frame)) {
    pause(state, false);
    state.frame = clampFrame(data.frame, state.count);
  }
  state.serverFrame = data.frame;
  draw(state);
}

// ---------------------------------------------------------------- the playhead

function setPlaying(state, playing) {
  state.playing = playing;
  state.play.textContent = playing ? "⏸ Pause" : "▶ Play";
  state.play.setAttribute("aria-label", playing ? "Pause the replay" : "Play the replay");
  state.root.dataset.playing = playing ? "1" : "0";  // read by the browser tests
}

function play(state) {
  setPlaying(state, true);
  state.from = playFrom(state.frame, state.count);
  state.startedAt = performance.now();
  goTo(state, state.from, false);
  const tick = (now) => {
    const { frame, done } = playhead(state.from, state.startedAt, state.fps, now, state.count);
    if (frame !== state.frame) goTo(state, frame, false);
    if (done) pause(state);
    else state.raf = requestAnimationFrame(tick);
  };
  state.raf = requestAnimationFrame(tick);
}

function pause(state, report = true) {
  if (state.raf) cancelAnimationFrame(state.raf);
  state.raf = null;
  const wasPlaying = state.playing;
  setPlaying(state, false);
  if (wasPlaying && report) state.report(state.frame);
}

function setSpeed(state, fps) {
  state.fps = fps;
  if (state.playing) {  // go on from here at the new speed
    state.from = state.frame;
    state.startedAt = performance.now();
  }
}

// Show a frame; a move by the student (not by playback) stops playback and reaches the server
// once the student lets go for REPORT_DELAY_MS.
function goTo(state, frame, byStudent = true) {
  if (byStudent && state.playing) pause(state, false);
  state.frame = frame;
  draw(state);
  if (byStudent) {
    clearTimeout(state.reportTimer);
    state.reportTimer = setTimeout(() => state.report(state.frame), REPORT_DELAY_MS);
  }
}

// ---------------------------------------------------------------- drawing one frame

function draw(state) {
  const started = performance.now(), f = state.frame, { data } = state;
  if (!data) return;
  state.scrubber.value = f;
  state.back.disabled = f === 0;
  state.forward.disabled = f === state.count - 1;
  state.position.textContent = `frame ${f + 1} of ${state.count}`;
  state.caption.textContent = data.captions[f];
  for (const { kind, clear } of data.kinds) {
    drawMap(state, kind);
    drawSamples(state, kind);
    state.panels[kind].judge.textContent = `Judge: ${clear[f]} of ${data.samples} samples look like a clear digit.`;
  }
  drawCurve(state, "recon", data.kinds.map((k) => k.recon));
  drawCurve(state, "kl", data.kinds.map((k) => k.kl));
  state.root.dataset.frame = String(f);  // read by the browser tests and bench/replay.py
  state.root.dataset.drawMs = (performance.now() - started).toFixed(2);
}

// A canvas sized to its box for the screen; the 2-D context, in CSS pixels, cleared.
function sized(canvas, box, height) {
  const width = box.getBoundingClientRect().width, dpr = window.devicePixelRatio || 1;
  if (width < 10) return null;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, dpr };
}

function drawAxes(ctx, v, xTicks, yTicks) {
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#555";
  ctx.lineWidth = 1;
  for (const { at, label } of xTicks) {
    const [px] = toPixel(v, at, v.y0);
    ctx.strokeStyle = at === 0 ? "#999" : "#e6e6e6";
    ctx.beginPath(); ctx.moveTo(px, v.t); ctx.lineTo(px, v.t + v.h); ctx.stroke();
    ctx.textAlign = "center"; ctx.fillText(label, px, v.t + v.h + 13);
  }
  for (const { at, label } of yTicks) {
    const [, py] = toPixel(v, v.x0, at);
    ctx.strokeStyle = at === 0 ? "#999" : "#e6e6e6";
    ctx.beginPath(); ctx.moveTo(v.l, py); ctx.lineTo(v.l + v.w, py); ctx.stroke();
    ctx.textAlign = "right"; ctx.fillText(label, v.l - 5, py + 4);
  }
}

const niceTicks = (lo, hi) => ticks(lo, hi).map((at) => ({ at, label: tickLabel(at) }));

function drawMap(state, kind) {
  const panel = state.panels[kind], height = Math.min(360, panel.mapBox.getBoundingClientRect().width);
  const canvas = sized(panel.map, panel.mapBox, height);
  if (!canvas) return;
  const { ctx, width, dpr } = canvas, f = state.frame;
  const v = fitView(width, height, state.assets.ranges[kind][f], dpr, MAP_MARGIN);
  if (!v) return;
  drawAxes(ctx, v, niceTicks(v.x0, v.x1), niceTicks(v.y0, v.y1));
  ctx.save();
  ctx.beginPath(); ctx.rect(v.l, v.t, v.w, v.h); ctx.clip();
  const codes = state.assets.codes[kind][f], labels = state.assets.labels, palette = state.data.palette;
  const sx = v.w / (v.x1 - v.x0), sy = v.h / (v.y1 - v.y0), half = DOT / 2;
  ctx.globalAlpha = 0.7;
  for (let d = 0; d < 10; d++) {
    ctx.fillStyle = palette[d];
    ctx.beginPath();
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== d) continue;
      ctx.rect(v.l + (codes[2 * i] - v.x0) * sx - half, v.t + (v.y1 - codes[2 * i + 1]) * sy - half, DOT, DOT);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  const [cx, cy] = toPixel(v, 0, 0);
  ctx.strokeStyle = "#222";
  ctx.lineWidth = 1.5;
  for (const radius of PRIOR_RADII) {
    ctx.setLineDash(radius === 1 ? [] : [5, 4]);
    ctx.beginPath(); ctx.arc(cx, cy, radius * sx, 0, 2 * Math.PI); ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.restore();
  panel.map.dataset.view = JSON.stringify({ x0: v.x0, x1: v.x1, y0: v.y0, y1: v.y1 });
}

function drawSamples(state, kind) {
  const panel = state.panels[kind], sprite = state.assets.sprites[kind];
  if (!state.data || !sprite.complete || !sprite.naturalWidth) return;
  const size = sprite.naturalWidth, canvas = panel.samples;
  if (canvas.width !== size) canvas.width = canvas.height = size;
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(sprite, 0, state.frame * size, size, size, 0, 0, size, size);
}

function drawCurve(state, name, series) {
  const { canvas, box } = state.curves[name], steps = state.data.steps;
  const sizedCanvas = sized(canvas, box, 170);
  if (!sizedCanvas) return;
  const { ctx, width, dpr } = sizedCanvas;
  const v = curveView(width, 170, steps, series, dpr, CURVE_MARGIN);
  if (!v) return;
  const xTicks = stepTicks(steps[steps.length - 1]).map(({ step, label }) => ({ at: logStep(step), label }));
  drawAxes(ctx, v, xTicks.filter(({ at }) => at <= v.x1), niceTicks(v.y0, v.y1));
  ctx.fillStyle = "#555";
  ctx.textAlign = "center";
  ctx.fillText(state.data.x_title, v.l + v.w / 2, v.t + v.h + 26);
  const f = state.frame, colours = { ae: "#e15759", vae: "#4e79a7" };
  state.data.kinds.forEach(({ kind }, k) => {
    const values = series[k];
    ctx.strokeStyle = colours[kind];
    ctx.lineWidth = k === 0 ? 4 : 2;  // the first model's line wider: where the two coincide, both show
    ctx.beginPath();
    values.forEach((value, i) => {
      const [px, py] = toPixel(v, logStep(steps[i]), value);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
    const [mx, my] = toPixel(v, logStep(steps[f]), values[f]);  // the current point
    ctx.fillStyle = colours[kind];
    ctx.beginPath(); ctx.arc(mx, my, 5, 0, 2 * Math.PI); ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5;
    ctx.stroke();
  });
  const [nowX] = toPixel(v, logStep(steps[f]), v.y0);
  ctx.strokeStyle = "rgba(0, 0, 0, 0.35)";
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  ctx.beginPath(); ctx.moveTo(nowX, v.t); ctx.lineTo(nowX, v.t + v.h); ctx.stroke();
  ctx.setLineDash([]);
}
