"""Lesson tab: the argument as a 20-minute lecture, one step per screen.

Each step picks the latent size that makes its point best and says so; the teacher can change
it per step (the choice lives in the link). The steps' views are one module each; their
numbers and images come from ui.tabs.lesson.demos, so a step's text and picture agree.
"""

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from ui import session
from ui.link import LATENT_SIZES, LESSON_STEPS
from ui.nouns import nouns
from ui.resources import DEFAULT_DATASET, lab_or_error
from ui.tabs.lesson import cloud, compress, holes, kl, perturb, pools, recap, words


@dataclass(frozen=True)
class Step:
    title: str
    show: Callable  # show(lab): draws the step with the models of one latent size
    pick: int | None  # the latent size that makes the step's point best; None: the step uses no models
    why: str = ""  # why that size, said on screen ({items}: the data set's word, "digits" or "items")
    fixed: bool = False  # the teacher cannot change the size (the β dial's models exist only in 2-D MNIST)
    why_fashion: str = ""  # where `why` is not true of Fashion-MNIST: what is (measured, see the README)


STEPS = (
    Step("Compress and reconstruct", compress.show, 16,
         "16 numbers are enough for a sharp copy; 2 numbers give a blurrier one."),
    Step("Random codes in the AE's space", holes.show, 16,
         "in 2-D the random codes land in one patch among the AE's own codes, so its samples look fine; the "
         "holes show in 16-D.",
         why_fashion="the holes are starkest in 16-D; on clothes the AE's random codes miss its own codes in "
                     "2-D too (see AE vs VAE at 2-D)."),
    Step("The VAE's encoder gives a cloud", cloud.show, 16,
         "in 2-D {an_item}'s cloud is so narrow that all its samples decode to the same image."),
    Step("What the KL term does", kl.show, 2, "the models with other values of β were trained in 2-D.", fixed=True),
    Step("Sample and perturb", perturb.show, 16,
         "in 2-D random codes land among the AE's codes, so its walk gives {items} too (see step 2 at 2-D).",
         why_fashion="in 2-D the two walks differ less, and from walk to walk (see step 2 at 2-D)."),
    Step("One continuous space", pools.show, 2,
         "in 16-D the map is a flat view of 16 numbers: one mixed blob, and a grid over it shows only a few "
         "kinds of {item}."),
    Step("Recap", recap.show, None),
)
assert len(STEPS) == LESSON_STEPS


def on_step(delta):
    session.set_lesson_step(min(LESSON_STEPS, max(1, session.lesson_step() + delta)))


def on_size(number, pick):
    chosen = session.widget_value(session.lesson_size_key(number))
    session.set_lesson_size(number, None if chosen in (None, pick) else chosen)


def size_note(step, dim, w=nouns(DEFAULT_DATASET)):
    why = (step.why_fashion if step.why_fashion and not w.is_digits else step.why).format(
        items=w.items, item=w.item, an_item=w.an_item)
    if dim == step.pick:
        return f":material/info: This step uses the {dim}-D models: {why}"
    return f":material/info: Shown with the {dim}-D models (the teacher's choice). This step picks {step.pick}-D: {why}"


def step_size(number, step, w):
    """The latent size this step is shown at, with the note that says why and (unless fixed) the teacher's control."""
    dim = step.pick if step.fixed else session.lesson_size(number, step.pick)
    note, control = st.columns([4, 1.4], vertical_alignment="center")
    note.caption(size_note(step, dim, w), help=words.LATENT_SIZE)
    if not step.fixed and session.shows("lsize"):
        control.segmented_control("Latent size for this step", LATENT_SIZES, default=dim, required=True,
                                  key=session.lesson_size_key(number), format_func=lambda d: f"{d}-D",
                                  on_change=on_size, args=(number, step.pick), label_visibility="collapsed")
    return dim


def show_step(number, step, sidebar_lab):
    if step.pick is None:
        step.show(sidebar_lab)
        return
    dataset = DEFAULT_DATASET if step.fixed else sidebar_lab.dataset  # the β family: MNIST only
    if dataset != sidebar_lab.dataset:
        st.info(f"This step shows the **MNIST** models, digits rather than {nouns(sidebar_lab.dataset).title}: the "
                "VAEs at other values of β were trained on MNIST only.", icon=":material/info:")
    dim = step_size(number, step, nouns(dataset))
    lab, error = lab_or_error(dim, dataset)
    if error:
        st.error(f"The {dim}-D models could not be loaded.\n\n{error}", icon=":material/error:")
        return
    step.show(lab)


def navigation(number):
    """Previous, where the class is, Next: above the step, so Next is on the first screen whatever the step holds."""
    prev, progress, nxt = st.columns([1, 3, 1], vertical_alignment="center")
    prev.button("← Previous", on_click=on_step, args=(-1,), disabled=number == 1, width="stretch")
    progress.progress(number / LESSON_STEPS, text=f"Step {number} of {LESSON_STEPS}")
    nxt.button("Next →", on_click=on_step, args=(1,), disabled=number == LESSON_STEPS, width="stretch",
               type="primary")


@st.fragment
def lesson_panel(lab):
    number = session.lesson_step()
    step = STEPS[number - 1]
    if session.shows("nav"):
        navigation(number)
    st.markdown(f"## {number}. {step.title}")
    show_step(number, step, lab)
    session.sync_link()
