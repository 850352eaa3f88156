"""What a shared link carries: the URL's query parameters <-> LinkState, and the limits they obey.

Pure functions (no Streamlit): everything that arrives in a URL is validated here, and
anything odd falls back to the default with a note for the page. ui.session writes the
address bar from the session and reads it on a session's first run.
"""

import base64
import binascii
import math
import zlib
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit, urlunsplit

import numpy as np

TABS = ("explore", "compare", "interpolate", "lesson", "why", "draw")
LATENT_SIZES = (2, 16)
DATASETS = ("mnist", "fashion-mnist")  # model.data.DATASETS' keys, the first the default
Z_LIMIT = 3.0  # the VAE's sliders' range: the bulk of the prior N(0, 1)
# Explore shows either model's latent space. A z in a link or an event stays within its model's
# bound: the VAE's is its sliders' range; the AE's sliders cover its own codes' range (tens of
# units, ui.components.explorer.scales), so its bound only refuses absurd values.
Z_LIMITS = {"vae": Z_LIMIT, "ae": 1000.0}
MODELS = tuple(Z_LIMITS)
LAYERS = ("verdict",)  # Explore's map layers a link can turn on
SWITCHES = {"1": True, "0": False}  # an on/off value in a link (presenter=1)
MAX_SEED = 9999  # four digits: a seed a teacher can write on the board
N_TEST = 10_000
LESSON_STEPS = 7
SAMPLE_COUNTS = (16, 36, 64, 100)
AE_SAMPLING = ("prior", "fitted")
STEP_RANGE = (5, 16)  # interpolation steps
PATHS = ("linear", "spherical")  # interpolation paths
MAX_PARAM_CHARS = 2000  # longer values are refused before any parsing
MAX_BETA = 1000.0  # the KL weight: whether a model was trained at it is for the page to say
MAX_FRAME = 10_000  # a replay position: whether the replay has that frame is for the page to say
DRAWING_SIDE = 28  # a drawing travels as the 28×28 image the models see
DRAWING_LEVELS = 16  # grey levels of a drawing in a link: 4 bits a pixel, within 1/30 of the original
BASE64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
# A class link (`show=`): the tabs and controls a teacher lets students see, as short words joined by
# SHOW_JOIN in this order. Each control belongs to a tab (None: the sidebar's). No `show`: everything.
CLASS_CONTROLS = (("size", None), ("model", "explore"), ("layer", "explore"), ("seed", "compare"), ("n", "compare"),
                  ("sampling", "compare"), ("ends", "interpolate"), ("steps", "interpolate"), ("path", "interpolate"),
                  ("nav", "lesson"), ("lsize", "lesson"))
SHOW_WORDS = TABS + tuple(word for word, _ in CLASS_CONTROLS)
SHOW_JOIN = "."  # a character a URL carries as it is


@dataclass(frozen=True)
class LinkState:
    tab: str = "explore"
    dim: int = 2
    data: str = DATASETS[0]  # the data set (a key of model.data.DATASETS)
    z: tuple | None = None  # None: the origin
    seed: int = 0
    n: int = 36
    ae_sampling: str = "prior"
    a: int = 0  # interpolation endpoints: test-digit indices
    b: int = 1
    step: int = 1  # lesson step, 1-based
    lesson_sizes: tuple = ()  # the teacher's latent size per lesson step: ((step, dim), ...) by step
    beta: float | None = None  # Why it works: the β dial (None: the page's default)
    frame: int = 0  # Why it works: the replay's position, 0-based
    steps: int = 10  # interpolation: how many steps, and the path
    path: str = "linear"
    draw: str | None = None  # the Draw tab's drawing, as pack_drawing's text; None: no drawing
    eps: int = 0  # the Draw tab's seed for ε, the noise of its eight samples
    model: str = "vae"  # Explore: whose latent space (z is that model's)
    layer: bool = False  # Explore: the verdict layer (where the decoder makes digits) is on
    show: frozenset | None = None  # a class link: the words of CLASS_CONTROLS and TABS students see; None: all
    presenter: bool = False  # presenter mode: the projector's view (sidebar collapsed, large type and pictures)
    notes: tuple = field(default=(), compare=False)


