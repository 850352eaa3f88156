"""End-to-end: the lesson in a real browser — every step, with its guesses, shows no exception and
no broken image, and the link follows the step and the teacher's size choice."""

from playwright.sync_api import expect

from bench.browser import broken_images, exceptions, lesson_steps, open_app, wait_idle
from ui import session
from ui.link import LESSON_STEPS


def loaded_images(page):
    """How many images on the page have decoded pixels."""
    return page.evaluate("Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length")


def answer_what_the_step_asks(page, step):
    if step == 2:
        page.get_by_label("Your guess").fill("12")
        page.get_by_label("Your guess").press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Show the samples").click()
        expect(page.get_by_text("(your guess: 12)")).to_be_visible()
    if step == 4:
        page.get_by_text("Fewer of them look like digits").click()
        page.get_by_role("slider").wait_for()
        page.get_by_role("slider").press("Home")  # the dial to β = 0
        expect(page.get_by_text("At β = 0 the judge accepts")).to_be_visible()  # the answer
    wait_idle(page)


def test_next_through_every_step(page, server):
    open_app(page, server, "?tab=lesson")
    for step in lesson_steps(page, LESSON_STEPS):
        answer_what_the_step_asks(page, step)
        assert exceptions(page) == 0 and broken_images(page) == 0, f"step {step}"
        assert step == LESSON_STEPS or loaded_images(page) > 0, f"step {step} shows no picture"
        page.wait_for_url(lambda url, step=step: step == 1 or f"step={step}" in url)
    assert page.get_by_role("button", name="Next").is_disabled()
    expect(page.get_by_text("(your guess: 12)")).to_be_visible()  # the recap remembers the guess


def test_the_teachers_size_choice_goes_into_the_link(page, server):
    open_app(page, server, "?tab=lesson&step=3")
    page.locator(f".st-key-{session.lesson_size_key(3)}").get_by_text("2-D", exact=True).click()
    page.wait_for_url(lambda url: "lsize=3%3A2" in url or "lsize=3:2" in url)
    expect(page.get_by_text("Shown with the 2-D models (the teacher's choice)")).to_be_visible()
    wait_idle(page)
    assert exceptions(page) == 0 and broken_images(page) == 0
