"""The ten class colours stay distinguishable for students with colour-vision deficiencies, in every
chart and on the explorer's map (bench/palette.py measures them; its docstring says why 10)."""

import pytest

from bench.palette import (CANDIDATES, DEFICIENCIES, THRESHOLD, VISIONS, WHITE_THRESHOLD, ciede2000, closest_pair,
                           faintest, on_white, srgb)
from ui.charts import PALETTE, POINT_OPACITY

# Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula": pairs from their test data.
SHARMA = [((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
          ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
          ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
          ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
          ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
          ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644)]


@pytest.mark.parametrize("lab1, lab2, expected", SHARMA)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("opacity", [1.0, POINT_OPACITY], ids=["pure", "as-drawn-on-the-map"])
def test_every_pair_of_class_colours_stays_apart(vision, opacity):
    distance, i, j = closest_pair(on_white(srgb(PALETTE), opacity), vision)
    assert distance >= THRESHOLD, f"{vision}: classes {i} and {j} are {distance:.1f} apart"


def test_every_class_colour_shows_on_the_white_map():
    distance, i = faintest(on_white(srgb(PALETTE), POINT_OPACITY))
    assert distance >= WHITE_THRESHOLD, f"class {i} is {distance:.1f} from white"


def test_the_check_catches_a_palette_that_merges_classes():
    old = CANDIDATES["Tableau 10 (the app's old palette)"]
    assert closest_pair(srgb(old), "normal")[0] >= THRESHOLD  # fine with normal vision ...
    assert all(closest_pair(srgb(old), vision)[0] < THRESHOLD for vision in DEFICIENCIES)  # ... not without


def test_the_palette_is_ten_different_published_colours():
    assert len(PALETTE) == 10 and len(set(PALETTE)) == 10
    assert tuple(PALETTE) in {tuple(colours) for colours in CANDIDATES.values()}