def _first(value):
    """Query values may arrive as a list (repeated key) or a string."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return value if isinstance(value, str) else str(value)


def _int_in(text, lo, hi):
    text = text.strip()
    if not text or len(text) > 12 or not text.lstrip("+-").isdigit() or not text.isascii():
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def parse_float(text):
    """A finite float from plain ASCII text, or None (NaN, inf, overflow and junk are refused)."""
    if not isinstance(text, str) or not text.isascii() or len(text) > 32:
        return None
    try:
        value = float(text.strip())
    except (ValueError, AttributeError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def parse_z(text, dim, limit=Z_LIMIT):
    """'0.5,-1.2,...' with exactly dim finite entries within ±limit, or None."""
    parts = text.split(",")
    if len(parts) != dim:
        return None
    values = [parse_float(p) for p in parts]
    if any(v is None or abs(v) > limit for v in values):
        return None
    return tuple(values)


def parse_link(params):
    """LinkState from a mapping of query parameters; unknown keys are ignored."""
    state, notes = LinkState(), []
    get = {k: _first(v) for k, v in dict(params).items() if isinstance(k, str)}

    def refuse(key, why, fallback="using the default"):
        shown = get[key][:24] + ("…" if len(get[key]) > 24 else "")
        notes.append(f"Ignored `{key}={shown}` from the link ({why}); {fallback}.")

    for key in list(get):
        if len(get[key]) > MAX_PARAM_CHARS:
            notes.append(f"Ignored `{key}` from the link (too long); using the default.")
            del get[key]

    def choose(key, allowed, field, expected):
        """A value from a fixed set of words, or a note."""
        nonlocal state
        if key in get:
            if get[key] in allowed:
                state = replace(state, **{field: get[key]})
            else:
                refuse(key, expected)

    choose("tab", TABS, "tab", f"expected one of {', '.join(TABS)}")
    if "dim" in get:
        dim = _int_in(get["dim"], 0, 10**6)
        if dim in LATENT_SIZES:
            state = replace(state, dim=dim)
        else:
            refuse("dim", "expected 2 or 16")
    choose("data", DATASETS, "data", f"expected {' or '.join(DATASETS)}")
    choose("model", MODELS, "model", "expected vae or ae")
    if "layer" in get:
        if get["layer"] in LAYERS:
            state = replace(state, layer=True)
        else:
            refuse("layer", "expected verdict")
    if "presenter" in get:
        if get["presenter"] in SWITCHES:
            state = replace(state, presenter=SWITCHES[get["presenter"]])
        else:
            refuse("presenter", "expected 1 or 0")
    if "z" in get:
        limit = Z_LIMITS[state.model]
        z = parse_z(get["z"], state.dim, limit)
        if z is None:
            refuse("z", f"expected {state.dim} comma-separated numbers between -{limit:g} and {limit:g}")
        state = replace(state, z=z)
    for key, lo, hi in (("seed", 0, MAX_SEED), ("a", 0, N_TEST - 1), ("b", 0, N_TEST - 1),
                        ("step", 1, LESSON_STEPS), ("frame", 0, MAX_FRAME), ("steps", *STEP_RANGE),
                        ("eps", 0, MAX_SEED)):
        if key in get:
            value = _int_in(get[key], lo, hi)
            if value is None:
                refuse(key, f"expected a whole number from {lo} to {hi}")
            else:
                state = replace(state, **{key: value})
    if "n" in get:
        n = _int_in(get["n"], 0, 10**6)
        if n in SAMPLE_COUNTS:
            state = replace(state, n=n)
        else:
            refuse("n", f"expected one of {', '.join(map(str, SAMPLE_COUNTS))}")
    choose("ae", AE_SAMPLING, "ae_sampling", "expected prior or fitted")
    if "lsize" in get:
        sizes = parse_lesson_sizes(get["lsize"])
        if sizes is None:
            refuse("lsize", f"expected step:size pairs such as 2:16,6:2 (steps 1 to {LESSON_STEPS}, sizes 2 or 16)")
        else:
            state = replace(state, lesson_sizes=sizes)
    if "beta" in get:
        beta = parse_float(get["beta"])
        if beta is None or not 0 <= beta <= MAX_BETA:
            refuse("beta", f"expected a number from 0 to {MAX_BETA:g}")
        else:
            state = replace(state, beta=beta)
    choose("path", PATHS, "path", f"expected {' or '.join(PATHS)}")
    if "draw" in get:
        if unpack_drawing(get["draw"]) is None:
            refuse("draw", "not a drawing this page wrote", "showing no drawing")
        else:
            state = replace(state, draw=get["draw"])
    if "show" in get:
        state = _class_link(state, get["show"], refuse, "tab" in get)
    return replace(state, notes=tuple(notes))


def _class_link(state, text, refuse, tab_given):
    """state restricted to a class link's choice; a choice this page did not write shows everything."""
    show = parse_show(text)
    if show is None:
        refuse("show", "not a class link this page wrote", "showing every tab and control")
        return state
    if state.tab not in show:  # land on the first tab the link shows
        landing = next(tab for tab in TABS if tab in show)
        if tab_given:
            refuse("tab", "this class link does not show that tab", f"opening {landing}")
        state = replace(state, tab=landing)
    return replace(state, show=show)


def parse_show(text):
    """'compare.lesson.seed.nav' -> frozenset of those words; None unless every word is known, none
    repeats, at least one tab is shown and every control's tab is shown (what the teacher panel writes)."""
    words = text.split(SHOW_JOIN)
    show, tabs = frozenset(words), dict(CLASS_CONTROLS)
    if len(show) != len(words) or not show <= set(SHOW_WORDS) or not show & set(TABS):
        return None
    if any(tabs[word] not in (None, *show) for word in show if word in tabs):
        return None
    return show


