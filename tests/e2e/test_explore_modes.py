"""Explore either model in Chromium: the AE's map decodes exactly the point clicked, the switch and
the verdict layer work from the page, and the arrow keys step by the model's own steps."""

import numpy as np
import pytest

from bench.browser import DIGIT, MAP, SLIDER, click_map, exceptions, open_app, slider_values, src, wait_idle, \
    wait_src_change
from tests.e2e.test_browser import marker, pixel_size, shown_digit, z_in_dim_order

# The share of a data-space box [x0, x1, y0, y1] on the map that the points canvas leaves transparent.
JS_BLANK_SHARE = """([x0, x1, y0, y1]) => {
    const map = document.querySelector('[data-testid="latent-map"]'), v = JSON.parse(map.dataset.view);
    const px = (x) => (v.l + (x - v.x0) / (v.x1 - v.x0) * v.w) * v.dpr;
    const py = (y) => (v.t + (v.y1 - y) / (v.y1 - v.y0) * v.h) * v.dpr;
    const canvas = document.querySelector('canvas.lab-points');
    const [left, top] = [Math.ceil(px(x0)) + 1, Math.ceil(py(y1)) + 1];
    const data = canvas.getContext('2d').getImageData(left, top, Math.floor(px(x1)) - 1 - left,
                                                        Math.floor(py(y0)) - 1 - top).data;
    let blank = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 0) blank += 1;
    return blank / (data.length / 4);
}"""


def lab_of(dim):
    from model.lab import load_lab

    return load_lab(dim)


def far_ae_point(lab):
    """A real AE code far from the origin that the AE's sliders can hold."""
    from ui.components.explorer.scales import code_scale

    scale = code_scale(lab.spaces["ae"].codes)
    codes = lab.spaces["ae"].codes
    held = codes[np.all((codes >= np.array(scale.lo) + 1) & (codes <= np.array(scale.hi) - 1), axis=1)]
    return held[np.argmax(np.abs(held).max(axis=1))]


def test_a_click_on_the_aes_map_decodes_that_exact_point(page, server):
    from ui.images import to_uint8

    lab = lab_of(2)
    open_app(page, server, "?model=ae")
    point = far_ae_point(lab)
    assert np.abs(point).max() > 10  # far outside the VAE's ±3
    before = src(page, DIGIT)
    click_map(page, *point)
    wait_src_change(page, DIGIT, before)
    page.wait_for_url(lambda url: "z=" in url and "model=ae" in url)  # the server has the click
    wait_idle(page)
    z = z_in_dim_order(page)
    assert z == pytest.approx(point, abs=2 * pixel_size(page) + 0.1) and marker(page) == pytest.approx(z, abs=1e-3)
    expected = to_uint8(lab.decode("ae", [z]))[0].astype(int)
    assert np.abs(shown_digit(page) - expected).max() <= 1  # the page decoded with the AE's decoder
    assert page.locator("figcaption").filter(has_text="AE decoder output · judge:").count() == 1
    assert exceptions(page) == 0


def test_the_switch_shows_the_aes_space_and_back(app):
    vae_max = max(float(v) for v in app.eval_on_selector_all(SLIDER, "els => els.map(e => e.max)"))
    app.get_by_role("radio", name="AE", exact=True).click()
    app.wait_for_function(f"Math.max(...Array.from(document.querySelectorAll('{SLIDER}'), e => Number(e.max))) > 10")
    wait_idle(app)
    app.wait_for_url(lambda url: "model=ae" in url)
    assert vae_max == 3 and app.locator(".lab-heading").filter(has_text="of the AE").count() == 1
    app.get_by_role("radio", name="VAE", exact=True).click()
    app.wait_for_function(f"Math.max(...Array.from(document.querySelectorAll('{SLIDER}'), e => Number(e.max))) === 3")
    wait_idle(app)
    assert "model=" not in app.url and exceptions(app) == 0


@pytest.mark.parametrize("dim, model", [(2, "vae"), (2, "ae"), (16, "ae")])
def test_the_verdict_layer_appears_for_both_models(page, server, dim, model):
    from ui.components.explorer.explorer import map_ranges

    (x0, x1), (y0, y1) = map_ranges(lab_of(dim), model)  # what the layer covers
    box = [x0, x1, y0, y1]
    open_app(page, server, f"?dim={dim}&model={model}")
    assert page.evaluate(JS_BLANK_SHARE, box) > 0.2  # points and lines only
    page.get_by_text("Show where the decoder makes digits").click()
    page.wait_for_selector('.lab-map[data-layer="verdict"]')
    page.wait_for_function(f"({JS_BLANK_SHARE})({box}) < 0.01", timeout=30_000)  # shaded all over
    wait_idle(page)
    assert "layer=verdict" in page.url
    legend = page.locator(".lab-layer-legend").inner_text()
    assert "a clear digit" in legend and "unsure" in legend and "no digit at all" in legend
    assert "% of" in page.locator(".lab-layer-caption").inner_text()
    assert exceptions(page) == 0


def test_arrow_keys_step_by_the_aes_own_steps(page, server):
    from ui.components.explorer.scales import code_scale

    scale = code_scale(lab_of(2).spaces["ae"].codes)
    open_app(page, server, "?model=ae")
    first = page.locator(SLIDER).first
    i = int(first.get_attribute("data-dim"))
    before, start = src(page, DIGIT), slider_values(page)[0]
    first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    wait_src_change(page, DIGIT, before)
    page.wait_for_url(lambda url: "z=" in url)
    wait_idle(page)
    assert slider_values(page)[0] == pytest.approx(start + 2 * scale.key_step[i] - scale.step[i])
    assert page.locator(MAP).count() == 1 and exceptions(page) == 0
