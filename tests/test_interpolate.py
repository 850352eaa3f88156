"""The Interpolate tab (AppTest): two rows, endpoints, state that survives tab switches and links,
the address bar naming the open tab, the average over random pairs; and its pure helpers."""

import re

import pytest

from tests.test_app import images, markdown_text, new_app, ok, png_size, send, switch_tab
from ui import session
from ui.link import LinkState, link_params, link_url, parse_link
from ui.tabs.interpolate import average_sentence, between_clear, pair_sentence

TABS = ("explore", "compare", "interpolate", "lesson")


def widget(at, name):
    kind = {session.FROM_DIGIT: "number_input", session.TO_DIGIT: "number_input", session.STEPS: "slider",
            session.PATH: "radio"}[name]
    return getattr(at, kind)(key=session.widget_key(name))


def shown_state(at):
    """What the Interpolate tab shows: its four controls and the two rows."""
    controls = tuple(widget(at, name).value for name in (session.FROM_DIGIT, session.TO_DIGIT, session.STEPS, session.PATH))
    return controls, images(at, "ae interpolation"), images(at, "vae interpolation")


def set_interpolation(at, a=3, b=4, steps=12, path="spherical"):
    for name, value in ((session.FROM_DIGIT, a), (session.TO_DIGIT, b), (session.STEPS, steps), (session.PATH, path)):
        widget(at, name).set_value(value)
        ok(at.run())
    return at


@pytest.mark.parametrize("dim", [2, 16])
@pytest.mark.parametrize("steps", [10, 12])
def test_interpolation_shows_two_rows_of_the_requested_length(dim, steps):
    at = switch_tab(new_app(dim=str(dim)), "interpolate")
    widget(at, session.STEPS).set_value(steps)
    ok(at.run())
    for kind in ("ae", "vae"):
        rows = images(at, f"{kind} interpolation")
        assert len(rows) == 1
        assert png_size(rows[0]) == (3 * (steps * 29 - 1), 3 * 28)  # steps cells of 28 px + 1 px gaps, ×3
    found = re.findall(r"(\d+) of the (\d+) steps between the two digits look like a clear digit", markdown_text(at))
    assert len(found) == 2 and all(int(k) <= int(n) == steps - 2 for k, n in found)


def test_interpolation_endpoints_and_spherical_path():
    at = switch_tab(new_app(), "interpolate")
    widget(at, session.FROM_DIGIT).set_value(3)
    widget(at, session.TO_DIGIT).set_value(4)
    ok(at.run())
    linear = images(at, "vae interpolation")
    widget(at, session.PATH).set_value("spherical")
    ok(at.run())
    assert images(at, "vae interpolation") != linear
    assert "(#3)" in markdown_text(at) and "(#4)" in markdown_text(at)


def test_endpoints_from_two_map_clicks():
    at = ok(new_app())
    for x, y in ((-1.0, 0.5), (1.0, -0.5)):
        send(at, "click", x=x, y=y)
    at = switch_tab(at, "interpolate")
    click_button = [b for b in at.button if "map clicks" in b.label][0]
    assert not click_button.disabled
    click_button.click()
    ok(at.run())
    assert (widget(at, session.FROM_DIGIT).value, widget(at, session.TO_DIGIT).value) == \
        (at.session_state[session.FROM_DIGIT], at.session_state[session.TO_DIGIT]) != (0, 1)


def test_random_endpoints_show_in_the_inputs():
    at = switch_tab(new_app(), "interpolate")
    [b for b in at.button if "Random" in b.label][0].click()
    ok(at.run())
    a, b = at.session_state[session.FROM_DIGIT], at.session_state[session.TO_DIGIT]
    assert (widget(at, session.FROM_DIGIT).value, widget(at, session.TO_DIGIT).value) == (a, b) != (0, 1)
    assert f"(#{a})" in markdown_text(at) and at.query_params["a"] == str(a)


