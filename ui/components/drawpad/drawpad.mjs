// The drawing pad (issue #12): a 280×280 canvas a student draws a digit on with a mouse, a
// finger or a pen (Pointer Events), Undo and Clear, and a row of example digits to pick instead
// (buttons: the keyboard way in). At the end of each stroke, an undo or a clear, the element
// sends Python the whole drawing as a small PNG (ink in alpha); Python decodes and prepares it.
//
// One state object per pad (kept on its root element), built once: a rerun only updates the
// label and the examples. The strokes also live in a page-wide map under the pad's key, so a pad
// that Streamlit re-creates (a tab switch) shows what was drawn. The cleanup function removes
// every listener.

import { PAD, PEN, EMPTY, reduce, allStrokes, strokePath, padPoint, drawingMessage } from "./drawpad-core.mjs";
import { el } from "../element.mjs";

const INK = "#fff";  // white on black, as the app shows MNIST digits

export default function ({ parentElement, data: { pad: data }, setStateValue }) {
  const root = parentElement.querySelector(".drawpad") || parentElement;
  const ui = root.__drawpad || (root.__drawpad = build(root));
  ui.send = (value) => setStateValue("pad", value);  // "pad": see drawpad() in __init__.py
  update(ui, data);
  return ui.destroy;
}

function kept() {
  return (window.__latentLabDrawpads ||= new Map());
}

