"""A long session: one student, 500 slider moves and 100 map clicks, in real Chromium.

    python bench/soak.py [--moves 500] [--clicks 100]

Every displayed image must load (no broken image, no "Missing file" in the server log),
and server memory must stay flat: writes bench/results/soak.json with the RSS slope.
"""

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import (DIGIT, broken_images, click_map, exceptions, launch, map_ranges,  # noqa: E402
                           click_slider, open_app, random_map_point, rss_mb, src,
                           server_log_health, streamlit_server, wait_idle, wait_src_change, write_report)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=500)
    parser.add_argument("--clicks", type=int, default=100)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "soak.json"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rng = random.Random(0)
    log_path = ROOT / "test-artifacts" / "soak-server.log"
    memory, broken, timeouts, latencies = [], 0, 0, []
    with streamlit_server(log_path) as (url, proc), sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        open_app(page, url, f"?dim={args.dim}")
        ranges = map_ranges(page)
        plan = ["slider"] * args.moves + ["map"] * args.clicks
        rng.shuffle(plan)
        started = time.time()
        for i, kind in enumerate(plan):
            before = src(page, DIGIT)
            t = time.perf_counter()
            if kind == "slider":
                click_slider(page, rng.randrange(args.dim), rng)
            else:
                click_map(page, *random_map_point(rng, ranges))
            try:
                wait_src_change(page, DIGIT, before, timeout=10_000)
                latencies.append((time.perf_counter() - t) * 1000)
            except Exception:  # noqa: BLE001 - counted
                timeouts += 1
            wait_idle(page)
            if i % 50 == 0 or i == len(plan) - 1:
                memory.append((i, rss_mb(proc.pid)))
                broken += broken_images(page)
        exception_elements = exceptions(page)
        browser.close()
        wall = time.time() - started
    log = log_path.read_text()
    steps, mb = np.array(memory, dtype=float).T
    half = len(steps) // 2
    slope_all = np.polyfit(steps, mb, 1)[0] * 100
    slope_late = np.polyfit(steps[half:], mb[half:], 1)[0] * 100  # after warm-up
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "dim": args.dim, "slider_moves": args.moves,
        "map_clicks": args.clicks, "wall_seconds": round(wall, 1), "timeouts": timeouts,
        "broken_images": broken, "exception_elements": exception_elements,
        **server_log_health(log),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1), "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "rss_mb_first": round(mb[0], 1), "rss_mb_last": round(mb[-1], 1),
        "rss_slope_mb_per_100_interactions": round(float(slope_all), 3),
        "rss_slope_second_half_mb_per_100": round(float(slope_late), 3),
        "rss_samples": [[int(s), round(m, 1)] for s, m in memory],
    }
    write_report(result, args.out, hide=("rss_samples",))


if __name__ == "__main__":
    main()
