"""Step 6: one continuous space — the AE's decoder over its own codes' range next to the VAE's
over the bell curve, with the judge's share of clear digits in each grid."""

import streamlit as st

from ui import session
from ui.images import png, show_image, tile
from ui.nouns import nouns
from ui.tabs.lesson import words
from ui.tabs.lesson.demos import POOL_GRID, pools

WHERE = {"ae": "over the range of its own codes", "vae": "over the bell curve (each cell equally likely)"}


def extent_text(grid, d):
    axes = ("z₁", "z₂") if d == 2 else ("first main direction", "second main direction")
    return (f"{axes[0]} from {grid.x_range[0]:.1f} to {grid.x_range[1]:.1f}, "
            f"{axes[1]} from {grid.y_range[0]:.1f} to {grid.y_range[1]:.1f}")


def grid_text(grid, w=nouns("mnist")):
    digit, share = grid.commonest
    return (f"**{grid.clear_share:.0%}** of the {POOL_GRID * POOL_GRID} cells are clear {w.items}, "
            f"{len(grid.kinds)} kinds ({', '.join(w.name(k) for k in grid.kinds) or 'none'}); the commonest, "
            f"the {w.name(digit)}, fills {share:.0%} of the grid.")


def difference_text(grids, w=nouns("mnist")):
    uneven = grids["ae"].commonest[1] > 1.5 * grids["vae"].commonest[1]
    return (f"Both decoders fill their own maps with {w.items} that blend into each other. What differs is *where* "
            "that map is: the AE's lies wherever training put it"
            + (f", with its {w.items} in pools of very uneven size" if uneven else "")
            + ", and nothing says where to draw a code from; the VAE's **is** the bell curve we draw random "
            "codes from.")


def show(lab):
    d = lab.latent_dim
    view = "its two numbers" if d == 2 else "a flat view of its 16 numbers (the two main directions)"
    st.markdown(f"Each picture is the decoder run on a {POOL_GRID} × {POOL_GRID} grid of codes laid over the "
                f"model's map ({view}): neighbouring cells blend into each other.", help=words.PCA)
    grids = {kind: pools(lab, kind) for kind in ("ae", "vae")}
    for column, kind in zip(st.columns(2, gap="medium"), ("ae", "vae")):
        grid = grids[kind]
        with column:
            st.markdown(f"**{kind.upper()}**, {WHERE[kind]}")
            show_image(png(tile(grid.images, POOL_GRID, gap=0), 1), extent_text(grid, d), f"lesson {kind} pools")
            st.markdown(grid_text(grid, nouns(lab.dataset)), help=words.judge(nouns(lab.dataset)))
    st.markdown(difference_text(grids, nouns(lab.dataset)))
    session.set_lesson_seen("pools", {"dim": d, **{kind: grids[kind].clear_share for kind in grids},
                                      **{f"{kind}_kinds": grids[kind].kinds for kind in grids}})
