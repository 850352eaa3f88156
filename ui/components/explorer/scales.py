"""What each model's sliders reach and how far a key press moves them. Pure numpy, no Streamlit.

The VAE's sliders cover ±3 (the bulk of its prior N(0, 1)) on a 0.01 grid. The AE has no prior:
its codes sit wherever training put them (the 2-D AE's span tens of units), so its sliders cover
its own codes' range, per dimension, on a grid that is a fixed fraction of that range.
"""

import math
from dataclasses import dataclass

import numpy as np

from ui.link import Z_LIMIT

VAE_STEP, VAE_KEY_STEP = 0.01, 0.1
KEY_STEPS_PER_RANGE = 100  # an arrow key moves a slider by about 1 % of its range
FINE_STEPS_PER_KEY = 10  # Shift+arrow, and a slider's own grid: a tenth of that
CODE_PERCENTILES = (0.5, 99.5)  # the AE's sliders span its codes bar the extreme 1 %...
RANGE_PAD = 0.1  # ...plus this share of that span on each side


@dataclass(frozen=True)
class SliderScale:
    """Per latent dimension: the sliders' ends, their grid (step) and an arrow key's move (key_step)."""

    lo: tuple
    hi: tuple
    step: tuple
    key_step: tuple

    def snap(self, values):
        """z as the sliders can hold it: each value clamped to its slider and rounded to its grid
        (NaN -> 0 before clamping, ±inf -> the slider's end)."""
        out = []
        for v, lo, hi, step in zip(values, self.lo, self.hi, self.step, strict=True):
            v = float(v)
            v = 0.0 if math.isnan(v) else min(hi, max(lo, v))
            out.append(min(hi, max(lo, round(round(v / step) * step, 10))))
        return tuple(out)

    def as_dict(self):
        return {"lo": list(self.lo), "hi": list(self.hi), "step": list(self.step), "key_step": list(self.key_step)}


def nice_step(span):
    """A round number (1, 2 or 5 times a power of ten) near span, for steps people can read."""
    power = 10.0 ** math.floor(math.log10(span))
    fraction = span / power
    return power * (1 if fraction < 1.5 else 2 if fraction < 3.5 else 5 if fraction < 7.5 else 10)


def vae_scale(dim):
    return SliderScale((-Z_LIMIT,) * dim, (Z_LIMIT,) * dim, (VAE_STEP,) * dim, (VAE_KEY_STEP,) * dim)


def code_scale(codes):
    """Sliders over a model's own codes: each dimension's middle 99 %, padded, on round steps."""
    codes = np.asarray(codes, dtype=np.float64)
    low, high = np.percentile(codes, CODE_PERCENTILES, axis=0)
    pad = RANGE_PAD * np.maximum(high - low, 1e-6)
    lo, hi, step, key_step = [], [], [], []
    for a, b in zip(low - pad, high + pad):
        key = nice_step((b - a) / KEY_STEPS_PER_RANGE)
        lo.append(round(math.floor(a / key) * key, 10))
        hi.append(round(math.ceil(b / key) * key, 10))
        step.append(round(key / FINE_STEPS_PER_KEY, 12))
        key_step.append(key)
    return SliderScale(tuple(lo), tuple(hi), tuple(step), tuple(key_step))


USAGE_WORDS = ((2 / 3, "used a lot"), (1 / 3, "used some"), (-math.inf, "used a little"))
SPREAD_WORDS = ((2 / 3, "spread wide"), (1 / 3, "spread some"), (-math.inf, "spread narrow"))


def amount_words(values, words):
    """Plain words for each value relative to the largest: words is ((share of the largest, word), ...)."""
    values = np.asarray(values, dtype=np.float64)
    top = values.max() if len(values) and values.max() > 0 else 1.0
    return [next(word for share, word in words if v >= share * top) for v in values]
