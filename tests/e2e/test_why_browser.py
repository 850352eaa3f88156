"""End-to-end: the training replay plays in the page (what only a real browser shows), on tiny
models so the test does not depend on the shipped replay."""

import time

import pytest

from bench.browser import exceptions, open_app, streamlit_server, wait_idle
from tests.e2e.conftest import ARTIFACTS

REPLAY = ".lab-replay[data-frame]"


@pytest.fixture(scope="module")
def why_server(why_checkpoints):
    env = {"LATENT_LAB_CHECKPOINTS": str(why_checkpoints)}
    with streamlit_server(ARTIFACTS / "e2e-why-server.log", env=env) as (url, _):
        yield url


def open_replay(page, server, query=""):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_app(page, server, f"?tab=why{query}")
    page.wait_for_selector(REPLAY)
    return errors


def frame(page):
    return int(page.get_attribute(".lab-replay", "data-frame"))


def frames_seen(page, seconds):
    seen, until = [], time.time() + seconds
    while time.time() < until:
        seen.append(frame(page))
        time.sleep(0.05)
    return seen


def ink(page, selector):
    """How many pixels of a canvas are painted (not transparent)."""
    return page.eval_on_selector(selector, """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }""")


def test_play_animates_and_pause_stops(page, why_server):
    errors = open_replay(page, why_server)
    assert frame(page) == 0 and page.get_attribute(".lab-replay", "data-playing") == "0"
    page.select_option(".rp-speed", "5")
    page.click(".rp-play")
    seen = frames_seen(page, 1.0)
    assert len(set(seen)) >= 3 and seen == sorted(seen), seen  # several frames, in order, within a second
    page.click(".rp-play")  # Pause
    paused = frame(page)
    assert page.get_attribute(".lab-replay", "data-playing") == "0"
    assert set(frames_seen(page, 1.0)) == {paused}
    page.wait_for_url(lambda url: f"frame={paused}" in url or paused == 0)  # the link learns where it stopped
    assert not errors and exceptions(page) == 0


def test_play_runs_to_the_end_and_stops_there(page, why_server):
    open_replay(page, why_server)
    count = int(page.get_attribute(".rp-scrubber", "max")) + 1
    page.select_option(".rp-speed", "10")
    page.click(".rp-play")
    page.wait_for_function(f"document.querySelector('.lab-replay').dataset.frame === '{count - 1}'")
    page.wait_for_function("document.querySelector('.lab-replay').dataset.playing === '0'")
    page.wait_for_url(lambda url: f"frame={count - 1}" in url)
    assert page.is_disabled("[aria-label='Step forward one frame']")


def test_a_link_restores_the_position_and_the_maps_and_samples_are_drawn(page, why_server):
    errors = open_replay(page, why_server, "&frame=3")
    assert frame(page) == 3 and page.input_value(".rp-scrubber") == "3"
    assert "frame 4 of" in page.inner_text(".rp-position")
    caption = page.inner_text("[data-testid=replay-caption]")
    page.click("[aria-label='Step forward one frame']")
    assert frame(page) == 4 and page.inner_text("[data-testid=replay-caption]") != caption
    for kind in ("ae", "vae"):
        assert ink(page, f"[data-testid=replay-map-{kind}]") > 1000
        assert ink(page, f"[data-testid=replay-samples-{kind}]") > 1000
    wait_idle(page)
    page.wait_for_url(lambda url: "frame=4" in url)
    assert not errors and exceptions(page) == 0
