"""End-to-end, AE vs VAE and Interpolate: what only a real browser shows (the address bar, the
drawn SVG codes views, widgets coming back after a tab switch, the clipboard)."""

import re

from playwright.sync_api import expect

from bench.browser import broken_images, exceptions, open_app, src, wait_idle, wait_src_change

TAB_NAMES = {"explore": "Explore", "compare": "AE vs VAE", "interpolate": "Interpolate", "lesson": "Lesson"}
CROSSES = "svg.lab-codes path"
MAIN_COPYLINK = "[data-testid=\"stMain\"]"  # the sidebar's teacher panel has a copy box of its own


def open_tab(page, tab):
    page.get_by_role("tab", name=TAB_NAMES[tab]).click()
    page.wait_for_url(re.compile(rf"tab={tab}(&|$)"))
    wait_idle(page)


def crosses(page):
    return page.eval_on_selector_all(CROSSES, "els => els.map(e => e.getAttribute('d'))")


def test_new_samples_changes_both_panels_and_the_codes_views(page, server):
    open_app(page, server, "?tab=compare")
    assert page.locator("svg.lab-codes").count() == 3  # 2-D: AE true scale, AE zoomed, VAE
    ae, vae, marks = src(page, 'img[alt="ae samples"]'), src(page, 'img[alt="vae samples"]'), crosses(page)
    assert all(d.count("M") == 2 * 36 for d in marks)  # one × per draw
    page.get_by_role("button", name="New samples").click()
    wait_src_change(page, 'img[alt="ae samples"]', ae)
    wait_src_change(page, 'img[alt="vae samples"]', vae)
    wait_idle(page)
    assert crosses(page) != marks
    assert re.search(r"seed=\d{1,4}(&|$)", page.url) and exceptions(page) == 0
    # The static scatter images inside the views are drawn (an SVG <image> that failed has no size).
    assert page.eval_on_selector_all("svg.lab-codes image", "els => els.every(e => e.getBBox().width > 100)")


def test_switching_tabs_keeps_interpolate_and_the_address_bar_names_the_open_tab(page, server):
    open_app(page, server, "?tab=interpolate&a=3&b=4&steps=12")
    start = src(page, 'img[alt="vae interpolation"]')
    page.get_by_label("From test digit #").fill("25")
    page.get_by_label("From test digit #").press("Enter")
    wait_src_change(page, 'img[alt="vae interpolation"]', start)
    wait_idle(page)
    shown = src(page, 'img[alt="vae interpolation"]')
    for tab in ("explore", "interpolate", "compare", "lesson", "interpolate", "explore", "interpolate"):
        open_tab(page, tab)
        assert f"tab={tab}" in page.url and "a=25" in page.url and "b=4" in page.url and "steps=12" in page.url
        if tab == "interpolate":
            expect(page.get_by_label("From test digit #")).to_have_value("25")
            expect(page.get_by_label("To test digit #")).to_have_value("4")
            assert src(page, 'img[alt="vae interpolation"]') == shown
    assert exceptions(page) == 0 and broken_images(page) == 0


def test_copy_link_copies_the_address_of_this_view(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        open_app(page, server, "?tab=interpolate&a=7&b=8")
        box = page.locator(MAIN_COPYLINK + " .lab-copylink-box")
        expect(box).to_have_value(re.compile(r"/\?tab=interpolate&dim=2&a=7&b=8$"))
        page.get_by_role("button", name="Copy link").click()
        expect(page.locator(MAIN_COPYLINK + " .lab-copylink-status")).to_have_text(re.compile("Copied"))
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == box.input_value() and copied.startswith(server)
    finally:
        context.close()


def test_copy_link_works_without_the_clipboard_api(page, server):
    """A classroom server at http://192.168.x.y is not a secure page: no navigator.clipboard there."""
    page.add_init_script("delete Navigator.prototype.clipboard;"
                         "document.addEventListener('copy', () => { window.__copied = String(getSelection()"
                         " || document.activeElement.value.slice(document.activeElement.selectionStart,"
                         " document.activeElement.selectionEnd)); }, true);")
    open_app(page, server, "?tab=compare&seed=42")
    assert page.evaluate("navigator.clipboard === undefined")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(MAIN_COPYLINK + " .lab-copylink-status")).to_have_text(re.compile("Copied"))
    assert page.evaluate("window.__copied") == page.locator(MAIN_COPYLINK + " .lab-copylink-box").input_value()
    assert page.evaluate("window.__copied").endswith("/?tab=compare&dim=2&seed=42")
