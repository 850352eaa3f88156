"""The training replay's playback in a real browser: Chromium against a running Latent Lab server.

    python bench/replay.py [--url http://127.0.0.1:8501] [--runs 3]

Without --url it starts its own server (on checkpoints/, or LATENT_LAB_CHECKPOINTS). Opens the
"Why it works" tab, then plays the whole replay at the top speed, several times, timing in the
page every frame drawn (the element's data-frame and data-draw-ms): frames per second reached and
the time one frame takes to draw. Also the replay's one-time payload. Writes bench/results/replay.json.
"""

import argparse
import contextlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import launch, open_app, streamlit_server, wait_idle, write_report  # noqa: E402

REPLAY = ".lab-replay"
# Every frame the element draws, as the page sees it: [time ms, frame, draw ms].
JS_RECORD_FRAMES = """() => {
    const root = document.querySelector('.lab-replay');
    window.__frames = [];
    new MutationObserver(() => window.__frames.push([performance.now(), Number(root.dataset.frame),
                                                     Number(root.dataset.drawMs)]))
        .observe(root, { attributes: true, attributeFilter: ['data-frame'] });
}"""


def payload_bytes():
    """Which replay was played, and its data as the server sends it: once per session (every frame), then per run."""
    from model import checkpoint_dir
    from model.replay import load_replay
    from ui.components.replay.replay import large_data, static_data

    folder = str(checkpoint_dir())
    _, meta = load_replay(checkpoint_dir("mnist") / "replay.npz")
    training = meta.get("training", {})
    return {"replay": {"epochs": training.get("epochs"), "train_images_limit": training.get("limit"),
                       "recorded": meta.get("date")},
            "frames_once_bytes": len(json.dumps(large_data(folder, "mnist"))),
            "per_run_bytes": len(json.dumps(static_data(folder, "mnist")))}


def first_frame(browser, url):
    """Seconds from opening the tab in a fresh page to the replay's first frame drawn."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    start = time.perf_counter()
    page.goto(f"{url}/?tab=why")
    page.wait_for_selector(f"{REPLAY}[data-frame]", timeout=120_000)
    seconds = round(time.perf_counter() - start, 2)
    page.context.close()
    return seconds


def play_through(page, fps):
    """Play from the first frame to the last at fps; (frames shown per second, draw times in ms, frames shown).

    Playback keeps time (replay-core.mjs: playhead), so a frame due while the page was busy is skipped."""
    page.evaluate(JS_RECORD_FRAMES)
    page.select_option(".rp-speed", str(fps))
    page.click(".rp-play")
    page.wait_for_function(f"document.querySelector('{REPLAY}').dataset.playing === '0'", timeout=120_000)
    log = page.evaluate("window.__frames")
    changes = [row for i, row in enumerate(log) if i == 0 or row[1] != log[i - 1][1]]
    seconds = (changes[-1][0] - changes[0][0]) / 1000
    return (len(changes) - 1) / seconds, [row[2] for row in changes], len(changes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fps", type=int, default=10, help="the speed to play at (one of the element's SPEEDS)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "replay.json"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = contextlib.nullcontext((args.url, None)) if args.url else streamlit_server()
    with server as (url, _), sync_playwright() as p:
        browser = launch(p)
        first_frame_s = [first_frame(browser, url) for _ in range(2)]  # a server's first page loads the models
        page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
        open_app(page, url, "?tab=why")
        page.wait_for_selector(f"{REPLAY}[data-frame]", timeout=60_000)
        wait_idle(page)
        count = int(page.get_attribute(".rp-scrubber", "max")) + 1
        reached, draws, shown = [], [], []
        for _ in range(args.runs):
            fps, draw_ms, frames = play_through(page, args.fps)
            reached.append(round(fps, 2))
            shown.append(frames)
            draws += draw_ms
            wait_idle(page)
        browser.close()
    draws = np.asarray(draws)
    result = {
        "what": f"play the whole replay at {args.fps} frames/s, {args.runs} times, in Debian Chromium (software rendering)",
        "machine": f"{platform.node()} ({platform.machine()}), shared with other work",
        "frames_in_replay": count, "frames_shown": shown, "speed_asked_fps": args.fps, "frames_shown_per_s": reached,
        "draw_ms_p50": round(float(np.percentile(draws, 50)), 2), "draw_ms_p95": round(float(np.percentile(draws, 95)), 2),
        "draw_ms_max": round(float(draws.max()), 2),
        "page_to_first_frame_s": {"first_page_of_the_server": first_frame_s[0], "next_page": first_frame_s[1]},
        **payload_bytes(),
    }
    write_report(result, args.out)


if __name__ == "__main__":
    main()
