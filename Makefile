# Two commands for a fresh machine:
#   make app    installs the app's packages into .venv/ and starts it on the shipped checkpoints
#   make test   installs everything for testing (.venv/, Debian's Chromium, Node) and runs the whole suite
# Everything goes into the project's own .venv/: Debian/Ubuntu's python3 is "externally managed"
# (pip refuses it), and a teaching app has no business changing anyone's system Python.
PY ?= python3
PORT ?= 8501
# Opt-in, empty by default: e.g. https://download.pytorch.org/whl/cpu for the CPU-only torch build.
TORCH_INDEX ?=
VENV := .venv
VPY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: app test node-test install install-dev chromium node bench screenshots FORCE

app: $(VENV)/.app
	$(VPY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev chromium node
	$(VPY) -m pytest tests
	$(NODE_TEST)

node-test: node
	$(NODE_TEST)

# The files, not a glob or a folder: `node --test <dir>` means different things in Node 18, 20 and 22.
NODE_TEST = @files=$$(find ui -name '*.test.mjs' -not -path '*/node_modules/*' | sort); \
	if [ -n "$$files" ]; then node --test $$files; else echo "node-test: no ui/**/*.test.mjs"; fi

install: $(VENV)/.app
install-dev: $(VENV)/.dev

# A .venv whose python cannot import pip is half-made (venv stopped before ensurepip, or its base
# Python was removed): make it again rather than pip-installing into a broken one.
VENV_OK := $(shell $(VPY) -c 'import pip' >/dev/null 2>&1 && echo yes)

# pyvenv.cfg is written fresh by every `venv`, so a new .venv is newer than any old stamp.
# Debian/Ubuntu's own python3 has no ensurepip until python3.X-venv is installed: install it when
# apt can run without a password prompt, else say what to run.
$(VENV)/pyvenv.cfg: $(if $(VENV_OK),,FORCE)
	@command -v $(PY) >/dev/null || { echo "No $(PY): install Python 3.11, or make $(or $(MAKECMDGOALS),app) PY=/path/to/python3.11" >&2; exit 1; }
	rm -rf $(VENV)
	@$(PY) -c 'import ensurepip' 2>/dev/null || { \
	  pkg=python$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv; \
	  if command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	    echo "$(PY) -m venv needs Debian's $$pkg: installing it with apt-get"; \
	    $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$pkg || exit 1; \
	  else \
	    echo "$(PY) -m venv needs Debian's $$pkg: run \`sudo apt-get install $$pkg\`, then make $(or $(MAKECMDGOALS),app) again" >&2; exit 1; \
	  fi; }
	$(PY) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Stamps: reinstall only when a requirements file changed (pip itself is slow to say "satisfied").
$(VENV)/.app: requirements.txt $(VENV)/pyvenv.cfg
	$(if $(TORCH_INDEX),$(VPY) -m pip install -q $$(grep -E '^torch(vision)?==' requirements.txt) --index-url $(TORCH_INDEX))
	$(VPY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/pyvenv.cfg
	$(if $(TORCH_INDEX),$(VPY) -m pip install -q $$(grep -E '^torch(vision)?==' requirements.txt) --index-url $(TORCH_INDEX))
	$(VPY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.app

FORCE:

# Debian's Chromium for the real-browser tests (Playwright drives it; it downloads nothing).
chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# `node --test` needs Node 18+: Debian 12's nodejs package is 18, Ubuntu 22.04's is too old.
NODE_MAJOR = $$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
node:
	@[ "$(NODE_MAJOR)" -ge 18 ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nodejs; }
	@[ "$(NODE_MAJOR)" -ge 18 ] || { echo "node --test needs Node 18+: install Node 20 from nodejs.org, then make test again" >&2; exit 1; }

bench: $(VENV)/.dev chromium
	$(VPY) bench/latency.py
	$(VPY) bench/load.py
	$(VPY) bench/soak.py

screenshots: $(VENV)/.dev chromium
	$(VPY) bench/screenshots.py

# A lecture hall or a department server: REPLICAS copies of the app behind nginx on one machine
# (deploy/serve.sh; nginx's port 8500 is the one to open). Ctrl-C stops them all.
.PHONY: serve
REPLICAS ?= 3
serve: $(VENV)/.app
	REPLICAS=$(REPLICAS) PY=$(VPY) deploy/serve.sh
