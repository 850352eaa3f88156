"""The data-set switch in a real browser (issue #14): the map and the decoded image change, the
legend names clothes, and nothing on the page raised."""

from bench.browser import MAP_READY, exceptions, wait_idle

DECODED = "img.lab-digit"  # the explorer's decoded image (its alt follows the data set)
CHIPS = ".lab-legend .lab-chip"


def test_switching_to_fashion_changes_the_map_and_the_image_and_the_legend_names_clothes(app):
    before = app.get_attribute(DECODED, "src")
    assert app.locator(CHIPS).all_inner_texts() == [str(d) for d in range(10)]
    app.get_by_text("Fashion-MNIST clothes").click()
    app.wait_for_function("document.querySelector('.lab-legend .lab-chip')?.textContent === 'T-shirt'",
                          timeout=60_000)
    app.wait_for_selector(MAP_READY, timeout=60_000)
    wait_idle(app)
    assert app.locator(CHIPS).all_inner_texts()[-1] == "ankle boot"
    assert app.get_attribute(DECODED, "src") != before
    assert app.get_attribute(DECODED, "alt") == "decoded item"
    assert "data=fashion-mnist" in app.url and exceptions(app) == 0
    app.get_by_text("MNIST digits", exact=True).click()
    app.wait_for_function("document.querySelector('.lab-legend .lab-chip')?.textContent === '0'", timeout=60_000)
    wait_idle(app)
    assert "data=" not in app.url and exceptions(app) == 0
