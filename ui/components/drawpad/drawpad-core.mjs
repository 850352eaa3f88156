// The drawing pad's pure parts: pad coordinates, the strokes and their undo stack, stroke
// geometry, the payload's size. No DOM and no window here (node --test imports this module);
// drawpad.mjs does the drawing and the talking to Streamlit (ui/components/bundle.py makes the
// two one module).

export const PAD = 280;  // the pad's own units: CSS px when it is shown at full size
// Pen width in pad units. Prepared for MNIST, a digit as tall as most of the pad (~200 units)
// shrinks about 10×, so a 22-unit stroke becomes ~2.2 px: MNIST's strokes are 2-3 px (at 20 a
// drawn 0 came out thinner than the test set's).
export const PEN = 22;
export const MIN_STEP = 0.75;  // a pointer move shorter than this (pad units) adds no point

export const EMPTY = Object.freeze({ strokes: Object.freeze([]), current: null });

// A pointer position (client px) -> pad units, clamped to the pad, rounded to 0.1.
export function padPoint(clientX, clientY, rect, size = PAD) {
  const scale = (value, start, length) => {
    const v = length > 0 ? ((value - start) / length) * size : 0;
    return Math.round(Math.min(size, Math.max(0, Number.isFinite(v) ? v : 0)) * 10) / 10;
  };
  return [scale(clientX, rect.left, rect.width), scale(clientY, rect.top, rect.height)];
}

function far(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1]) >= MIN_STEP;
}

// The strokes and the one being drawn, as an undo stack: every action returns a new state.
//   start {point}   a pen touches the pad          move {points}  it moves (coalesced events)
//   end             it lifts: the stroke is kept    cancel         the stroke is dropped
//   undo            the last stroke goes           clear          everything goes
export function reduce(state, action) {
  switch (action && action.type) {
    case "start":
      return { strokes: state.strokes, current: [action.point] };
    case "move": {
      if (!state.current) return state;
      const added = [];
      let last = state.current[state.current.length - 1];
      for (const point of action.points || []) {
        if (far(point, last)) { added.push(point); last = point; }
      }
      return added.length ? { strokes: state.strokes, current: state.current.concat(added) } : state;
    }
    case "end":
      return state.current ? { strokes: [...state.strokes, state.current], current: null } : state;
    case "cancel":
      return state.current ? { strokes: state.strokes, current: null } : state;
    case "undo":
      if (state.current) return { strokes: state.strokes, current: null };
      return state.strokes.length ? { strokes: state.strokes.slice(0, -1), current: null } : state;
    case "clear":
      return EMPTY;
    default:
      return state;
  }
}

// Every stroke to draw, finished ones first.
export function allStrokes(state) {
  return state.current ? [...state.strokes, state.current] : state.strokes;
}

// One stroke -> path commands a 2-D canvas context replays (drawpad.mjs: paint):
//   ["dot", x, y]: a tap, a filled disc of the pen's width
//   ["M", x, y], then ["L", x, y] or ["Q", cx, cy, x, y]: a line through the points, smoothed with
//   quadratic curves between the midpoints of successive points (the points are its control points).
export function strokePath(points) {
  if (!points || points.length === 0) return [];
  const [first] = points;
  if (points.length === 1) return [["dot", first[0], first[1]]];
  const path = [["M", first[0], first[1]]];
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = points[i], [nx, ny] = points[i + 1];
    path.push(["Q", x, y, (x + nx) / 2, (y + ny) / 2]);
  }
  const last = points[points.length - 1];
  path.push(["L", last[0], last[1]]);
  return path;
}

// The message Python gets after a stroke, an undo or a clear ("id" makes every one a change).
export function drawingMessage(state, png, id) {
  if (!state.strokes.length) return { kind: "clear", id };
  return { kind: "drawing", png, strokes: state.strokes.length, id };
}
