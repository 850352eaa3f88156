// The replay's pure functions, with Node's own test runner: node --test ui/
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_SPEED, PRIOR_RADII, SPEEDS, adoptServerFrame, clampFrame, curveView, fitRanges,
         logStep, playFrom, playhead, stepFrame, stepTicks, valueRange } from "./replay-core.mjs";

test("stepping stays within the replay, whatever comes in", () => {
  assert.equal(stepFrame(0, -1, 21), 0);
  assert.equal(stepFrame(3, 1, 21), 4);
  assert.equal(stepFrame(20, 1, 21), 20);
  assert.equal(clampFrame(99, 21), 20);
  assert.equal(clampFrame("7", 21), 7);
  assert.equal(clampFrame(NaN, 21), 0);
  assert.equal(clampFrame(2, 0), 0);
});

test("playback counts frames from when Play was pressed and stops at the last frame", () => {
  assert.equal(playhead(0, 1000, 2, 1000, 21).frame, 0);
  assert.equal(playhead(0, 1000, 2, 1499, 21).frame, 0);
  assert.equal(playhead(0, 1000, 2, 1500, 21).frame, 1);
  assert.deepEqual(playhead(4, 0, 10, 1000, 21), { frame: 14, done: false });
  assert.deepEqual(playhead(4, 0, 10, 60_000, 21), { frame: 20, done: true });
  assert.deepEqual(playhead(0, 5000, 5, 4000, 21), { frame: 0, done: false });  // a clock that went back
  assert.equal(playFrom(20, 21), 0);  // Play at the end starts again
  assert.equal(playFrom(7, 21), 7);
  assert.ok(SPEEDS.includes(DEFAULT_SPEED) && SPEEDS.every((s) => s > 0));
  assert.ok(Math.max(...SPEEDS) >= 5);  // the floor for smooth playback must be on offer
});

test("a position the page reported itself is not applied again when the server echoes it", () => {
  assert.equal(adoptServerFrame(undefined, undefined, 3), true);  // the first answer: a link's position
  assert.equal(adoptServerFrame(3, 3, 3), false);
  assert.equal(adoptServerFrame(3, 9, 9), false);  // the echo of a report: the student may be further on
  assert.equal(adoptServerFrame(9, 12, 0), true);  // changed on the server
});

test("a map's view holds the prior's circles and the bulk of the codes, not a stray code", () => {
  const radius = PRIOR_RADII.at(-1);
  const tight = fitRanges(new Float32Array([0.1, 0.2, -0.3, 0.4]));
  assert.ok(tight.x[0] < -radius && tight.x[1] > radius && tight.y[0] < -radius && tight.y[1] > radius);
  const codes = new Float32Array(2 * 1000);
  for (let i = 0; i < 1000; i++) { codes[2 * i] = 20 + (i % 10); codes[2 * i + 1] = -50 + (i % 7); }
  codes[0] = 1e4;  // one code far away
  const wide = fitRanges(codes);
  assert.ok(wide.x[0] < -radius && wide.x[1] > 29 && wide.x[1] < 35, `x ${wide.x}`);
  assert.ok(wide.y[0] < -50 && wide.y[1] > radius);
  const broken = fitRanges(new Float32Array([NaN, NaN]));
  assert.ok(broken.x[0] < -radius && broken.x[1] > radius);
});

test("the loss curves: log batches on x from the origin, losses on y from 0 when all are positive", () => {
  assert.equal(logStep(0), 0);
  assert.equal(logStep(9), 1);
  assert.deepEqual(stepTicks(9380).map((t) => t.label), ["0", "10", "100", "1k"]);
  assert.deepEqual(stepTicks(0).map((t) => t.step), [0, 10]);
  assert.deepEqual(valueRange([[100, 200], [150, NaN]]), [95, 205]);
  assert.deepEqual(valueRange([[0, 10]]), [0, 10.5]);
  assert.deepEqual(valueRange([[-10, 10]]), [-11, 11]);
  assert.deepEqual(valueRange([[]]), [0, 1]);
  const [flatLo, flatHi] = valueRange([[5, 5]]);  // a flat line still gets a range around it
  assert.ok(flatLo < 5 && flatHi > 5);
  const view = curveView(400, 200, [0, 25, 9380], [[543, 140], [0, 7]]);
  assert.equal(view.x0, 0);
  assert.equal(view.x1, logStep(9380));
  assert.equal(view.y0, 0);
  assert.equal(view.w, 400 - 44 - 10);
  assert.equal(curveView(30, 200, [0, 1], [[1]]), null);
  assert.equal(curveView(400, 200, [], [[1]]), null);
});
