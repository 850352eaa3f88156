"""Latency as a student's browser sees it: real Chromium against a running Latent Lab server.

    python bench/latency.py [--url http://127.0.0.1:8501] [--moves 30] [--clicks 30] [--samples 20] [--drawings 15]
                            [--only explore|drawing|pages|switch]

Without --url it starts its own server. Prints a table and writes bench/results/latency.json.
Page loads: "cold_page", the first page after a fresh server start (a new server for each repeat,
the page opened as soon as the server answers its health check); "new_student", a student joining
a warm server (its caches filled: it logged "caches warm"); "new_student_warming", students who
join while the server fills them, just after its first page. "switch_to_fashion": on a fresh
server, the MNIST page, then the sidebar's data set switched to Fashion-MNIST: from the click to
the Fashion page drawn (its legend names clothes, every image loaded, the map drawn); once as soon
as the MNIST page is drawn ("_at_once") and once after a student's pause (--pause s, the warm-up
of ui.tabs.explore.warm_up may load the Fashion Lab meanwhile).
Each interaction is timed inside the page, from the input event's own timestamp to the moment
the new image is decoded (bench/browser.py: JS_RECORD_INPUT, JS_NEXT_IMAGE_MS); where to
click is worked out before, so Playwright's own work is not counted. A drawing is timed from the
stroke's end (its pointerup) until the Draw tab's results have drawn it (bench/browser.py: JS_SHOWN_MS).
"""

import argparse
import contextlib
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import (DIGIT, DRAWVIEW, JS_ANSWER_MS, JS_NEXT_IMAGE_MS, JS_RECORD_INPUT,  # noqa: E402
                           JS_RECORD_STROKE_END, JS_SHOWN_MS, MAP, SEVEN, SLIDER, draw_stroke, drawing_shown, launch,
                           map_pixel, map_ranges, open_app, random_map_point, random_track_point, slider_track,
                           slider_values, src, streamlit_server, wait_idle)

TARGETS_MS = {"switch_to_fashion": 3000, "switch_to_fashion_at_once": 3000, "cold_page": 3000, "server_start": None, "new_student": 1500, "new_student_warming": None, "slider": 150, "map_click": 250, "new_samples": 150, "drawing": 200,
              "slider_answer": None, "map_answer": None}  # the server's answer: the judge's caption


def stats(samples_ms):
    a = np.asarray(samples_ms)
    return {"n": len(a), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "max_ms": round(float(a.max()), 1)}


def timed_click(page, x, y):
    """Click at (x, y); in-page times until the new digit is decoded and until the server's answer."""
    before = src(page, DIGIT)
    page.mouse.click(x, y)
    shown = page.evaluate(JS_NEXT_IMAGE_MS, [DIGIT, before, 15_000])
    answered = page.evaluate(JS_ANSWER_MS, 15_000)
    if shown is None or answered is None:
        raise TimeoutError("no new digit or no answer from the server within 15 s")
    wait_idle(page)
    return shown, answered


def page_load_ms(browser, url, dim):
    """A new student's page, navigation -> every image loaded and the map drawn."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{url}/?dim={dim}")
    page.wait_for_selector('img[alt="manifold grid"]', timeout=60_000)
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
                           " && document.querySelector('[data-testid=\"latent-map\"][data-view]') !== null",
                           timeout=60_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def new_student(browser, url, dim, repeats):
    return [page_load_ms(browser, url, dim) for _ in range(repeats)]


def cold_page(browser, dim, repeats):
    """The first page after the server starts: a fresh server for each repeat. Returns the pages'
    times and the servers' own start times (process start -> healthy: the app loads the first
    page's models and data before it says it is healthy, app.py)."""
    pages, starts = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with streamlit_server() as (url, _):
            starts.append((time.perf_counter() - started) * 1000)
            pages.append(page_load_ms(browser, url, dim))
    return pages, starts


