#!/bin/sh
# SPDX-License-Identifier: MIT
# VERSION is the one version number; fails when vmcfg/base.h's VMCFG_VERSION or
# the newest debian/changelog entry says anything else.
set -eu
cd "$(dirname "$0")/.."
want=$(cat VERSION)
echo "$want" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' || { echo "VERSION: '$want' is not MAJOR.MINOR.PATCH" >&2; exit 1; }
hdr=$(sed -n 's/^#define VMCFG_VERSION "\([^"]*\)".*/\1/p' include/vmcfg/base.h)
[ "$hdr" = "$want" ] || { echo "include/vmcfg/base.h: VMCFG_VERSION \"$hdr\" is not VERSION $want" >&2; exit 1; }
if [ -f debian/changelog ]; then
  deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
  [ "$deb" = "$want" ] || { echo "debian/changelog: version $deb is not VERSION $want" >&2; exit 1; }
fi
echo "version $want: VERSION, vmcfg/base.h and debian/changelog agree"
