"""The one owner of st.session_state: every per-session value the page keeps, by name.

Other modules read and write the session only through the accessors here; widgets bind to
the key constants (key=session.SEED, ...). Only plain values live in the session. On a
session's first run every control is seeded from the URL (parsed by the pure ui.link), and
each run writes the state back into the address bar, so copying the URL shares it.
"""

from dataclasses import replace

import numpy as np
import streamlit as st
import torch

from ui.components.drawpad import STATE as DRAWPAD_STATE
from ui.components.explorer.scales import vae_scale
from ui.link import (DATASETS, TABS, Z_LIMITS, LinkState, clamp_z, link_params, link_url, pack_drawing, parse_link,
                     unpack_drawing)

# Widget keys: these widgets own their values (read them through the accessors below).
DIM = "dim"  # sidebar: latent size
DATASET = "dataset"  # sidebar: the data set (a key of model.data.DATASETS)
PRESENTER = "presenter"  # sidebar: presenter mode (in the link: presenter=1)
TAB = "tab"  # st.tabs: the open tab's label
# Kept values: a tab's widget edits them, but they must outlive the tab (bind() below).
SEED = "seed"  # AE vs VAE: the draw's seed
SAMPLE_COUNT = "n"  # AE vs VAE: how many samples
AE_SAMPLING = "ae_sampling"  # AE vs VAE: prior or fitted
FROM_DIGIT = "a"  # Interpolate: the endpoints' test-digit indices
TO_DIGIT = "b"
STEPS = "steps"  # Interpolate: how many steps
PATH = "path"  # Interpolate: linear or spherical
LESSON_STEP = "step"  # Lesson: the step shown, 1-based
LESSON_SIZES = "lesson_sizes"  # Lesson: the teacher's latent size per step, {step: dim} (in the link)
LESSON_GUESSES = "lesson_guesses"  # Lesson: the predict-first answers, {question: answer}
LESSON_DIAL = "lesson_dial"  # Lesson: the KL step's β dial
LESSON_SEEN = "lesson_seen"  # Lesson: the numbers each step showed, {step name: record}, for the recap
BETA = "beta"  # Why it works: the tab's β dial, a kept value (a dial elsewhere passes its own key)
REPLAY_FRAME = "frame"  # Why it works: the replay's position, 0-based, as the page last reported it
REPLAY = "replay"  # Why it works: the replay element's key
REPLAY_ASSETS_SENT = "replay_assets_sent"
EXPLORE_MODEL = "explore_model"  # Explore: whose latent space, "vae" or "ae"
VERDICT_LAYER = "verdict_layer"  # Explore: the map shaded by where the decoder makes digits
LINK_NOTES = "link_notes"  # what the link had that was ignored (set once per session)
DRAWPAD = "drawpad"  # Draw: the pad element (its state value: the latest stroke, clear or pick)
UPLOAD = "upload"  # Draw: the photo uploader
DRAWVIEW = "drawview"  # Draw: the results element
DRAWING = "drawing"  # Draw: the drawing as a link carries it (ui.link.pack_drawing), or None
DRAWING_SOURCE = "drawing_source"  # Draw: "pad", "photo", "example" or "link"
DRAW_HINT = "draw_hint"  # Draw: why the pad's drawing could not be read, or None
UPLOAD_NOTE = "upload_note"  # Draw: why the last upload could not be read, or None
EPS = "eps"  # Draw: the seed of ε, the noise of the eight samples
CLASS_SHOW = "class_show"  # a class link's choice: the tabs and controls shown (ui.link.SHOW_WORDS), or None: all
TEACHER_OPEN = "teacher_open"  # the teacher panel: shown (its controls drawn only then)
TEACHER_TAB = "teacher_tab"  # the teacher panel: where students land
TEACHER_STEP = "teacher_step"  # the teacher panel: the lesson step they land on

TAB_LABELS = {"explore": ":material/explore: Explore", "compare": ":material/compare: AE vs VAE",
              "interpolate": ":material/linear_scale: Interpolate", "lesson": ":material/school: Lesson",
              "why": ":material/lightbulb: Why it works",
              "draw": ":material/draw: Draw"}
TAB_IDS = {label: tab for tab, label in TAB_LABELS.items()}


