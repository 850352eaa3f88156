"""Screenshots for the README: every tab at 1600×900, and the projector (1024×768, presenter mode)
and phone (390×844) layouts.

    python bench/screenshots.py        # writes docs/*.png
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import launch, open_app, streamlit_server, wait_idle  # noqa: E402

VIEWS = {
    "explore": "?tab=explore&dim=2&z=0.6,-0.4",
    "explore-16d": "?tab=explore&dim=16",
    "compare": "?tab=compare&dim=16&seed=7",
    "interpolate": "?tab=interpolate&dim=16&a=3&b=4",
    "lesson": "?tab=lesson&dim=2&step=2",
}
# Other screens: name -> (viewport, whether it is a touch phone, query).
SCREENS = {
    "projector-explore": ({"width": 1024, "height": 768}, False, "?tab=explore&dim=2&z=0.6,-0.4&presenter=1"),
    "projector-compare": ({"width": 1024, "height": 768}, False, "?tab=compare&dim=16&seed=7&presenter=1"),
    "phone-explore": ({"width": 390, "height": 844}, True, "?tab=explore&dim=2&z=0.6,-0.4"),
    "phone-compare": ({"width": 390, "height": 844}, True, "?tab=compare&dim=16&seed=7"),
}


def main():
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        for name, query in VIEWS.items():
            shoot(page, url, query, out / f"{name}.png")
        for name, (viewport, phone, query) in SCREENS.items():
            context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone)
            shoot(context.new_page(), url, query, out / f"{name}.png")
            context.close()
        browser.close()


def shoot(page, url, query, path):
    if "tab=lesson" in query:  # a step may open with a question and no picture yet
        page.goto(f"{url}/{query}")
        page.wait_for_selector('[data-testid="stProgress"]', timeout=60_000)
        wait_idle(page, 60_000)
    else:
        open_app(page, url, query)
    page.wait_for_timeout(800)  # let Plotly finish drawing
    wait_idle(page)
    if "tab=compare" in query and page.viewport_size["width"] < 600:  # a phone: the two grids, not the controls
        page.locator('img[alt="ae samples"]').scroll_into_view_if_needed()
    page.screenshot(path=str(path), full_page=False)
    print(f"wrote docs/{path.name}")


if __name__ == "__main__":
    main()
