# Async Django Dojo. Every target is one call of `python -m dojo VERB`; `make` lists them.
# The first call creates .venv with a Python 3.12+ it finds (or PYTHON=/path/to/python3).

.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV ?= .venv
BOOT_PYTHON := $(or $(PYTHON),$(shell command -v python3 2>/dev/null),$(shell command -v python 2>/dev/null))
DOJO := $(VENV)/bin/python -m dojo
TARGET ?= katas
READY := $(VENV)/.dojo-installed
# Values reach the commands through the environment ("$$N"), never pasted into the command
# line, so a value holding quotes or spaces stays one argument and adds no other.
export N TARGET LEVEL NAME PORT URL BURST RUNS SUBMISSION KATA STRICT REF REPO UNTRUSTED HOST ROOM

.PHONY: help kata watch hint list reset solution verify new test bench serve load grade room join leave

help: ## show these targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

kata: $(READY) ## run one kata: make kata N=4 (TARGET=solutions for the reference fix, SERVER=1 on uvicorn)
	@$(DOJO) run "$$N" --target "$$TARGET" $(if $(VERBOSE),--verbose) $(if $(SERVER),--server)

watch: $(READY) ## rerun the current kata on every save; keys for hint, next, reset (N=7, POLL=1)
	@$(DOJO) watch $(if $(N),"$$N") $(if $(POLL),--poll)

hint: $(READY) ## the next hint of a kata: make hint N=4 (LEVEL=2 for a chosen one)
	@$(DOJO) hint "$$N" $(if $(LEVEL),--level "$$LEVEL")

list: $(READY) ## every kata with its state (solved, not yet, never run), level and title
	@$(DOJO) list

reset: $(READY) ## restore a kata as shipped, keeping a backup: N=4, or ALL=1 (YES=1)
	@$(DOJO) reset "$$N" $(if $(ALL),--all) $(if $(YES),--yes)

solution: $(READY) ## compare your fix with the reference once solved: N=4 (FORCE=1)
	@$(DOJO) solution "$$N" $(if $(FORCE),--force)

verify: $(READY) ## check every kata fails as shipped and passes with its solution
	@$(DOJO) verify

test: $(READY) ## the whole self-check: lint, types, verify and the dojo's own tests
	@$(DOJO) test

new: $(READY) ## start a new kata from the template: make new NAME=slug
	@$(DOJO) new "$$NAME"

bench: $(READY) ## time to a verdict per kata, and verify's time (RUNS=n: flaky verdicts; SERVED=1: fixes both modes)
	@$(DOJO) bench $(if $(RUNS),--runs "$$RUNS") $(if $(SERVED),--served)

serve: $(READY) ## a kata on a real server, its upstream faked: make serve N=8 (TARGET=solutions, PORT=)
	@$(DOJO) serve "$$N" --target "$$TARGET" $(if $(PORT),--port "$$PORT")

load: $(READY) ## a burst over real HTTP, katas/ vs solutions/: make load N=8 (BURST=50, TARGET=, URL=)
	@$(DOJO) load "$$N" $(if $(filter command line environment,$(origin TARGET)),--target "$$TARGET") $(if $(URL),--url "$$URL") $(if $(BURST),--burst "$$BURST") $(if $(PORT),--port "$$PORT")

grade: $(READY) ## grade learner files against the trusted tests into build/grade/ (SUBMISSION=, KATA=, STRICT=1, REF=, UNTRUSTED=why)
	@$(DOJO) grade $(if $(SUBMISSION),--submission "$$SUBMISSION") $(if $(KATA),--kata "$$KATA") $(if $(STRICT),--strict="$$STRICT") $(if $(REF),--ref "$$REF") $(if $(REPO),--repo "$$REPO") $(if $(UNTRUSTED),--untrusted "$$UNTRUSTED")

room: $(READY) ## open the dojo room: a live dashboard of every pair's runs (HOST=0.0.0.0, PORT=)
	@$(DOJO) room $(if $(HOST),--host "$$HOST") $(if $(PORT),--port "$$PORT")

join: $(READY) ## send every run's light to the dojo room: make join ROOM=<url> (NAME=panda)
	@$(DOJO) join "$$ROOM" $(if $(NAME),--name "$$NAME")

leave: $(READY) ## stop sending runs to the dojo room
	@$(DOJO) leave

$(READY): pyproject.toml
	@if [ -z "$(BOOT_PYTHON)" ]; then echo "dojo: no python3 found. Install Python 3.12 or newer, or set PYTHON=/path/to/python3." >&2; exit 2; fi
	@$(BOOT_PYTHON) dojo/cli/bootstrap.py $(VENV)
