#!/bin/sh
# checkpatch.sh FILE... - kernel coding style gate for core/ and kmod/,
# with checkpatch.pl from Debian's linux-source-6.1 (extracted once into
# build/checkpatch).  Flags live in .checkpatch.conf.
set -eu
D=build/checkpatch
TAR=/usr/src/linux-source-6.1.tar.xz
if [ ! -x "$D/scripts/checkpatch.pl" ]; then
	[ -f "$TAR" ] || { echo "checkpatch: $TAR missing (scripts/deps.sh kernel)" >&2; exit 2; }
	mkdir -p "$D"
	tar -xJf "$TAR" -C "$D" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
# shellcheck disable=SC2046
exec "$D/scripts/checkpatch.pl" $(grep -v '^#' .checkpatch.conf) -f "$@"
