// The views' shared lifecycle, with Node's own test runner: node --test ui/
import assert from "node:assert/strict";
import { test } from "node:test";

import { cleanupWhenGone, currentState } from "./element.mjs";

function lifecycle() {
  const calls = { built: 0, destroyed: 0, asked: 0 };
  return {
    calls,
    build: (root, data) => { calls.built++; return { signature: data.signature }; },
    destroy: () => { calls.destroyed++; },
    askForAssets: () => { calls.asked++; },
  };
}

test("a state is built once per signature and rebuilt for a new one", () => {
  const states = new WeakMap(), root = {}, hooks = lifecycle();
  const first = currentState(states, root, { signature: "a" }, {}, hooks);
  assert.equal(currentState(states, root, { signature: "a" }, {}, hooks), first);
  const second = currentState(states, root, { signature: "b" }, {}, hooks);
  assert.notEqual(second, first);
  assert.deepEqual(hooks.calls, { built: 2, destroyed: 1, asked: 0 });
});

test("missing large data is asked for once per answer", () => {
  const states = new WeakMap(), root = {}, hooks = lifecycle(), data = { signature: "a" };
  assert.equal(currentState(states, root, data, undefined, hooks), null);
  assert.equal(currentState(states, root, data, undefined, hooks), null);  // the same answer again
  assert.equal(hooks.calls.asked, 1);
  currentState(states, root, { signature: "a" }, undefined, hooks);  // a new answer, still without the data
  assert.equal(hooks.calls.asked, 2);
  assert.ok(currentState(states, root, data, {}, hooks));  // the data came: built
});

test("the cleanup tears down only an element that has left the page", async () => {
  const states = new WeakMap(), root = { isConnected: true }, hooks = lifecycle();
  currentState(states, root, { signature: "a" }, {}, hooks);
  cleanupWhenGone(states, root, hooks.destroy)();  // a stale call's cleanup: the element stays
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(hooks.calls.destroyed, 0);
  root.isConnected = false;
  cleanupWhenGone(states, root, hooks.destroy)();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(hooks.calls.destroyed, 1);
  assert.equal(states.get(root), undefined);
});