# Per data set and latent size: each keeps its own z, map clicks and explorer element (a z or a
# test index of one data set means nothing in the other's space). key(dim) -> str.
def _of_dataset():
    dataset = st.session_state.get(DATASET, DATASETS[0])
    return "" if dataset == DATASETS[0] else f"_{dataset}"


def _per_size(prefix):
    return lambda dim: f"{prefix}{dim}{_of_dataset()}"


def z_key(dim, model="vae"):
    """Each data set, size and model keeps its own z."""
    return (f"z{dim}" if model == "vae" else f"z_{model}{dim}") + _of_dataset()


explorer_key = _per_size("explorer")  # the element's key: the page's event (a trigger value) lives under it
map_clicks_key = _per_size("clicks")
jumped_digit_key = _per_size("jump")
answered_event_key = _per_size("answered_event")


# --- the sidebar and the tabs ---------------------------------------------------------------

def latent_dim():
    return st.session_state[DIM]


def dataset():
    """The data set the page shows: a key of model.data.DATASETS ("mnist", "fashion-mnist")."""
    return st.session_state[DATASET]


def presenter():
    return st.session_state[PRESENTER]


def link_notes():
    return st.session_state[LINK_NOTES]


def add_link_note(note):
    """A link value the page itself found odd (a β no model was trained at...): shown in the sidebar."""
    if note not in st.session_state[LINK_NOTES]:
        st.session_state[LINK_NOTES] = [*st.session_state[LINK_NOTES], note]


def tab():
    """The open tab's id ("explore", ...)."""
    return TAB_IDS.get(st.session_state.get(TAB), "explore")


def set_tab(tab_id):
    """Open another tab (from a callback: the page must then run again, whole)."""
    st.session_state[TAB] = TAB_LABELS[tab_id]


# --- Explore --------------------------------------------------------------------------------

def explore_model():
    """Whose latent space Explore shows: "vae" or "ae"."""
    return st.session_state.get(EXPLORE_MODEL) or "vae"


def set_explore_model(model):
    """Show the latent space of "vae" or "ae" on Explore (from a callback: before its widget is drawn)."""
    st.session_state[EXPLORE_MODEL] = model


def verdict_layer():
    """Is Explore's map shaded by where the decoder makes digits?"""
    return bool(st.session_state.get(VERDICT_LAYER))


def z(dim, model="vae"):
    """z of this latent size and model (the origin until it is first moved)."""
    return np.array(st.session_state.get(z_key(dim, model), (0.0,) * dim), dtype=np.float64)


def set_z(dim, values, model="vae"):
    """Move z of this size and model. The VAE's is clamped to its sliders' range and rounded to
    their step; the AE's sliders depend on its codes (the explore tab snaps to them), so here it
    is only kept within its model's bound."""
    values = clamp_z(values, Z_LIMITS[model])
    st.session_state[z_key(dim, model)] = vae_scale(dim).snap(values) if model == "vae" else tuple(values)


def map_clicks(dim):
    """The last two points clicked on the explore map, on its plane (for the Interpolate tab)."""
    return st.session_state.get(map_clicks_key(dim), [])


def add_map_click(dim, point):
    st.session_state[map_clicks_key(dim)] = (map_clicks(dim) + [list(point)])[-2:]


def jumped_digit(dim):
    """The test digit jumped to (its reconstructions are shown), or None."""
    return st.session_state.get(jumped_digit_key(dim))


def set_jumped_digit(dim, index):
    st.session_state[jumped_digit_key(dim)] = index


def explorer_event(dim):
    """The event the page sent for this run (a trigger value: None on every other run)."""
    state = st.session_state.get(explorer_key(dim))
    return state.get("event") if isinstance(state, dict) else None


def answered_event(dim):
    """The id of the last event applied: echoed to the page, which ignores answers to older ones."""
    return st.session_state.get(answered_event_key(dim))


def set_answered_event(dim, event_id):
    st.session_state[answered_event_key(dim)] = event_id


# --- kept values ----------------------------------------------------------------------------
# Streamlit drops a widget's value at the end of a run that does not draw it (another tab was
# open): AE vs VAE -> Lesson -> Next lost the seed (KeyError, found by bench/hall.py), and
# Interpolate came back at #0 -> #0. So a tab's values live under keys of their own; the widget,
# under widget_key(name), mirrors its value and writes changes back.

def widget_key(name):
    """The key of the widget that edits kept value `name`."""
    return f"{name}_widget"


