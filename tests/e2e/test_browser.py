"""End-to-end: what only a real browser shows (the explorer element's sliders and map, decoded images, the URL)."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from bench.browser import (DIGIT, MAP, SLIDER, broken_images, click_map, exceptions, map_pixel, map_ranges, open_app,
                           slider_values, src, wait_idle, wait_src_change)


def marker(page):
    """The current-z marker's position on the map's plane, as the map drew it."""
    return [float(v) for v in page.eval_on_selector(MAP, "el => el.dataset.marker").split(",")]


def pixel_size(page):
    """Data units per CSS pixel on the map (equal on both axes)."""
    view = page.eval_on_selector(MAP, "el => JSON.parse(el.dataset.view)")
    return (view["x1"] - view["x0"]) / view["w"]


def empty_spots(page, dim):
    """Two points inside the map's view, far from every test digit's code and from each other."""
    from model.lab import load_lab

    points = load_lab(dim).spaces["vae"].points
    (x0, x1), (y0, y1) = map_ranges(page)
    # Inside the view and (2-D) inside the sliders' ±3, so the clicked point is exactly representable.
    lim = 2.9 if dim == 2 else np.inf
    xs, ys = np.meshgrid(np.linspace(max(x0, -lim), min(x1, lim), 25)[3:-3],
                         np.linspace(max(y0, -lim), min(y1, lim), 25)[3:-3])
    candidates = np.stack([xs.ravel(), ys.ravel()], axis=1)
    nearest = np.sqrt(((candidates[:, None, :] - points[None, ::5, :]) ** 2).sum(-1)).min(axis=1)
    order = np.argsort(-nearest)
    first = candidates[order[0]]
    second = next(candidates[i] for i in order if np.abs(candidates[i] - first).max() > 0.15 * (x1 - x0))
    assert nearest.max() > 0.02 * (x1 - x0)  # really empty
    return first, second


def test_page_loads_cleanly(app):
    assert exceptions(app) == 0
    assert app.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert app.locator(DIGIT).count() == 1
    assert app.evaluate(f"document.querySelector('{DIGIT}').naturalWidth") >= 224
    assert app.locator(MAP).count() == 1 and app.locator(SLIDER).count() == 2


def test_keyboard_slider_move_changes_the_digit(app):
    before, values = src(app, DIGIT), slider_values(app)
    thumb = app.locator(SLIDER).first
    thumb.focus()
    for _ in range(12):  # faster than the server answers: stale answers must not move the thumb back
        app.keyboard.press("ArrowRight")  # 0.1 each
    for _ in range(3):
        app.keyboard.press("Shift+ArrowRight")  # 0.01 each
    wait_src_change(app, DIGIT, before)
    app.wait_for_url(lambda url: "z=" in url and "1.23" in url)
    wait_idle(app)
    assert slider_values(app)[0] == pytest.approx(values[0] + 1.23)
    # The marker follows the sliders (2-D: the map's axes are z; the sliders are in KL order).
    assert sorted(marker(app)) == pytest.approx(sorted(slider_values(app)), abs=1e-3)


def test_the_digit_follows_a_slider_while_it_is_dragged(app):
    box = app.locator(SLIDER).first.bounding_box()
    y = box["y"] + box["height"] / 2
    app.mouse.move(box["x"] + box["width"] * 0.5, y)
    app.mouse.down()
    before = src(app, DIGIT)
    app.mouse.move(box["x"] + box["width"] * 0.85, y, steps=6)
    wait_src_change(app, DIGIT, before)  # a new digit before the release: drawn by the page
    assert app.locator(".lab-stale").count() == 1 and "z=" not in app.url  # the server has not heard yet
    app.mouse.up()
    app.wait_for_function("document.querySelector('.lab-stale') === null")  # the judge's answer is in
    wait_idle(app)
    assert "z=" in app.url and slider_values(app)[0] > 1.0


@pytest.mark.parametrize("dim", [2, 16])
def test_click_on_empty_map_space_decodes_there(page, server, dim):
    open_app(page, server, f"?dim={dim}")
    assert len(slider_values(page)) == dim
    (x, y), second = empty_spots(page, dim)
    before = src(page, DIGIT)
    click_map(page, x, y)
    wait_src_change(page, DIGIT, before)
    wait_idle(page)
    values = slider_values(page)
    assert any(v != 0 for v in values)
    if dim == 2:
        # The ordered sliders show z1/z2 in KL order: compare as a set of coordinates.
        assert sorted(values) == pytest.approx(sorted([x, y]), abs=2 * pixel_size(page) + 0.01)
    assert marker(page) == pytest.approx([x, y], abs=2 * pixel_size(page) + 0.02)  # 16-D: z's projection
    # A second click elsewhere still registers.
    before = src(page, DIGIT)
    click_map(page, *second)
    wait_src_change(page, DIGIT, before)
    assert exceptions(page) == 0


def shown_digit(page):
    """The decoded-digit image as uint8 pixels."""
    import base64
    import io

    from PIL import Image

    payload = src(page, DIGIT).split(",", 1)[1]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(payload))).convert("L"), dtype=int)


def z_in_dim_order(page):
    pairs = page.eval_on_selector_all(SLIDER, "els => els.map(e => [Number(e.dataset.dim), Number(e.value)])")
    return [v for _, v in sorted(pairs)]


@pytest.mark.parametrize("dim", [2, 16])
def test_the_page_decodes_the_digit_as_the_server_does(page, server, dim):
    """While a slider moves the page draws the digit itself: it must be the model's digit."""
    from model.lab import load_lab
    from ui.images import to_uint8

    open_app(page, server, f"?dim={dim}")
    before = src(page, DIGIT)
    if dim == 2:
        page.locator(SLIDER).first.focus()
        for _ in range(30):
            page.keyboard.press("ArrowLeft")
    else:
        (x0, x1), (y0, y1) = map_ranges(page)
        click_map(page, x0 + 0.3 * (x1 - x0), y0 + 0.7 * (y1 - y0))
    wait_src_change(page, DIGIT, before)
    wait_idle(page)
    shown = shown_digit(page)
    assert shown.shape == (28, 28)  # drawn by the page (the server's copy is 280 px), and kept
    expected = to_uint8(load_lab(dim).decode("vae", [z_in_dim_order(page)]))[0].astype(int)
    assert np.abs(shown - expected).max() <= 1  # float32 vs float64 sums: at most one grey level
    assert exceptions(page) == 0


