"""Accessibility in Chromium: axe-core finds no serious or critical WCAG problem on any tab or view at
either latent size, the latent map works from the keyboard, and Tab reaches every control of the
explorer, the digit's buttons before the sliders, each with a visible focus ring."""

import pytest
from playwright.sync_api import expect

from bench.browser import DIGIT, JS_IMAGES_LOADED, MAP, MAP_READY, SLIDER, exceptions, open_app, src, wait_idle, \
    wait_src_change
from tests.e2e.test_browser import marker
from tests.e2e.test_lesson import answer_what_the_step_asks
from ui.link import LATENT_SIZES, LESSON_STEPS

SERIOUS = ("serious", "critical")
# Every tab and every view a link opens; (link, lesson step to answer first or None).
VIEWS = [("tab=explore", None), ("tab=explore&model=ae", None), ("tab=explore&layer=verdict", None),
         ("tab=compare", None), ("tab=interpolate", None),
         *[(f"tab=lesson&step={step}", None) for step in range(1, LESSON_STEPS + 1)],
         ("tab=lesson&step=2", 2), ("tab=lesson&step=4", 4),  # what the class sees after guessing
         ("tab=why", None), ("tab=draw", None)]
# What WCAG's rules may not see: none. (A violation inside Streamlit's own frontend that the app
# cannot fix would be excluded here by its exact selector, with the reason.)
EXCLUDE = []
CAPTION = "figcaption[aria-live]"  # the decoded digit's caption, read out when it changes
CURSOR_LINE = '[data-testid="map-cursor"]'


def open_view(page, url, query):
    """Open a link and wait until its tab has run and drawn (open_app waits for an image, which a
    lesson step that asks first does not have yet)."""
    page.goto(f"{url}/?{query}")
    explore = "tab=explore" in query
    page.wait_for_selector(MAP_READY if explore else '[role="tabpanel"] [data-testid="stMarkdown"]', timeout=60_000)
    wait_idle(page, 60_000)
    page.wait_for_function(JS_IMAGES_LOADED, timeout=60_000)


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": EXCLUDE} if EXCLUDE else None
    response = Axe().run(page, context=context).response
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in response["violations"]
            if v["impact"] in SERIOUS]


@pytest.mark.parametrize("dim", LATENT_SIZES)
@pytest.mark.parametrize("query, answer", VIEWS, ids=[q + ("&answered" if a else "") for q, a in VIEWS])
def test_axe_finds_no_serious_violation(page, server, query, answer, dim):
    open_view(page, server, f"{query}&dim={dim}")
    if answer:
        answer_what_the_step_asks(page, answer)
    assert serious_violations(page) == []
    assert exceptions(page) == 0


def focused(page):
    """What has the keyboard focus: its tag, class, label and test id, and whether a focus ring shows."""
    return page.evaluate("""() => {
        const e = document.activeElement, s = getComputedStyle(e);
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none';
        return { tag: e.tagName, cls: String(e.className), label: e.getAttribute('aria-label') || e.textContent.trim(),
                 testid: e.dataset.testid || '', inExplorer: !!e.closest('.lab-explorer'), ring };
    }""")


