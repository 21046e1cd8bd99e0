# Resiliency Guide: `make run` to install everything and start the bot, `make test` to run the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run chat install train migrate test lint format content-check gap-report evaluate evaluate-articles bench clean

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

test: install train ## the whole test suite
	@bash scripts/test.sh

lint: install
	@$(VENV)/bin/ruff check bot actions tests
	@$(VENV)/bin/ruff format --check bot actions tests

format: install
	@$(VENV)/bin/ruff format bot actions tests
	@$(VENV)/bin/ruff check --fix bot actions tests

content-check: install
	@$(PY) -m bot content-check

gap-report: install
	@$(PY) -m bot gap-report --out reports

evaluate: install train ## language and intent accuracy on the development set and the untouched test set
	@$(PY) -m bot.evaluate tests/data/eval.tsv
	@$(PY) -m bot.evaluate tests/data/holdout.tsv

evaluate-articles: install train ## how often a held-out question reaches the right article
	@$(PY) -m bot.evaluate tests/data/article_questions.tsv --articles

bench: install train
	@$(PY) -m bot.benchmark

clean:
	rm -rf $(VENV) models/*.tar.gz models/fingerprint.json var .pytest_cache .ruff_cache