def show_text(show):
    """A class link's choice as `show=` carries it (the words in SHOW_WORDS' order)."""
    return SHOW_JOIN.join(word for word in SHOW_WORDS if word in show)


def parse_lesson_sizes(text):
    """'2:16,6:2' -> ((2, 16), (6, 2)): each lesson step at most once, sizes from LATENT_SIZES; else None."""
    pairs = {}
    for part in text.split(","):
        step, colon, dim = part.partition(":")
        step, dim = _int_in(step, 1, LESSON_STEPS), _int_in(dim, 0, 10**6)
        if not colon or step is None or dim not in LATENT_SIZES or step in pairs:
            return None
        pairs[step] = dim
    return tuple(sorted(pairs.items()))


def link_params(state):
    """The query parameters that reproduce state (defaults left out to keep links short)."""
    default = LinkState()
    params = {"tab": state.tab, "dim": str(state.dim)}
    if state.data != default.data:
        params["data"] = state.data
    if state.z is not None and any(abs(v) > 1e-9 for v in state.z):
        params["z"] = ",".join(f"{v:.3f}".rstrip("0").rstrip(".") if v else "0" for v in state.z)
    for key in ("seed", "n", "a", "b", "step", "frame", "steps", "eps"):
        if getattr(state, key) != getattr(default, key):
            params[key] = str(getattr(state, key))
    if state.ae_sampling != default.ae_sampling:
        params["ae"] = state.ae_sampling
    if state.lesson_sizes:
        params["lsize"] = ",".join(f"{step}:{dim}" for step, dim in state.lesson_sizes)
    if state.beta is not None:
        params["beta"] = f"{state.beta:g}"
    if state.path != default.path:
        params["path"] = state.path
    if state.draw is not None:
        params["draw"] = state.draw
    if state.model != default.model:
        params["model"] = state.model
    if state.layer:
        params["layer"] = LAYERS[0]
    if state.presenter:
        params["presenter"] = "1"
    if state.show is not None:  # first: a link cut short loses other values before the class choice
        params = {"show": show_text(state.show), **params}
    return params


def link_url(base, state):
    """The full link to state: base (the app's address, without a query; None: a relative link) + its query."""
    parts = urlsplit(base or "")
    path = parts.path or ("/" if parts.netloc else "")  # http://host:8501 -> http://host:8501/, as browsers show it
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(link_params(state)), ""))


def clamp_z(values, limit=Z_LIMIT):
    """Floats within ±limit (NaN and non-numbers -> 0, ±inf -> ±limit): what a slider can show."""
    out = []
    for v in values:
        try:
            v = float(v) if not isinstance(v, (str, bytes, bool)) else 0.0
        except (TypeError, ValueError, OverflowError):
            v = 0.0
        out.append(0.0 if math.isnan(v) else max(-limit, min(limit, v)))
    return out


# A drawing in a link: the 28×28 image at 4 bits a pixel (two pixels a byte), deflated and
# written in base64url: 170 characters (median) and at most 256 for MNIST's 10,000 test digits.

def pack_drawing(image):
    """A 28×28 image (floats in [0, 1]: array, tensor or [1, 1, 28, 28]) -> the text a link carries."""
    levels = quantize_drawing(image).ravel()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: no header or checksum to carry
    packed = packer.compress(bytes(levels[0::2] << 4 | levels[1::2])) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def unpack_drawing(text):
    """pack_drawing's text -> float32 [28, 28] in [0, 1], or None for anything else (never raises).

    A blank image is refused too: no link this page writes holds one."""
    size = DRAWING_SIDE * DRAWING_SIDE // 2
    if not isinstance(text, str) or not text or len(text) > MAX_PARAM_CHARS or not text.isascii():
        return None
    if not set(text) <= BASE64URL:
        return None
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        unpacker = zlib.decompressobj(-15)
        data = unpacker.decompress(packed, size + 1)  # at most one byte too many: a bomb stops here
    except (binascii.Error, ValueError, zlib.error):
        return None
    if len(data) != size or not unpacker.eof or unpacker.unused_data:
        return None
    pairs = np.frombuffer(data, dtype=np.uint8)
    levels = np.stack([pairs >> 4, pairs & 15], axis=1).reshape(DRAWING_SIDE, DRAWING_SIDE)
    if not levels.any():
        return None
    return levels.astype(np.float32) / (DRAWING_LEVELS - 1)


def quantize_drawing(image):
    """A 28×28 image in [0, 1] -> uint8 [28, 28] grey levels 0-15 (NaN -> 0)."""
    array = np.asarray(image.detach().cpu() if hasattr(image, "detach") else image, dtype=np.float32)
    array = np.nan_to_num(array.reshape(DRAWING_SIDE, DRAWING_SIDE), nan=0.0).clip(0, 1)
    return np.round(array * (DRAWING_LEVELS - 1)).astype(np.uint8)
