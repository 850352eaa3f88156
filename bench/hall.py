"""A lecture hall at once: N protocol-level sessions (Streamlit's own websocket protocol, no
browsers: in a hall the browsers run on the students' laptops) against one server or nginx.

    python bench/hall.py [--sessions 300] [--seconds 120] [--pace 4,10]     # one level
    python bench/hall.py --sessions 50,100,200,300 --pace 1,3               # a curve, a fresh server per level
    python bench/hall.py --url http://127.0.0.1:8500 --pids 101,102,103     # against nginx + replicas (deploy/serve.sh)
    python bench/hall.py --sessions 0 --browser-bytes                       # only the bytes of one page load, in Chromium

Each session is what a browser's Streamlit frontend does on the wire: GET / (nginx's sticky cookie),
/_stcore/health and /_stcore/host-config, the websocket /_stcore/stream with the "streamlit"
subprotocol, a `rerun_script` BackMsg with the link's query string, then, at human pace, the same
BackMsgs a page sends: the explorer element's event as a JSON trigger value (a slider release, a
map click, Random z / Origin / Test digit) in the explorer's fragment, "New samples" and "Random
endpoints" as trigger values in their fragments, Next/Previous in the lesson, tab switches as the
tab container's string value (a full rerun). Widget states, fragment ids and the hashes of cached
messages are kept and sent back as Chromium sends them (checked against its frames).

Per action: the answer time (BackMsg sent -> script_finished received), errors (timeouts, closed
sockets, runs that did not finish, explorer answers that are not the answer to the event sent),
exception elements and error alerts in the deltas. Per page load: its time and bytes (every
ForwardMsg of the first run, plus the HTTP requests above; Streamlit's own cacheable frontend
aside, which --browser-bytes measures in Chromium). The server's RSS and CPU come from /proc of its
pid(s), sampled every 0.5 s. A dropped socket reconnects as the frontend does (with its session
id; a rerun with the page's query string and widget states only when the frontend would send one)
and counts as restored when the page shows the same link and its next action is answered.
Writes bench/results/hall-*.json.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

import numpy as np
import websockets
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.browser import (cpu_seconds, machine_cpu_seconds, rss_mb, server_log_health,  # noqa: E402
                           streamlit_server, write_report)

PAGE_BYTES_TARGETS = {"first_visit": 4_500_000, "returning_visit": 1_000_000}  # issue #15
TARGET_P95_MS = 250
ANSWER_TIMEOUT_S = 15
LOAD_TIMEOUT_S = 120  # a page load may include loading the models on a cold replica
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
# What a student does next, by the panel in front of them (weights). Mostly the explorer: that is
# what a class does with this app; tab switches re-run the whole script, the heaviest action.
MIX = {
    "explore": {"slider": 0.55, "map": 0.25, "explorer_button": 0.07, "tab": 0.13},
    "compare": {"new_samples": 0.65, "tab": 0.35},
    "interpolate": {"random_endpoints": 0.6, "tab": 0.4},
    "lesson": {"lesson_step": 0.7, "tab": 0.3},
}
TAB_WEIGHTS = {"explore": 0.5, "compare": 0.3, "interpolate": 0.1, "lesson": 0.1}
TAB_WORDS = {"explore": "Explore", "compare": "AE vs VAE", "interpolate": "Interpolate", "lesson": "Lesson"}
BUTTONS = {"New samples": "new_samples", "Random endpoints": "random_endpoints", "Next →": "next",
           "← Previous": "previous"}


class Dropped(Exception):
    """The websocket closed under a session."""


def widget_value(kind, el):
    """The WidgetState a browser holds for a widget element just rendered (None: a trigger, no state)."""
    state = WidgetState(id=el.id)
    if kind in ("radio", "selectbox"):
        if el.HasField("raw_value"):
            state.string_value = el.raw_value
        elif el.HasField("default") and el.options:
            state.string_value = el.options[el.default]
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = el.value if el.set_value else el.default
    elif kind == "number_input":
        value = el.value if el.set_value and el.HasField("value") else el.default
        if el.data_type == el.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    elif kind == "slider":
        state.double_array_value.data.extend(el.value if el.set_value else el.default)
    else:
        return None
    return state


def effects_of(msg):
    """What a ForwardMsg changes in the page, as plain tuples: kept for cached messages, whose later
    copies arrive as a bare reference (ref_hash)."""
    if msg.WhichOneof("type") != "delta":
        return []
    delta, fragment = msg.delta, msg.delta.fragment_id
    kind = delta.WhichOneof("type")
    if kind == "add_block":
        block = delta.add_block
        if block.WhichOneof("type") == "tab_container":
            return [("tabs", block.tab_container.id, fragment)]
        if block.WhichOneof("type") == "tab":
            return [("tab", block.tab.label)]
        return []
    if kind != "new_element":
        return []
    el_kind = delta.new_element.WhichOneof("type")
    el = getattr(delta.new_element, el_kind)
    if el_kind == "exception":
        return [("exception", el.type + ": " + el.message[:120])]
    if el_kind == "alert" and el.format == el.ERROR:
        return [("error_alert", el.body[:120])]
    if el_kind == "bidi_component":
        if not el.component_name.endswith("latent_lab_explorer"):  # the page's other elements (copy link, ...)
            return []
        data = json.loads(el.bytes or el.json or "{}")  # the explorer sends its JSON as bytes
        return [("explorer", el.id, fragment, data)]
    if el_kind == "button":
        return [("button", el.id, fragment, el.label, el.disabled)]
    state = widget_value(el_kind, el) if getattr(el, "id", "") else None
    if state is not None:
        return [("widget", el.id, fragment, state.SerializeToString(), bool(getattr(el, "set_value", False)))]
    return []


async def http_get(base, path, cookies, record):
    """GET over a fresh connection, as a browser's first requests; returns (status, headers, body size).
    Cookies from Set-Cookie are kept in `cookies`."""
    url = urllib.parse.urlsplit(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port or 80)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n"
                  + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
    raw = await reader.read()
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    for set_cookie in headers.get("set-cookie", []):
        name, _, rest = set_cookie.partition("=")
        cookies[name.strip()] = rest.split(";")[0]
    record["http_bytes"] += len(raw)
    return status, headers, len(body)


class Student:
    """One browser tab, spoken to at the protocol level."""

    def __init__(self, base, query, rng, record, number):
        self.base, self.query, self.rng, self.record, self.number = base, query, rng, record, number
        self.cookies, self.session_id, self.page_script_hash = {}, "", ""
        self.widgets, self.widget_fragment, self.seen = {}, {}, set()
        self.buttons, self.tab_id, self.tab_labels, self.explorer, self.panel = {}, None, [], None, None
        self.cache, self.max_age = {}, 2  # hash -> [effects, runs since last used]
        self.ws, self.reader, self.waiter, self.run_bytes, self.run_fragments = None, None, None, 0, []
        self.closing = False
        self.fetched = set()  # the explorer's files this tab's browser holds (its HTTP cache)
        self.auto_reruns, self.last_run_fragments = set(), []  # what the frontend checks on reconnecting
        self.runs_started, self.sent_after = 0, 0  # a run that started before our message is not its answer
        self.replicas = []  # (what, upstream) for every response that names one (X-Lab-Replica)
        self.dropped = asyncio.Event()  # set when the socket closes under the page

    # ---------------------------------------------------------------- the wire

    def note_replica(self, headers, what):
        value = headers.get("x-lab-replica")
        if isinstance(value, list):
            value = value[-1] if value else None
        if value:
            self.replicas.append((what, value))

    async def connect(self):
        """The frontend's start: its HTTP requests, then the websocket (with the session id on a reconnect)."""
        status, headers, _ = await http_get(self.base, "/" if not self.session_id else "/_stcore/health",
                                            self.cookies, self.record)
        self.note_replica(headers, "http")
        if not self.session_id:
            for path in ("/_stcore/health", "/_stcore/host-config"):
                await http_get(self.base, path, self.cookies, self.record)
        if status != 200:
            raise ConnectionError(f"HTTP {status}")
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "")]
        if self.session_id:
            protocols.append(self.session_id)
        self.ws = await websockets.connect(
            ws_url, subprotocols=[p or " " for p in protocols], origin=self.base, max_size=None, compression=None,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            open_timeout=20, ping_interval=None)
        self.note_replica({k.lower(): v for k, v in self.ws.response.headers.raw_items()}, "ws")
        self.reader = asyncio.create_task(self.receive())

    async def receive(self):
        try:
            async for raw in self.ws:
                self.handle(raw)
        except ConnectionClosed:
            pass
        finally:
            if not self.closing:
                self.dropped.set()
            if self.waiter and not self.waiter.done():
                self.waiter.set_exception(Dropped())

    def handle(self, raw):
        self.run_bytes += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_script_hash = msg.new_session.page_script_hash
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
            self.seen, self.run_fragments = set(), list(msg.metadata.run.fragment_ids)
            self.runs_started += 1
            self.run_is_answer = self.runs_started > self.sent_after
            if not self.run_fragments:
                self.tab_labels = []
        elif kind == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                self.record["errors"].append((self.number, "reference to a message this page never got"))
                return
            entry[1] = 0
            self.apply(entry[0])
        elif kind == "auto_rerun":
            self.auto_reruns.add(msg.auto_rerun.fragment_id)
        elif kind == "stop_auto_rerun":
            self.auto_reruns.difference_update(msg.stop_auto_rerun.fragment_ids)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
            self.record["exception_elements"] += 1
        elif kind == "script_finished":
            self.finish_run(msg.script_finished)
        else:
            effects = effects_of(msg)
            if msg.metadata.cacheable and msg.hash:
                self.cache[msg.hash] = [effects, 0]
            self.apply(effects)

    def apply(self, effects):
        for effect in effects:
            what = effect[0]
            if what == "widget":
                _, wid, fragment, state, pushed = effect
                self.seen.add(wid)
                self.widget_fragment[wid] = fragment
                if wid not in self.widgets or pushed:
                    self.widgets[wid] = WidgetState.FromString(state)
            elif what == "button":
                _, wid, fragment, label, disabled = effect
                self.seen.add(wid)
                self.widget_fragment[wid] = fragment
                self.buttons[label] = (wid, fragment, disabled)
            elif what == "explorer":
                _, wid, fragment, data = effect
                self.seen.add(wid)
                self.widget_fragment[wid] = fragment
                self.explorer = {"id": wid, "fragment": fragment, "data": data}
            elif what == "tabs":
                self.tab_id = effect[1]
                self.seen.add(effect[1])
                self.widget_fragment[effect[1]] = effect[2]
            elif what == "tab":
                self.tab_labels.append(effect[1])
            elif what in ("exception", "error_alert"):
                self.record["exception_elements" if what == "exception" else "error_alerts"] += 1
                self.record["exception_texts"].append(effect[1])

    def finish_run(self, status):
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # another rerun follows: the answer is that one
        # Widgets that were not drawn by this run (or by this fragment's run) are gone from the page.
        for wid in list(self.widget_fragment):
            in_run = not self.run_fragments or self.widget_fragment[wid] in self.run_fragments
            if in_run and wid not in self.seen:
                self.widget_fragment.pop(wid)
                self.widgets.pop(wid, None)
                if self.explorer and self.explorer["id"] == wid:
                    self.explorer = None
                for label in [k for k, v in self.buttons.items() if v[0] == wid]:
                    del self.buttons[label]
        for entry in list(self.cache.values()):
            entry[1] += 1
        self.cache = {h: e for h, e in self.cache.items() if e[1] <= self.max_age}
        self.panel = self.which_panel()
        self.last_run_fragments = self.run_fragments
        if self.waiter and not self.waiter.done() and getattr(self, "run_is_answer", True):
            self.waiter.set_result(status)

    def which_panel(self):
        if self.explorer:
            return "explore"
        for label, panel in (("New samples", "compare"), ("Random endpoints", "interpolate"), ("Next →", "lesson")):
            if label in self.buttons:
                return panel
        return None

    async def rerun(self, fragment="", extra=(), timeout=ANSWER_TIMEOUT_S):
        """Send a rerun_script as the page does; the answer time in ms once the run has finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if self.page_script_hash:
            cs.page_script_hash = self.page_script_hash
            cs.widget_states.widgets.extend(list(self.widgets.values()) + list(extra))
        cs.fragment_id = fragment
        cs.cached_message_hashes.extend(self.cache)
        cs.context_info.timezone, cs.context_info.timezone_offset, cs.context_info.locale = "UTC", 0, "en-US"
        cs.context_info.url, cs.context_info.is_embedded, cs.context_info.color_scheme = self.base + "/", False, "light"
        self.waiter = asyncio.get_running_loop().create_future()
        self.run_bytes, self.sent_after = 0, self.runs_started
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except ConnectionClosed as err:
            raise Dropped() from err
        status = await asyncio.wait_for(self.waiter, timeout)
        if status not in FINISHED:
            raise RuntimeError(f"run ended with status {status}")
        return (time.perf_counter() - start) * 1000

    async def close(self):
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
        self.ws = self.reader = None
        self.closing = False

    # ---------------------------------------------------------------- a student's actions

    async def load(self):
        """Open the page: its first run. Returns (ms, bytes)."""
        start = time.perf_counter()
        http_before = self.record["http_bytes"]
        await self.connect()
        await self.rerun(timeout=LOAD_TIMEOUT_S)
        await self.fetch_explorer_file()
        return (time.perf_counter() - start) * 1000, self.run_bytes + self.record["http_bytes"] - http_before

    async def fetch_explorer_file(self):
        """What the explorer's page code does: GET its large data (a file the browser then keeps), once."""
        url = (self.explorer or {}).get("data", {}).get("assets_url")
        if url and url not in self.fetched:
            status, _, _ = await http_get(self.base, "/" + url, self.cookies, self.record)
            if status != 200:
                self.record["errors"].append(f"GET {url}: {status}")
            self.fetched.add(url)

    def explorer_event(self, event):
        """The explorer element's setTriggerValue("event", ...): a JSON trigger value on the element's
        event aggregator, sent with this one rerun only (as Chromium sends it)."""
        event = {**event, "id": f"{int(time.time() * 1000)}-{self.rng.random()}"}
        trigger = WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{self.explorer['id']}__events",
                              json_trigger_value=json.dumps([{"event": "event", "value": event}], separators=(",", ":")))
        return event["id"], self.explorer["fragment"], trigger

    def choose(self):
        weights = MIX.get(self.panel) or {"tab": 1}
        kinds = list(weights)
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        if kind == "lesson_step":
            enabled = [label for label in ("Next →", "← Previous") if label in self.buttons
                       and not self.buttons[label][2]]
            kind = "next" if "Next →" in enabled and (len(enabled) == 1 or self.rng.random() < 0.7) else "previous"
        return kind

    async def act(self, kind):
        """Do one action; returns the answer time in ms."""
        if kind in ("slider", "map", "explorer_button"):
            data = self.explorer["data"]
            if kind == "slider":
                z = list(data["z"])
                i = self.rng.randrange(len(z))
                scale = data["scale"]  # each slider's ends and grid (the AE's span its own codes)
                z[i] = round(self.rng.uniform(scale["lo"][i], scale["hi"][i]) / scale["step"][i]) * scale["step"][i]
                event = {"kind": "z", "z": [round(v, 2) for v in z]}
            elif kind == "map":
                (x0, x1), (y0, y1) = data["view"]["x"], data["view"]["y"]
                event = {"kind": "click", "x": self.rng.uniform(x0 + 0.05 * (x1 - x0), x1 - 0.05 * (x1 - x0)),
                         "y": self.rng.uniform(y0 + 0.05 * (y1 - y0), y1 - 0.05 * (y1 - y0))}
            else:
                event = {"kind": self.rng.choice(["random", "origin", "jump"])}
            event_id, fragment, trigger = self.explorer_event(event)
            ms = await self.rerun(fragment, extra=[trigger])
            answered = self.explorer and self.explorer["data"].get("event_id")
            if answered != event_id:
                raise RuntimeError(f"explorer answered {answered!r}, not the event sent")
            return ms
        if kind == "tab":
            here = self.panel
            choices = [t for t in TAB_WEIGHTS if t != here]
            target = self.rng.choices(choices, [TAB_WEIGHTS[t] for t in choices])[0]
            label = next((label for label in self.tab_labels if label.endswith(TAB_WORDS[target])), None)
            if self.tab_id is None or label is None:
                raise RuntimeError("no tab to switch to")
            self.widgets[self.tab_id] = WidgetState(id=self.tab_id, string_value=label)
            ms = await self.rerun()
            if self.panel != target:
                raise RuntimeError(f"switched to {target}, page shows {self.panel}")
            return ms
        label = {v: k for k, v in BUTTONS.items()}[kind]
        wid, fragment, _ = self.buttons[label]
        return await self.rerun(fragment, extra=[WidgetState(id=wid, trigger_value=True)])

    async def reconnect(self):
        """The frontend after a dropped socket: retry (with its session id) until a server answers;
        then, as Streamlit's App.handleConnectionStateChanged does, rerun (the page's query string and
        widget states) only if the last run was a fragment run or a fragment reruns on a timer.
        Otherwise the page keeps its old view: `restored` then says whether the next action is
        answered. Returns ms to the answer (or to the socket)."""
        start, before = time.perf_counter(), self.query
        await self.close()
        self.dropped.clear()
        delay = 0.5
        while time.perf_counter() - start < 60:
            await asyncio.sleep(delay * self.rng.uniform(0.8, 1.2))
            try:
                await self.connect()
                if self.last_run_fragments or self.auto_reruns:
                    await self.rerun(timeout=LOAD_TIMEOUT_S)
                    self.rerun_on_reconnect = True
                else:
                    self.rerun_on_reconnect = False
                break
            except (OSError, ConnectionError, Dropped, ConnectionClosed, asyncio.TimeoutError,
                    websockets.InvalidHandshake):
                await self.close()
                self.dropped.clear()
                delay = min(delay * 2, 4)
        else:
            raise RuntimeError("could not reconnect within 60 s")
        ms = (time.perf_counter() - start) * 1000
        entry = {"student": self.number, "ms": round(ms, 1), "reran": self.rerun_on_reconnect,
                 "link_before": before, "link_after": self.query}
        # Restored: the page shows the same view and its next move is answered, as before the drop.
        try:
            kind = self.choose()
            entry["next_action"], entry["next_ms"] = kind, round(await self.act(kind), 1)
            entry["restored"] = entry["link_after"] == before
        except Exception as err:  # noqa: BLE001 - what a student would see: a page that does not answer
            entry["next_action_error"], entry["restored"] = repr(err)[:120], False
        self.record["reconnects"].append(entry)
        return ms


