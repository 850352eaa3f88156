// node --test ui/components/copylink/   — how the copy-link element copies (no browser).
import { test } from "node:test";
import assert from "node:assert/strict";

import { MESSAGES, copyText } from "./copy-core.mjs";

const URL = "http://192.168.1.20:8501/?tab=interpolate&a=3&b=4";

test("the Clipboard API is used where the page has it", async () => {
  const written = [];
  const clipboard = { writeText: async (t) => { written.push(t); } };
  assert.equal(await copyText(URL, { clipboard, legacyCopy: () => assert.fail("not needed") }), "copied");
  assert.deepEqual(written, [URL]);
});

test("a plain-http page (no Clipboard API) copies the old way", async () => {
  const copied = [];
  assert.equal(await copyText(URL, { clipboard: undefined, legacyCopy: (t) => copied.push(t) > 0 }), "copied");
  assert.deepEqual(copied, [URL]);
});

test("a refused clipboard falls back, and when nothing copies the student is asked to", async () => {
  const clipboard = { writeText: async () => { throw new Error("NotAllowedError"); } };
  assert.equal(await copyText(URL, { clipboard, legacyCopy: () => true }), "copied");
  assert.equal(await copyText(URL, { clipboard, legacyCopy: () => false }), "select");
  assert.equal(await copyText(URL, { legacyCopy: () => { throw new Error("no execCommand"); } }), "select");
  assert.equal(await copyText(URL), "select");
  assert.ok(MESSAGES.select.includes("Ctrl+C") && MESSAGES.copied.length > 0);
});
