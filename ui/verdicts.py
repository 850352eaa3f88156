"""The digit judge's verdict on a set of images, in plain words and numbers."""

import streamlit as st


def clear_count(verdict):
    """How many of the judged images look like a clear digit."""
    return round(verdict.confident_share * verdict.n)


def verdict_markdown(verdict):
    """The judge's verdict in plain words and numbers."""
    clear = clear_count(verdict)
    seen = [d for d, c in enumerate(verdict.histogram) if c]
    missing = [d for d, c in enumerate(verdict.histogram) if not c]
    counts = " ".join(f"**{d}**×{c}" for d, c in enumerate(verdict.histogram) if c)
    junk = f" · **{verdict.not_digits}** look like no digit at all" if verdict.not_digits else ""
    lines = [
        f"**{clear} of {verdict.n}** look like a clear digit (judge ≥ 90 % sure){junk}.",
        f"Digits the judge sees: {counts or 'none'}"
        + (f" — never: {', '.join(map(str, missing))}" if missing and len(seen) > 0 else ""),
        f"Fréchet distance to real digits: **{verdict.frechet:.1f}** (lower is more digit-like).",
    ]
    return "  \n".join(lines)


def show_verdict(verdict):
    st.markdown(verdict_markdown(verdict))
