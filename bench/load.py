"""A classroom at once: N browser sessions (Playwright pages in Debian Chromium) against one
server, each moving sliders and clicking the map at human pace.

    python bench/load.py [--sessions 30] [--seconds 60] [--pace 4,10]

Human pace: a student looks at the new digit and the judge's verdict before the next move, 4–10 s
(the think time load tests commonly assume); --pace 1,3 is a stress case (a student clicking
without looking), reported beside it in the README.

Starts its own server, samples its resident memory, and writes bench/results/load.json:
p50/p95 interaction latency, errors, exception elements, server peak RSS and RSS per session,
and how many times the models were loaded (must be once per latent size).
"""

import argparse
import asyncio
import random
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import (CHROMIUM_FLAGS, DIGIT, JS_BROKEN_IMAGES, JS_MAP_PIXEL, JS_NEXT_IMAGE_MS,  # noqa: E402
                           JS_RECORD_INPUT, MAP, MAP_READY, SLIDER, chromium_path, cpu_seconds, machine_cpu_seconds,
                           random_map_point, random_track_point, rss_mb, server_log_health, streamlit_server,
                           write_report)

TARGET_P95_MS = 500


class MemorySampler(threading.Thread):
    def __init__(self, pid, every=0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.running = pid, every, [], True

    def run(self):
        while self.running:
            self.samples.append((time.time(), rss_mb(self.pid)))
            time.sleep(self.every)


def cpu_now(record):
    return time.time(), machine_cpu_seconds(), cpu_seconds(record["server_pid"])


def arrive(record, everyone_loaded):
    record["loaded"] += 1
    if record["loaded"] >= record["sessions"]:
        record["class_start"] = cpu_now(record)  # CPU is counted from here: interactions only, no page loads
        everyone_loaded.set()


JS_LAYOUT = """([slider, map]) => {
    const box = (el) => { const b = el.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; };
    const m = document.querySelector(map);
    return { sliders: Array.from(document.querySelectorAll(slider), box), view: JSON.parse(m.dataset.view) };
}"""
JS_BEFORE = "([digit, slider]) => [document.querySelector(digit).getAttribute('src'), " \
            "Array.from(document.querySelectorAll(slider), (e) => Number(e.value))]"
VIEWPORT = {"width": 1400, "height": 1100}  # the sliders and the whole map fit without scrolling


def slider_pixel(rng, box, value, limit=3.0):
    """A random point on a slider's track, away from its current value (a click there would change nothing)."""
    x, y, w, h = box
    return random_track_point(rng, {"x": x, "y": y, "width": w, "height": h}, (value + limit) / (2 * limit))


async def student(browser, url, dim, seconds, pace, rng, record, arrival, everyone_loaded):
    await asyncio.sleep(arrival)  # students do not all press Enter in the same millisecond
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(JS_RECORD_INPUT)
    page = await context.new_page()
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/?dim={dim}", timeout=180_000)
        await page.wait_for_selector(MAP_READY, timeout=180_000)
        record["page_load"].append((time.perf_counter() - start) * 1000)
        layout = await page.evaluate(JS_LAYOUT, [SLIDER, MAP])
        # Class starts when every laptop shows the page: then all of them interact at once.
        arrive(record, everyone_loaded)
        await everyone_loaded.wait()
        deadline = time.time() + seconds
        while time.time() < deadline:
            await asyncio.sleep(rng.uniform(*pace))  # a student looks at the digit before the next move
            before, values = await page.evaluate(JS_BEFORE, [DIGIT, SLIDER])
            if rng.random() < 0.6:
                i = rng.randrange(dim)
                x, y = slider_pixel(rng, layout["sliders"][i], values[i])
                kind = "slider"
            else:
                v = layout["view"]
                x, y = await page.evaluate(JS_MAP_PIXEL, random_map_point(rng, [[v["x0"], v["x1"]], [v["y0"], v["y1"]]]))
                kind = "map"
            await page.mouse.click(x, y)
            ms = await page.evaluate(JS_NEXT_IMAGE_MS, [DIGIT, before, 10_000])
            if ms is None:
                record["timeouts"].append(kind)
            else:
                record["latency"].append((ms, kind))
        record["exceptions"] += await page.locator('[data-testid="stException"]').count()
        record["broken_images"] += await page.evaluate(JS_BROKEN_IMAGES)
    except Exception as err:  # noqa: BLE001
        record["errors"].append(repr(err)[:200])
        if not everyone_loaded.is_set():
            arrive(record, everyone_loaded)  # a failed page must not hold the others back
    finally:
        await context.close()


async def classroom(url, sessions, seconds, dims, browsers, pace, server_pid):
    from playwright.async_api import async_playwright

    record = {"latency": [], "page_load": [], "timeouts": [], "exceptions": 0, "broken_images": 0, "errors": [],
              "loaded": 0, "sessions": sessions, "server_pid": server_pid}
    everyone_loaded = asyncio.Event()
    async with async_playwright() as p:
        # Several browser processes, as a class has several laptops: one Chromium renders every
        # page's WebGL in a single GPU process, which would serialise the whole class.
        browsers = [await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                    for _ in range(max(1, min(browsers, sessions)))]
        rngs = [random.Random(i) for i in range(sessions)]
        await asyncio.gather(*(student(browsers[i % len(browsers)], url, dims[i % len(dims)], seconds, pace, rngs[i],
                                       record, i * 0.5, everyone_loaded) for i in range(sessions)))
        record["class_end"] = cpu_now(record)
        for browser in browsers:
            await browser.close()
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--dims", default="2,16", help="latent sizes the students use, round robin")
    parser.add_argument("--browsers", type=int, default=6, help="Chromium processes the pages are spread over")
    parser.add_argument("--pace", default="4,10", help="seconds a student waits between moves: uniform(lo, hi)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    args = parser.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    pace = tuple(float(p) for p in args.pace.split(","))
    log_path = ROOT / "test-artifacts" / "load-server.log"

    with streamlit_server(log_path) as (url, proc):
        idle_rss = rss_mb(proc.pid)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        started = time.time()
        record = asyncio.run(classroom(url, args.sessions, args.seconds, dims, args.browsers, pace, proc.pid))
        sampler.running = False
        wall = time.time() - started
    log = log_path.read_text()
    # A page that never showed a new image counts as 10 s, so timeouts weigh on the percentiles.
    latencies = np.array([ms for ms, _ in record["latency"]] + [10_000.0] * len(record["timeouts"]))
    class_wall, machine_cpu, server_cpu = np.subtract(record["class_end"], record["class_start"])
    peak = max(m for _, m in sampler.samples)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "sessions": args.sessions, "seconds": args.seconds,
        "wall_seconds": round(wall, 1), "dims": dims, "browsers": args.browsers, "pace_seconds": pace,
        "interactions": len(latencies),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1) if len(latencies) else None,
        "p95_ms": round(float(np.percentile(latencies, 95)), 1) if len(latencies) else None,
        "by_kind_p95_ms": {k: round(float(np.percentile([ms for ms, kk in record["latency"] if kk == k], 95)), 1)
                           for k in ("slider", "map") if any(kk == k for _, kk in record["latency"])},
        "page_load_p50_ms": round(float(np.percentile(record["page_load"], 50)), 1) if record["page_load"] else None,
        "page_load_max_ms": round(float(max(record["page_load"])), 1) if record["page_load"] else None,
        "timeouts": len(record["timeouts"]), "timeouts_by_kind": {k: record["timeouts"].count(k) for k in ("slider", "map")},
        "errors": record["errors"], "exception_elements": record["exceptions"],
        "broken_images": record["broken_images"],
        # Where the cores went while the class interacted: the server versus the Chromium pages
        # driving it on the same machine.
        "machine_busy_cores": round(machine_cpu / class_wall, 2),
        "server_busy_cores": round(server_cpu / class_wall, 2),
        "server_cpu_ms_per_interaction": round(server_cpu * 1000 / max(1, len(latencies)), 1),
        "server_idle_rss_mb": round(idle_rss, 1), "server_peak_rss_mb": round(peak, 1),
        "rss_per_session_mb": round((peak - idle_rss) / args.sessions, 2),
        **server_log_health(log), "target_p95_ms": TARGET_P95_MS,
    }
    write_report(result, args.out)


if __name__ == "__main__":
    main()
