// The explorer's pure functions, with Node's own test runner: node --test ui/
import assert from "node:assert/strict";
import { test } from "node:test";

import { CURSOR_STEPS_ACROSS, FINE, MARGIN, STALE_MS, arrowDirection, caughtUp, cursorStart, cursorStep, cursorText,
         decimals, decode, fitView, greyRgba, decodeBase64, halfToFloat, halfsToFloats, inPlot, insidePolygon, keyedValue, movedCursor,
         nearestPoint, niceStep, onGrid, payloadOf, project, roundNumber, sameZ, sliderRows, snapValue, tickLabel, ticks,
         toData, toPixel, unpack, unpackFile, unproject, valueText }
  from "./explorer-core.mjs";

const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);
// float16 bit patterns, as numpy's "<f2" writes them: 0.5, -1.25, 1, 2, 3, 4.
const HALF = { 0.5: 0x3800, "-1.25": 0xbd00, 1: 0x3c00, 2: 0x4000, 3: 0x4200, 4: 0x4400 };
const halfBits = (...values) => new Uint16Array(values.map((v) => HALF[v]));
const bytesOf = (typed) => new Uint8Array(typed.buffer);

// A file as ui/components/explorer/files.py's pack_file writes it.
function packFile(header, arrays) {
  const index = {}, parts = [];
  let offset = 0;
  for (const [name, [dtype, typed]] of Object.entries(arrays)) {
    const bytes = bytesOf(typed);
    index[name] = [offset, bytes.length, dtype];
    parts.push(bytes);
    offset += bytes.length;
  }
  const head = new TextEncoder().encode(JSON.stringify({ ...header, arrays: index }));
  const out = new Uint8Array(8 + head.length + offset);
  out.set(new TextEncoder().encode("LLX1"));
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out.buffer;
}

test("base64 text decodes to its bytes", () => {
  assert.deepEqual(Array.from(decodeBase64(Buffer.from([0, 7, 255]).toString("base64"))), [0, 7, 255]);
});

test("float16 arrays decode as the server wrote them (little-endian)", () => {
  assert.deepEqual(Array.from(halfsToFloats(bytesOf(halfBits(0.5, "-1.25", 3)))), [0.5, -1.25, 3]);
});

test("float16: the largest, the smallest subnormal, signed zero, infinities and NaN", () => {
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24);
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.equal(halfToFloat(0xfc00), -Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  close(halfToFloat(0x3555), 1 / 3, 1e-4);
});

test("the element's data arrives as the bytes of its JSON", () => {
  const sent = { z: [0.5, -1], caption: "looks like an 8 (93% sure) — ✓" };
  assert.deepEqual(payloadOf(new TextEncoder().encode(JSON.stringify(sent))), sent);
});

test("unpackFile and unpack turn the server's file into typed arrays and layers", () => {
  const file = unpackFile(packFile(
    { manifold: "data:x", decoder: [{ shape: [3, 2] }], projection: { mean: [0, 0], components: [[1, 0], [0, 1]] } },
    { points: ["<f2", halfBits(1, 2, 3, 4)], labels: ["|u1", new Uint8Array([3, 9])],
      "decoder.0.weight": ["<f2", halfBits(1, 2, 3, 4, 0.5, 1)], "decoder.0.bias": ["<f2", halfBits(0.5, 1, 2)] }));
  const assets = unpack(file);
  assert.deepEqual(Array.from(assets.points), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(assets.labels), [3, 9]);
  assert.deepEqual(Array.from(assets.decoder[0].weight), [1, 2, 3, 4, 0.5, 1]);
  assert.deepEqual(Array.from(assets.decoder[0].bias), [0.5, 1, 2]);
  assert.equal(assets.decoder[0].out, 3);
  assert.equal(assets.decoder[0].in, 2);
  assert.equal(assets.manifold, "data:x");
  assert.deepEqual(assets.components, [[1, 0], [0, 1]]);
});

test("unpackFile refuses what is not an explorer file", () => {
  assert.throws(() => unpackFile(new TextEncoder().encode('{"points": []}').buffer), /not an explorer file/);
  assert.throws(() => unpackFile(packFile({}, { x: ["<f8", new Float64Array(1)] })), /unknown dtype/);
});

