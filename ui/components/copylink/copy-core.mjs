// The copy-link element's pure part (no DOM at import; tested with node --test): how to copy a
// text wherever the page runs. The Clipboard API exists only on a secure page (https or
// localhost); a classroom server at http://192.168.x.y has none, so the old select-and-copy
// command is tried next, and when both fail the student is asked to copy the selected link.

export const MESSAGES = {
  copied: "Copied: paste it anywhere.",
  select: "Copy the selected link (Ctrl+C, or ⌘C on a Mac).",
};

// clipboard: navigator.clipboard or undefined; legacyCopy(text) -> true when it copied.
// Resolves to "copied" or "select" (never rejects).
export async function copyText(text, { clipboard, legacyCopy } = {}) {
  if (clipboard && typeof clipboard.writeText === "function") {
    try {
      await clipboard.writeText(text);
      return "copied";
    } catch {
      // denied or not focused: try the next way
    }
  }
  try {
    if (legacyCopy && legacyCopy(text)) return "copied";
  } catch {
    // a browser without execCommand
  }
  return "select";
}