async def student(base, number, query, pace, rng, record, arrival, everyone, stop_at):
    await asyncio.sleep(arrival)
    s = Student(base, query, rng, record, number)
    record["students"].append(s)
    try:
        try:
            ms, nbytes = await s.load()
            record["page_load"].append((ms, nbytes, query))
        except Exception as err:  # noqa: BLE001 - counted
            record["errors"].append((number, f"page load: {err!r}"[:200]))
            return
        finally:
            record["loaded"] += 1
            if record["loaded"] >= record["sessions"]:
                everyone.set()
        await everyone.wait()
        while time.time() < stop_at[0]:
            try:  # a student looks at the page before the next move; a dropped socket reconnects at once
                await asyncio.wait_for(s.dropped.wait(), rng.uniform(*pace))
            except asyncio.TimeoutError:
                pass
            if time.time() >= stop_at[0]:
                break
            t = time.time()
            if s.dropped.is_set():
                kind = "reconnect"
            else:
                kind = s.choose()
            try:
                if kind == "reconnect":
                    record["dropped"].append((t, number))
                    try:
                        await s.reconnect()
                    except Exception as err:  # noqa: BLE001 - counted; this page is lost
                        record["errors"].append((number, f"reconnect: {err!r}"[:200]))
                        return
                    continue
                ms = await s.act(kind)
                record["actions"].append((t, kind, ms, number))
            except Dropped:
                s.dropped.set()  # the action is lost with the socket: the page reconnects next
                record["lost_with_socket"].append((t, kind, number))
            except asyncio.TimeoutError:
                record["timeouts"].append((t, kind, number))
            except Exception as err:  # noqa: BLE001 - counted
                record["errors"].append((number, f"{kind}: {err!r}"[:200]))
    finally:
        await s.close()