def bind(name):
    """Keyword arguments for the widget that edits kept value `name`: it shows the value and writes it back."""
    st.session_state[widget_key(name)] = st.session_state[name]
    return {"key": widget_key(name), "on_change": _keep, "args": (name,)}


def _keep(name):
    st.session_state[name] = st.session_state[widget_key(name)]


# --- AE vs VAE, Interpolate, Lesson ---------------------------------------------------------

def seed():
    return st.session_state[SEED]


def set_seed(value):
    st.session_state[SEED] = value


def sample_count():
    return st.session_state[SAMPLE_COUNT]


def ae_sampling():
    return st.session_state[AE_SAMPLING]


def endpoints():
    """The interpolation's two test-digit indices."""
    return st.session_state[FROM_DIGIT], st.session_state[TO_DIGIT]


def set_endpoints(a, b):
    st.session_state[FROM_DIGIT], st.session_state[TO_DIGIT] = a, b


def steps():
    return st.session_state[STEPS]


def path():
    return st.session_state[PATH]


def lesson_step():
    return st.session_state[LESSON_STEP]


def set_lesson_step(step):
    st.session_state[LESSON_STEP] = step


def lesson_size_key(step):
    """The widget key of lesson step's latent-size control."""
    return f"lesson_size{step}"


def lesson_guess_key(question):
    """The widget key of a predict-first question's input."""
    return f"lesson_guess_{question}"


def lesson_size(step, pick):
    """The latent size lesson step uses: the teacher's choice, else the step's own pick."""
    return st.session_state.get(LESSON_SIZES, {}).get(step, pick)


def set_lesson_size(step, dim):
    """dim None: the step goes back to its own pick."""
    sizes = dict(st.session_state.get(LESSON_SIZES, {}))
    if dim is None:
        sizes.pop(step, None)
    else:
        sizes[step] = dim
    st.session_state[LESSON_SIZES] = sizes


def widget_value(key):
    """What a widget holds now (None before it is first drawn): for on_change callbacks."""
    return st.session_state.get(key)


def lesson_guess(question):
    """A predict-first answer, or None while the question is open."""
    return st.session_state.get(LESSON_GUESSES, {}).get(question)


def set_lesson_guess(question, answer):
    st.session_state[LESSON_GUESSES] = {**st.session_state.get(LESSON_GUESSES, {}), question: answer}


def lesson_seen(name):
    """What step `name` last showed (its key numbers), or None if it has not been shown."""
    return st.session_state.get(LESSON_SEEN, {}).get(name)


def set_lesson_seen(name, record):
    st.session_state[LESSON_SEEN] = {**st.session_state.get(LESSON_SEEN, {}), name: record}


# --- Why it works --------------------------------------------------------------------------

def dial_beta(key):
    """The β a dial (key: its kept value) shows, or None before it has one."""
    return st.session_state.get(key)


def set_dial_beta(key, beta):
    """Move a β dial (key: its kept value) to a trained value before it is drawn."""
    st.session_state[key] = beta


def replay_frame():
    return st.session_state[REPLAY_FRAME]


def set_replay_frame(frame):
    st.session_state[REPLAY_FRAME] = frame


def replay_reported_frame():
    """The position the replay element last reported (None before it has)."""
    state = st.session_state.get(REPLAY)
    return state.get("frame") if isinstance(state, dict) else None


def replay_assets_sent():
    """Which replay's frames this session's page holds (a signature), or None."""
    return st.session_state.get(REPLAY_ASSETS_SENT)


def set_replay_assets_sent(signature):
    st.session_state[REPLAY_ASSETS_SENT] = signature


# --- Draw -----------------------------------------------------------------------------------

def drawing():
    """The student's drawing as the models see it: float tensor [1, 1, 28, 28] in [0, 1], or None.

    Kept as a shared link carries it (4-bit grey levels), so a link shows exactly this drawing."""
    pixels = unpack_drawing(drawing_code())
    return None if pixels is None else torch.from_numpy(pixels).reshape(1, 1, 28, 28)


def drawing_code():
    """The drawing as a link carries it (ui.link.pack_drawing's text), or None."""
    return st.session_state.get(DRAWING)


def drawing_source():
    return st.session_state.get(DRAWING_SOURCE)


def set_drawing(image, source):
    """Keep a prepared drawing (28×28 in [0, 1]) and where it came from; the pad's hint goes."""
    st.session_state[DRAWING] = pack_drawing(image)
    st.session_state[DRAWING_SOURCE] = source
    st.session_state[DRAW_HINT] = None


