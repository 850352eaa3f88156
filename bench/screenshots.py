"""Screenshots of every tab at a projector-like size, for the README.

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


def main():
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        for name, query in VIEWS.items():
            open_app(page, url, query)
            page.wait_for_timeout(800)  # let Plotly finish drawing
            wait_idle(page)
            page.screenshot(path=str(out / f"{name}.png"), full_page=False)
            print(f"wrote docs/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
