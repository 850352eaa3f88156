"""What the explorer element reports: one event per slider release, map click or button.

Pure functions (no Streamlit). The page sends each event once, as a trigger value
(`setTriggerValue("event", ...)` in explorer.mjs), so the server sees it in exactly one run;
everything in it is validated here and anything odd gives None.
"""

import math
from dataclasses import dataclass

from ui.link import MODELS, Z_LIMITS, clamp_z

EXPLORER_EVENTS = ("z", "click", "random", "origin", "jump")
MAX_EVENT_ID_CHARS = 64


@dataclass(frozen=True)
class ExplorerEvent:
    id: str  # echoed back to the page, which ignores answers to older events
    kind: str  # one of EXPLORER_EVENTS
    z: tuple | None = None  # kind "z": the sliders' values, within the model's bound (ui.link.Z_LIMITS)
    point: tuple | None = None  # kind "click": the clicked (x, y) on the map's plane
    model: str | None = None  # whose sliders or map the page showed (None: not said)


def _finite(value):
    """A finite float from a JSON number, or None (bools, strings, NaN, ±inf, huge ints refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # integers beyond float range
        return None
    return value if math.isfinite(value) else None


def explorer_event(event, dim):
    """The explorer's event ({"id", "kind", ...}), validated, or None.

    Anything else (missing keys, wrong types or lengths, non-finite numbers, odd ids) gives None.
    """
    if not isinstance(event, dict):
        return None
    event_id, kind, model = event.get("id"), event.get("kind"), event.get("model")
    if not isinstance(event_id, str) or not event_id or len(event_id) > MAX_EVENT_ID_CHARS:
        return None
    if kind not in EXPLORER_EVENTS or (model is not None and model not in MODELS):
        return None
    if kind == "z":
        values = event.get("z")
        if not isinstance(values, list) or len(values) != dim:
            return None
        values = [_finite(v) for v in values]
        if any(v is None for v in values):
            return None
        return ExplorerEvent(event_id, kind, z=tuple(clamp_z(values, Z_LIMITS[model or "vae"])), model=model)
    if kind == "click":
        x, y = _finite(event.get("x")), _finite(event.get("y"))
        if x is None or y is None:
            return None
        return ExplorerEvent(event_id, kind, point=(x, y), model=model)
    return ExplorerEvent(event_id, kind, model=model)
