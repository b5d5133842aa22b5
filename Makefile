# Two entry points: `make run` (the main job) and `make test`. Both create .venv and
# install what they need, system packages included, on a fresh Debian machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# Debian packages: venv support (OpenCV is the headless wheel: no libGL or GLib needed);
# a CJK font for the tests that render document photos; PostgreSQL for the service tests on a
# real server (.ci/run starts it); npm for the console's htmx and ECharts; Debian's Chromium
# for the browser tests of the console and the audit report (no browser download).
APT_PKGS := python3-venv fonts-wqy-microhei postgresql npm chromium
# The console's scripts, from npm into the package's static folder (served locally, no CDN).
VENDOR  := src/baomi/console/static/vendor
NPM_PKGS := htmx.org@2.0.11 echarts@5.6.0

.PHONY: run test bench bench-quick fuzz system-deps synapse-venv bench-matrix clean

# Synapse in its own virtualenv (its pins stay out of ours) with baomi installed beside it, for
# tests/integrations/matrix and bench/matrix_send.py. The module there uses the service, so
# baomi needs no extras in it. A failed install leaves no stamp and the Synapse tests say why
# they skip (.ci/run sets BAOMI_REQUIRE_SYNAPSE=1, which turns that skip into a failure).
SYNAPSE_VENV    := .venv-synapse
SYNAPSE_VERSION ?= 1.163.2
SYNAPSE_STAMP   := $(SYNAPSE_VENV)/.installed-$(SYNAPSE_VERSION)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[attachments,service,dev,ray,train]'
	@# a venv made before rapidocr 3: drop the old OCR package and its second, full cv2
	if $(BIN)/python -m pip show -q opencv-python >/dev/null 2>&1; then \
	  $(BIN)/python -m pip uninstall -q -y rapidocr-onnxruntime opencv-python && \
	  $(BIN)/python -m pip install -q --force-reinstall --no-deps opencv-python-headless; fi
	touch $(STAMP)

$(VENDOR)/.installed: Makefile
	@$(MAKE) --no-print-directory system-deps
	rm -rf build/npm && mkdir -p build/npm $(VENDOR)
	npm install --silent --no-save --no-audit --no-fund --prefix build/npm $(NPM_PKGS)
	cp build/npm/node_modules/htmx.org/dist/htmx.min.js build/npm/node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	touch $@

system-deps:
	@# npm may come with another nodejs package (NodeSource's bundles it): a command is enough.
	@# One package that cannot be installed must not keep the others out: retry one by one.
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || { [ $$p = npm ] && command -v npm >/dev/null; } || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	    for p in $$missing; do DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$p >/dev/null 2>&1 || echo "注意：系统包安装失败：$$p"; done; \
	  else echo "注意：缺少系统包$$missing（需要 root 安装）"; fi; \
	fi

# The service on http://127.0.0.1:8000 with its data in ./var (SQLite); the first start prints
# the admin's one-time password. BAOMI_* variables or --config FILE.toml change settings.
$(SYNAPSE_STAMP): pyproject.toml
	test -x $(SYNAPSE_VENV)/bin/python || $(PY) -m venv $(SYNAPSE_VENV)
	($(SYNAPSE_VENV)/bin/python -m pip install -q --upgrade pip && \
	 $(SYNAPSE_VENV)/bin/python -m pip install -q 'matrix-synapse==$(SYNAPSE_VERSION)' -e . && \
	 touch $(SYNAPSE_STAMP)) || echo "注意：matrix-synapse 安装失败，Synapse 测试将跳过"

synapse-venv: $(SYNAPSE_STAMP)

run: $(STAMP) $(VENDOR)/.installed
	$(BIN)/baomi serve --host 127.0.0.1 --port 8000 --data-dir ./var

test: $(STAMP) $(VENDOR)/.installed $(SYNAPSE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

DEV_CORPUS := $(wildcard ../shared/eval/dev.jsonl)

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run $(if $(DEV_CORPUS),--dev $(DEV_CORPUS))
	$(BIN)/python -m bench.bench_attachments
	$(BIN)/python -m bench.bench_ocr

bench-quick: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run --quick $(if $(DEV_CORPUS),--dev $(DEV_CORPUS))

bench-matrix: $(STAMP) $(SYNAPSE_STAMP)
	$(BIN)/python -m bench.matrix_send --messages 1000
# Mutation fuzzing of every extractor and the text path, then the known bombs (issue 7).
# FUZZ_INPUTS=2000 for a quick look; failing inputs are kept in fuzz-findings/.
FUZZ_INPUTS ?= 100000
FUZZ_SEED ?= 1

fuzz: $(STAMP)
	$(BIN)/python -m baomi.fuzz.bombs; bombs=$$?; \
	$(BIN)/python -m baomi.fuzz --inputs $(FUZZ_INPUTS) --seed $(FUZZ_SEED) --out fuzz-findings; fuzz=$$?; \
	exit $$((bombs || fuzz))

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