def tab_until(page, done, limit=80):
    """Press Tab until done(focused) holds; the stops passed on the way, that one last."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if done(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} Tab presses: {[s['label'] for s in stops[-10:]]}")


def test_tab_reaches_the_buttons_before_the_16_sliders_and_every_control_shows_a_ring(page, server):
    open_app(page, server, "?dim=16")
    before = tab_until(page, lambda s: s["label"] == "Random z")
    assert not any(s["inExplorer"] for s in before[:-1])  # Random z is the explorer's first stop: no slider before it
    explorer = tab_until(page, lambda s: s["testid"] == "latent-map")  # the rest of the explorer
    assert all(s["inExplorer"] for s in explorer)
    assert sum(s["tag"] == "INPUT" for s in explorer) == 16  # every slider
    assert sum("lab-chip" in s["cls"] for s in explorer) == 10  # every legend entry
    # Chromium lets the keyboard reach Streamlit's main area because it scrolls (a scroller, not a
    # control: Streamlit's frontend gives it no ring and the app cannot reach its tabindex).
    without_ring = [s["label"][:40] for s in before + explorer if not s["ring"] and s["testid"] != "stMain"]
    assert without_ring == []


# Where the keyboard's place shows: the focused control's box, or the Streamlit widget around it
# (Streamlit marks a focused number input by its wrapper's border), clipped to the viewport.
JS_FOCUS_REGION = """() => {
    const e = document.activeElement;
    if (e === document.body || e.dataset.testid === 'stMain') return null;  // stMain: see above
    const box = (e.closest('[data-testid="stElementContainer"]') || e).getBoundingClientRect();
    const x = Math.max(0, box.left - 8), y = Math.max(0, box.top - 8);
    return { x, y, width: Math.min(innerWidth, box.right + 8) - x, height: Math.min(innerHeight, box.bottom + 8) - y };
}"""
SETTLE_MS = 250  # Streamlit's widgets fade their focus border in


@pytest.mark.parametrize("query", ["tab=explore", "tab=compare", "tab=interpolate", "tab=lesson&step=2",
                                   "tab=lesson&step=4", "tab=why", "tab=draw"])
def test_every_tab_stop_shows_that_it_has_the_keyboard(page, server, query):
    """Tab through the whole page; at each stop the picture around the control changes when it
    loses focus (a ring, a border): a control that looks the same focused or not fails."""
    open_view(page, server, f"{query}&dim=2")
    first, unmarked, stops = None, [], 0
    for _ in range(150):
        page.keyboard.press("Tab")
        stop = focused(page)
        name = f"{stop['tag']} {stop['label'][:40]!r}"
        if name == first:  # round the page once
            break
        first = first or name
        clip = page.evaluate(JS_FOCUS_REGION)
        if clip is None or not clip["width"] or not clip["height"]:
            continue
        stops += 1
        page.wait_for_timeout(SETTLE_MS)
        with_focus = page.screenshot(clip=clip)
        page.evaluate("window.__labFocused = document.activeElement; document.activeElement.blur()")
        page.wait_for_timeout(SETTLE_MS)
        if page.screenshot(clip=clip) == with_focus:
            unmarked.append(name)
        page.evaluate("window.__labFocused.focus({ focusVisible: true })")  # Tab goes on from here
    else:
        raise AssertionError("the Tab order never came round")
    assert stops >= 5 and unmarked == []


def test_a_16d_slider_steps_by_a_tenth_from_the_keyboard_and_a_hundredth_with_shift(page, server):
    open_app(page, server, "?dim=16")
    tab_until(page, lambda s: s["tag"] == "INPUT" and s["inExplorer"])
    first = page.locator(SLIDER).first
    start, before = float(first.input_value()), src(page, DIGIT)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    wait_src_change(page, DIGIT, before)
    wait_idle(page)
    assert float(first.input_value()) == pytest.approx(start + 0.19)


def caption_for(lab, z):
    from ui.components.explorer.explorer import reading_words

    return f"VAE decoder output · judge: {reading_words(lab.read(lab.decode('vae', z)), lab.info)}"


def test_the_latent_map_works_from_the_keyboard(page, server):
    from model.lab import load_lab
    from ui.components.explorer.explorer import map_ranges

    lab = load_lab(2)
    (x0, x1), (y0, y1) = map_ranges(lab, "vae")
    step = 0.2  # the round number nearest the ±3 map's range over 25
    assert (max(x1 - x0, y1 - y0) / step) == pytest.approx(25, rel=0.2)
    start = caption_for(lab, [0.0, 0.0])
    presses = next(k for k in range(1, 15) if caption_for(lab, [k * step, 0.0]) != start)  # a point that reads differently
    open_app(page, server, "?dim=2&z=0,0")
    expect(page.locator(CAPTION)).to_have_text(start)
    assert page.locator(CAPTION).get_attribute("aria-live") == "polite"

    page.locator(".lab-button").first.focus()
    tab_until(page, lambda s: s["testid"] == "latent-map")
    assert focused(page)["ring"]
    assert page.eval_on_selector(MAP, "el => el.dataset.cursor") == "0,0"  # the cursor starts at z's marker
    expect(page.locator(CURSOR_LINE)).to_contain_text("arrow keys move it by 0.20")
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    cursor = [float(v) for v in page.eval_on_selector(MAP, "el => el.dataset.cursor").split(",")]
    assert cursor == pytest.approx([presses * step, 0.0])
    expect(page.locator(CURSOR_LINE)).to_contain_text(f"Map cursor at ({presses * step:.2f}, 0.00)")
    assert marker(page) == pytest.approx([0.0, 0.0], abs=1e-3)  # moving the cursor decodes nothing yet

    before = src(page, DIGIT)
    page.keyboard.press("Enter")
    wait_src_change(page, DIGIT, before)
    expect(page.locator(CAPTION)).to_have_text(caption_for(lab, cursor))  # the live region says what is shown now
    page.wait_for_url(lambda url: "z=" in url and "z=0,0" not in url)
    wait_idle(page)
    assert marker(page) == pytest.approx(cursor, abs=0.01)

    page.keyboard.press("Escape")
    assert focused(page)["testid"] != "latent-map"
    assert page.eval_on_selector(MAP, "el => el.dataset.cursor") == ""
    expect(page.locator(CURSOR_LINE)).to_be_hidden()
    assert exceptions(page) == 0
