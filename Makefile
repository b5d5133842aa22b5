# Two entry points: `make run` (the main job) and `make test`. Both create .venv and
# install what they need, system packages included, on a fresh Debian machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# Debian packages: venv support; libGL/GLib for OpenCV (rapidocr pulls in opencv-python);
# a CJK font for the tests that render document photos.
APT_PKGS := python3-venv libgl1 libglib2.0-0 fonts-wqy-microhei

.PHONY: run test bench bench-quick system-deps clean

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[attachments,dev,train]'
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || echo "注意：系统包安装失败：$$missing"; \
	  else echo "注意：缺少系统包$$missing（需要 root 安装）"; fi; \
	fi

run: $(STAMP)
	$(BIN)/baomi rules
	$(BIN)/baomi check --input examples/messages.jsonl --text

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

DEV_CORPUS := $(wildcard ../shared/eval/dev.jsonl)

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run $(if $(DEV_CORPUS),--dev $(DEV_CORPUS))
	$(BIN)/python -m bench.bench_attachments

bench-quick: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run --quick $(if $(DEV_CORPUS),--dev $(DEV_CORPUS))

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