class ProcSampler:
    """RSS and CPU time of the server process(es), every `every` seconds, from /proc."""

    def __init__(self, pids, every=0.5):
        self.pids, self.every, self.samples = list(pids), every, []

    def sample(self):
        rss, cpu = 0.0, 0.0
        for pid in self.pids:
            try:
                rss += rss_mb(pid)
                cpu += cpu_seconds(pid)
            except (FileNotFoundError, ProcessLookupError):
                pass  # a replica that was killed
        return time.time(), rss, cpu

    async def run(self, stop):
        while not stop.is_set():
            self.samples.append(self.sample())
            try:
                await asyncio.wait_for(stop.wait(), self.every)
            except asyncio.TimeoutError:
                pass

    def cpu_between(self, t0, t1):
        inside = [s for s in self.samples if t0 <= s[0] <= t1]
        if len(inside) < 2:
            return None
        return (inside[-1][2] - inside[0][2]) / (inside[-1][0] - inside[0][0])


def pct(values, q):
    return round(float(np.percentile(values, q)), 1) if len(values) else None


async def warm_up(base, dims):
    """The teacher's rehearsal before the class, outside the numbers: every tab and lesson step once
    per latent size, so the models and the server's caches are loaded."""
    record = {"http_bytes": 0, "errors": [], "exception_elements": 0, "error_alerts": 0, "exception_texts": []}
    for dim in dims:
        for tab in ("explore", "compare", "interpolate", "lesson"):
            s = Student(base, f"tab={tab}&dim={dim}", random.Random(-1), record, -1)
            await s.load()
            for kind in {"compare": ["new_samples"], "interpolate": ["random_endpoints"],
                         "lesson": ["next"] * 4}.get(tab, ["slider", "map"]):
                await s.act(kind)
            await s.close()
    if record["errors"] or record["exception_elements"]:
        raise RuntimeError(f"the app fails before the class: {record['errors'] or record['exception_texts']}")
    await asyncio.sleep(1)


