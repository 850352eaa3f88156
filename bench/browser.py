"""The app as a student's browser sees it: starts `streamlit run app.py` on a free localhost port
and drives Debian's Chromium with Playwright (selectors, waits, clicks on the map and sliders,
in-page timers). Used by the benchmarks here and by tests/e2e (tests import bench, never the
other way round)."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DIGIT = 'img[alt="decoded digit"]'
SLIDER = '.lab-explorer input[type="range"]'
MAP = '[data-testid="latent-map"]'
MAP_READY = MAP + "[data-view]"  # the map sets its axes (data-view) once it has drawn
PAD = '[data-testid="drawpad-canvas"]'  # the Draw tab's pad
SEVEN = ((0.25, 0.2), (0.75, 0.2), (0.42, 0.85))  # a 7 in one stroke (fractions of the pad): the bar, then down
DRAWVIEW = '[data-testid="drawview"]'  # the Draw tab's results: data-shown names the drawing it has drawn


def rss_mb(pid):
    """Resident memory of a process in MiB (Linux /proc)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    """User + system CPU time a process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds():
    """Busy CPU time of the whole machine so far, all cores (Linux /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def chromium_path():
    """Debian's Chromium (never a Playwright-downloaded browser), or None."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def launch(playwright):
    path = chromium_path()
    if path is None:
        raise FileNotFoundError("Chromium not found: install it with `apt-get install chromium`")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(log_path=None, env=None, timeout=90, root=ROOT):
    """`streamlit run app.py` on a free port; yields (base URL, process). Stops it at the end.

    root: the checkout whose app.py runs (another one: to measure a change against it)."""
    port = free_port()
    log_path = Path(log_path or ROOT / "test-artifacts" / f"server-{port}.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
           "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log_path}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_idle(page, timeout=30_000):
    """Wait until the app reports that no script (or fragment) run is in progress."""
    page.wait_for_selector(IDLE, timeout=timeout)


def open_app(page, url, query="", timeout=60_000):
    """Navigate and wait until the first run has finished, its images are loaded and, on Explore, the map is drawn.

    Streamlit loads some widgets' code on first use (the number input, for one): they may appear
    after the run has finished and show their default for a frame before their value. Read such a
    widget with a retrying assertion (playwright's expect), not once.
    """
    page.goto(f"{url}/{query}")
    explore = "tab=" not in query or "tab=explore" in query
    page.wait_for_selector(MAP_READY if explore else "img", timeout=timeout)
    wait_idle(page, timeout)
    page.wait_for_function(JS_IMAGES_LOADED, timeout=timeout)


def lesson_steps(page, steps):
    """Walk the Lesson tab from its first step: yields each step number once that step is shown."""
    for step in range(1, steps + 1):
        if step > 1:
            page.get_by_role("button", name="Next").click()
            page.get_by_text(f"Step {step} of {steps}").wait_for()
            wait_idle(page)
        yield step


def src(page, selector):
    return page.eval_on_selector(selector, "el => el.src")


# Page-side snippets, shared by the sync helpers here and the async load benchmark.
JS_SRC_CHANGED = ("([sel, old]) => { const el = document.querySelector(sel);"
                  " return el && el.src !== old && el.complete && el.naturalWidth > 0; }")
# The explorer's map publishes its axes as data-view (data ranges and the plot area in CSS px).
JS_MAP_PIXEL = """([x, y]) => {
    const el = document.querySelector('[data-testid="latent-map"]'), v = JSON.parse(el.dataset.view);
    const box = el.getBoundingClientRect();
    return [box.left + v.l + (x - v.x0) / (v.x1 - v.x0) * v.w, box.top + v.t + (v.y1 - y) / (v.y1 - v.y0) * v.h];
}"""
JS_MAP_RANGES = """() => { const v = JSON.parse(document.querySelector('[data-testid="latent-map"]').dataset.view);
    return [[v.x0, v.x1], [v.y0, v.y1]]; }"""
# Latency as the page itself sees it, for the benchmarks: from the input event's own timestamp
# to the moment the new image is decoded. Event-driven (no polling), so that 30 waiting pages
# do not load the machine they are measuring.
JS_RECORD_INPUT = """addEventListener('pointerdown', (e) => { window.__labInputAt = e.timeStamp; }, true);
addEventListener('keydown', (e) => { window.__labInputAt = e.timeStamp; }, true);"""
JS_NEXT_IMAGE_MS = """([sel, old, timeout]) => new Promise((resolve) => {
    let finished = false;
    const finish = (value) => { if (!finished) { finished = true; observer.disconnect(); resolve(value); } };
    const check = () => {
        const el = document.querySelector(sel);
        if (!el || el.getAttribute('src') === old) return;
        el.decode().then(() => finish(performance.now() - window.__labInputAt), () => {});
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    setTimeout(() => finish(null), timeout);
    check();
})"""
# The explorer dims the judge's caption while the page shows a digit the server has not answered
# for yet: the server's answer is in when no caption is dim any more.
JS_ANSWER_MS = """(timeout) => new Promise((resolve) => {
    const done = () => document.querySelector('.lab-stale') === null;
    if (done()) return resolve(performance.now() - window.__labInputAt);
    const observer = new MutationObserver(() => {
        if (done()) { observer.disconnect(); resolve(performance.now() - window.__labInputAt); }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], childList: true });
    setTimeout(() => { observer.disconnect(); resolve(null); }, timeout);
})"""
# The Draw tab's latency is timed from the stroke's end (the pointerup's timestamp) until the
# results element says it shows a new drawing (its marks drawn, every changed picture decoded).
JS_RECORD_STROKE_END = "addEventListener('pointerup', (e) => { window.__labInputAt = e.timeStamp; }, true);"
JS_SHOWN_MS = """([old, timeout]) => new Promise((resolve) => {
    const shown = () => document.querySelector('[data-testid="drawview"]')?.dataset.shown;
    const done = () => shown() !== undefined && shown() !== old;
    if (done()) return resolve(performance.now() - window.__labInputAt);
    const observer = new MutationObserver(() => {
        if (done()) { observer.disconnect(); resolve(performance.now() - window.__labInputAt); }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-shown'] });
    setTimeout(() => { observer.disconnect(); resolve(null); }, timeout);
})"""
JS_IMAGES_LOADED = "Array.from(document.images).every(i => i.complete)"  # loaded or failed
JS_BROKEN_IMAGES = "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).length"


def wait_src_change(page, selector, old, timeout=15_000):
    """Wait until the image at selector shows new, decoded pixels."""
    page.wait_for_function(JS_SRC_CHANGED, arg=[selector, old], timeout=timeout, polling="raf")


def broken_images(page):
    """Count of images on the page that failed to decode."""
    return page.evaluate(JS_BROKEN_IMAGES)


def exceptions(page):
    return page.locator('[data-testid="stException"]').count()


def slider_values(page):
    return page.eval_on_selector_all(SLIDER, "els => els.map(e => Number(e.value))")


def map_pixel(page, x, y):
    """Page pixel of the data point (x, y) on the latent map, through the map's own axes."""
    return page.evaluate(JS_MAP_PIXEL, [x, y])


def map_ranges(page):
    """The map's visible data ranges ((x0, x1), (y0, y1))."""
    return page.evaluate(JS_MAP_RANGES)


def click_map(page, x, y):
    page.locator(MAP).scroll_into_view_if_needed()
    page.mouse.click(*map_pixel(page, x, y))


def random_map_point(rng, ranges, margin=0.05):
    """A uniformly random data point inside the map's view, away from its edges."""
    return [rng.uniform(lo + margin * (hi - lo), hi - margin * (hi - lo)) for lo, hi in ranges]


def random_track_point(rng, box, current=0.5):
    """A random pixel on a slider's track (a click there moves the thumb and releases it),
    away from the thumb's current position (current: 0..1), where a click would change nothing."""
    while True:
        f = rng.uniform(0.05, 0.95)
        if abs(f - current) > 0.08:
            return box["x"] + box["width"] * f, box["y"] + box["height"] / 2


JS_SLIDER_FRACTION = "el => (Number(el.value) - Number(el.min)) / (Number(el.max) - Number(el.min))"


def slider_track(page, i):
    """The i-th slider (on screen, most used dimension first): a native range input."""
    return page.locator(SLIDER).nth(i)


def click_slider(page, i, rng):
    """Click (press and release) slider i at a random position of its track."""
    track = slider_track(page, i)
    track.scroll_into_view_if_needed()
    current = page.locator(SLIDER).nth(i).evaluate(JS_SLIDER_FRACTION)
    page.mouse.click(*random_track_point(rng, track.bounding_box(), current))


def pad_points(page, points):
    """Page pixels of points given as fractions of the Draw tab's pad."""
    box = page.locator(PAD).bounding_box()
    return [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]


def draw_stroke(page, points, steps=8):
    """One stroke with the mouse through points (fractions of the pad), pressed from the first to the last."""
    xy = pad_points(page, points)
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=steps)
    page.mouse.up()


def drawing_shown(page):
    """Which drawing the Draw tab's results show (their data-shown), or None."""
    return page.evaluate(f"document.querySelector('{DRAWVIEW}')?.dataset.shown ?? null")


def server_log_health(log_text):
    """What a server log says went wrong: media files the browser missed, tracebacks, model loads."""
    return {"missing_file_lines": log_text.count("Missing file"), "server_tracebacks": log_text.count("Traceback"),
            "model_loads": log_text.count("[latent-lab] loaded")}


def write_report(result, out, hide=()):
    """Print a benchmark's numbers and write them as JSON."""
    width = max(map(len, result))
    for key, value in result.items():
        if key not in hide:
            print(f"{key:>{width}}: {value}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"wrote {out}")
