# Two commands on a fresh Debian machine (as root): `make book` and `make test`.
# Both create the virtual environment and install the pinned packages first.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages: chromium for the browser test and PDF printing, poppler-utils
# to inspect PDFs, fonts so that chart images have text; Pango for WeasyPrint (the PDF book)
# and the DejaVu italics it embeds.
DEBIAN_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 libpangoft2-1.0-0
EDICION ?=
# axe-core (accessibility checks of the pages in the browser tests), pinned in package-lock.json.
NODE_TOOLS := node_modules/.package-lock.json

.PHONY: book test validate lock clean system

# The HTML book and, for the edition, its tagged PDF (`pnmce build --sin-pdf` skips the PDF).
book: $(STAMP) system
	$(VENV)/bin/pnmce build $(if $(EDICION),--edicion $(EDICION))

validate: $(STAMP)
	$(VENV)/bin/pnmce validate

test: $(STAMP) system $(NODE_TOOLS)
	$(VENV)/bin/ruff check src tests
	$(PY) -m pytest -n 2 --dist loadgroup --durations=25

# Installs the Debian packages that are missing (needs root, as on a fresh machine).
system:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Instalando paquetes de Debian:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm; }

# The npm packages of package-lock.json, exactly (npm ci), from the npm registry.
$(NODE_TOOLS): package.json package-lock.json | system
	npm ci --no-audit --no-fund

$(STAMP): requirements.lock pyproject.toml
	@python3.11 -c "import venv, ensurepip" >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv python3.11-dev; }
	@test -x $(PY) || python3.11 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade 'pip>=23'
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

lock: $(STAMP)
	{ echo "# Exact versions of every Python package (pip freeze of a working environment)."; \
	  echo "# Regenerate with: make lock"; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^pnmce'; } > requirements.lock

clean:
	rm -rf _build book/generado