async def kill_later(record, pid, after):
    """SIGKILL one server process (a replica) `after` seconds into the class, as a crash would."""
    await asyncio.sleep(after)
    record["killed"] = {"pid": pid, "at": time.time()}
    os.kill(pid, 9)


async def hall(base, sessions, seconds, pace, dims, ramp, pids, seed=0, kill=None, warm=()):
    record = {"sessions": sessions, "loaded": 0, "students": [], "page_load": [], "actions": [], "timeouts": [],
              "errors": [], "dropped": [], "lost_with_socket": [], "reconnects": [], "exception_elements": 0,
              "error_alerts": 0, "exception_texts": [], "http_bytes": 0, "killed": None}
    everyone, stop = asyncio.Event(), asyncio.Event()
    for url in warm or [base]:
        await warm_up(url, sorted(set(dims)))
    sampler = ProcSampler(pids)
    idle = sampler.sample()
    sampler_task = asyncio.create_task(sampler.run(stop))
    stop_at = [float("inf")]
    started = time.time()
    client_cpu_0 = resource.getrusage(resource.RUSAGE_SELF)
    tasks = []
    for i in range(sessions):
        query = f"dim={dims[i % len(dims)]}"
        tasks.append(asyncio.create_task(student(base, i, query, pace, random.Random(seed * 100_003 + i), record,
                                                 ramp * i / max(1, sessions), everyone, stop_at)))
    await everyone.wait()
    class_start, machine_0, load_0 = time.time(), machine_cpu_seconds(), os.getloadavg()[0]
    loaded = sampler.sample()
    stop_at[0] = class_start + seconds
    killer = asyncio.create_task(kill_later(record, *kill)) if kill else None
    await asyncio.gather(*tasks)
    if killer:
        await asyncio.gather(killer, return_exceptions=True)
    class_end = min(time.time(), stop_at[0])
    machine_busy = (machine_cpu_seconds() - machine_0) / max(1e-9, time.time() - class_start)
    stop.set()
    await sampler_task
    client_cpu_1 = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (client_cpu_1.ru_utime + client_cpu_1.ru_stime) - (client_cpu_0.ru_utime + client_cpu_0.ru_stime)
    record.update(started=started, class_start=class_start, class_end=class_end, sampler=sampler, idle=idle,
                  loaded_sample=loaded, client_cpu_s=client_cpu, machine_busy=machine_busy, load_at_start=load_0)
    return record


