# The course's commands. `make lab` opens the course, `make test` proves it; both create the
# environment (.venv) on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
# nbgrader runs alembic as a subprocess: the environment's bin folder must be on PATH
export PATH := $(BIN):$(PATH)
JOBS ?= 2
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
ASSIGNMENT ?=

.PHONY: all install lab build test lint format nbval pytest browser chromium bench bench-grading grade feedback export collect clean

all: build

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## learners: open the course in JupyterLab
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=curriculum $(if $(filter 0,$(shell id -u)),--allow-root,)

## authors: rebuild learner notebooks and check data from solutions/ (only modules that changed)
build: install
	$(PY) -m autograder.build

## everything CI runs
test: build lint pytest nbval browser

lint: install
	$(BIN)/ruff check autograder solutions tests
	$(BIN)/ruff format --check autograder solutions tests

format: install
	$(BIN)/ruff check --fix autograder solutions tests
	$(BIN)/ruff format autograder solutions tests

pytest: build
	MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadgroup -m "not browser and not binder" tests

## every solution notebook runs without error
nbval: build
	MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadfile --nbval-lax build/source

## the learner's experience: JupyterLab in Chromium, in the course's environment and as on Binder
browser: build chromium
	COURSE_BROWSER_TESTS=required $(PY) -m pytest -m "browser or binder" tests/browser

# Debian's Chromium for the browser tests (never a browser downloaded by a test tool)
chromium:
	@test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

## wall time and peak memory of every solution notebook on one core, then module 12's convolution
## layers against PyTorch's conv2d (PyTorch goes in .venv-bench, never in the course's .venv)
bench: build
	@test -f .venv-bench/.installed || ($(PYTHON) -m venv .venv-bench && .venv-bench/bin/python -m pip install --quiet -e ".[bench]" && touch .venv-bench/.installed)
	$(PY) -m autograder.bench --torch-python $(abspath .venv-bench)/bin/python

## confined parallel grading against stock sequential nbgrader autograde, on 30 submissions
bench-grading: build
	$(PY) -m autograder.bench_grading

## instructors: grade every submission of one assignment (submitted/<student>/<ASSIGNMENT>/)
grade: build
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=00_orientation" && exit 2)
	$(PY) -m autograder.grade $(ASSIGNMENT)

feedback: install
	@test -n "$(ASSIGNMENT)" || (echo "usage: make feedback ASSIGNMENT=00_orientation" && exit 2)
	$(BIN)/nbgrader generate_feedback $(ASSIGNMENT) --force

export: install
	$(BIN)/nbgrader export

collect: install
	@test -n "$(ASSIGNMENT)" -a -n "$(FROM)" || (echo "usage: make collect ASSIGNMENT=00_orientation FROM=downloads/" && exit 2)
	$(PY) -m autograder.collect $(ASSIGNMENT) $(FROM)

clean:
	rm -rf build autograded feedback reports gradebook.db
