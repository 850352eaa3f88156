"""Server-wide, load-once resources (st.cache_resource): one Lab per (data set, latent size), and
images built from it. The explorer element's fixed data is cached beside its declaration
(ui.components.explorer.explorer), keyed the same way; `warm_in_background` fills such caches
once per server before students ask for them.

Cached objects are shared by every session, so nothing in them may be mutated.
"""

import gc
import logging
import sys
import threading
import time
from pathlib import Path

import streamlit as st
import torch
from threadpoolctl import threadpool_limits

from model import CheckpointError, checkpoint_dir
from model.data import DEFAULT_DATASET
from model.family import load_family
from model.lab import load_lab
from model.latent import manifold_grid
from model.replay import load_replay
from ui.link import DATASETS, LATENT_SIZES
from ui.images import png, tile

FAMILY_DIM = 2  # the β family and the training replay are 2-D models


@st.cache_resource(show_spinner="Loading the models…", max_entries=len(DATASETS) * len(LATENT_SIZES))
def get_lab(latent_dim, folder, dataset=DEFAULT_DATASET):
    # One thread per request: with 2 cores and many students, parallel ops inside one
    # small forward pass only add contention.
    torch.set_num_threads(1)
    # numpy's own BLAS too: its default of one thread per core turned each 128×128 eigh/inv of the
    # judge's verdict from ~3 ms into 30-90 ms on this busy 2-core machine (README: Speed, New samples).
    threadpool_limits(1)
    lab = load_lab(latent_dim, dataset, Path(folder) / dataset)
    lab.classify(lab.decode("vae", [0.0] * latent_dim))  # warm-up: the first forward pass is slow
    # Move everything alive now (models, torch, streamlit) out of the cyclic collector's scans:
    # full collections triggered by per-rerun garbage then stop pausing interactions.
    gc.freeze()
    # One line per load in the server log: the load benchmark checks it happens once per size.
    print(f"[latent-lab] loaded the {latent_dim}-D models of {dataset} from {folder}", file=sys.stderr, flush=True)
    return lab


def lab_or_error(latent_dim, dataset=DEFAULT_DATASET):
    """(Lab, None) or (None, message) — a broken checkpoint must not take the page down."""
    if threading.current_thread().name != WARM_THREAD:
        _warming["last_run"] = time.monotonic()  # every script run asks for its Lab first
    return _or_error(lambda folder, dataset: get_lab(latent_dim, folder, dataset), dataset)


WARM_THREAD = "latent-lab-warm"
QUIET_S = 5.0  # the warm-up starts each task only after this long without a new script run
_warming = {"started": False, "lock": threading.Lock(), "last_run": 0.0}


class QuietWarmThread(logging.Filter):
    """Streamlit warns once per cached call made outside a script run ("missing ScriptRunContext!
    This warning can be ignored..."): expected for the warm-up thread, so not in the server log."""

    def filter(self, record):
        return not record.threadName.startswith(WARM_THREAD)


def warm_in_background(tasks):
    """Run tasks (functions filling st.cache_resource caches, an iterable) once per server in a
    thread of its own, each when the server has been quiet for QUIET_S: what students ask for next
    is then often computed already, and a student's own request rarely waits behind it. Only in a
    running server (AppTest has none: tests compute on demand)."""
    if not st.runtime.exists():
        return
    with _warming["lock"]:
        if _warming["started"]:
            return
        _warming["started"] = True
    quiet_log()
    threading.Thread(target=_warm, args=(tasks,), name=WARM_THREAD, daemon=True).start()


def load_outside_sessions(task):
    """Run task (a function filling caches) to its end, outside any session, quietly: at server start."""
    quiet_log()
    thread = threading.Thread(target=task, name=WARM_THREAD)
    thread.start()
    thread.join()


def quiet_log():
    log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, QuietWarmThread) for f in log.filters):
        log.addFilter(QuietWarmThread())


def _warm(tasks):
    try:
        for task in tasks:
            while (wait := _warming["last_run"] + QUIET_S - time.monotonic()) > 0:
                time.sleep(wait)
            task()
        print("[latent-lab] caches warm", file=sys.stderr, flush=True)
    except Exception as err:  # noqa: BLE001 - a failed warm-up only means the next request computes it
        print(f"[latent-lab] warming the caches stopped: {err!r}", file=sys.stderr, flush=True)


def lab_key(lab):
    """What a cache of data built from one Lab is keyed by: (latent size, data set, checkpoints folder)."""
    return lab.latent_dim, lab.dataset, str(checkpoint_dir())


def manifold_png(lab, kind, n, scale=2):
    """The decoder over an n×n grid of the map (equal prior mass per cell), as one PNG."""
    return _manifold_png(*lab_key(lab), kind, n, scale)


@st.cache_resource(max_entries=8)
def _manifold_png(latent_dim, dataset, folder, kind, n, scale):
    lab = get_lab(latent_dim, folder, dataset)
    space = lab.spaces[kind]
    points, _, _ = manifold_grid(kind, space.points, n, space.projection)
    return png(tile(lab.decode(kind, points), n, gap=0), scale, compress_level=9)  # made once, sent to every page


@st.cache_resource(show_spinner="Loading the β family…", max_entries=2)
def get_family(folder, dataset=DEFAULT_DATASET):
    lab = get_lab(FAMILY_DIM, folder, dataset)
    return load_family(Path(folder) / dataset / "beta", lab.judge, lab.images)


@st.cache_resource(show_spinner="Loading the training replay…", max_entries=2)
def get_replay(folder, dataset=DEFAULT_DATASET):
    """(arrays, meta) of the data set's training replay (model.replay)."""
    return load_replay(Path(folder) / dataset / "replay.npz")


def family_or_error(dataset=DEFAULT_DATASET):
    """(Family, None) or (None, message): a missing or broken member must not take the page down."""
    return _or_error(get_family, dataset)


def replay_or_error(dataset=DEFAULT_DATASET):
    """((arrays, meta), None) or (None, message)."""
    return _or_error(get_replay, dataset)


def _or_error(load, dataset):
    try:
        return load(str(checkpoint_dir()), dataset), None
    except (CheckpointError, FileNotFoundError) as err:
        return None, str(err)