def summarise(record, args, sessions, pace):
    acts = record["actions"]
    timeouts = [ANSWER_TIMEOUT_S * 1000.0] * len(record["timeouts"])  # a timeout counts as its limit
    ms = np.array([a[2] for a in acts] + timeouts)
    by_kind = {}
    for kind in sorted({a[1] for a in acts}):
        values = [a[2] for a in acts if a[1] == kind]
        by_kind[kind] = {"n": len(values), "p50_ms": pct(values, 50), "p95_ms": pct(values, 95)}
    sampler, idle, loaded = record["sampler"], record["idle"], record["loaded_sample"]
    peak_rss = max(s[1] for s in sampler.samples)
    class_wall = record["class_end"] - record["class_start"]
    busy = sampler.cpu_between(record["class_start"], record["class_end"]) or 0
    loads = record["page_load"]
    bytes_by_dim = {}
    for _, nbytes, query in loads:
        bytes_by_dim.setdefault(query, []).append(nbytes)
    errors = [e for _, e in record["errors"]]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "url": args.url or "own server", "sessions": sessions,
        "seconds": args.seconds, "pace_seconds": list(pace), "dims": args.dims, "ramp_seconds": args.ramp,
        "actions": len(ms), "actions_per_second": round(len(ms) / class_wall, 1) if class_wall > 0 else None,
        "p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "p99_ms": pct(ms, 99),
        "max_ms": round(float(ms.max()), 1) if len(ms) else None,
        "by_kind": by_kind, "timeouts": len(record["timeouts"]), "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "exception_elements": record["exception_elements"], "error_alerts": record["error_alerts"],
        "exception_samples": sorted(set(record["exception_texts"]))[:5],
        "page_loads": len(loads), "page_load_p50_ms": pct([x[0] for x in loads], 50),
        "page_load_p95_ms": pct([x[0] for x in loads], 95),
        "page_load_bytes": {q: {"n": len(v), "median": int(statistics.median(v)), "max": max(v)}
                            for q, v in sorted(bytes_by_dim.items())},
        "server_pids": len(sampler.pids),
        "server_idle_rss_mb": round(idle[1], 1), "server_loaded_rss_mb": round(loaded[1], 1),
        "server_peak_rss_mb": round(peak_rss, 1), "server_end_rss_mb": round(sampler.samples[-1][1], 1),
        "rss_per_session_mb": round((loaded[1] - idle[1]) / sessions, 2),  # once everyone has loaded the page
        "peak_rss_per_session_mb": round((peak_rss - idle[1]) / sessions, 2),
        "server_busy_cores_during_class": round(busy, 2),
        "server_cpu_ms_per_action": round(busy * class_wall * 1000 / max(1, len(ms)), 1),
        "client_cpu_seconds": round(record["client_cpu_s"], 1),
        # The machine is shared: how busy it was while the class acted (all processes, 2 cores).
        "machine_busy_cores_during_class": round(record["machine_busy"], 2),
        "load_average_at_class_start": round(record["load_at_start"], 1),
        "load_average_end": [round(v, 2) for v in os.getloadavg()],
    }
    if any(s.replicas for s in record["students"]):
        result.update(replica_report(record))
    result["_rss_samples"] = [[round(t - record["started"], 1), round(r, 1)] for t, r, _ in sampler.samples[::4]]
    return result


