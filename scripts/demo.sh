#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CLI's tour behind `make demo-cli`: checking, showing and formatting real files.
# (`make run` boots the same demo system on the reference hypervisor.)
set -u
cd "$(dirname "$0")/.."
vmcfg=${BUILD:-build}/bin/vmcfg
shared=${VMCFG_SHARED:-../shared}
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "(exit $?)"; }

step "$vmcfg" check --system examples/demo/system.toml
step "$vmcfg" show examples/demo/rtos.toml
step "$vmcfg" check examples/mistakes/ten-mistakes.toml
step "$vmcfg" check --system examples/mistakes/overlap-system.toml
if [ -d "$shared/axvisor-configs" ]; then
  step "$vmcfg" check "$shared"/axvisor-configs/*.toml
  step "$vmcfg" show "$shared/axvisor-configs/linux-aarch64-rk3588-smp8.toml"
fi
printf '\n\033[1m$ %s\033[0m\n' "$vmcfg generate --arch riscv64 --cpus 2 | $vmcfg check -"
"$vmcfg" generate --arch riscv64 --cpus 2 | "$vmcfg" check -
step "$vmcfg" fmt examples/demo/rtos.toml
exit 0
