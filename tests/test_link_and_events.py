"""What comes from outside: the URL-state parser (ui.link) and the explorer's events -> z path
(ui.components.explorer.events). Examples plus property-based garbage."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.latent import fit_projection
from ui.components.explorer.events import ExplorerEvent, explorer_event
from ui.link import (LESSON_STEPS, MAX_SEED, MODELS, N_TEST, TABS, Z_LIMIT, Z_LIMITS, LinkState, clamp_z, link_params,
                     parse_link, parse_z, unpack_drawing)


def test_empty_link_is_the_default():
    assert parse_link({}) == LinkState() and parse_link({}).notes == ()


def test_round_trip_of_a_full_state():
    state = LinkState(tab="lesson", dim=16, z=tuple(np.linspace(-2.5, 2.5, 16).round(3)), seed=99, n=64,
                      ae_sampling="fitted", a=5, b=9999, step=3)
    restored = parse_link(link_params(state))
    assert restored == state and restored.notes == ()
    ae = LinkState(dim=2, z=(42.5, -55.1), model="ae", layer=True)
    assert link_params(ae)["model"] == "ae" and link_params(ae)["layer"] == "verdict"
    assert parse_link(link_params(ae)) == ae
    projector = LinkState(tab="lesson", step=4, presenter=True)
    assert link_params(projector)["presenter"] == "1" and parse_link(link_params(projector)) == projector
    assert "presenter" not in link_params(LinkState()) and not parse_link({"presenter": "0"}).presenter


def test_z_is_bounded_by_the_model_it_belongs_to():
    assert parse_link({"model": "ae", "z": "42.5,-55"}).z == (42.5, -55.0)  # the AE's codes span tens of units
    assert parse_link({"z": "42.5,-55"}).z is None  # the VAE's sliders reach ±3
    assert parse_link({"model": "ae", "z": "1e6,0"}).z is None


def test_z_must_match_the_size():
    assert parse_z("0.1,0.2", 2) == (0.1, 0.2)
    assert parse_z("0.1,0.2", 16) is None
    assert parse_link({"dim": "16", "z": "1,2"}).z is None


@pytest.mark.parametrize("bad", ["nan,0", "inf,0", "1e308,0", "-3.5,0", "0x1,0", "1,,", "", "١,٢"])
def test_bad_z_falls_back_with_a_note(bad):
    state = parse_link({"z": bad})
    assert state.z is None and len(state.notes) == 1 and "`z=" in state.notes[0]


def test_repeated_keys_take_the_first_value():
    assert parse_link({"seed": ["5", "6"]}).seed == 5


def test_origin_is_left_out_of_links():
    assert "z" not in link_params(LinkState(z=(0.0, 0.0)))


def test_clamp_z():
    assert clamp_z([float("nan"), float("inf"), -1e308, 1.5, "x"]) == [0.0, Z_LIMIT, -Z_LIMIT, 1.5, 0.0]


def test_explorer_events():
    assert explorer_event({"id": "1", "kind": "z", "z": [1, -9.5]}, 2) == ExplorerEvent("1", "z", z=(1.0, -3.0))
    assert explorer_event({"id": "2", "kind": "click", "x": 0.5, "y": -1}, 16) == ExplorerEvent("2", "click", point=(0.5, -1.0))
    assert explorer_event({"id": "3", "kind": "jump"}, 2) == ExplorerEvent("3", "jump")
    assert explorer_event({"id": "5", "kind": "z", "z": [42, -1e9], "model": "ae"}, 2) == \
        ExplorerEvent("5", "z", z=(42.0, -Z_LIMITS["ae"]), model="ae")  # the AE's sliders reach far beyond ±3
    for junk in (None, {}, {"kind": "z", "z": [0, 0]},  # no id
                 {"id": "x" * 65, "kind": "origin"}, {"id": 5, "kind": "origin"},
                 {"id": "4", "kind": "z", "z": [0.0]}, {"id": "4", "kind": "z", "z": "0,0"},
                 {"id": "4", "kind": "z", "z": [0.0, float("inf")]},
                 {"id": "4", "kind": "click", "x": "1", "y": 2}, {"id": "4", "kind": "click", "x": True, "y": 2},
                 {"id": "4", "kind": "click", "x": 10**400, "y": 2}, {"id": "4", "kind": "rm -rf"},
                 {"id": "4", "kind": "origin", "model": "gan"}, {"id": "4", "kind": "origin", "model": ["ae"]},
                 [1, 2], "event"):
        assert explorer_event(junk, 2) is None


# --- property-based: nothing from a URL or the browser may raise -----------------------------

junk_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "1e-400", "", " ", "0" * 50, "٣", "²", "𝟙", "\x00",
                     "-0", "+1", "9" * 30, "1,2", "NaN,NaN", ",".join(["1e308"] * 16)]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20).map(lambda v: ",".join(map(str, v))),
)
KEYS = ["tab", "dim", "z", "seed", "n", "ae", "a", "b", "step", "steps", "path", "draw", "eps", "model", "layer", "other",
        "ζ"]


def assert_valid(state):
    assert state.tab in TABS and state.dim in (2, 16)
    assert state.model in MODELS and state.layer in (True, False)
    assert state.z is None or (len(state.z) == state.dim and all(math.isfinite(v) and abs(v) <= Z_LIMITS[state.model]
                                                                  for v in state.z))
    assert 0 <= state.seed <= MAX_SEED and 0 <= state.a < N_TEST and 0 <= state.b < N_TEST
    assert 1 <= state.step <= LESSON_STEPS and state.n in (16, 36, 64, 100) and state.ae_sampling in ("prior", "fitted")
    assert 5 <= state.steps <= 16 and state.path in ("linear", "spherical")
    assert (state.draw is None or unpack_drawing(state.draw) is not None) and 0 <= state.eps <= MAX_SEED


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.one_of(junk_text, st.sampled_from(["ae", "vae", "verdict"]),
                                                       st.lists(junk_text, max_size=3)), max_size=len(KEYS)))
def test_any_query_parses_to_a_valid_state(params):
    state = parse_link(params)
    assert_valid(state)
    assert len(state.notes) <= len([k for k in params if k not in ("other", "ζ")])
    assert_valid(parse_link(link_params(state)))  # and the link it writes parses cleanly
    assert parse_link(link_params(state)).notes == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=10000))
def test_huge_or_odd_values_never_raise(text):
    assert_valid(parse_link({"z": text, "seed": text, "tab": text, "dim": text}))


PROJECTION16 = fit_projection(np.random.default_rng(0).standard_normal((300, 16)))

number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**400), max_value=10**400))
junk_value = st.one_of(number, st.text(max_size=5), st.none(), st.booleans(), st.lists(number, max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.fixed_dictionaries({
        "id": st.one_of(st.text(max_size=80), st.integers(), st.none()),
        "kind": st.one_of(st.sampled_from(["z", "click", "random", "origin", "jump"]), st.text(max_size=8)),
        "model": st.one_of(st.sampled_from(["ae", "vae"]), junk_value),
        "x": junk_value, "y": junk_value,
        "z": st.one_of(st.lists(junk_value, min_size=0, max_size=20), junk_value)}),
    st.none(), st.text(), st.lists(st.integers()), st.dictionaries(st.text(), st.text()),
))
def test_explorer_event_to_z_never_raises_and_stays_in_range(value):
    for dim, projection in ((16, PROJECTION16), (2, fit_projection(np.zeros((3, 2))))):
        event = explorer_event(value, dim)
        if event is None:
            continue
        assert event.model in (None, *MODELS)
        if event.kind == "z":
            limit = Z_LIMITS[event.model or "vae"]
            assert len(event.z) == dim and all(math.isfinite(v) and abs(v) <= limit for v in event.z)
        if event.kind == "click":
            with np.errstate(all="ignore"):
                z = clamp_z(projection.inverse(np.array(event.point)))
            assert all(math.isfinite(v) and abs(v) <= Z_LIMIT for v in z)
