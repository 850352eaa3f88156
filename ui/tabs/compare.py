"""AE vs VAE tab: the same random draws decoded by both, judged, and where those draws land."""

import html
import random

import numpy as np
import streamlit as st

from model.latent import gaussian_samples, map_view, prior_samples
from model.measures import NEIGHBOURS, neighbour_share
from ui import session
from ui.charts import Frame, codes_view_svg, palette_png, scatter_raster, share_bars_svg
from ui.components.copylink import copy_link
from ui.downloads import samples_download
from ui.images import data_uri, png, show_image, tile
from ui.link import AE_SAMPLING, MAX_SEED, SAMPLE_COUNTS
from ui.nouns import nouns
from ui.resources import get_lab, lab_key
from ui.verdicts import comparison_sentences, show_verdict

AE_SAMPLING_LABELS = {
    "prior": "the standard bell curve N(0, I), like the VAE",
    "fitted": "a bell curve fitted to the AE's own codes (the fair test)",
}
TITLES = {"ae": "Auto-Encoder", "vae": "Variational Auto-Encoder"}
COLUMNS = {16: 4, 36: 6, 64: 8, 100: 10}
MANY_DRAWS = 2000  # the neighbour test over this many draws: what a single draw of 36 varies around
TILE_SCALE = 3  # CSS px per image pixel
ZOOM = 3.2  # half-width of the zoomed view: the prior's bulk (the sliders reach ±3)


def new_seed(current, rng=random):
    """A seed from 0 to MAX_SEED other than current: four digits, to write on the board."""
    seed = rng.randrange(MAX_SEED)
    return seed if seed < current else seed + 1


def on_new_samples():
    session.set_seed(new_seed(session.seed()))


def draws(lab, n, seed, ae_sampling):
    """The latent points both panels decode: the same N(0, I) draw for both models.

    With the fitted option the AE gets that very draw reshaped by its code Gaussian
    (z = mean + L·eps), so the two panels still share their randomness.
    """
    eps = prior_samples(n, lab.latent_dim, seed)
    ae_z = gaussian_samples(eps, *lab.spaces["ae"].gaussian) if ae_sampling == "fitted" else eps
    return {"ae": ae_z, "vae": eps}


def show_samples(lab, kind, z, columns):
    """A model's decoded draws as one tiled image under its title; returns the images."""
    images = lab.decode(kind, z)
    sheet = tile(images, columns)
    st.markdown(f"## {TITLES[kind]}")
    # Sent at 1 px per pixel and enlarged by the browser (pixelated, as crisp): a ninth of the
    # bytes to encode, send and decode on every draw.
    show_image(png(sheet), f"{len(z)} samples decoded by the {kind.upper()}", f"{kind} samples",
               width=TILE_SCALE * sheet.shape[1])
    return images


# --- where the draws land --------------------------------------------------------------------

def codes_uri(lab, kind, frame):
    """The model's test codes drawn into frame, as a PNG data URI (built once per server)."""
    return _codes_uri(*lab_key(lab), kind, frame)


@st.cache_resource(max_entries=16)
def _codes_uri(latent_dim, dataset, folder, kind, frame):
    lab = get_lab(latent_dim, folder, dataset)
    return data_uri(palette_png(scatter_raster(lab.spaces[kind].points, lab.labels, frame)))


def frames(lab):
    """(kind, frame, what it shows) for each codes view: every model at its codes' true scale,
    and in 2-D the AE zoomed into the prior's bulk as well (at true scale it is a dot there)."""
    views = [("ae", Frame.around(map_view(lab.spaces["ae"].points)), "true scale")]
    if lab.latent_dim == 2:
        views.append(("ae", Frame.centred(ZOOM), "zoomed"))
    views.append(("vae", Frame.around(map_view(lab.spaces["vae"].points)), "true scale"))
    return views


def prior_centre(space):
    """Where z = 0 (the bell curve's centre) lies on the space's plane."""
    return space.projection.forward(np.zeros_like(space.projection.mean))


