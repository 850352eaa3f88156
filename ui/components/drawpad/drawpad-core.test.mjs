// node --test ui/components/drawpad/   — the drawing pad's pure parts (no browser).
import { test } from "node:test";
import assert from "node:assert/strict";

import { PAD, PEN, MIN_STEP, EMPTY, padPoint, reduce, allStrokes, strokePath, drawingMessage } from "./drawpad-core.mjs";

const rect = { left: 100, top: 50, width: 140, height: 140 };  // the pad shown at half size

test("the module needs no DOM: it loaded in node, and its constants are the pad's", () => {
  assert.equal(typeof globalThis.window, "undefined");
  assert.equal(PAD, 280);
  assert.ok(PEN >= 18 && PEN <= 22, "a stroke that looks like MNIST ink after preparation");
});

test("padPoint maps client px to pad units, whatever size the pad is shown at", () => {
  assert.deepEqual(padPoint(100, 50, rect), [0, 0]);
  assert.deepEqual(padPoint(240, 190, rect), [280, 280]);
  assert.deepEqual(padPoint(170, 120, rect), [140, 140]);
  assert.deepEqual(padPoint(170.03, 120.06, rect), [140.1, 140.1]);  // rounded to 0.1
});

test("padPoint clamps to the pad and survives a zero-size or odd rect", () => {
  assert.deepEqual(padPoint(0, 1000, rect), [0, 280]);
  assert.deepEqual(padPoint(150, 100, { left: 0, top: 0, width: 0, height: 0 }), [0, 0]);
  assert.deepEqual(padPoint(NaN, Infinity, rect), [0, 0]);
});

test("a stroke is started, grown and kept; the state is never mutated", () => {
  let state = reduce(EMPTY, { type: "start", point: [10, 10] });
  const started = state;
  state = reduce(state, { type: "move", points: [[20, 10], [30, 12]] });
  assert.deepEqual(started.current, [[10, 10]]);
  assert.deepEqual(state.current, [[10, 10], [20, 10], [30, 12]]);
  state = reduce(state, { type: "end" });
  assert.deepEqual(state, { strokes: [[[10, 10], [20, 10], [30, 12]]], current: null });
  assert.deepEqual(EMPTY, { strokes: [], current: null });
});

test("moves shorter than MIN_STEP add no point, and the same state comes back", () => {
  const state = reduce(EMPTY, { type: "start", point: [10, 10] });
  assert.equal(reduce(state, { type: "move", points: [[10 + MIN_STEP / 2, 10]] }), state);
  assert.equal(reduce(state, { type: "move", points: [] }), state);
  assert.equal(reduce(EMPTY, { type: "move", points: [[1, 1]] }), EMPTY);  // no pen down
});

test("undo removes the last stroke (or the one being drawn); clear empties; both are no-ops when empty", () => {
  let state = EMPTY;
  for (const x of [10, 50, 90]) {
    state = reduce(state, { type: "start", point: [x, 10] });
    state = reduce(state, { type: "move", points: [[x, 200]] });
    state = reduce(state, { type: "end" });
  }
  assert.equal(state.strokes.length, 3);
  const undone = reduce(state, { type: "undo" });
  assert.equal(undone.strokes.length, 2);
  assert.deepEqual(undone.strokes, state.strokes.slice(0, 2));
  const drawing = reduce(undone, { type: "start", point: [1, 1] });
  assert.deepEqual(reduce(drawing, { type: "undo" }), { strokes: undone.strokes, current: null });
  assert.equal(reduce(undone, { type: "clear" }), EMPTY);
  assert.equal(reduce(EMPTY, { type: "undo" }), EMPTY);
  assert.equal(reduce(EMPTY, { type: "end" }), EMPTY);
});

test("cancel drops the stroke being drawn; unknown actions change nothing", () => {
  const state = reduce(EMPTY, { type: "start", point: [5, 5] });
  assert.deepEqual(reduce(state, { type: "cancel" }), { strokes: [], current: null });
  assert.equal(reduce(state, { type: "fly" }), state);
  assert.equal(reduce(state, undefined), state);
});

test("allStrokes lists the finished strokes, then the one being drawn", () => {
  let state = reduce(reduce(EMPTY, { type: "start", point: [1, 1] }), { type: "end" });
  assert.equal(allStrokes(state), state.strokes);
  state = reduce(state, { type: "start", point: [2, 2] });
  assert.deepEqual(allStrokes(state), [[[1, 1]], [[2, 2]]]);
});

test("strokePath: a tap is a dot, two points a line, more a smoothed curve through midpoints", () => {
  assert.deepEqual(strokePath([]), []);
  assert.deepEqual(strokePath(undefined), []);
  assert.deepEqual(strokePath([[3, 4]]), [["dot", 3, 4]]);
  assert.deepEqual(strokePath([[0, 0], [10, 0]]), [["M", 0, 0], ["L", 10, 0]]);
  assert.deepEqual(strokePath([[0, 0], [10, 0], [10, 10], [0, 10]]), [
    ["M", 0, 0], ["Q", 10, 0, 10, 5], ["Q", 10, 10, 5, 10], ["L", 0, 10],
  ]);
});

test("strokePath's curve stays within the points' bounding box (no overshoot off the pad)", () => {
  const points = Array.from({ length: 50 }, (_, i) => [140 + 100 * Math.cos(i / 5), 140 + 100 * Math.sin(i / 3)]);
  for (const [op, ...coords] of strokePath(points)) {
    assert.ok(["M", "Q", "L"].includes(op));
    for (const c of coords) assert.ok(c >= 40 - 1e-9 && c <= 240 + 1e-9);
  }
});

test("drawingMessage: the PNG with the stroke count, or a clear when nothing is left", () => {
  let state = reduce(reduce(EMPTY, { type: "start", point: [1, 1] }), { type: "end" });
  assert.deepEqual(drawingMessage(state, "data:image/png;base64,AA", "id1"),
                   { kind: "drawing", png: "data:image/png;base64,AA", strokes: 1, id: "id1" });
  state = reduce(state, { type: "undo" });
  assert.deepEqual(drawingMessage(state, null, "id2"), { kind: "clear", id: "id2" });
});
