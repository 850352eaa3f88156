"""A classroom at once: N browser sessions (Playwright pages in Debian Chromium) against one
server, each moving sliders and clicking the map at human pace.

    python bench/load.py [--sessions 30] [--seconds 60]

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

from tests.e2e.harness import (CHROMIUM_FLAGS, cpu_seconds, machine_cpu_seconds, DIGIT, JS_SLIDER_FRACTION, SLIDER, JS_BROKEN_IMAGES, JS_MAP_PIXEL, JS_MAP_RANGES,  # noqa: E402
                               JS_SRC_CHANGED, chromium_path, random_map_point, random_track_point, rss_mb,
                               server_log_health, slider_track, streamlit_server, write_report)

TARGET_P95_MS = 500


class MemorySampler(threading.Thread):
    def __init__(self, pid, every=0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.running = pid, every, [], True

    def run(self):
        while self.running:
            self.samples.append((time.time(), rss_mb(self.pid)))
            time.sleep(self.every)


def arrive(record, everyone_loaded):
    record["loaded"] += 1
    if record["loaded"] >= record["sessions"]:
        everyone_loaded.set()


async def student(browser, url, dim, seconds, rng, record, arrival, everyone_loaded):
    await asyncio.sleep(arrival)  # students do not all press Enter in the same millisecond
    context = await browser.new_context(viewport={"width": 1400, "height": 950})
    page = await context.new_page()
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/?dim={dim}", timeout=180_000)
        await page.wait_for_selector('img[alt="manifold grid"]', timeout=180_000)
        await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
        record["page_load"].append((time.perf_counter() - start) * 1000)
        # Class starts when every laptop shows the page: then all of them interact at once.
        arrive(record, everyone_loaded)
        await everyone_loaded.wait()
        deadline = time.time() + seconds
        while time.time() < deadline:
            await asyncio.sleep(rng.uniform(1.0, 3.0))  # a student looks before the next move
            before = await page.eval_on_selector(DIGIT, "el => el.src")
            if rng.random() < 0.6:
                i = rng.randrange(dim)
                track = slider_track(page, i)
                await track.scroll_into_view_if_needed()
                current = await page.locator(SLIDER).nth(i).evaluate(JS_SLIDER_FRACTION)
                x, y = random_track_point(rng, await track.bounding_box(), current)
                kind = "slider"
            else:
                point = random_map_point(rng, await page.evaluate(JS_MAP_RANGES, 0))
                await page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
                x, y = await page.evaluate(JS_MAP_PIXEL, [*point, 0])
                kind = "map"
            start = time.perf_counter()
            await page.mouse.click(x, y)
            try:
                await page.wait_for_function(JS_SRC_CHANGED, arg=[DIGIT, before], timeout=10_000, polling="raf")
                record["latency"].append(((time.perf_counter() - start) * 1000, kind))
            except Exception:  # noqa: BLE001 - a timeout is what we count
                record["timeouts"] += 1
        record["exceptions"] += await page.locator('[data-testid="stException"]').count()
        record["broken_images"] += await page.evaluate(JS_BROKEN_IMAGES)
    except Exception as err:  # noqa: BLE001
        record["errors"].append(repr(err)[:200])
        if not everyone_loaded.is_set():
            arrive(record, everyone_loaded)  # a failed page must not hold the others back
    finally:
        await context.close()


async def classroom(url, sessions, seconds, dims, browsers):
    from playwright.async_api import async_playwright

    record = {"latency": [], "page_load": [], "timeouts": 0, "exceptions": 0, "broken_images": 0, "errors": [],
              "loaded": 0, "sessions": sessions}
    everyone_loaded = asyncio.Event()
    async with async_playwright() as p:
        # Several browser processes, as a class has several laptops: one Chromium renders every
        # page's WebGL in a single GPU process, which would serialise the whole class.
        browsers = [await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                    for _ in range(max(1, min(browsers, sessions)))]
        rngs = [random.Random(i) for i in range(sessions)]
        await asyncio.gather(*(student(browsers[i % len(browsers)], url, dims[i % len(dims)], seconds, rngs[i],
                                       record, i * 0.5, everyone_loaded) for i in range(sessions)))
        for browser in browsers:
            await browser.close()
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--dims", default="2,16", help="latent sizes the students use, round robin")
    parser.add_argument("--browsers", type=int, default=6, help="Chromium processes the pages are spread over")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    args = parser.parse_args()
    dims = [int(d) for d in args.dims.split(",")]
    log_path = ROOT / "test-artifacts" / "load-server.log"

    with streamlit_server(log_path) as (url, proc):
        idle_rss, server_cpu0, machine_cpu0 = rss_mb(proc.pid), cpu_seconds(proc.pid), machine_cpu_seconds()
        sampler = MemorySampler(proc.pid)
        sampler.start()
        started = time.time()
        record = asyncio.run(classroom(url, args.sessions, args.seconds, dims, args.browsers))
        sampler.running = False
        wall = time.time() - started
        server_cpu = cpu_seconds(proc.pid) - server_cpu0
        machine_cpu = machine_cpu_seconds() - machine_cpu0
    log = log_path.read_text()
    latencies = np.array([ms for ms, _ in record["latency"]])
    peak = max(m for _, m in sampler.samples)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "sessions": args.sessions, "seconds": args.seconds,
        "wall_seconds": round(wall, 1), "dims": dims, "browsers": args.browsers, "interactions": len(latencies),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1) if len(latencies) else None,
        "p95_ms": round(float(np.percentile(latencies, 95)), 1) if len(latencies) else None,
        "by_kind_p95_ms": {k: round(float(np.percentile([ms for ms, kk in record["latency"] if kk == k], 95)), 1)
                           for k in ("slider", "map") if any(kk == k for _, kk in record["latency"])},
        "page_load_p50_ms": round(float(np.percentile(record["page_load"], 50)), 1) if record["page_load"] else None,
        "page_load_max_ms": round(float(max(record["page_load"])), 1) if record["page_load"] else None,
        "timeouts": record["timeouts"], "errors": record["errors"], "exception_elements": record["exceptions"],
        "broken_images": record["broken_images"],
        # Where the cores went: the server versus the Chromium pages driving it on the same machine.
        "machine_busy_cores": round(machine_cpu / wall, 2),
        "server_busy_cores": round(server_cpu / wall, 2),
        "server_cpu_ms_per_interaction": round(server_cpu * 1000 / max(1, len(latencies) + args.sessions), 1),
        "server_idle_rss_mb": round(idle_rss, 1), "server_peak_rss_mb": round(peak, 1),
        "rss_per_session_mb": round((peak - idle_rss) / args.sessions, 2),
        **server_log_health(log), "target_p95_ms": TARGET_P95_MS,
    }
    write_report(result, args.out)


if __name__ == "__main__":
    main()