def clear_drawing(hint=None):
    """No drawing; hint: why the pad's drawing could not be read (None: the pad was cleared)."""
    st.session_state[DRAWING] = st.session_state[DRAWING_SOURCE] = None
    st.session_state[DRAW_HINT] = hint


def draw_hint():
    return st.session_state.get(DRAW_HINT)


def upload_note():
    return st.session_state.get(UPLOAD_NOTE)


def set_upload_note(message):
    st.session_state[UPLOAD_NOTE] = message


def uploaded_file():
    """The file in the uploader (a Streamlit UploadedFile), or None."""
    return st.session_state.get(UPLOAD)


def drawpad_value():
    """The pad's latest value (what the page sent: a drawing, a clear or a pick), unvalidated."""
    state = st.session_state.get(DRAWPAD)
    return state.get(DRAWPAD_STATE) if isinstance(state, dict) else None


def eps_seed():
    return st.session_state.get(EPS, 0)


def set_eps_seed(value):
    st.session_state[EPS] = value


# --- a class link: what the teacher lets students see ----------------------------------------

def class_show():
    """The class link's choice (a frozenset of ui.link.SHOW_WORDS), or None: this page shows everything."""
    return st.session_state.get(CLASS_SHOW)


def shows(word):
    """Does this page show the tab or control `word` (ui.link.SHOW_WORDS)?"""
    show = class_show()
    return show is None or word in show


def shown_tabs():
    return [tab_id for tab_id in TABS if shows(tab_id)]


def teacher_key(word):
    """The teacher panel's checkbox (a tab) or pills (a tab's controls) for `word`."""
    return f"teacher_{word}"


def class_link_url(show, landing, step):
    """The link a teacher hands out: this page's state, restricted to `show`, opening `landing` (and lesson `step`);
    without presenter mode, which is for the projector, not the students' screens."""
    return link_url(st.context.url, replace(current_link(), show=frozenset(show), tab=landing, step=step,
                                             presenter=False))


# --- the shareable link ---------------------------------------------------------------------

def init_from_link():
    """On a session's first run, seed every control from the URL (defaults where it is odd)."""
    if LINK_NOTES in st.session_state:
        return
    link = parse_link(st.query_params.to_dict())
    st.session_state.update({
        DIM: link.dim, DATASET: link.data, TAB: TAB_LABELS[link.tab], SEED: link.seed, SAMPLE_COUNT: link.n,
        AE_SAMPLING: link.ae_sampling, FROM_DIGIT: link.a, TO_DIGIT: link.b, LESSON_STEP: link.step,
        STEPS: link.steps, PATH: link.path, PRESENTER: link.presenter, LINK_NOTES: list(link.notes),
        BETA: link.beta, REPLAY_FRAME: link.frame,
        DRAWING: link.draw, DRAWING_SOURCE: "link" if link.draw else None, EPS: link.eps,
        EXPLORE_MODEL: link.model, VERDICT_LAYER: link.layer,
    })
    if link.z is not None:
        set_z(link.dim, link.z, link.model)
    st.session_state[LESSON_SIZES] = dict(link.lesson_sizes)
    st.session_state[CLASS_SHOW] = link.show


def current_link():
    dim = latent_dim()
    a, b = endpoints()
    model = explore_model()
    link = LinkState(tab=tab(), dim=dim, data=dataset(), z=tuple(z(dim, model)), seed=seed(), n=sample_count(), ae_sampling=ae_sampling(),
                     a=a, b=b, step=lesson_step(), steps=steps(), path=path(),
                     lesson_sizes=tuple(sorted(st.session_state.get(LESSON_SIZES, {}).items())),
                     beta=dial_beta(BETA), frame=replay_frame(), draw=drawing_code(), eps=eps_seed(),
                     model=model, layer=verdict_layer(), presenter=presenter())
    return replace(link, show=class_show())  # a student's own link keeps the class link's choice


def share_url():
    """The link to what this session shows, for a student to copy (relative where the page's address is unknown).

    Without presenter mode: the projector's large type is the teacher's, not the students' laptops'."""
    return link_url(st.context.url, replace(current_link(), presenter=False))


def sync_link():
    """Write the current state into the address bar, so copying the URL shares it."""
    params = link_params(current_link())
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
