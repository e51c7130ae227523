# The two commands of the README. Each makes .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := build

.PHONY: demo test test-cluster benchmark reference catalogs notebooks clean

$(BIN)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## demo: generate the default project under build/ and train it (real MNIST; announced synthetic fallback offline)
demo: $(BIN)/.installed
	rm -rf $(DEMO_DIR)/mnist_classic
	$(BIN)/cookiecutter --no-input --output-dir $(DEMO_DIR) $(CURDIR)
	cd $(DEMO_DIR)/mnist_classic && ../../$(BIN)/python train.py data.source=auto

## test: the template's tests (render every choice, hooks, generated projects' own tests)
# Three workers on two cores: a worker waiting on a child process (a project's run, its own pytest) leaves a core
# idle that a third one fills (measured: 375 s with two workers, 345 s with three, the same tests).
test: $(BIN)/.installed
	$(BIN)/python -m pytest -n 3 --dist load --maxschedchunk 1 --durations=40 tests

## test-cluster: the slow tests of several workers (Ray's launch, the Slurm script, the GAN on two workers)
test-cluster: $(BIN)/.installed
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=10 -m cluster tests

## benchmark: throughput and accuracy of the generated projects (writes benchmarks/RESULTS.md; PART=images|others|growth|recurrent|generative|exercises|cluster)
benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py --part $(or $(PART),all)

## reference: rewrite tests/reference/ (each default rendering's files and line counts) after a change meant to alter them
reference: $(BIN)/.installed
	$(BIN)/python -m tests.reference

## catalogs: after a message changed, update the Chinese catalogs' sources (i18n/zh/*.po) and compile them
catalogs: $(BIN)/.installed
	$(BIN)/python -m i18n.catalogs

## notebooks: after a walkthrough.py changed, make each architecture's notebooks from it (en and zh)
notebooks: $(BIN)/.installed
	$(BIN)/python walkthroughs.py

clean:
	rm -rf $(DEMO_DIR) .pytest_cache
