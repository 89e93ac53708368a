#!/bin/sh
# deps.sh - install the Debian packages swaplab needs, only those missing.
#
# Usage: scripts/deps.sh [build] [kernel] [vm] [fuzz] [sweep]   (no argument: all)
# Idempotent: when every package is present it runs no apt command at all,
# so `make run` on a set-up machine costs one dpkg-query.
set -eu

build="build-essential pkg-config liblz4-dev libzstd-dev liblzo2-dev
	libdeflate-dev zlib1g-dev libjansson-dev libxxhash-dev libcunit1-dev
	gnuplot-nox libtraceevent-dev libtracefs-dev libtracecmd-dev time"
# both kernels swaplab models: codecs from their sources, the module and the
# VM suite on their images (6.12 is bookworm's LTS backport, same archive)
kernel="linux-source-6.1 linux-source-6.12 xz-utils"
vm="qemu-system-x86 xz-utils linux-image-amd64 linux-headers-amd64
	linux-image-6.12.118+deb12-amd64 linux-headers-6.12.118+deb12-amd64
	busybox-static cpio kmod trace-cmd"
fuzz="clang libclang-rt-14-dev valgrind"
# issue 19: the engines sweeps are tested against
sweep="parallel slurm-wlm munge"

groups=${*:-build kernel vm fuzz sweep}
want=
for g in $groups; do
	case $g in
	build) want="$want $build" ;;
	kernel) want="$want $kernel" ;;
	vm) want="$want $vm" ;;
	fuzz) want="$want $fuzz" ;;
	sweep) want="$want $sweep" ;;
	*) echo "deps.sh: unknown group '$g'" >&2; exit 2 ;;
	esac
done

missing=
for p in $want; do
	st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