def inside_circle_share(points, centre, radius=2.0):
    """Share of plane points within radius of centre."""
    return float((np.linalg.norm(np.asarray(points) - np.asarray(centre), axis=1) <= radius).mean())


def view_caption(lab, kind, frame, scale, drawn):
    """What one codes view shows, with its numbers."""
    space = lab.spaces[kind]
    name = kind.upper()
    if scale == "zoomed":
        inside = int(frame.holds(drawn).sum())
        return (f"The AE's codes, zoomed into the square ±{ZOOM:g} (blue on the left): {inside} of {len(drawn)} "
                "draws fall inside it.")
    share = inside_circle_share(space.points, prior_centre(space))
    extent = max(abs(frame.x0), abs(frame.x0 + frame.span), abs(frame.y0), abs(frame.y0 + frame.span))
    return (f"{name} codes at their true scale (axes to about ±{extent:.0f}): {share:.0%} of them lie inside the "
            "dashed circle, where N(0, I) puts most of its draws.")


def codes_views(lab, z):
    """The codes views with this draw on top: [(svg, caption)]."""
    views = []
    for i, (kind, frame, scale) in enumerate(frames(lab)):
        space = lab.spaces[kind]
        drawn = space.projection.forward(np.asarray(z[kind], dtype=np.float64))
        zoom = Frame.centred(ZOOM) if lab.latent_dim == 2 and kind == "ae" and scale == "true scale" else None
        names = ("z₁", "z₂") if lab.latent_dim == 2 else ("PC1", "PC2")
        svg = codes_view_svg(f"{lab.latent_dim}-{i}", codes_uri(lab, kind, frame), frame, drawn,
                             f"{kind.upper()} codes ({scale}) with this draw", prior_centre(space), zoom, names)
        views.append((svg, view_caption(lab, kind, frame, scale, drawn)))
    return views


def many_draws_share(lab, kind, ae_sampling):
    """The neighbour test over MANY_DRAWS draws (cached per server)."""
    return _many_draws_share(*lab_key(lab), kind, ae_sampling if kind == "ae" else "prior")


@st.cache_resource(max_entries=16)
def _many_draws_share(latent_dim, dataset, folder, kind, ae_sampling):
    lab = get_lab(latent_dim, folder, dataset)
    z = draws(lab, MANY_DRAWS, 0, ae_sampling)[kind]
    return float(neighbour_share(z, lab.spaces[kind].codes).mean())


def neighbour_words(name, share, w=nouns("mnist")):
    """A neighbour-test share in words: how many of a draw's 10 nearest neighbours are real codes, and what that means."""
    tenths = round(share * NEIGHBOURS)
    if tenths == 0:
        count = f"none of a random draw's {NEIGHBOURS} nearest neighbours is a real {name} code"
    else:
        count = f"on average {share * NEIGHBOURS:.1f} of a random draw's {NEIGHBOURS} nearest neighbours are real {name} codes"
    meaning = {"almost none": f"the draws land where the {name} has never put {w.an_item}",
               "fewer than half": f"the draws crowd into one patch of the {name}'s space: real codes are there too, "
                                  "but packed far less tightly than the draws",
               "about half": "the draws land where its codes live"}[share_tier(share)]
    return f"{count}: {meaning}"


def share_tier(share):
    """A neighbour-test share in three words' worth (0.5 is where the codes live)."""
    return "almost none" if share < 0.1 else "fewer than half" if share < 0.4 else "about half"


def neighbour_sentence(dim, ae_share, vae_share, w=nouns("mnist")):
    first, second = neighbour_words("AE", ae_share, w), neighbour_words("VAE", vae_share, w)
    return f"In {dim}-D, {first}. For the VAE, {second}."