def replica_report(record):
    """Behind nginx: which replica each student was on, whether it stayed there, and what the
    students of a killed replica saw."""
    first, moved, stayed = {}, [], 0
    for s in record["students"]:
        upstreams = [u for _, u in s.replicas]
        if not upstreams:
            continue
        first[upstreams[0]] = first.get(upstreams[0], 0) + 1
        if len(set(upstreams)) == 1:
            stayed += 1
        else:
            moved.append(s.number)
    dropped = {n for _, n in record["dropped"]}
    reconnects = record["reconnects"]
    others = [s for s in record["students"] if s.number not in dropped]
    after_kill = [a for a in record["actions"] if record["killed"] and a[0] >= record["killed"]["at"]]
    return {
        "sessions_per_replica_at_load": dict(sorted(first.items())),
        "students_that_stayed_on_one_replica": stayed, "students_that_moved": len(moved),
        "moved_only_after_a_drop": all(n in dropped for n in moved),
        "killed": {"pid": record["killed"]["pid"], "seconds_into_class":
                   round(record["killed"]["at"] - record["class_start"], 1)} if record["killed"] else None,
        "dropped_students": len(dropped), "reconnects": len(reconnects),
        "restored_from_link": sum(r["restored"] for r in reconnects),
        "reconnect_p50_ms": pct([r["ms"] for r in reconnects], 50),
        "reconnect_max_ms": round(max((r["ms"] for r in reconnects), default=0), 1),
        "actions_lost_with_the_socket": len(record["lost_with_socket"]),
        "other_students": len(others),
        "errors_of_other_students": sum(1 for n, _ in record["errors"] if n not in dropped),
        "timeouts_of_other_students": sum(1 for *_, n in record["timeouts"] if n not in dropped),
        "p95_ms_after_the_kill": pct([a[2] for a in after_kill], 95),
    }


