"""The training replay's element (st.components.v2): its declaration and the data it is fed.

replay.mjs (the view) and replay-core.mjs (its pure functions, tested with `node --test`) are
the source; ui.components.bundle inlines replay-core.mjs and explorer-core.mjs (axes, ticks,
base64) into the one module Streamlit serves. Every frame arrives once per session
(`large_data`: float16 codes, one PNG sprite of samples per model) and the page plays them
itself, with no server round trip per frame; per run it gets the small data (captions, loss
curves, counts) and the position. It reports the position when playback stops or the student
steps or scrubs (the "frame" state value), so the link can carry it.
"""

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from model.replay import KINDS
from model.train import TrainConfig, kl_weight
from ui.charts import PALETTE
from ui.components.bundle import bundle
from ui.images import data_uri, png, tile
from ui.resources import get_replay

HERE = Path(__file__).parent
# What replay.mjs imports: its own pure functions, the explorer's axes and base64, the views' lifecycle.
SHARED_MODULES = (HERE / "replay-core.mjs", HERE.parent / "explorer" / "explorer-core.mjs", HERE.parent / "element.mjs")

replay = st.components.v2.component(
    "latent_lab_replay",
    html='<div class="lab-replay"></div>',
    css=(HERE / "replay.css").read_text(),
    js=bundle(HERE / "replay.mjs", *SHARED_MODULES),
    isolate_styles=False,  # presenter mode's type size applies; the browser tests use plain selectors
)

SAMPLE_COLUMNS = 6
TITLES = {"ae": "Auto-encoder (AE)", "vae": "Variational auto-encoder (VAE)"}
REACH_SHARE = 0.99  # the captions say how far from the centre this share of the codes lies


def aligned(arrays):
    """Were the AE's and the VAE's snapshots taken at the same steps (so a frame shows both at once)?"""
    return np.array_equal(arrays["ae_steps"], arrays["vae_steps"])


def frame_count(arrays):
    return len(arrays["vae_steps"])


def reach(codes):
    """[F, N, 2] codes -> [F]: the distance from the centre within which REACH_SHARE of each frame's codes lie."""
    return np.quantile(np.linalg.norm(codes.astype(np.float64), axis=2), REACH_SHARE, axis=1)


def whole(value, default=None):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


def recipe(meta):
    """What the captions need from the replay's metadata: (TrainConfig of the VAE, steps per epoch or None)."""
    training = meta.get("training") if isinstance(meta.get("training"), dict) else {}
    beta = training.get("beta", 1.0)
    beta = float(beta) if isinstance(beta, (int, float)) and not isinstance(beta, bool) and beta >= 0 else 1.0
    warmup = training.get("kl_warmup_epochs", 0)
    config = TrainConfig(kind="vae", beta=beta, kl_warmup_epochs=warmup if whole(warmup) else 0,
                         epochs=whole(training.get("epochs"), 0), batch_size=whole(training.get("batch_size"), 0))
    return config, whole(meta.get("steps_per_epoch"))


def when_text(step, epochs_done, config, steps_per_epoch):
    if step == 0:
        return "Before training: the weights are still random."
    digits = f" of {config.batch_size} digits" if config.batch_size else ""
    text = f"After {step:,} batches{digits}"
    if not steps_per_epoch:
        return text + "."
    of_all = f" of {config.epochs}" if config.epochs else ""
    into = step - epochs_done * steps_per_epoch
    if into <= 0:
        return f"{text}: the end of epoch {epochs_done}{of_all} (an epoch = every training digit once)."
    return f"{text}: epoch {epochs_done + 1}{of_all}, {into} of its {steps_per_epoch} batches."


def pull_text(step, config, steps_per_epoch):
    """The weight of the VAE's KL term at this step, in words (None when the replay does not say)."""
    if not steps_per_epoch:
        return None
    weight = kl_weight(config, step, steps_per_epoch)
    if weight < config.beta:
        return (f"The VAE's pull toward the prior (the KL term) is still warming up: weight {weight:.2f} of "
                f"{config.beta:g}, growing over the first {config.kl_warmup_epochs} epochs — so far the VAE is "
                "trained almost like the auto-encoder.")
    return f"The VAE's pull toward the prior (the KL term) has its full weight (β = {config.beta:g})."


