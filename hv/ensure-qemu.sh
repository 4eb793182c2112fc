#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs QEMU for aarch64 when it is missing (scripts/deps.sh run).
# Exit status 0 when qemu-system-aarch64 is usable afterwards, 1 when not.
set -u
command -v qemu-system-aarch64 >/dev/null 2>&1 && exit 0
"$(dirname "$0")/../scripts/deps.sh" run >&2
command -v qemu-system-aarch64 >/dev/null 2>&1
