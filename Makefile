# The two commands a newcomer needs: `make site` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test serve check generate offline bench browser axe clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m compileall -q generator  # an editable install compiles nothing; each run would otherwise, where .pyc writing is off
	touch $(STAMP)

check: $(STAMP)
	$(PY) -m generator check

generate: $(STAMP)
	$(PY) -m generator generate

site: $(STAMP)
	$(PY) -m generator build

serve: $(STAMP)
	$(PY) -m generator serve

# Headless Chromium for the browser tests, from Debian's package (test tools cannot download browsers here),
# and a Chinese font, without which a page printed to PDF has no Chinese text to read back.
BROWSER_PACKAGES := $(if $(shell command -v chromium),,chromium) $(if $(shell fc-list :lang=zh 2>/dev/null),,fonts-wqy-microhei)
browser:
	@packages="$(strip $(BROWSER_PACKAGES))"; [ -z "$$packages" ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$packages >/dev/null; fi; }

# The site as a zip that browses and searches from disk (unzip, open jingyanku/index.html).
offline: $(STAMP)
	$(PY) -m generator.engine.offline --out dist/jingyanku-offline.zip

# axe-core for the accessibility tests, pinned in tests/browser/package-lock.json; installed again
# only when the lock file is newer than what node_modules holds.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(AXE)

axe: $(AXE)

test: $(STAMP) browser $(AXE)
	$(PY) -m pytest

clean:
	rm -rf site docs .site-* .cache $(VENV) tests/browser/node_modules
