"""End-to-end: the page's layouts, measured with element boxes against the viewport.

Projector (1024×768, presenter mode from the link): the sidebar is folded away, the type is large,
no button label is cut, and each view's key parts are on the first screen without scrolling.
Phone (390×844, touch): nothing overflows sideways, the digit stays in view while the sliders or the
map are touched, and AE vs VAE keeps its two grids side by side."""

import pytest
from playwright.sync_api import expect

from bench.browser import (DIGIT, MAP, SLIDER, exceptions, lesson_steps, map_pixel, open_app, slider_values,
                           wait_idle)
from ui.link import LESSON_STEPS

PROJECTOR = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
AE_GRID, VAE_GRID = 'img[alt="ae samples"]', 'img[alt="vae samples"]'
# Buttons whose label does not fit: the label's box is wider than the button shows (Streamlit cuts it with "…").
JS_CUT_BUTTONS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] button'))
    .filter(b => b.getClientRects().length)
    .filter(b => [b, ...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
    .map(b => b.innerText.trim())"""


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def on_screen(locator, viewport):
    """Whether the element's box lies wholly inside the viewport (no scrolling needed to see it), and the box."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not on the page"
    inside = (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5
              and box["y"] + box["height"] <= viewport["height"] + 0.5)
    return inside, box


def assert_on_screen(page, selector, viewport, nth=0):
    inside, box = on_screen(page.locator(selector).nth(nth), viewport)
    assert inside, f"{selector} at {box} is not inside {viewport}"


def assert_presenter_view(page):
    """Presenter mode is on: large type, the sidebar folded away (its open button on screen), no label cut."""
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")
    assert_on_screen(page, '[data-testid="stExpandSidebarButton"]', PROJECTOR)
    assert page.evaluate(JS_CUT_BUTTONS) == []


@pytest.mark.parametrize("dim", [2, 16])
def test_projector_explore_shows_sliders_map_and_digit_on_one_screen(projector, server, dim):
    open_app(projector, server, f"?tab=explore&dim={dim}&presenter=1")
    assert_presenter_view(projector)
    for selector in (DIGIT, MAP):
        assert_on_screen(projector, selector, PROJECTOR)
    for i in range(dim):
        assert_on_screen(projector, SLIDER, PROJECTOR, nth=i)
    assert projector.locator(MAP).bounding_box()["height"] >= 300  # the map is still a map


def test_projector_compare_shows_both_panels_and_verdicts_on_one_screen(projector, server):
    open_app(projector, server, "?tab=compare&dim=16&presenter=1")
    assert_presenter_view(projector)
    for selector in (AE_GRID, VAE_GRID):
        assert_on_screen(projector, selector, PROJECTOR)
        assert projector.locator(selector).bounding_box()["width"] >= 230  # larger than without presenter mode
    verdicts = projector.locator('[data-testid="stMain"] p').filter(has_text="look like a clear digit")
    distances = projector.locator('[data-testid="stMain"] p').filter(has_text="Distance to real digits")
    for lines in (verdicts, distances):
        expect(lines).to_have_count(2)
        for i in range(2):
            inside, box = on_screen(lines.nth(i), PROJECTOR)
            assert inside, f"{lines.nth(i).inner_text()!r} at {box}"


def test_projector_lesson_puts_next_on_the_first_screen_of_every_step(projector, server):
    open_app(projector, server, "?tab=lesson&presenter=1")
    for step in lesson_steps(projector, LESSON_STEPS):
        assert_presenter_view(projector)
        for name in ("Next", "Previous"):
            inside, box = on_screen(projector.get_by_role("button", name=name), PROJECTOR)
            assert inside, f"step {step}: {name} at {box}"
        assert exceptions(projector) == 0


def overflow_sideways(page):
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def test_phone_keeps_the_digit_in_view_while_the_sliders_and_the_map_are_touched(phone, server):
    open_app(phone, server, "?tab=explore&dim=2")
    assert overflow_sideways(phone) <= PHONE["width"]
    expect(phone.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")
    before = slider_values(phone)
    slider = phone.locator(SLIDER).nth(0)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    phone.touchscreen.tap(box["x"] + 0.8 * box["width"], box["y"] + box["height"] / 2)  # a tap on the track
    phone.wait_for_function("(old) => Number(document.querySelector('.lab-explorer input[type=range]').value) !== old",
                            arg=before[0])
    wait_idle(phone)
    assert_on_screen(phone, DIGIT, PHONE)
    phone.locator(MAP).scroll_into_view_if_needed()
    assert_on_screen(phone, MAP, PHONE)  # the whole map fits under the sticky digit
    old_src = phone.eval_on_selector(DIGIT, "el => el.src")
    phone.touchscreen.tap(*map_pixel(phone, -1.5, 1.5))
    phone.wait_for_function("(old) => document.querySelector('img[alt=\"decoded digit\"]').src !== old", arg=old_src)
    wait_idle(phone)
    assert_on_screen(phone, DIGIT, PHONE)
    assert sorted(slider_values(phone)) == pytest.approx([-1.5, 1.5], abs=0.11)  # the tap moved both sliders
    assert overflow_sideways(phone) <= PHONE["width"] and exceptions(phone) == 0


def test_phone_compare_puts_the_two_grids_side_by_side_and_the_tabs_work_by_touch(phone, server):
    open_app(phone, server, "?tab=explore&dim=16")
    phone.get_by_role("tab", name="AE vs VAE").tap()
    phone.locator(VAE_GRID).wait_for()
    wait_idle(phone)
    phone.wait_for_url(lambda url: "tab=compare" in url)
    assert overflow_sideways(phone) <= PHONE["width"]
    ae, vae = phone.locator(AE_GRID).bounding_box(), phone.locator(VAE_GRID).bounding_box()
    assert ae["x"] + ae["width"] <= vae["x"]  # AE left, VAE right
    assert ae["y"] < vae["y"] + vae["height"] and vae["y"] < ae["y"] + ae["height"]  # on the same rows
    assert ae["width"] >= 150 and vae["width"] >= 150
    assert exceptions(phone) == 0