def test_size_switch(app):
    app.get_by_text("16-D", exact=True).click()
    app.wait_for_function(f"document.querySelectorAll('{SLIDER}').length === 16")
    wait_idle(app)
    assert broken_images(app) == 0 and exceptions(app) == 0


def test_hovering_a_digit_names_it_and_the_legend_hides_digits(app):
    from model.lab import load_lab

    lab = load_lab(2)
    index = int(np.argmin((lab.spaces["vae"].points ** 2).sum(axis=1)))  # a digit near the centre
    app.mouse.move(*map_pixel(app, *lab.spaces["vae"].points[index]))
    tooltip = app.locator(".lab-tooltip")
    tooltip.wait_for(state="visible")
    assert re.fullmatch(r"test digit #\d+ · \d", tooltip.inner_text())  # which test digit, and its class
    chip = app.locator(".lab-chip").nth(int(lab.labels[index]))
    before = app.eval_on_selector("canvas.lab-points", "c => c.toDataURL()")
    chip.click()
    assert chip.get_attribute("aria-pressed") == "false"
    assert app.eval_on_selector("canvas.lab-points", "c => c.toDataURL()") != before  # its dots are gone


# New samples on AE vs VAE, and Interpolate across tab switches: tests/e2e/test_compare_interpolate.py


def test_interpolation_renders_two_rows(page, server):
    open_app(page, server, "?tab=interpolate&a=3&b=4")
    for alt in ("ae interpolation", "vae interpolation"):
        assert page.evaluate(f"document.querySelector('img[alt=\"{alt}\"]').naturalWidth") > 0
    before = src(page, 'img[alt="vae interpolation"]')
    page.get_by_role("button", name="Random endpoints").click()
    wait_src_change(page, 'img[alt="vae interpolation"]', before)


def test_a_shared_url_restores_its_state(page, server):
    open_app(page, server, "?tab=explore&dim=2&z=1.5,-0.75")
    assert sorted(slider_values(page)) == pytest.approx(sorted([1.5, -0.75]))
    open_app(page, server, "?tab=compare&seed=4242&n=16")
    expect(page.get_by_label("Seed", exact=True)).to_have_value("4242")
    expect(page.get_by_text("of 16 look like a clear digit")).to_have_count(2)  # one verdict under each panel


def test_a_garbage_url_shows_defaults_and_a_note(page, server):
    open_app(page, server, "?dim=7&z=nan,1e999&seed=-1")
    assert len(slider_values(page)) == 2 and slider_values(page) == [0, 0]
    assert page.locator("[data-testid=stAlert]").filter(has_text="dim=7").count() == 1
    assert exceptions(page) == 0
