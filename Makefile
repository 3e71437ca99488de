# Prism for .NET: the commands a developer types. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Release
BIN := bin
LIB := $(BIN)/lib
# ReadyToRun: precompiled code halves the CPU a module spends starting up (see docs/benchmarks.md).
RID = $(shell $(DOTNET) --info | awk '/RID:/ {print $$2; exit}')
PUBLISH = $(DOTNET) publish -c $(CONFIGURATION) -o $(LIB) -r $(RID) --self-contained false -p:PublishReadyToRun=true --nologo -v quiet
# Build output (obj/, bin/) is left out: generated files there change on every build and test run.
SOURCES := $(shell find src proto \( -name obj -o -name bin \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' -o -name '*.yaml' -o -name '*.html' -o -name '*.css' -o -name '*.js' \) -print 2>/dev/null) Directory.Build.props Directory.Packages.props

.PHONY: help build dev-up dev-down dev-status bootstrap test bench soak deps clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: $(BIN)/prism ## Publish bin/prism and bin/prismctl (framework-dependent, ReadyToRun)

$(BIN)/prism: $(SOURCES)
	$(PUBLISH) src/Prism.Host
	@ln -sf lib/prism $(BIN)/prism
	@if [ -d src/Prism.Cli ]; then $(PUBLISH) src/Prism.Cli && ln -sf lib/prismctl $(BIN)/prismctl; fi
	@touch $(BIN)/prism

dev-up: build ## Start every module detached, wait until healthy, print URLs and credentials
	$(BIN)/prism dev up

dev-down: ## Stop what dev-up started
	@if [ -x $(BIN)/prism ]; then $(BIN)/prism dev down; else echo "nothing to stop: bin/prism is not built"; fi

dev-status: build ## One line per service
	$(BIN)/prism dev status

bootstrap: build ## First-time setup: PRISM_HOME/config.yaml, dev-up, automatic login, URLs
	@scripts/bootstrap.sh

deps: ## Install the test servers (PostgreSQL, Redis, NATS, Chromium) when missing and running as root
	@scripts/install-deps.sh

test: deps ## Run every test
	scripts/run-tests.sh

bench: build ## Run the benchmarks under bench/, then one table of every target (stop dev-up first: bench/dev-up uses the default ports)
	@mkdir -p artifacts && : > artifacts/bench.log
	@set -o pipefail; for p in bench/*/*.csproj; do echo "== $$p" | tee -a artifacts/bench.log; $(DOTNET) run -c Release --project $$p | tee -a artifacts/bench.log || exit 1; done
	@set -o pipefail; for s in bench/*/run.sh; do echo "== $$s" | tee -a artifacts/bench.log; $$s | tee -a artifacts/bench.log || exit 1; done
	@echo; echo "| bench | measure | value | target |"; echo "|---|---|---:|---|"; sed -n 's/^summary //p' artifacts/bench.log

soak: build ## Soak 2 admins + 3 proxies behind HAProxy on clustered engines under kills (report: artifacts/soak-report.md)
	@scripts/install-deps.sh soak
	$(DOTNET) run -c Release --project bench/soak/Prism.Soak -- --prism $(LIB)/prism.dll $(SOAK_ARGS)

clean: ## Remove build output
	rm -rf $(BIN) artifacts
	$(DOTNET) clean Prism.slnx -v quiet
