"""*New samples* on AE vs VAE, this checkout against another, interleaved: on a shared machine
whose load changes by the minute, only clicks taken turn about compare two versions fairly.

    git worktree add --detach /tmp/before main       # or any other checkout
    python bench/new_samples.py --before /tmp/before [--rounds 20] [--env-before OPENBLAS_NUM_THREADS=1]

Each click is timed as bench/latency.py times it (inside the page, from the click's pointerdown
to both sample panels decoded); the two servers run at once and take turns, the order swapped
every round. Also per click: how long the page's main thread was busy with it, everything drawn
(Chrome's TaskDuration: the codes chart's cost shows here, not in the time to the panels).
Prints p50/p95 per version and size; writes bench/results/new-samples.json.
"""

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import JS_RECORD_INPUT, launch, open_app, streamlit_server  # noqa: E402
from bench.latency import new_samples, stats  # noqa: E402


def env_pairs(pairs):
    return dict(pair.split("=", 1) for pair in pairs or ())


SETTLE_MS = 700  # after the run: the rest of the tab (verdicts, codes views) is drawn


def busy_ms(cdp):
    """The page's main-thread busy time so far (Chrome's Performance.getMetrics TaskDuration), ms."""
    return 1000 * next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")


def timed_draw(page, cdp):
    """(ms to both panels, ms of main thread spent on the whole draw)."""
    before = busy_ms(cdp)
    [shown] = new_samples(page, 1)
    page.wait_for_timeout(SETTLE_MS)
    return shown, busy_ms(cdp) - before


def compare(urls, rounds):
    """{version: {size: {"panels": stats, "main_thread": stats}}} from interleaved clicks on each version's page."""
    from playwright.sync_api import sync_playwright

    results = {name: {} for name in urls}
    with sync_playwright() as p:
        browser = launch(p)
        for dim in (2, 16):
            pages = {}
            for name, url in urls.items():
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.add_init_script(JS_RECORD_INPUT)
                open_app(page, url, f"?dim={dim}&tab=compare")
                new_samples(page, 2)  # the first draws fill the server's caches
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                pages[name] = (page, cdp)
            times = {name: [] for name in urls}
            for r in range(rounds):
                for name in (list(urls) if r % 2 == 0 else list(urls)[::-1]):
                    times[name].append(timed_draw(*pages[name]))
            for name, (page, _) in pages.items():
                results[name][f"{dim}d"] = {"panels": stats([t for t, _ in times[name]]),
                                            "main_thread": stats([b for _, b in times[name]])}
                page.close()
        browser.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other checkout (its app.py is 'before')")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--env-before", nargs="*", help="NAME=VALUE for the 'before' server")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "new-samples.json"))
    args = parser.parse_args()
    logs = ROOT / "test-artifacts"
    with contextlib.ExitStack() as stack:
        before, _ = stack.enter_context(streamlit_server(logs / "before.log", env_pairs(args.env_before),
                                                         root=Path(args.before)))
        after, _ = stack.enter_context(streamlit_server(logs / "after.log"))
        load = os.getloadavg()[0]
        results = compare({"before": before, "after": after}, args.rounds)
    for name, sizes in results.items():
        for size, row in sizes.items():
            s, busy = row["panels"], row["main_thread"]
            print(f"{name:<7}{size:>4}  n {s['n']}  to both panels p50 {s['p50_ms']:5.0f} ms  p95 {s['p95_ms']:5.0f} ms  "
                  f"max {s['max_ms']:5.0f} ms · main thread per draw p50 {busy['p50_ms']:5.0f} ms")
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "load_average_at_start": round(load, 1), "load_average_at_end": round(os.getloadavg()[0], 1),
              "before": str(args.before), "env_before": env_pairs(args.env_before), "results": results,
              "method": "two servers at once, one Chromium page each, clicks taken in turn (order swapped every "
                        "round); panels: in the page, pointerdown -> both sample panels decoded (bench/latency.py); "
                        f"main_thread: Chrome's TaskDuration over the draw and {SETTLE_MS} ms after its run"}
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
