"""Predict first: a question the class answers before the step shows the result."""

import streamlit as st

from ui import session

SKIPPED = "skipped"  # the teacher moved on without a guess


def _take_number(question):
    value = session.widget_value(session.lesson_guess_key(question))
    if value is not None:
        session.set_lesson_guess(question, int(value))


def _take_choice(question):
    value = session.widget_value(session.lesson_guess_key(question))
    if value is not None:
        session.set_lesson_guess(question, value)


def _skip(question):
    session.set_lesson_guess(question, SKIPPED)


def number_guess(question, prompt, most, reveal_label):
    """Ask for a whole number from 0 to `most`; the guess once given (or SKIPPED), else None."""
    guess = session.lesson_guess(question)
    if guess is not None:
        return guess
    with st.container(border=True, key=f"predict-{question}"):
        st.markdown(f":material/psychology_alt: **Predict first:** {prompt}")
        entry, reveal, skip = st.columns([2, 2, 1], vertical_alignment="bottom")
        entry.number_input("Your guess", 0, most, value=None, step=1, placeholder=f"0 to {most}",
                           key=session.lesson_guess_key(question))
        reveal.button(reveal_label, type="primary", on_click=_take_number, args=(question,),
                      disabled=session.widget_value(session.lesson_guess_key(question)) is None)
        skip.button("Skip", type="tertiary", on_click=_skip, args=(question,))
    return None


def choice_guess(question, prompt, options):
    """Ask to pick one of `options`; the choice once made (or SKIPPED), else None."""
    guess = session.lesson_guess(question)
    if guess is not None:
        return guess
    with st.container(border=True, key=f"predict-{question}"):
        st.radio(f":material/psychology_alt: **Predict first:** {prompt}", options, index=None,
                 key=session.lesson_guess_key(question), on_change=_take_choice, args=(question,))
        st.button("Skip", type="tertiary", on_click=_skip, args=(question,))
    return None


def guess_text(guess):
    return "no guess" if guess in (None, SKIPPED) else f"your guess: {guess}"
