# Two commands for a fresh machine:
#   make app    installs the app's packages and starts it on the shipped checkpoints
#   make test   installs everything for testing (pip + Debian's Chromium) and runs the whole suite
PY ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: app test install install-dev chromium bench screenshots

app: install
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: install-dev chromium
	$(PY) -m pytest tests

install:
	$(PY) -m pip install -q -r requirements.txt

install-dev:
	$(PY) -m pip install -q -r requirements-dev.txt

# Debian's Chromium for the real-browser tests (Playwright drives it; it downloads nothing).
chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

bench: install-dev chromium
	$(PY) bench/latency.py
	$(PY) bench/load.py
	$(PY) bench/soak.py

screenshots: install-dev chromium
	$(PY) bench/screenshots.py
