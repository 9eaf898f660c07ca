# The course's commands. `make lab` opens the course, `make test` proves it; both create the
# environment (.venv) on first use.

PYTHON ?= python3
# extra pytest options, e.g. make pytest PYTEST_ARGS=--durations=30
PYTEST_ARGS ?=
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
# nbgrader runs alembic as a subprocess: the environment's bin folder must be on PATH
export PATH := $(BIN):$(PATH)
JOBS ?= 2
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
ASSIGNMENT ?=

# one BLAS thread per process while testing: the two workers already fill both cores, and
# OpenBLAS's extra threads only compete with them (module 15's LSTM result takes 14 s with one
# thread or two, and twice the CPU with two); the confined grader sets the same for submissions
test pytest nbval browser module mutation: export OPENBLAS_NUM_THREADS = 1
test pytest nbval browser module mutation: export OMP_NUM_THREADS = 1
# kernels take their ports below Linux's ephemeral range, each claimed by one process at a time, so
# two kernels never race for one (tests/site/sitecustomize.py)
test pytest nbval browser module mutation: export PYTHONPATH = $(CURDIR)/tests/site

.PHONY: all install lab lab-instructor build module mutation test lint format nbval pytest browser chromium bench bench-grading grade feedback export collect clean

all: build

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

## learners: your own copy of the course in workspace/ (filled from curriculum/, never written
## over: a new release of a module you started is put beside your notebook), in JupyterLab
## without the instructor's tools, as on Binder
lab: install
	$(PY) -m autograder.checking.workspace lab $(ALLOW_ROOT)

## instructors: JupyterLab at the repository's root with nbgrader's menus and formgrader
lab-instructor: install
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ALLOW_ROOT)

## authors: rebuild learner notebooks and check data from solutions/ (only modules that changed)
build: install
	$(PY) -m autograder.authoring.build

## authors: one module alone, in about a minute: its build, its harness scores, named mistakes,
## stock nbgrader and confined grading, Validate on the learner notebook, nbval on the solution
module: install
	@test -n "$(MODULE)" || (echo "usage: make module MODULE=07_deep_network" && exit 2)
	$(PY) -m autograder.authoring.build $(MODULE)
	COURSE_MODULES=$(MODULE) MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadgroup \
		-m "not browser and not binder" -k "$(MODULE) or $(word 2,$(subst _, ,$(MODULE)))" \
		--durations=10 tests
	MPLBACKEND=Agg $(PY) -m pytest --nbval-lax build/source/$(MODULE)

## authors: how many wrong versions of each exercise (mutants of its reference) its public and
## hidden tests catch, and which survive; a module at a time, a few minutes each, not in make test:
## make mutation MODULE=08_autograd (or several: MODULE="04_gradient_descent 05_logistic_regression")
mutation: build
	@test -n "$(MODULE)" || (echo "usage: make mutation MODULE=08_autograd" && exit 2)
	$(PY) -m autograder.authoring.mutation $(MODULE) --jobs $(JOBS) --min-score 0.95

## everything CI runs: the tests, every solution notebook (nbval) and the browser in one pytest run,
## so that both workers stay busy to the end (each target below runs one part alone)
test: build lint chromium
	COURSE_BROWSER_TESTS=required MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadgroup \
		--nbval-lax $(PYTEST_ARGS) tests build/source

lint: install
	$(BIN)/ruff check autograder solutions tests
	$(BIN)/ruff format --check autograder solutions tests

format: install
	$(BIN)/ruff check --fix autograder solutions tests
	$(BIN)/ruff format autograder solutions tests

pytest: build
	MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadgroup -m "not browser and not binder" $(PYTEST_ARGS) tests

## every solution notebook runs without error
nbval: build
	MPLBACKEND=Agg $(PY) -m pytest -n $(JOBS) --dist loadfile --nbval-lax build/source

## the learner's experience: JupyterLab in Chromium, in the course's environment and as on Binder
browser: build chromium
	COURSE_BROWSER_TESTS=required $(PY) -m pytest -n $(JOBS) --dist loadfile -m "browser or binder" $(PYTEST_ARGS) tests/browser

# Debian's Chromium for the browser tests (never a browser downloaded by a test tool)
chromium:
	@test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

## wall time and peak memory of every solution notebook on one core, then module 12's convolution
## layers against PyTorch's conv2d (PyTorch goes in .venv-bench, never in the course's .venv)
bench: build
	@test -f .venv-bench/.installed || ($(PYTHON) -m venv .venv-bench && .venv-bench/bin/python -m pip install --quiet -e ".[bench]" && touch .venv-bench/.installed)
	$(PY) -m autograder.authoring.bench --torch-python $(abspath .venv-bench)/bin/python

## confined parallel grading against stock sequential nbgrader autograde, on 30 submissions
bench-grading: build
	$(PY) -m autograder.grading.bench_grading

## instructors: grade every submission of one assignment (submitted/<student>/<ASSIGNMENT>/),
## or one student's (STUDENT=<id>; everyone else's grades stay as they are)
grade: install
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=00_orientation [STUDENT=<id>]" && exit 2)
	@$(PY) -m autograder.grading.grade $(ASSIGNMENT) --root $(CURDIR) $(if $(STUDENT),--student $(STUDENT),)

## nbgrader's own feedback pages (feedback/<student>/<ASSIGNMENT>/<ASSIGNMENT>.html) from make grade's
## autograded notebooks; make grade already wrote feedback.html beside them
feedback: install
	@test -n "$(ASSIGNMENT)" || (echo "usage: make feedback ASSIGNMENT=00_orientation [STUDENT=<id>]" && exit 2)
	@test -d autograded || (echo "nothing graded yet: run make grade ASSIGNMENT=$(ASSIGNMENT) first" && exit 2)
	$(BIN)/nbgrader generate_feedback $(ASSIGNMENT) --force $(if $(STUDENT),--student $(STUDENT),) --log-level=WARN

## every assignment's grades from nbgrader's gradebook: nbgrader's CSV and Canvas's gradebook CSV
export: install
	@mkdir -p reports
	$(BIN)/nbgrader export --to reports/gradebook_export.csv --log-level=WARN
	$(BIN)/nbgrader export --exporter=autograder.grading.nbgrader_plugins.CanvasExport --to reports/canvas_grades.csv --log-level=WARN
	@echo "nbgrader's export: reports/gradebook_export.csv; for Canvas: reports/canvas_grades.csv"

## downloaded submissions into submitted/ with their time (UPDATE=1 replaces, keeping the old in archive/)
collect: install
	@test -n "$(ASSIGNMENT)" -a -n "$(FROM)" || (echo "usage: make collect ASSIGNMENT=00_orientation FROM=downloads/ [UPDATE=1]" && exit 2)
	$(PY) -m autograder.grading.collect $(ASSIGNMENT) $(FROM) --root $(CURDIR) $(if $(UPDATE),--update,)

clean:
	rm -rf build autograded feedback reports gradebook.db
