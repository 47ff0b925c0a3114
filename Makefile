# The README's commands. Everything installs into .venv from PyPI (Galaxy is not needed:
# amazon.aws comes bundled in the `ansible` package).
SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/s3_crossaccount/replication
SANITY_ROOT := $(or $(TMPDIR),/tmp)/s3_crossaccount-sanity/ansible_collections/s3_crossaccount/replication
HARNESS := $(BIN)/python tests/harness/aws_harness.py
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_ROLES_PATH := $(CURDIR)/roles
export PATH := $(BIN):$(PATH)
export ANSIBLE_FORCE_COLOR := false
export PY_COLORS := 0
export NO_COLOR := 1

.PHONY: help setup collection lint sanity unit integration molecule install-test compat docs bench bench-fan-in test demo clean

help:
	@echo "make demo   - set up the seed's two accounts on the embedded emulator and replicate"
	@echo "make test   - ansible-lint, ansible-test sanity, pytest (unit, integration), molecule (all against moto)"
	@echo "make bench  - benchmark: our playbook vs a plain amazon.aws baseline, 1/10/20 pairs (table of ratios and API calls),"
	@echo "              then the fan-in in real-AWS mode (make bench-fan-in alone): 30 sources sharing a role, 60 with their own"
	@echo "make docs   - regenerate docs/reference from the code"
	@echo "make compat - opt-in: unit tests and ansible-doc on ansible-core 2.17/2.18 with amazon.aws 9"
	@echo "make clean  - remove .venv and .build"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed collection

collection:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn $(CURDIR) $(COLLECTION_LINK)

lint: setup
	$(BIN)/ansible-lint

sanity: setup
	@mkdir -p $(HOME)/.ansible/test/cache
	@test -s $(HOME)/.ansible/test/cache/get_pip_24_2.py || \
	  echo 'import ensurepip; ensurepip.bootstrap(upgrade=True)' > $(HOME)/.ansible/test/cache/get_pip_24_2.py
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_ROOT)
	ln -sfn "$$($(BIN)/python -c 'import ansible, os; print(os.path.join(os.path.dirname(os.path.dirname(ansible.__file__)), "ansible_collections", "amazon"))')" $(SANITY_ROOT)/../../amazon
	git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(SANITY_ROOT)
	cd $(SANITY_ROOT) && $(BIN)/ansible-test sanity --python 3.11 --requirements --color no $(SANITY_ARGS)

unit: setup
	$(BIN)/python -m pytest -q tests/unit

integration: setup
	$(BIN)/python -m pytest -q tests/integration

molecule: setup
	rm -rf $(HOME)/.ansible/collections/ansible_collections/s3_crossaccount
	$(HARNESS) run -- $(BIN)/molecule test $(or $(MOLECULE_ARGS),--all)

install-test: setup
	bash scripts/test_install.sh

bench: setup
	$(BIN)/python tests/bench/bench.py
	$(BIN)/python tests/bench/fan_in.py

bench-fan-in: setup
	$(BIN)/python tests/bench/fan_in.py

compat:
	bash scripts/test_compat.sh

docs: setup
	$(BIN)/python scripts/gen_docs.py
	$(BIN)/python scripts/gen_permissions.py

test: lint sanity unit integration molecule install-test

demo: setup
	$(HARNESS) run -- bash scripts/demo.sh

clean:
	rm -rf $(VENV) $(BUILD)
