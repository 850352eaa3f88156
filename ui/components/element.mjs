// What every Latent Lab element's view does the same way (explorer.mjs, replay/replay.mjs): one
// state object per element root, built once per model or replay and torn down only when the root
// has left the page; the large data a page keeps for its life, asked for again if it is missing;
// and el(), the one way the views make DOM nodes. Nothing here runs at import, so Node's test
// runner checks it (element.test.mjs); ui/components/bundle.py inlines it into each view.

// The state for this call, or null while the page lacks the element's large data (not expected:
// the server sends it first), when it asks for it again, once per answer. A new signature (another
// model, another replay) destroys the old state and builds a new one.
export function currentState(states, root, data, assets, { build, destroy, askForAssets }) {
  let state = states.get(root);
  if (!assets) {
    if (!state || state.asked !== data) {
      if (state) destroy(state);
      states.set(root, { asked: data });
      askForAssets();
    }
    return null;
  }
  if (!state || state.signature !== data.signature) {
    if (state) destroy(state);
    state = build(root, data, assets);
    states.set(root, state);
  }
  return state;
}

// The cleanup a view returns. Streamlit calls the cleanup of the latest call when the element is
// removed, but also, at once, the cleanup of a call it thinks stale (new data arrived meanwhile):
// tear down only when the element has really left the page.
export function cleanupWhenGone(states, root, destroy) {
  return () => setTimeout(() => {
    const state = states.get(root);
    if (state && !root.isConnected) {
      destroy(state);
      states.delete(root);
    }
  }, 0);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}