FASHION_PAGE = ("Array.from(document.querySelectorAll('.lab-chip')).some(c => c.textContent === 'T-shirt')"
                " && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
                " && document.querySelector('[data-testid=\"latent-map\"][data-view]') !== null")


def switch_ms(browser, url, pause):
    """The MNIST page, `pause` s of a student looking at it, then the switch to Fashion-MNIST: click -> its page drawn."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    open_app(page, url, "?dim=2")
    page.wait_for_function(FASHION_PAGE.replace("'T-shirt'", "'7'"), timeout=60_000)
    time.sleep(pause)
    start = time.perf_counter()
    page.get_by_text("Fashion-MNIST clothes").click()
    page.wait_for_function(FASHION_PAGE, timeout=60_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def dataset_switches(browser, repeats, pause):
    """The first switch to Fashion-MNIST on a fresh server, at once and after a pause (a fresh server each)."""
    row = {}
    for name, wait in (("switch_to_fashion_at_once", 0.0), ("switch_to_fashion", pause)):
        times = []
        for _ in range(repeats):
            with streamlit_server() as (url, _):
                times.append(switch_ms(browser, url, wait))
        row[name] = stats(times)
    return row


def wait_warm(log, timeout=300):
    """Until the server has filled its caches (ui.resources.warm_in_background, started by the first page)."""
    deadline = time.time() + timeout
    while "[latent-lab] caches warm" not in log.read_text() and time.time() < deadline:
        time.sleep(0.5)


def page_loads(browser, url, dim, args, log):
    """cold_page on fresh servers (not with --url), then new students on this one."""
    row = {}
    if not args.url:
        pages, starts = cold_page(browser, dim, args.cold)
        row.update(cold_page=stats(pages), server_start=stats(starts))
    new_student(browser, url, dim, 1)  # the server's first page starts its warm-up
    if log and dim == 2:  # students who join while it runs, and after
        row["new_student_warming"] = stats(new_student(browser, url, dim, 3))
        wait_warm(log)
    row["new_student"] = stats(new_student(browser, url, dim, args.cold))
    return row


def slider_moves(page, n, rng):
    times = []
    count = page.locator(SLIDER).count()
    for i in range(n):
        track = slider_track(page, i % count)
        track.scroll_into_view_if_needed()
        current = (slider_values(page)[i % count] + 3) / 6
        times.append(timed_click(page, *random_track_point(rng, track.bounding_box(), current)))
    return times


def map_clicks(page, n, rng):
    times = []
    ranges = map_ranges(page)
    for _ in range(n):
        page.locator(MAP).scroll_into_view_if_needed()
        times.append(timed_click(page, *map_pixel(page, *random_map_point(rng, ranges))))
    return times


def new_samples(page, n):
    times = []
    button = page.get_by_role("button", name="New samples")
    for _ in range(n):
        ae, vae = src(page, 'img[alt="ae samples"]'), src(page, 'img[alt="vae samples"]')
        box = button.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        # Both calls measure from the same click: the later panel decides.
        times.append(max(page.evaluate(JS_NEXT_IMAGE_MS, [sel, old, 15_000])
                         for sel, old in (('img[alt="ae samples"]', ae), ('img[alt="vae samples"]', vae))))
        wait_idle(page)
    return times


def drawings(page, n, rng):
    """n sevens drawn in two strokes on a cleared pad (the bar, then the stem), jittered: each stroke
    timed from its end until the results show it."""
    times = []
    for _ in range(n):
        page.get_by_role("button", name="Clear").click()
        page.wait_for_selector(DRAWVIEW, state="hidden")
        wait_idle(page)
        jitter = [(fx + rng.uniform(-0.05, 0.05), fy + rng.uniform(-0.05, 0.05)) for fx, fy in SEVEN]
        for stroke in (jitter[:2], jitter[1:]):
            before = drawing_shown(page)
            draw_stroke(page, stroke)
            shown = page.evaluate(JS_SHOWN_MS, [before, 15_000])
            if shown is None:
                raise TimeoutError("the Draw tab showed no new results within 15 s of a stroke")
            times.append(shown)
            wait_idle(page)
    return times


def run(url, args, log=None):
    from playwright.sync_api import sync_playwright

    rng = random.Random(0)
    results = {}
    with sync_playwright() as p:
        browser = launch(p)
        if args.only in (None, "switch") and not args.url:
            results["switch"] = dataset_switches(browser, args.cold, args.pause)
        for dim in (2, 16) if args.only != "switch" else ():
            row = page_loads(browser, url, dim, args, log) if args.only in (None, "explore", "pages") else {}
            if args.only in (None, "explore"):
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.add_init_script(JS_RECORD_INPUT)
                open_app(page, url, f"?dim={dim}")
                moves, clicks = slider_moves(page, args.moves, rng), map_clicks(page, args.clicks, rng)
                row.update({"slider": stats([shown for shown, _ in moves]), "slider_answer": stats([a for _, a in moves]),
                            "map_click": stats([shown for shown, _ in clicks]), "map_answer": stats([a for _, a in clicks])})
                open_app(page, url, f"?dim={dim}&tab=compare")
                row["new_samples"] = stats(new_samples(page, args.samples))
                page.close()
            if args.only in (None, "drawing"):
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.add_init_script(JS_RECORD_STROKE_END)  # timed from the stroke's end, not its start
                open_app(page, url, f"?dim={dim}&tab=draw")
                row["drawing"] = stats(drawings(page, args.drawings, rng))
                page.close()
            results[f"{dim}d"] = row
        browser.close()
    return results


def report(results, out, load_average):
    print(f"{'interaction':<14}{'size':>6}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'target':>9}  ok")
    failed = []
    for size, row in results.items():
        for name, s in row.items():
            target = TARGETS_MS[name]
            ok = target is None or s["p95_ms"] <= target
            failed += [] if ok else [f"{name}@{size}"]
            print(f"{name:<14}{size:>6}{s['n']:>5}{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}{target or '-':>9}  "
                  f"{'-' if target is None else 'yes' if ok else 'NO'}")
    data = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, "
            f"{os.cpu_count()} cores", "targets_p95_ms": TARGETS_MS, "results": results,
            "missed": failed, "load_average_start_end": load_average,
            "method": "Debian Chromium via Playwright; in the page, from the input event's timestamp to the new "
                      "image decoded; slider = mouse click on a random track position; drawing = a mouse stroke on the "
                      "Draw tab's pad, from its pointerup to the results element showing it (its changed pictures "
                      "decoded); "
                      "page loads = navigation -> all images loaded and the map drawn; cold_page: a fresh server "
                      "per repeat, opened as soon as it answers /_stcore/health (server_start: its process start -> healthy, which "
                      "includes loading the first page's models); new_student: server up, its caches "
                      "warm (it logged 'caches warm')"}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2))
    print(f"wrote {out}")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--drawings", type=int, default=15, help="sevens drawn per size, two strokes each")
    parser.add_argument("--pause", type=float, default=10.0,
                        help="seconds a student looks at the MNIST page before switching to Fashion-MNIST")
    parser.add_argument("--only", choices=("explore", "drawing", "pages", "switch"),
                        help="only these interactions (explore: page loads, sliders, map, new samples; pages: page "
                             "loads; switch: the first switch to Fashion-MNIST, on fresh servers)")
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latency.json"))
    args = parser.parse_args()
    log = ROOT / "test-artifacts" / "latency-server.log"
    server = contextlib.nullcontext((args.url, None)) if args.url else streamlit_server(log)
    load = [round(os.getloadavg()[0], 1)]  # other work on this shared machine slows every number
    with server as (url, _):
        results = run(url, args, None if args.url else log)
    report(results, Path(args.out), load + [round(os.getloadavg()[0], 1)])


if __name__ == "__main__":
    main()
