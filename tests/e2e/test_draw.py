"""End-to-end: the Draw tab in Chromium — what only a browser shows: strokes drawn with a mouse and
with a finger (touch-type pointer events, what a tablet sends) reach the models, and the keyboard
way in (the example buttons)."""

from playwright.sync_api import expect

from bench.browser import (DRAWVIEW, PAD, SEVEN, broken_images, draw_stroke, drawing_shown, exceptions, open_app,
                           pad_points, src, wait_idle)

RECON = ('img[alt="ae reconstruction"]', 'img[alt="vae reconstruction"]')
# Which pointer types reached the pad, recorded in the page (the pad's own listeners are on its canvas).
JS_RECORD_POINTER_TYPES = """() => { window.__padPointers = [];
    document.querySelector('[data-testid="drawpad-canvas"]').addEventListener('pointerdown',
        (e) => window.__padPointers.push(e.pointerType)); }"""


def caption(page, selector):
    return page.eval_on_selector(selector, "el => el.closest('figure').querySelector('figcaption').textContent")


def sources(page, selectors):
    return {selector: src(page, selector) for selector in selectors}


def test_the_pad_is_labelled_and_a_keyboard_user_can_pick_an_example(page, server):
    open_app(page, server, "?tab=draw")
    assert "draw a digit" in page.locator(PAD).get_attribute("aria-label")
    example = page.get_by_role("button", name="Example digit: 4")
    example.focus()
    page.keyboard.press("Enter")
    expect(page.locator(RECON[0])).to_be_visible(timeout=20_000)
    wait_idle(page)
    assert "“4”" in caption(page, 'img[alt="prepared drawing"]')
    assert example.get_attribute("aria-pressed") == "true"


def test_drawing_a_seven_with_the_mouse_changes_the_reconstructions(page, server):
    open_app(page, server, "?tab=draw")
    page.get_by_role("button", name="Example digit: 0").click()
    expect(page.locator(RECON[0])).to_be_visible(timeout=20_000)
    wait_idle(page)
    before = sources(page, RECON)
    page.get_by_role("button", name="Clear").click()
    expect(page.locator(DRAWVIEW)).to_be_hidden(timeout=20_000)
    wait_idle(page)
    draw_stroke(page, SEVEN)
    expect(page.locator(RECON[0])).to_be_visible(timeout=20_000)
    wait_idle(page)
    page.wait_for_selector(DRAWVIEW + "[data-shown]")
    after = sources(page, RECON)
    assert all(after[s] != before[s] for s in RECON)
    assert "judge: a clear “7”" in caption(page, 'img[alt="prepared drawing"]')
    assert page.locator(DRAWVIEW + " svg").count() == 3  # the three maps' marks
    assert "draw=" in page.url
    assert exceptions(page) == 0 and broken_images(page) == 0
    shown, prepared = drawing_shown(page), src(page, 'img[alt="prepared drawing"]')
    draw_stroke(page, ((0.3, 0.55), (0.7, 0.5)))  # every stroke's end is sent: a crossbar changes what the models see
    page.wait_for_function(f"document.querySelector('{DRAWVIEW}').dataset.shown !== {shown!r}")
    assert src(page, 'img[alt="prepared drawing"]') != prepared


def test_a_finger_stroke_draws_too(browser, server):
    """Touch-type pointer events, as a tablet sends them (Chromium turns CDP touches into them); the
    page must not scroll while the finger moves (touch-action: none)."""
    context = browser.new_context(viewport={"width": 900, "height": 900}, has_touch=True, is_mobile=False)
    page = context.new_page()
    try:
        open_app(page, server, "?tab=draw")
        page.locator(PAD).scroll_into_view_if_needed()
        page.evaluate(JS_RECORD_POINTER_TYPES)
        scrolled = "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? window.scrollY"
        top = page.evaluate(scrolled)
        cdp = context.new_cdp_session(page)
        points = pad_points(page, SEVEN)
        path = [points[0]] + [(a[0] + (b[0] - a[0]) * t / 8, a[1] + (b[1] - a[1]) * t / 8)
                              for a, b in zip(points, points[1:]) for t in range(1, 9)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": path[0][0], "y": path[0][1]}]})
        for x, y in path[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(page.locator(RECON[0])).to_be_visible(timeout=20_000)
        wait_idle(page)
        assert page.evaluate("window.__padPointers") == ["touch"]
        assert page.evaluate(scrolled) == top
        assert "your drawing" in caption(page, 'img[alt="prepared drawing"]')
    finally:
        context.close()
