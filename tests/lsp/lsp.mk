# SPDX-License-Identifier: MIT
# make test-editors: the language server (tests/lsp) and schema (tests/schema) suites
# with their npm parts required — the LSP client and taplo come from the npm registry.
# make test skips those parts where Node.js/npm are missing; CI runs this target.
.PHONY: test-editors
test-editors:
	@scripts/deps.sh editors
	$(MAKE) $(CLI)
	BUILD=$(BUILD) VMCFG_EDITORS=required tests/lsp/run
	BUILD=$(BUILD) VMCFG_EDITORS=required tests/schema/run