def bend(levels, target=TARGET_P95_MS):
    """Where the p95 curve bends: the first level whose p95 is over twice the smallest level's, or over
    the target."""
    base = levels[0]["p95_ms"]
    for prev, level in zip(levels, levels[1:]):
        if level["p95_ms"] > max(2 * base, target):
            return {"between_sessions": [prev["sessions"], level["sessions"]],
                    "p95_ms": [prev["p95_ms"], level["p95_ms"]]}
    return None


def browser_bytes(url, query):
    """Bytes Chromium receives for one page load, from its own network events (CDP): HTTP bodies and
    headers as transferred (encodedDataLength) and websocket frames (payloads). A first visit in a fresh
    profile, then a return visit in the same profile (its HTTP cache warm, a new Streamlit session)."""
    from playwright.sync_api import sync_playwright

    from bench.browser import MAP_READY, launch, wait_idle

    def visit(context):
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        http, frames, cached = [], [], []
        cdp.on("Network.loadingFinished", lambda e: http.append(e["encodedDataLength"]))
        cdp.on("Network.requestServedFromCache", lambda e: cached.append(e["requestId"]))
        cdp.on("Network.webSocketFrameReceived", lambda e: frames.append(
            len(e["response"]["payloadData"]) * 3 // 4 if e["response"]["opcode"] == 2 else len(e["response"]["payloadData"])))
        page.goto(f"{url}/?{query}")
        page.wait_for_selector(MAP_READY, timeout=120_000)
        wait_idle(page)
        page.wait_for_timeout(1500)  # late requests (fonts, icons)
        page.close()
        return {"http_bytes": int(sum(http)), "http_requests": len(http), "served_from_cache": len(cached),
                "websocket_bytes": int(sum(frames)), "websocket_frames": len(frames),
                "total_bytes": int(sum(http) + sum(frames))}

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        first = visit(context)
        returning = visit(context)
        browser.close()
    return {"first_visit": first, "returning_visit": returning}


def main():
    # `kill` of this bench stops the server it started too (the context managers run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="300", help="sessions, or a comma list for a curve (a fresh server each)")
    parser.add_argument("--seconds", type=int, default=120, help="how long the class acts, once everyone is in")
    parser.add_argument("--pace", default="4,10", help="seconds between a student's actions: uniform(lo, hi)")
    parser.add_argument("--dims", default="2,16", help="latent sizes the students open, round robin")
    parser.add_argument("--ramp", type=float, default=60, help="students arrive over this many seconds")
    parser.add_argument("--url", help="an app (or nginx) already running; default: start one")
    parser.add_argument("--pids", default="", help="with --url: server pids to sample (comma list)")
    parser.add_argument("--warm", default="", help="with --url: the replicas' own URLs, each rehearsed before the class")
    parser.add_argument("--kill", help="PID@SECONDS: SIGKILL that server process (a replica) so many seconds into the class")
    parser.add_argument("--browser-bytes", action="store_true",
                        help="also measure a page load's bytes in Chromium (with --sessions 0: only that)")
    parser.add_argument("--out", help="default bench/results/hall-<sessions>-pace-<lo>-<hi>.json")
    args = parser.parse_args()
    levels = [int(n) for n in args.sessions.split(",")]
    pace = tuple(float(p) for p in args.pace.split(","))
    dims = [int(d) for d in args.dims.split(",")]
    name = f"hall-{'-'.join(map(str, levels))}-pace-{pace[0]:g}-{pace[1]:g}"
    out = Path(args.out or ROOT / "bench" / "results" / f"{name}.json")
    results, chromium = [], None
    if args.browser_bytes:  # on a server of its own, before any load
        with streamlit_server(ROOT / "test-artifacts" / "hall-browser-bytes.log") as (url, _):
            chromium = {f"dim={d}": browser_bytes(url, f"dim={d}") for d in dims}
        print(json.dumps(chromium), flush=True)
    if levels == [0]:  # the bytes only
        write_report({"date": time.strftime("%Y-%m-%d %H:%M"), "targets_bytes": PAGE_BYTES_TARGETS,
                      "chromium_page_load": chromium}, Path(args.out or ROOT / "bench" / "results" / "page-bytes.json"))
        return
    for sessions in levels:
        if args.url:
            kill = tuple(float(v) if i else int(v) for i, v in enumerate(args.kill.split("@"))) if args.kill else None
            record = asyncio.run(hall(args.url, sessions, args.seconds, pace, dims, args.ramp,
                                      [int(p) for p in args.pids.split(",") if p], kill=kill,
                                      warm=[u for u in args.warm.split(",") if u]))
            result = summarise(record, args, sessions, pace)
        else:
            log_path = ROOT / "test-artifacts" / f"hall-server-{sessions}.log"
            with streamlit_server(log_path) as (url, proc):
                record = asyncio.run(hall(url, sessions, args.seconds, pace, dims, args.ramp, [proc.pid]))
                result = summarise(record, args, sessions, pace)
            result.update(server_log_health(log_path.read_text()))
        result["target_p95_ms"] = TARGET_P95_MS
        if chromium:
            result["chromium_page_load"] = chromium
        results.append(result)
        print(f"{sessions} sessions: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
              f"{result['actions']} actions, {result['errors']} errors, {result['timeouts']} timeouts", flush=True)
    if len(results) == 1:
        write_report(results[0], out, hide=("_rss_samples", "by_kind"))
    else:
        curve = {"date": time.strftime("%Y-%m-%d %H:%M"), "pace_seconds": list(pace),
                 "curve": [{k: r[k] for k in ("sessions", "actions_per_second", "p50_ms", "p95_ms", "p99_ms",
                                              "errors", "timeouts", "server_busy_cores_during_class",
                                              "server_loaded_rss_mb", "rss_per_session_mb")} for r in results],
                 "bends": bend(results), "levels": results}
        write_report(curve, out, hide=("levels",))


if __name__ == "__main__":
    main()
