// The copy-link element: the link to what this session shows, in a read-only box the student
// can select, and a Copy link button (copy-core.mjs decides how to copy). Built once per
// element; a rerun only puts the new link in the box. The cleanup removes the listeners.

import { MESSAGES, copyText } from "./copy-core.mjs";

export default function ({ parentElement, data }) {
  const root = parentElement.querySelector(".lab-copylink") || parentElement;
  const ui = root.__copylink || (root.__copylink = build(root));
  if (ui.box.value !== data.url) {
    ui.box.value = data.url;
    ui.status.textContent = "";
  }
  return ui.destroy;
}

function legacyCopy(box) {
  box.focus();
  box.select();
  return document.execCommand("copy");
}

function build(root) {
  const listeners = new AbortController();
  const button = document.createElement("button");
  button.type = "button";
  button.className = "lab-copylink-button";
  button.textContent = "Copy link";
  const box = document.createElement("input");
  box.type = "text";
  box.readOnly = true;
  box.className = "lab-copylink-box";
  box.setAttribute("aria-label", "Link to this view");
  const status = document.createElement("span");
  status.className = "lab-copylink-status";
  status.setAttribute("aria-live", "polite");
  root.replaceChildren(button, box, status);
  const signal = listeners.signal;
  box.addEventListener("focus", () => box.select(), { signal });
  button.addEventListener("click", async () => {
    const result = await copyText(box.value, { clipboard: navigator.clipboard, legacyCopy: () => legacyCopy(box) });
    if (result === "select") box.select();
    status.textContent = MESSAGES[result];
  }, { signal });
  const ui = { box, status, destroy: () => { listeners.abort(); delete root.__copylink; } };
  return ui;
}
