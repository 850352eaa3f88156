"""What the explorer's map shows besides the test digits, in map coordinates. Pure numpy, no Streamlit.

- the part of the map the sliders can reach (a click beyond it moves them as far as they go);
- the prior's circles: where draws from N(0, I) land on the map (on a 16-D map's plane, the
  projection of N(0, I) is N(its centre, 1) again: the plane's axes are orthonormal);
- the verdict layer: the judge's call on the decoder's image at every cell of the map, as a picture.
"""

import numpy as np

PRIOR_RADII = (1.0, 2.0)  # 1σ and 2σ
CELL_PX = 4  # pixels per grid cell in the verdict picture (room for the stripes of "no digit" cells)
TINT = 0.35  # a clear cell: its class colour at this strength over white
UNSURE_GREY = 222
NONE_DARK, NONE_STRIPE = 80, 130


def clip_half_plane(polygon, a, b, c):
    """The part of a convex polygon [(x, y), ...] where a x + b y <= c (Sutherland-Hodgman)."""
    out = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def reachable_polygon(projection, scale, x_range, y_range):
    """The map points whose z (the projection's inverse) every slider can hold, as a convex polygon
    [[x, y], ...], within a box three times the view's size around it; [] if there are none."""
    (x0, x1), (y0, y1) = x_range, y_range
    wx, wy = x1 - x0, y1 - y0
    polygon = [(x0 - wx, y0 - wy), (x1 + wx, y0 - wy), (x1 + wx, y1 + wy), (x0 - wx, y1 + wy)]
    mean, (cx, cy) = projection.mean, projection.components
    for i in range(len(mean)):  # lo_i <= mean_i + x cx_i + y cy_i <= hi_i
        polygon = clip_half_plane(polygon, cx[i], cy[i], scale.hi[i] - mean[i])
        polygon = clip_half_plane(polygon, -cx[i], -cy[i], mean[i] - scale.lo[i])
        if not polygon:
            return []
    return [[float(x), float(y)] for x, y in polygon]


def prior_centre(projection):
    """Where z = 0 (the centre of N(0, I)) lies on the map."""
    return [float(v) for v in projection.forward(np.zeros_like(projection.mean))]


def cell_centres(x_range, y_range, n):
    """The centres of an n×n grid of cells tiling the box exactly: (xs [n], ys [n]), ys from the top."""
    (x0, x1), (y0, y1) = x_range, y_range
    xs = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    ys = y1 - (np.arange(n) + 0.5) * (y1 - y0) / n
    return xs, ys


def disc_share(x_range, y_range, centre, radius, n=400):
    """The share of the box within radius of centre (measured on an n×n grid of cells)."""
    xs, ys = cell_centres(x_range, y_range, n)
    dx, dy = np.meshgrid(xs - centre[0], ys - centre[1])
    return float((dx**2 + dy**2 <= radius**2).mean())


def hex_rgb(colour):
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def verdict_shading(labels, calls, palette, cell_px=CELL_PX):
    """The verdict layer as RGB pixels [n·cell_px, n·cell_px, 3] (uint8), row 0 at the top of the map:
    a clear cell is light in its class's colour, an unsure one light grey, one that shows no
    digit dark with light stripes."""
    labels, calls = np.asarray(labels), np.asarray(calls)
    n_rows, n_cols = calls.shape
    cell = np.full((n_rows, n_cols, 3), UNSURE_GREY, dtype=np.float64)
    tints = np.array([255 + TINT * (hex_rgb(c) - 255) for c in palette])
    clear = calls == "clear"
    cell[clear] = tints[labels[clear]]
    cell[calls == "none"] = NONE_DARK
    pixels = cell.repeat(cell_px, axis=0).repeat(cell_px, axis=1)
    rows, cols = np.indices(pixels.shape[:2])
    none = (calls == "none").repeat(cell_px, axis=0).repeat(cell_px, axis=1)
    pixels[none & ((rows + cols) % 6 < 2)] = NONE_STRIPE  # stripes continue across neighbouring cells
    return pixels.round().astype(np.uint8)