def show_neighbour_test(lab, z, ae_sampling):
    shares = {kind: float(neighbour_share(z[kind], lab.spaces[kind].codes).mean()) for kind in ("ae", "vae")}
    rows = []
    for kind in ("ae", "vae"):
        rows += [(f"{kind.upper()} · this draw", shares[kind]),
                 (f"{kind.upper()} · {MANY_DRAWS:,} draws", many_draws_share(lab, kind, ae_sampling))]
    st.markdown(
        f"**The neighbour test** — mix the draws with as many real codes; for each draw, how many of its "
        f"{NEIGHBOURS} nearest neighbours are real codes? Half of them when the draws land where the codes live. "
        f"It measures in all {lab.latent_dim} dimensions, with no flattening.  \n"
        + share_bars_svg(rows), unsafe_allow_html=True,
        help="A k-nearest-neighbour two-sample test (Schilling 1986), with k = 10: the share of a draw's nearest "
             "neighbours that are real test codes, averaged over the draws.")
    many = {"ae": rows[1][1], "vae": rows[3][1]}
    st.caption(neighbour_sentence(lab.latent_dim, shares["ae"], shares["vae"], nouns(lab.dataset)) + f" Over {MANY_DRAWS:,} draws: "
               + ", ".join(f"{kind.upper()} {many[kind]:.2f} ({share_tier(many[kind])})" for kind in many) + ".")


def show_where_draws_land(lab, z, ae_sampling):
    st.markdown("## Where do the draws land?")
    views = codes_views(lab, z)
    for column, (svg, caption) in zip(st.columns(len(views)), views):
        column.markdown(f'<figure class="lab-figure">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>',
                        unsafe_allow_html=True)
    if lab.latent_dim == 16:
        st.caption("In 16-D these views are flat shadows (the codes' two main directions): a draw can look inside "
                   "a cloud here and still be far from every code. The neighbour test below does not flatten.")
    show_neighbour_test(lab, z, ae_sampling)


@st.fragment
def compare_panel(lab):
    c1, c2, c3, c4 = st.columns([1.2, 1, 1, 2.4], vertical_alignment="bottom")
    if session.shows("seed"):
        c1.button("New samples", icon=":material/casino:", on_click=on_new_samples, type="primary", width="stretch")
        c2.number_input("Seed", 0, MAX_SEED, step=1, **session.bind(session.SEED),
                        help="The same seed gives the same draw: write it on the board to repeat it.")
    if session.shows("n"):
        c3.selectbox("Samples", SAMPLE_COUNTS, **session.bind(session.SAMPLE_COUNT))
    if session.shows("sampling"):
        c4.radio("The AE draws its points from", AE_SAMPLING, format_func=AE_SAMPLING_LABELS.get,
                 **session.bind(session.AE_SAMPLING))
    n, sampling = session.sample_count(), session.ae_sampling()
    z = draws(lab, n, session.seed(), sampling)
    w = nouns(lab.dataset)
    points = (f"the same {n} random points" if sampling == "prior" else
              f"the same {n} random draws — for the AE reshaped to the bell curve fitted to its own codes")
    st.caption(f"Both models decode {points}. Below each panel, a separate {w.item} classifier "
               "(the judge) says what it sees.")
    with st.container(key="compare-panels"):  # the app's style keeps these two side by side on a phone
        panels = dict(zip(("ae", "vae"), st.columns(2, gap="large")))
    images = {}
    for kind, column in panels.items():  # both images first: they reach the page before the judging
        with column:
            images[kind] = show_samples(lab, kind, z[kind], COLUMNS.get(n, 6))
    tallies = {}
    for kind, column in panels.items():
        with column:
            tallies[kind] = show_verdict(lab.judge_images(images[kind]), w)
    sentences = comparison_sentences(tallies["ae"], tallies["vae"], sampling, w)
    st.markdown("\n".join(f"- {line}" for line in sentences))
    samples_download([(TITLES[kind], images[kind], COLUMNS.get(n, 6), TILE_SCALE, tallies[kind]) for kind in panels],
                     f"The same {n} random points (seed {session.seed()}) decoded by both models; the AE draws from "
                     f"{AE_SAMPLING_LABELS[sampling]}. Under each panel, the {w.item} judge's verdict. "
                     + " ".join(sentences),
                     f"ae-vs-vae-{lab.latent_dim}d-seed{session.seed()}.png")
    show_where_draws_land(lab, z, sampling)
    copy_link(session.share_url(), key="compare-link")
    session.sync_link()
