# Resiliency Guide: `make run` to install everything and start the bot, `make test` to run the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run chat install train migrate test lint format content-check content-stamp gap-report evaluate evaluate-articles calibrate bench clean

run: install train ## install, train if needed, migrate, and start the bot
	@$(PY) -m bot run

chat: install train ## talk to the bot in this terminal
	@$(PY) -m bot chat

install: $(STAMP)

$(STAMP): requirements.lock scripts/setup.sh
	@bash scripts/setup.sh

train: install
	@$(PY) -m bot train

migrate: install
	@$(PY) -m bot migrate

test: install train ## the whole test suite (locally, skip the slow part: make test ARGS='-m "not slow"')
	@bash scripts/test.sh $(ARGS)

lint: install
	@$(VENV)/bin/ruff check bot actions tests
	@$(VENV)/bin/ruff format --check bot actions tests

format: install
	@$(VENV)/bin/ruff format bot actions tests
	@$(VENV)/bin/ruff check --fix bot actions tests

content-check: install
	@$(PY) -m bot content-check

content-stamp: install ## after updating a translation: make content-stamp LANG_CODE=bn ARTICLE=mg-moderation (or ARTICLE=--all)
	@$(PY) -m bot.library.consistency stamp $(LANG_CODE) $(ARTICLE)

gap-report: install
	@$(PY) -m bot gap-report --out reports

evaluate: install train ## language, intent and article figures on the development and the untouched test sets
	@echo "== Intent and language, development set (tests/data/intents/dev)"
	@$(PY) -m bot.evaluate tests/data/intents/dev
	@echo "== Intent and language, untouched test set (tests/data/intents/test)"
	@$(PY) -m bot.evaluate tests/data/intents/test
	@$(MAKE) --no-print-directory evaluate-articles

evaluate-articles: install train ## how the library's decision policy handles questions, on both sets
	@echo "== Library questions, development set (tests/data/articles/dev)"
	@$(PY) -m bot.evaluate tests/data/articles/dev --articles
	@echo "== Library questions, untouched test set (tests/data/articles/test)"
	@$(PY) -m bot.evaluate tests/data/articles/test --articles

calibrate: install train ## sweep the intent fallback and the library's decision thresholds on the development sets (never on the test sets)
	@$(PY) -m bot.evaluate tests/data/intents/dev --fallback
	@$(PY) -m bot.evaluate tests/data/articles/dev --calibrate

SOAK_INPUTS ?= 10000

bench: install train ## speed, memory, many-users, one-vs-two-replicas and hostile-input figures (the 10,000-input soak takes about half an hour: make bench SOAK_INPUTS=1000)
	@$(PY) -m bot.benchmark
	@$(PY) -m bot.benchmark_load
	@$(PY) -m bot.benchmark_replicas
	@$(PY) -m bot.benchmark_soak --inputs $(SOAK_INPUTS)

clean:
	rm -rf $(VENV) models/*.tar.gz models/fingerprint.json var .pytest_cache .ruff_cache