function newId() {
  return `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

// ---------------------------------------------------------------- building (once per pad)

function build(root) {
  const ui = { state: EMPTY, pointer: null, example: null, images: [], listeners: new AbortController() };
  const on = (target, type, handler) => target.addEventListener(type, handler, { signal: ui.listeners.signal });
  const scale = Math.max(1, Math.min(3, Math.ceil(window.devicePixelRatio || 1)));  // sharp on high-DPI screens
  ui.canvas = el("canvas", { class: "drawpad-canvas", role: "img", width: PAD * scale, height: PAD * scale,
                             "data-testid": "drawpad-canvas" });
  ui.undo = el("button", { type: "button", class: "drawpad-button", text: "Undo", title: "Remove the last stroke" });
  ui.clear = el("button", { type: "button", class: "drawpad-button", text: "Clear", title: "Start again" });
  ui.examples = el("div", { class: "drawpad-examples", role: "group" });
  ui.status = el("p", { class: "drawpad-status", "aria-live": "polite" });
  root.replaceChildren(el("div", { class: "drawpad-pad" }, ui.canvas),
                       el("div", { class: "drawpad-buttons" }, ui.undo, ui.clear), ui.examples, ui.status);

  on(ui.canvas, "pointerdown", (e) => penDown(ui, e));
  on(ui.canvas, "pointermove", (e) => penMove(ui, e));
  on(ui.canvas, "pointerup", (e) => penUp(ui, e));
  on(ui.canvas, "pointercancel", (e) => penUp(ui, e));  // keep what was drawn before the browser took over
  on(ui.canvas, "lostpointercapture", (e) => penUp(ui, e));
  on(ui.canvas, "contextmenu", (e) => e.preventDefault());  // a long press is drawing, not a menu
  on(ui.undo, "click", () => edit(ui, { type: "undo" }));
  on(ui.clear, "click", () => edit(ui, { type: "clear" }));
  ui.destroy = () => {
    ui.listeners.abort();
    if (root.__drawpad === ui) delete root.__drawpad;
  };
  return ui;
}

// ---------------------------------------------------------------- updating (every rerun)

function update(ui, data) {
  const d = data || {};
  ui.size = Number.isInteger(d.payload_size) && d.payload_size > 0 ? d.payload_size : PAD;
  ui.canvas.setAttribute("aria-label", `Drawing pad: draw a ${d.label || "digit"} with mouse, finger or pen`);
  ui.examples.setAttribute("aria-label", `Or pick an example ${d.label || "digit"}`);
  if (ui.key !== d.key) {  // first run, or a new key: this pad's strokes from before, if any
    ui.key = d.key;
    ui.state = kept().get(ui.key) || EMPTY;
  }
  const examples = Array.isArray(d.examples) ? d.examples : [];
  const signature = examples.join("|");
  if (ui.examplesSignature !== signature) {
    ui.examplesSignature = signature;
    buildExamples(ui, examples, d.example_names || []);
  }
  render(ui);
}

function buildExamples(ui, examples, names) {
  ui.images = [];
  ui.examples.replaceChildren(...examples.map((src, index) => {
    const name = names[index] || `Example ${index + 1}`;
    const image = el("img", { src, alt: "", width: 40, height: 40 });
    const button = el("button", { type: "button", class: "drawpad-example", "aria-pressed": "false",
                                  "aria-label": name, title: name }, image);
    button.addEventListener("click", () => pick(ui, index), { signal: ui.listeners.signal });
    image.addEventListener("load", () => { if (ui.example === index) render(ui); }, { signal: ui.listeners.signal });
    ui.images.push(image);
    return button;
  }));
  if (ui.example != null && ui.example >= examples.length) ui.example = null;
}

// ---------------------------------------------------------------- drawing

function points(ui, e) {
  const rect = ui.canvas.getBoundingClientRect();
  const events = (e.getCoalescedEvents && e.getCoalescedEvents()) || [];
  return (events.length ? events : [e]).map((p) => padPoint(p.clientX, p.clientY, rect));
}

function penDown(ui, e) {
  if (e.pointerType === "mouse" && e.button !== 0) return;
  if (ui.pointer !== null) {
    if (!e.isPrimary) return;  // a second finger: one pen at a time
    edit(ui, { type: "end" });  // a primary pointer while one is held: that one's "up" was lost
  }
  e.preventDefault();
  ui.pointer = e.pointerId;
  try { ui.canvas.setPointerCapture(e.pointerId); } catch { /* a synthetic event has no capturable pointer */ }
  ui.example = null;
  dispatch(ui, { type: "start", point: points(ui, e)[0] });
}

function penMove(ui, e) {
  if (e.pointerId !== ui.pointer) return;
  e.preventDefault();
  dispatch(ui, { type: "move", points: points(ui, e) });
}

function penUp(ui, e) {
  if (e.pointerId !== ui.pointer) return;
  ui.pointer = null;
  edit(ui, { type: "end" });
}

function dispatch(ui, action) {
  const before = ui.state;
  ui.state = reduce(ui.state, action);
  if (ui.key != null) kept().set(ui.key, ui.state);
  if (ui.state !== before) render(ui);
  return ui.state !== before;
}

// A finished change (stroke end, undo, clear): draw it and tell Python.
function edit(ui, action) {
  const wasExample = ui.example != null && action.type === "clear";
  if (wasExample) ui.example = null;
  if (!dispatch(ui, action) && !wasExample) return;
  const png = ui.state.strokes.length ? payload(ui) : null;
  ui.send(drawingMessage(ui.state, png, newId()));
  const n = ui.state.strokes.length;
  ui.status.textContent = n ? `${n} stroke${n === 1 ? "" : "s"}` : "Pad cleared";
  render(ui);
}

function pick(ui, index) {
  ui.pointer = null;
  dispatch(ui, { type: "clear" });
  ui.example = index;
  ui.send({ kind: "example", index, id: newId() });
  ui.status.textContent = `${ui.examples.children[index].getAttribute("aria-label")} picked`;
  render(ui);
}

// ---------------------------------------------------------------- painting

function paint(ctx, strokes, scale) {
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = ctx.strokeStyle = INK;
  ctx.lineWidth = PEN;
  ctx.lineCap = ctx.lineJoin = "round";
  for (const stroke of strokes) {
    ctx.beginPath();
    for (const [op, ...a] of strokePath(stroke)) {
      if (op === "dot") ctx.arc(a[0], a[1], PEN / 2, 0, 2 * Math.PI);
      else if (op === "M") ctx.moveTo(a[0], a[1]);
      else if (op === "L") ctx.lineTo(a[0], a[1]);
      else ctx.quadraticCurveTo(a[0], a[1], a[2], a[3]);
    }
    if (stroke.length === 1) ctx.fill(); else ctx.stroke();
  }
}

function render(ui) {
  const ctx = ui.canvas.getContext("2d"), scale = ui.canvas.width / PAD;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ui.canvas.width, ui.canvas.height);
  const image = ui.example != null && ui.images[ui.example];
  if (image && image.complete && image.naturalWidth) {
    ctx.imageSmoothingEnabled = false;  // crisp pixels, as the app shows digits
    ctx.drawImage(image, 0, 0, ui.canvas.width, ui.canvas.height);
  }
  paint(ctx, allStrokes(ui.state), scale);
  [...ui.examples.children].forEach((b, i) => b.setAttribute("aria-pressed", String(i === ui.example)));
  ui.undo.disabled = !ui.state.strokes.length;
}

// The drawing as Python gets it: white ink on a transparent size×size canvas, as a PNG data: URI.
function payload(ui) {
  const canvas = ui.payloadCanvas || (ui.payloadCanvas = document.createElement("canvas"));
  canvas.width = canvas.height = ui.size;  // also clears it
  paint(canvas.getContext("2d"), ui.state.strokes, ui.size / PAD);
  const png = canvas.toDataURL("image/png");
  ui.canvas.dataset.payloadBytes = String(png.length);  // read by the check that measures it
  return png;
}
