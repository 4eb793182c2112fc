#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CLI's tour behind `make demo-cli`: checking, showing and formatting real files.
# (`make run` boots the same demo system on the reference hypervisor.)
set -u
cd "$(dirname "$0")/.."
vmcfg=${BUILD:-build}/bin/vmcfg
axvisor=tests/data/axvisor-configs
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "(exit $?)"; }

step "$vmcfg" check --system examples/demo/system.toml
step "$vmcfg" show examples/demo/rtos.toml
step "$vmcfg" check examples/mistakes/ten-mistakes.toml
step "$vmcfg" check --system examples/mistakes/overlap-system.toml
step "$vmcfg" check "$axvisor"/*.toml
step "$vmcfg" show "$axvisor/linux-aarch64-rk3588-smp8.toml"
printf '\n\033[1m$ %s\033[0m\n' "$vmcfg generate --arch riscv64 --cpus 2 | $vmcfg check -"
"$vmcfg" generate --arch riscv64 --cpus 2 | "$vmcfg" check -
step "$vmcfg" fmt examples/demo/rtos.toml
exit 0
