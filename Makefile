# The README's commands. Everything installs into .venv from PyPI (Galaxy is not needed): the
# amazon.aws every target runs against is the one of the `ansible` package named by AMAZON_AWS_FROM,
# extracted into .build/collections (scripts/amazon_aws.sh), ahead of the venv's `ansible` package
# on every collections path. shellcheck and chromium come from Debian (scripts/install_system_tools.sh).
SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/s3_crossaccount/replication
SANITY_ROOT := $(or $(TMPDIR),/tmp)/s3_crossaccount-sanity/ansible_collections/s3_crossaccount/replication
HARNESS := $(BIN)/python tests/harness/aws_harness.py
# amazon.aws 11.4.0 (only in the `ansible` 14.5.0 wheel: docs/testing.md)
AMAZON_AWS_FROM := ansible==14.5.0
DOCSITE := $(BUILD)/docsite
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_ROLES_PATH := $(CURDIR)/roles
export PATH := $(BIN):$(PATH)
export ANSIBLE_FORCE_COLOR := false
export PY_COLORS := 0
export NO_COLOR := 1

.PHONY: help setup collection system-tools lint sanity unit integration molecule install-test compat docs docsite docsite-test bench bench-fan-in test demo clean

help:
	@echo "make demo   - set up the seed's two accounts on the embedded emulator and replicate"
	@echo "make test   - ansible-lint, ansible-test sanity, pytest (unit, integration), molecule, install test, docsite (moto, amazon.aws 11.4.0)"
	@echo "make bench  - benchmark: our playbook vs a plain amazon.aws baseline, 1/10/20 pairs (table of ratios and API calls),"
	@echo "              then the fan-in in real-AWS mode (make bench-fan-in alone): 30 sources sharing a role, 60 with their own"
	@echo "make docs   - regenerate docs/permissions.md and the example deployer policies from the code"
	@echo "make docsite - the HTML documentation (antsibull-docs + Sphinx) into .build/docsite/build/html"
	@echo "make compat - opt-in: unit tests and ansible-doc on ansible-core 2.17/2.18 with amazon.aws 9, 2.19 with amazon.aws 10"
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
	@PYTHON=$(BIN)/python bash scripts/amazon_aws.sh $(AMAZON_AWS_FROM) $(COLLECTIONS)

system-tools:
	@bash scripts/install_system_tools.sh

lint: setup
	$(BIN)/ansible-lint

sanity: setup system-tools
	@mkdir -p $(HOME)/.ansible/test/cache
	@test -s $(HOME)/.ansible/test/cache/get_pip_24_2.py || \
	  echo 'import ensurepip; ensurepip.bootstrap(upgrade=True)' > $(HOME)/.ansible/test/cache/get_pip_24_2.py
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_ROOT)
	ln -sfn $(COLLECTIONS)/ansible_collections/amazon $(SANITY_ROOT)/../../amazon
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
	$(BIN)/python scripts/gen_permissions.py

docsite: setup
	$(BIN)/python scripts/docsite.py $(DOCSITE)

# Builds the docsite itself (warnings as errors) and opens it in headless chromium.
docsite-test: setup system-tools
	$(BIN)/python -m pytest -q tests/docsite

test: lint sanity unit integration molecule install-test docsite-test

demo: setup
	$(HARNESS) run -- bash scripts/demo.sh

clean:
	rm -rf $(VENV) $(BUILD)
