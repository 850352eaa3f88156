"""The README's `make app` as a newcomer meets it: a fresh clone, Debian's own python3.

    python3 bench/fresh_install.py [--timeout 900] [--keep]

Clones this repository's HEAD into a temporary folder, puts a `python3` that is /usr/bin/python3
(Debian's externally managed Python) first on PATH with pyenv, virtualenvs and conda taken out of
the environment, and runs `make app PORT=<free port>` in the clone until /_stcore/health answers
"ok". Then runs `make app` a second time in the same clone: the .venv must be reused (no pip).
Checks that the app runs on the clone's .venv/bin/python and that nothing was installed into the
system Python. Writes bench/results/fresh-install.json. Uses only the standard library, and
nothing of the developer's checkout but its git history (not its .venv).

Pip's cache is switched off (a newcomer has none); the machine's pip configuration (where the
package index is) is kept, as a newcomer's would be.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PY = "/usr/bin/python3"
# Environment that would put another Python in front of the one under test.
DROP_ENV = ("VIRTUAL_ENV", "PYENV_VERSION", "PYENV_DIR", "PYENV_ROOT", "PYENV_HOOK_PATH", "PYTHONPATH",
            "PYTHONHOME", "PYTHONUSERBASE", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_SHLVL", "CONDA_EXE")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newcomer_env(bindir):
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    venv = os.environ.get("VIRTUAL_ENV")
    keep = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and "pyenv" not in p and "conda" not in p and not (venv and p.startswith(venv))]
    env["PATH"] = os.pathsep.join([str(bindir)] + keep)
    env["PIP_NO_CACHE_DIR"] = "1"
    return env


def system_packages():
    """Distributions the system Python sees (its site-packages and the user's ~/.local)."""
    out = subprocess.run([SYSTEM_PY, "-m", "pip", "list", "--format=json"], capture_output=True, text=True)
    if out.returncode == 0:
        return {d["name"].lower(): d["version"] for d in json.loads(out.stdout)}
    code = "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name'].lower(): d.version for d in m.distributions()}))"
    return json.loads(subprocess.check_output([SYSTEM_PY, "-c", code], text=True))


def process_group_python(pgid):
    """The interpreter of the process in the group that runs streamlit, as an absolute path."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != pgid:
                continue
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"streamlit" in argv and len(argv) > 1:
                cwd = os.readlink(f"/proc/{pid}/cwd")
                return os.path.normpath(os.path.join(cwd, argv[0].decode()))
        except (OSError, ProcessLookupError):
            continue
    return None


def health(port):
    try:
        with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=5) as r:
            return r.read().decode().strip()
    except OSError:
        return None


def run_make_app(clone, env, log_path, timeout):
    """`make app` until health answers ok; returns what was seen, with the app stopped."""
    port = free_port()
    start = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["make", "app", f"PORT={port}"], cwd=clone, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    seconds, answer = None, None
    try:
        while time.monotonic() - start < timeout:
            if proc.poll() is not None:
                break
            answer = health(port)
            if answer == "ok":
                seconds = round(time.monotonic() - start, 1)
                break
            time.sleep(0.5)
        python = process_group_python(proc.pid) if seconds is not None else None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log_text = Path(log_path).read_text()
    return {
        "port": port,
        "seconds_to_health": seconds,
        "health": answer,
        "make_exit_before_health": proc.returncode if seconds is None else None,
        "created_venv": "-m venv .venv" in log_text,
        "ran_pip_install": "pip install" in log_text,
        "app_python": python,
        "log_tail": log_text.splitlines()[-15:] if seconds is None else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for health, per run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "fresh-install.json"))
    args = parser.parse_args()

    load = round(os.getloadavg()[0], 2)
    tmp = Path(tempfile.mkdtemp(prefix="latent-lab-fresh-"))
    clone, bindir = tmp / "latent-lab", tmp / "bin"
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        commit = subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=clone, text=True).strip()
        bindir.mkdir()
        (bindir / "python3").symlink_to(SYSTEM_PY)
        env = newcomer_env(bindir)
        python3 = shutil.which("python3", path=env["PATH"])
        base = json.loads(subprocess.check_output(
            ["python3", "-c", "import json, sys, sysconfig, pathlib; print(json.dumps({'executable': sys.executable, "
             "'version': sys.version.split()[0], 'externally_managed': "
             "(pathlib.Path(sysconfig.get_path('stdlib')) / 'EXTERNALLY-MANAGED').exists()}))"],
            env=env, text=True))
        before = system_packages()

        first = run_make_app(clone, env, tmp / "make-app-1.log", args.timeout)
        second = run_make_app(clone, env, tmp / "make-app-2.log", args.timeout)

        venv_python = clone / ".venv" / "bin" / "python"
        venv = {}
        if venv_python.exists():
            venv = json.loads(subprocess.check_output(
                [str(venv_python), "-c", "import json, sys, streamlit, torch; print(json.dumps({'version': "
                 "sys.version.split()[0], 'base_prefix': sys.base_prefix, 'prefix': sys.prefix, "
                 "'streamlit_in_venv': streamlit.__file__.startswith(sys.prefix), 'torch': torch.__version__}))"],
                env=env, text=True))
        after = system_packages()
        added = sorted(set(after) - set(before))
        changed = sorted(k for k in before if k in after and after[k] != before[k])

        expected = str(venv_python)
        checks = {
            "python3_is_system": python3 == str(bindir / "python3") and base["executable"] in (SYSTEM_PY, str(bindir / "python3")),
            "system_python_externally_managed": base["externally_managed"],
            "first_run_healthy": first["seconds_to_health"] is not None,
            "first_run_created_venv": first["created_venv"] and first["ran_pip_install"],
            "second_run_healthy": second["seconds_to_health"] is not None,
            "second_run_reused_venv": not second["created_venv"] and not second["ran_pip_install"],
            "app_ran_on_clone_venv": first["app_python"] == expected and second["app_python"] == expected,
            "venv_based_on_system_python": venv.get("base_prefix") == "/usr" and venv.get("streamlit_in_venv") is True,
            "system_python_untouched": not added and not changed and "streamlit" not in after,
        }
        summary = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "commit": commit,
            "machine": {"os": " ".join(platform.freedesktop_os_release().get(k, "") for k in ("NAME", "VERSION_ID")),
                        "cpus": os.cpu_count(), "load_1min_at_start": load},
            "python3": {"path_on_PATH": python3, **base},
            "first_make_app": first,
            "second_make_app": second,
            "venv_python": expected.replace(str(tmp), "<tmp>"),
            "venv": venv,
            "system_packages_added": added,
            "system_packages_changed": changed,
            "checks": checks,
            "pass": all(checks.values()),
        }
        for run in (first, second):
            if run["app_python"]:
                run["app_python"] = run["app_python"].replace(str(tmp), "<tmp>")
        if "prefix" in venv:
            venv["prefix"] = venv["prefix"].replace(str(tmp), "<tmp>")
        summary["python3"]["path_on_PATH"] = python3.replace(str(tmp), "<tmp>")
        summary["python3"]["executable"] = base["executable"].replace(str(tmp), "<tmp>")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
        print(json.dumps(summary, indent=2))
        return 0 if summary["pass"] else 1
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
