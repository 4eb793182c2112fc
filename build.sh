#!/bin/sh
# SPDX-License-Identifier: MIT
# ./build.sh [TARGET...] [VAR=VALUE...]: make, on a Debian machine that may not have it yet.
# Installs make when it is missing (scripts/deps.sh make: apt-get, through sudo
# when not root), then runs make with the same arguments. Each make target
# installs the rest of what it needs itself (scripts/deps.sh SET).
#   ./build.sh run    boot the demo system under QEMU     (= make run)
#   ./build.sh test   every test                          (= make test)
set -eu
cd "$(dirname "$0")"
command -v make >/dev/null 2>&1 || scripts/deps.sh make
exec make "$@"
