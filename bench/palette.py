"""How far apart published 10-colour sets keep their colours for students with colour-vision deficiencies.

    python bench/palette.py        # prints the table, writes bench/results/palette.json

For each candidate: the smallest CIEDE2000 distance between any two of its colours, with normal
vision and under simulated protanopia, deuteranopia and tritanopia (colorspacious: Machado et al.
2009 at severity 100, i.e. the full deficiency), both as the pure colours (legends, bars) and as
the explorer's map draws them (ui.charts.POINT_OPACITY over white); and the faintest colour's
distance from the white page. tests/test_palette.py holds the app's palette to THRESHOLD.

Why CIEDE2000 >= 10: a distance of about 1-2 is just noticeable for two large patches side by
side; the map's dots are 3 px and a legend swatch sits far from the dots it names, so a class must
differ from every other at a glance, several times that. 10 is a common "clearly different"
threshold for categorical palettes, and the set the app had before (Tableau 10) falls to 0.7
under deuteranopia (its red and green become one colour), which is what it is meant to catch.
"""

import itertools
import json
import math
import sys
from pathlib import Path

import numpy as np
from colorspacious import cspace_convert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.charts import PALETTE, POINT_OPACITY  # noqa: E402

THRESHOLD = 10.0  # CIEDE2000 between any two class colours, under every simulated deficiency
WHITE_THRESHOLD = 10.0  # CIEDE2000 of every class colour, as drawn on the map, from the white page
DEFICIENCIES = ("protanomaly", "deuteranomaly", "tritanomaly")  # at severity 100: -opia, the full deficiency
VISIONS = ("normal",) + DEFICIENCIES

CANDIDATES = {  # published sets, as their authors list them
    "Tableau 10 (the app's old palette)": ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f"),
    "Tableau Colorblind 10": ("#006ba4", "#ff800e", "#ababab", "#595959", "#5f9ed1",
                              "#c85200", "#898989", "#a2c8ec", "#ffbc79", "#cfcfcf"),
    "Petroff 10 (2021)": ("#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
                          "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd"),
    "Paul Tol muted (9 + pale grey)": ("#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee",
                                       "#882255", "#44aa99", "#999933", "#aa4499", "#dddddd"),
    "Paul Tol light (9 + black)": ("#77aadd", "#ee8866", "#eedd88", "#ffaabb", "#99ddff",
                                   "#44bb99", "#bbcc33", "#aaaa00", "#dddddd", "#000000"),
    "Paul Tol discrete rainbow 10": ("#882e72", "#1965b0", "#7bafde", "#4eb265", "#cae0ab",
                                     "#f7f056", "#ee8026", "#dc050c", "#72190e", "#d6c1de"),
    "Okabe-Ito 8 + grey, wine": ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2",
                                 "#d55e00", "#cc79a7", "#000000", "#999999", "#882255"),
}


def ciede2000(lab1, lab2):
    """The CIEDE2000 colour difference of two CIELab colours (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = (-2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def srgb(hexes):
    return np.array([[int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes])


def on_white(rgb, opacity):
    """Colours drawn at this opacity over the white page, as the eye gets them."""
    return opacity * rgb + (1 - opacity)


def seen_lab(rgb, vision):
    """sRGB colours in [0, 1] -> CIELab as seen with this vision ("normal" or a colorspacious cvd_type)."""
    if vision != "normal":
        rgb = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CIELab")


def closest_pair(rgb, vision):
    """(distance, i, j): the two colours that are hardest to tell apart with this vision."""
    lab = seen_lab(rgb, vision)
    return min((ciede2000(lab[i], lab[j]), i, j) for i, j in itertools.combinations(range(len(lab)), 2))


def faintest(rgb):
    """(distance, i): the colour closest to the white page (normal vision)."""
    white = cspace_convert(np.ones(3), "sRGB1", "CIELab")
    return min((ciede2000(lab, white), i) for i, lab in enumerate(seen_lab(rgb, "normal")))


def measure(hexes, opacity=POINT_OPACITY):
    rgb = srgb(hexes)
    result = {}
    for drawn, colours in (("pure", rgb), (f"map (opacity {opacity:g} on white)", on_white(rgb, opacity))):
        result[drawn] = {vision: dict(zip(("min_distance", "i", "j"), closest_pair(colours, vision)))
                         for vision in VISIONS}
        result[drawn]["from_white"] = dict(zip(("min_distance", "i"), faintest(colours)))
    return result


def main():
    rows = {name: {"colours": list(hexes), **measure(hexes)} for name, hexes in CANDIDATES.items()}
    chosen = next(name for name, hexes in CANDIDATES.items() if tuple(hexes) == tuple(PALETTE))
    print(f"smallest CIEDE2000 between two classes (normal / protan / deutan / tritan) · faintest from white;"
          f" threshold {THRESHOLD:g}")
    for name, row in rows.items():
        for drawn in list(row)[1:]:
            cells = " / ".join(f"{row[drawn][v]['min_distance']:5.1f}" for v in VISIONS)
            print(f"{'*' if name == chosen else ' '} {name:36s} {drawn:26s} {cells} · {row[drawn]['from_white']['min_distance']:5.1f}")
    out = ROOT / "bench" / "results" / "palette.json"
    out.write_text(json.dumps({"threshold": THRESHOLD, "white_threshold": WHITE_THRESHOLD, "chosen": chosen,
                               "point_opacity": POINT_OPACITY, "candidates": rows}, indent=1))
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