def frame_captions(arrays, meta):
    """One caption per frame, in plain words, from the replay's own numbers."""
    config, steps_per_epoch = recipe(meta)
    reach_ae, reach_vae = reach(arrays["ae_codes"]), reach(arrays["vae_codes"])
    samples = arrays["vae_samples"].shape[1]
    captions = []
    for f, step in enumerate(arrays["vae_steps"].tolist()):
        parts = [when_text(step, int(arrays["vae_epochs"][f]), config, steps_per_epoch),
                 pull_text(step, config, steps_per_epoch),
                 f"The AE's codes reach {reach_ae[f]:.1f} from the centre, the VAE's {reach_vae[f]:.1f} "
                 f"({REACH_SHARE:.0%} of them; the prior's 2σ circle has radius 2).",
                 f"The judge calls {int(arrays['ae_clear'][f])} of {samples} AE samples and "
                 f"{int(arrays['vae_clear'][f])} of {samples} VAE samples clear digits."]
        captions.append(" ".join(p for p in parts if p))
    return captions


def sprite(samples):
    """[F, S, 28, 28] uint8 -> one PNG: each frame's samples as a grid, frames stacked top to bottom."""
    return png(np.concatenate([tile(frame / 255.0, SAMPLE_COLUMNS) for frame in samples], axis=0))


def b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def signature(folder, dataset):
    return f"{dataset}:{folder}"


def static_data(folder, dataset):
    """The element's small data (captions, curves, counts): sent on every run, shared by every session."""
    return _static_data(folder, dataset)


@st.cache_resource(max_entries=2)
def _static_data(folder, dataset):
    arrays, meta = get_replay(folder, dataset)
    n = len(arrays["labels"])
    samples = arrays["vae_samples"].shape[1]
    return {
        "signature": signature(folder, dataset), "count": frame_count(arrays),
        "steps": arrays["vae_steps"].tolist(), "captions": frame_captions(arrays, meta),
        "kinds": [{"kind": kind, "title": TITLES[kind], "clear": arrays[f"{kind}_clear"].tolist(),
                   "recon": np.round(arrays[f"{kind}_recon"].astype(float), 2).tolist(),
                   "kl": np.round(arrays[f"{kind}_kl"].astype(float), 2).tolist()} for kind in KINDS],
        "samples": samples, "columns": SAMPLE_COLUMNS, "palette": PALETTE,
        "map_note": f"{n:,} test digits, coloured by digit, with the prior's 1σ and 2σ circles. Each map zooms to "
                    "fit 98 % of its codes, so read the axis numbers: the circles shrink as the AE's codes spread.",
        "samples_note": f"The same {samples} random points z ~ N(0, I) decoded at every frame.",
        "recon_title": "How far reconstructions are from the digits (reconstruction loss, nats per digit)",
        "kl_title": "How far the codes are from the prior (KL, nats per digit; the AE has no such term: 0)",
        "x_title": "batches seen (log scale)",
    }


def large_data(folder, dataset):
    """Every frame's codes and samples (~1 MB): sent to a browser once per session, kept there."""
    return _large_data(folder, dataset)


@st.cache_resource(max_entries=2)
def _large_data(folder, dataset):
    arrays, _ = get_replay(folder, dataset)
    return {"labels": b64(arrays["labels"], np.uint8),
            "codes": {kind: b64(arrays[f"{kind}_codes"], "<f2") for kind in KINDS},
            "sprites": {kind: data_uri(sprite(arrays[f"{kind}_samples"])) for kind in KINDS}}


def reported_frame(value, count):
    """The position the page reported -> a frame index, or None when it is not one (never raises)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        return None
    return value