def test_the_interpolation_survives_switching_tabs():
    at = set_interpolation(switch_tab(new_app(), "interpolate"))
    before = shown_state(at)
    assert before[0] == (3, 4, 12, "spherical")
    for tab in ("explore", "compare", "lesson", "interpolate"):
        at = switch_tab(at, tab)
        assert (at.query_params["a"], at.query_params["b"], at.query_params["steps"], at.query_params["path"]) == \
            ("3", "4", "12", "spherical")
    assert shown_state(at) == before


def test_the_interpolation_travels_in_the_link():
    at = set_interpolation(switch_tab(new_app(), "interpolate"), a=25, b=9999, steps=7, path="spherical")
    link = {key: at.query_params[key] for key in ("tab", "dim", "a", "b", "steps", "path")}
    assert link == {"tab": "interpolate", "dim": "2", "a": "25", "b": "9999", "steps": "7", "path": "spherical"}
    opened = ok(new_app(**link))
    assert shown_state(opened) == shown_state(at) and not opened.sidebar.warning


@pytest.mark.parametrize("start", TABS)
def test_the_tab_in_the_link_always_matches_the_open_tab(start):
    at = ok(new_app(tab=start, a="3", b="4"))
    assert at.query_params["tab"] == start
    for tab in ("interpolate", "explore", "compare", "interpolate", "lesson", "explore", "lesson", "compare", start):
        at = switch_tab(at, tab)
        assert at.query_params["tab"] == tab
        assert (at.query_params["a"], at.query_params["b"]) == ("3", "4")


@pytest.mark.parametrize("params,key", [({"steps": "4"}, "steps"), ({"steps": "17"}, "steps"),
                                        ({"steps": "ten"}, "steps"), ({"path": "curvy"}, "path")])
def test_a_bad_step_count_or_path_in_a_link_falls_back_with_a_note(params, key):
    at = ok(new_app(tab="interpolate", **params))
    assert (widget(at, session.STEPS).value, widget(at, session.PATH).value) == (10, "linear")
    assert any(f"`{key}=" in w.value for w in at.sidebar.warning)


@pytest.mark.parametrize("dim", [2, 16])
def test_the_default_pair_and_the_average_say_the_same_thing(dim):
    """The default pair is one where both walks stay about as clear, as they do over 200 random pairs."""
    at = switch_tab(new_app(dim=str(dim)), "interpolate")
    text = markdown_text(at)
    assert "On this pair both walks stay about as clear" in text
    assert re.search(r"look clear \d+% of the time for the AE and \d+% for the VAE: \*\*about equal\*\*", text)


# --- pure helpers ----------------------------------------------------------------------------

def test_only_the_steps_between_the_ends_count():
    assert between_clear(["clear", "unsure", "clear", "none", "clear"]) == 1
    assert between_clear(["clear", "clear"]) == 0


def test_the_pair_sentence_follows_the_counts():
    assert pair_sentence(6, 7, 8).startswith("On this pair both walks stay about as clear: AE **6**, VAE **7** of 8")
    assert "the VAE's walk stays clear on more steps: **7** vs **3** of 8, but one pair proves little" in \
        pair_sentence(3, 7, 8)
    assert "the AE's walk stays clear on more steps: **8** vs **2** of 8" in pair_sentence(8, 2, 8)


def test_the_average_sentence_says_about_equal_only_when_it_is():
    assert "76% of the time for the AE and 73% for the VAE: **about equal**" in average_sentence(0.764, 0.727)
    assert "the VAE's walks stay clear more often" in average_sentence(0.60, 0.80)
    assert "about equal" not in average_sentence(0.60, 0.80)


def test_steps_and_path_round_trip_through_the_link():
    state = LinkState(tab="interpolate", a=3, b=4, steps=16, path="spherical")
    assert parse_link(link_params(state)) == state
    assert "steps" not in link_params(LinkState()) and "path" not in link_params(LinkState())
    assert link_url("http://10.0.0.5:8501/", state) == \
        "http://10.0.0.5:8501/?tab=interpolate&dim=2&a=3&b=4&steps=16&path=spherical"
    assert link_url("http://10.0.0.5:8501", LinkState()) == "http://10.0.0.5:8501/?tab=explore&dim=2"
    assert link_url(None, LinkState()) == "?tab=explore&dim=2"