test("decode: linear layers, ELU between them, sigmoid after the last", () => {
  const decoder = [
    { weight: [1, 0, 0, 1], bias: [0, 0], out: 2, in: 2 },  // identity
    { weight: [1, 1], bias: [0.5], out: 1, in: 2 },
  ];
  const [out] = decode(decoder, [2, -1]);
  const elu = (x) => (x > 0 ? x : Math.expm1(x));
  close(out, 1 / (1 + Math.exp(-(elu(2) + elu(-1) + 0.5))));
  assert.equal(decode([{ weight: [0], bias: [0], out: 1, in: 1 }], [5])[0], 0.5);  // one layer: sigmoid only
});

test("grey pixels: clamped to [0, 1], rounded to bytes, opaque", () => {
  assert.deepEqual(Array.from(greyRgba([0, 1, 0.5, -3, 7])),
                   [0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
});

const scaleOf = (dim, lo, hi, step, keyStep) => ({ lo: Array(dim).fill(lo), hi: Array(dim).fill(hi),
                                                  step: Array(dim).fill(step), key_step: Array(dim).fill(keyStep) });
const VAE2 = scaleOf(2, -3, 3, 0.01, 0.1);

test("projection and its inverse agree on the plane, and the inverse stays on the sliders' grid", () => {
  const plane = { mean: [0.1, -0.2, 0.3], components: [[0.6, 0.8, 0], [0, 0, 1]] };
  const z = unproject(plane, 0.5, -0.4, scaleOf(3, -3, 3, 0.01, 0.1));
  z.forEach((v) => close(v / 0.01, Math.round(v / 0.01), 1e-9));
  const [x, y] = project(plane, z);
  close(x, 0.5, 0.01);
  close(y, -0.4, 0.01);
  const identity = { mean: [0, 0], components: [[1, 0], [0, 1]] };
  assert.deepEqual(unproject(identity, 7.5, -40, VAE2), [3, -3]);
  // Each dimension has its own ends and grid (the AE's sliders span its codes: tens of units).
  const ae = { lo: [-30, -70], hi: [80, 110], step: [0.1, 0.2], key_step: [1, 2] };
  assert.deepEqual(unproject(identity, 42.04, -55.55, ae), [42, -55.6]);
  assert.deepEqual(unproject(identity, -31, 200, ae), [-30, 110]);
});

test("a slider value snaps to its grid and stays within its ends", () => {
  assert.equal(snapValue(0.123, -3, 3, 0.01), 0.12);
  assert.equal(snapValue(0.1 + 0.2, -3, 3, 0.1), 0.3);  // no 0.30000000000000004 on screen or in links
  assert.equal(snapValue(-7, -3, 3, 0.01), -3);
  assert.equal(snapValue(57.06, -28, 80, 0.2), 57.0);
});

test("arrow keys: a key step (1 % of the range; 0.1 for the VAE), with Shift one grid step", () => {
  assert.equal(arrowDirection("ArrowRight"), 1);
  assert.equal(arrowDirection("ArrowUp"), 1);
  assert.equal(arrowDirection("ArrowLeft"), -1);
  assert.equal(arrowDirection("ArrowDown"), -1);
  assert.equal(arrowDirection("Tab"), 0);
  assert.equal(keyedValue(0, 1, false, VAE2, 0), 0.1);
  assert.equal(keyedValue(0, -1, true, VAE2, 1), -0.01);
  assert.equal(keyedValue(2.95, 1, false, VAE2, 0), 3);  // never past the end
  const ae = { lo: [-30], hi: [80], step: [0.1], key_step: [1] };
  assert.equal(keyedValue(12.3, 1, false, ae, 0), 13.3);
  assert.equal(keyedValue(12.3, -1, true, ae, 0), 12.2);
});

test("axis ticks: nice steps, an exact zero, short labels", () => {
  assert.equal(niceStep(6), 1);
  assert.equal(niceStep(12), 2);
  assert.equal(niceStep(0.6), 0.1);
  assert.equal(niceStep(30), 5);
  assert.deepEqual(ticks(-3.2, 3.2), [-3, -2, -1, 0, 1, 2, 3]);
  assert.ok(ticks(-0.35, 0.35).includes(0));  // 0.1 steps: floating error must not hide the zero line
  assert.equal(tickLabel(0.30000000000000004), "0.3");
  assert.equal(tickLabel(-2), "-2");
});

test("the view keeps equal units on both axes and contains the ranges, centred", () => {
  const v = fitView(500, 460, { x: [-3, 3], y: [-1, 1] }, 2);
  assert.equal(v.l, MARGIN.l);
  assert.equal(v.w, 500 - MARGIN.l - MARGIN.r);
  close((v.x1 - v.x0) / v.w, (v.y1 - v.y0) / v.h);
  assert.ok(v.x0 <= -3 && v.x1 >= 3 && v.y0 <= -1 && v.y1 >= 1);
  close(v.x0 + v.x1, 0);
  close(v.y0 + v.y1, 0);
  assert.equal(v.dpr, 2);
  assert.equal(fitView(40, 460, { x: [-3, 3], y: [-3, 3] }), null);  // not laid out yet
});

test("pixel <-> data round trip, and what counts as inside the plot", () => {
  const v = fitView(600, 400, { x: [-2, 4], y: [-1, 3] });
  const [px, py] = toPixel(v, 1.5, 2.25);
  const [x, y] = toData(v, px, py);
  close(x, 1.5);
  close(y, 2.25);
  assert.ok(toPixel(v, 0, v.y1)[1] === v.t);  // y grows upwards on screen
  assert.ok(inPlot(v, px, py));
  assert.ok(!inPlot(v, v.l - 1, py) && !inPlot(v, px, v.t + v.h + 1));
});

test("hover finds the nearest visible digit within the radius", () => {
  const v = fitView(600, 400, { x: [-1, 1], y: [-1, 1] });
  const points = new Float32Array([0, 0, 0.02, 0, 0.9, 0.9]), labels = new Uint8Array([1, 2, 3]);
  const [px, py] = toPixel(v, 0.021, 0);
  assert.equal(nearestPoint(v, points, labels, new Set(), px, py), 1);
  assert.equal(nearestPoint(v, points, labels, new Set([2]), px, py), 0);  // hidden digits are skipped
  const [fx, fy] = toPixel(v, -0.5, -0.5);
  assert.equal(nearestPoint(v, points, labels, new Set(), fx, fy), null);
});

test("an answer to an older event is not shown, unless it is long overdue", () => {
  assert.ok(caughtUp(undefined, 0, null, 10));  // nothing sent yet
  assert.ok(caughtUp("b", 100, "b", 150));
  assert.ok(!caughtUp("b", 100, "a", 150));
  assert.ok(caughtUp("b", 100, "a", 100 + STALE_MS + 1));
});

test("small helpers: same z, slider rows, shown values", () => {
  assert.ok(sameZ([0.1, 0.2], [0.1, 0.2 + 1e-9]));
  assert.ok(!sameZ([0.1, 0.2], [0.1, 0.21]) && !sameZ(null, [0]) && !sameZ([0], [0, 0]));
  assert.equal(sliderRows(2), 2);
  assert.equal(sliderRows(16), 8);
  assert.equal(valueText("0.1"), "0.10");
  assert.equal(valueText(12.3, 0.1), "12.3");
  assert.equal(valueText(-40, 1), "-40");
  assert.deepEqual([0.01, 0.02, 0.1, 0.2, 1, 5].map(decimals), [2, 2, 1, 1, 0, 0]);
});

// ---------------------------------------------------------------- the map from the keyboard

test("the cursor's step is a round number that crosses the map in about CURSOR_STEPS_ACROSS presses", () => {
  assert.deepEqual([1, 2, 3, 4, 7, 8, 12].map(roundNumber), [1, 2, 2, 5, 5, 10, 10]);
  assert.equal(cursorStep({ x: [-3, 3], y: [-3, 3] }), 0.2);  // the 2-D VAE's map
  assert.equal(cursorStep({ x: [-25, 60], y: [-55, 86] }), 5);  // the larger range counts: 141 / 25 -> 5
  for (const span of [0.3, 6, 141, 900]) {
    const presses = span / cursorStep({ x: [0, span], y: [0, span / 2] });
    assert.ok(presses > CURSOR_STEPS_ACROSS / 2 && presses < CURSOR_STEPS_ACROSS * 2, `${span}: ${presses} presses`);
  }
});

test("onGrid: the nearest multiple of the step that lies inside the range", () => {
  assert.equal(onGrid(0.33, -3, 3, 0.2), 0.4);
  assert.equal(onGrid(-0.11, -3, 3, 0.2), -0.2);
  assert.equal(onGrid(3.29, -3.3, 3.3, 0.2), 3.2);  // 3.4 would leave the plot
  assert.equal(onGrid(-9, -3.3, 3.3, 0.2), -3.2);
  assert.equal(onGrid(0.30000000000000004, 0, 1, 0.1), 0.3);  // no float noise to read out
});

const PLOT = { x0: -3.3, x1: 3.3, y0: -3.1, y1: 3.1 };

test("the cursor starts at the current z's marker, on the grid; without one in the middle", () => {
  assert.deepEqual(cursorStart([0.93, -1.41], PLOT, 0.2), [1, -1.4]);
  assert.deepEqual(cursorStart([50, -50], PLOT, 0.2), [3.2, -3]);  // a marker off the map: the nearest edge
  assert.deepEqual(cursorStart(null, { x0: 2, x1: 4, y0: 10, y1: 11 }, 0.5), [3, 10.5]);
});

test("arrows move the cursor a step (Shift: a tenth), up is +y, and it stops at the plot's edge", () => {
  assert.deepEqual(movedCursor([0, 0], "ArrowRight", 0.2, PLOT), [0.2, 0]);
  assert.deepEqual(movedCursor([0, 0], "ArrowUp", 0.2, PLOT), [0, 0.2]);
  assert.deepEqual(movedCursor([0, 0], "ArrowDown", 0.2, PLOT), [0, -0.2]);
  assert.deepEqual(movedCursor([0, 0], "ArrowLeft", 0.2, PLOT, true), [-0.2 / FINE, 0]);
  assert.deepEqual(movedCursor([0.02, 0], "ArrowRight", 0.2, PLOT), [0.22, 0]);  // after a fine step, whole steps
  assert.deepEqual(movedCursor([3.2, 3], "ArrowRight", 0.2, PLOT), [3.3, 3]);  // as far as the plot goes
  assert.deepEqual(movedCursor([3.3, 3], "ArrowRight", 0.2, PLOT), [3.3, 3]);
  assert.deepEqual(movedCursor([0, -3.1], "ArrowDown", 0.2, PLOT), [0, -3.1]);
  assert.equal(movedCursor([0, 0], "Enter", 0.2, PLOT), null);
  assert.equal(movedCursor([0, 0], "a", 0.2, PLOT), null);
  let cursor = [0, 0];
  for (let i = 0; i < 1000; i++) cursor = movedCursor(cursor, "ArrowLeft", 0.2, PLOT);
  assert.deepEqual(cursor, [-3.3, 0]);
});

test("insidePolygon: the reachable region's hit-test", () => {
  const square = [[-3, -3], [3, -3], [3, 3], [-3, 3]];
  assert.ok(insidePolygon(square, 0, 0) && insidePolygon(square, 2.9, -2.9));
  assert.ok(!insidePolygon(square, 3.1, 0) && !insidePolygon(square, 0, -3.5));
  const triangle = [[0, 0], [4, 0], [0, 4]];
  assert.ok(insidePolygon(triangle, 1, 1) && !insidePolygon(triangle, 3, 3));
});

test("the cursor hits the test digit under it (nearestPoint at its pixel), not a hidden one", () => {
  const v = fitView(400, 400, { x: [-3, 3], y: [-3, 3] });
  const points = new Float32Array([1, 1, 1.01, 1, -2, 0]), labels = new Uint8Array([7, 3, 5]);
  assert.equal(nearestPoint(v, points, labels, new Set(), ...toPixel(v, 1.01, 1)), 1);
  assert.equal(nearestPoint(v, points, labels, new Set([3]), ...toPixel(v, 1.01, 1)), 0);
  assert.equal(nearestPoint(v, points, labels, new Set(), ...toPixel(v, 0, 0)), null);
});

test("the cursor in words: where, the step, the digit under it and whether the sliders reach it", () => {
  const text = cursorText([1.4, -0.2], 0.2, { index: 42, label: 7 }, true);
  assert.equal(text, "Map cursor at (1.40, −0.20) · arrow keys move it by 0.20 (with Shift 0.02) · on test digit #42 "
                     + "(label 7) · Enter decodes here · Escape leaves the map");
  assert.match(cursorText([50, 0], 5, null, false), /^Map cursor at \(50\.0, 0\.0\) · arrow keys move it by 5\.0 \(with Shift 0\.5\) · beyond the sliders' reach/);
  assert.doesNotMatch(cursorText([0, 0], 0.2, null, null), /test digit|reach/);
});
