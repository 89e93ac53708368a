#!/bin/sh
# safety.sh - output files are never half written.  Traces and results go
# to a temp file beside the target and are renamed into place, so:
#  - a full disk (ENOSPC, a 64 KiB tmpfs) fails the command with exit 2 and
#    one error line, leaves nothing under the final name (or the old file
#    untouched) and no temp file behind;
#  - an I/O error (EIO from fsync, fclose or pread, injected with an
#    LD_PRELOAD shim built here) does the same;
#  - a process stopped by SIGINT, SIGTERM or SIGHUP in the middle of
#    writing removes its temp file; one killed with SIGKILL cannot, and
#    leaves the final name absent or the old file untouched; the next
#    writer of that name removes the temp file once it is a minute old
#    (and not one of a live process, nor a fresh one);
#  - standard output on a full device fails with exit 2.
#
# Usage: SWAPLAB=build/swaplab tests/cli/safety.sh   (root for the tmpfs)
set -u
SWAPLAB=${SWAPLAB:-build/swaplab}
CC=${CC:-cc}
T=$(mktemp -d)
MNT=$T/full
cleanup() {
	mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
	rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
notes=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
note() { notes=$((notes + 1)); echo "note: $*"; }

# expect2 DESC CMD...: exit 2 and exactly one error line
expect2() {
	desc=$1
	shift
	"$@" >"$T/stdout" 2>"$T/stderr"
	code=$?
	n=$(wc -l <"$T/stderr")
	if [ "$code" -eq 2 ] && [ "$n" -eq 1 ] && grep -q '^swaplab' "$T/stderr"
	then ok; else
		bad "$desc: exit $code, $n stderr lines"
		head -3 "$T/stderr" | sed 's/^/    /'
	fi
}

# absent PATH DESC: nothing under PATH and no PATH.tmp.* left
absent() {
	if [ -e "$1" ]; then bad "$2: $1 exists"; else ok; fi
	if ls "$1".tmp.* >/dev/null 2>&1; then
		bad "$2: temp file left: $(ls "$1".tmp.*)"
	else ok; fi
}

# same PATH COPY DESC: PATH still holds exactly COPY
same() {
	if cmp -s "$1" "$2"; then ok; else bad "$3: $1 was changed"; fi
	if ls "$1".tmp.* >/dev/null 2>&1; then
		bad "$3: temp file left: $(ls "$1".tmp.*)"
	else ok; fi
}

"$SWAPLAB" gen --profile realistic --pages 2000 --seed 4 -o "$T/a.swt" \
	>/dev/null 2>&1 || { echo "safety: gen failed"; exit 1; }
"$SWAPLAB" replay "$T/a.swt" --codec liblz4 --alloc ideal -o "$T/r.json" \
	--quiet >/dev/null 2>&1 || { echo "safety: replay failed"; exit 1; }
"$SWAPLAB" gen --profile text --pages 5 -o "$T/old.swt" >/dev/null 2>&1
cp "$T/r.json" "$T/old.json"

# --- ENOSPC: a 64 KiB tmpfs ---
mkdir "$MNT"
if mount -t tmpfs -o size=64k tmpfs "$MNT" 2>/dev/null; then
	D=$MNT
	expect2 "gen on a full disk" "$SWAPLAB" gen --profile random \
		--pages 200 -o "$D/t.swt"
	absent "$D/t.swt" "gen on a full disk"
	cp "$T/old.swt" "$D/keep.swt"
	expect2 "gen over an old trace on a full disk" "$SWAPLAB" gen \
		--profile random --pages 200 -o "$D/keep.swt" --force
	same "$D/keep.swt" "$T/old.swt" "gen over an old trace on a full disk"
	rm -f "$D/keep.swt"
	# leave about 1 KiB: the results do not fit
	cp "$T/old.json" "$D/keep.json"
	size=$(stat -c %s "$T/r.json")
	head -c $((65536 - 4096 - size - 1024)) /dev/zero >"$D/filler" 2>/dev/null
	dd if=/dev/zero of="$D/filler2" bs=512 count=200 2>/dev/null
	df -B1 "$D" | awk 'NR == 2 { exit !($4 < 4096) }' ||
		note "tmpfs not full: $(df -B1 "$D" | tail -1)"
	expect2 "replay on a full disk" "$SWAPLAB" replay "$T/a.swt" \
		--codec liblz4 --alloc ideal,zsmalloc -o "$D/r.json" --quiet
	absent "$D/r.json" "replay on a full disk"
	expect2 "replay over old results on a full disk" "$SWAPLAB" replay \
		"$T/a.swt" --codec liblz4 --alloc ideal,zsmalloc \
		-o "$D/keep.json" --quiet
	same "$D/keep.json" "$T/old.json" "replay over old results on a full disk"
	umount "$MNT"
else
	echo "safety: cannot mount a tmpfs (not root?): ENOSPC cases skipped"
fi

# --- standard output on a full device ---
if [ -w /dev/full ]; then
	expect2 "info to /dev/full" sh -c "'$SWAPLAB' info '$T/a.swt' >/dev/full"
	expect2 "report to /dev/full" sh -c "'$SWAPLAB' report '$T/r.json' >/dev/full"
fi

# --- EIO: fsync, fclose and pread fail through an LD_PRELOAD shim ---
cat >"$T/eio.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int on(const char *what)
{
	const char *m = getenv("SL_EIO");

	return m && strstr(m, what);
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int fsync(int fd)
{
	if (on("fsync")) {
		errno = EIO;
		return -1;
	}
	return REAL(fsync)(fd);
}

int fdatasync(int fd)
{
	if (on("fsync")) {
		errno = EIO;
		return -1;
	}
	return REAL(fdatasync)(fd);
}

int fclose(FILE *f)
{
	int ret = REAL(fclose)(f);

	if (on("fclose") && !ret) {
		errno = EIO;
		return EOF;
	}
	return ret;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	if (on("pread")) {
		errno = EIO;
		return -1;
	}
	return REAL(pread)(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
	if (on("pread")) {
		errno = EIO;
		return -1;
	}
	return REAL(pread64)(fd, buf, n, off);
}
EOF
if $CC -shared -fPIC -O1 -o "$T/eio.so" "$T/eio.c" -ldl 2>"$T/cc.err"; then
	D=$T/eio
	mkdir "$D"
	for m in fsync fclose; do
		expect2 "gen with EIO from $m" env LD_PRELOAD="$T/eio.so" \
			SL_EIO=$m "$SWAPLAB" gen --profile text --pages 50 \
			-o "$D/t.swt"
		absent "$D/t.swt" "gen with EIO from $m"
		cp "$T/old.swt" "$D/keep.swt"
		expect2 "gen over an old trace with EIO from $m" env \
			LD_PRELOAD="$T/eio.so" SL_EIO=$m "$SWAPLAB" gen \
			--profile text --pages 50 -o "$D/keep.swt" --force
		same "$D/keep.swt" "$T/old.swt" "gen over an old trace with EIO from $m"
		expect2 "replay with EIO from $m" env LD_PRELOAD="$T/eio.so" \
			SL_EIO=$m "$SWAPLAB" replay "$T/a.swt" --codec liblz4 \
			--alloc ideal -o "$D/r.json" --quiet
		absent "$D/r.json" "replay with EIO from $m"
		cp "$T/old.json" "$D/keep.json"
		expect2 "replay over old results with EIO from $m" env \
			LD_PRELOAD="$T/eio.so" SL_EIO=$m "$SWAPLAB" replay \
			"$T/a.swt" --codec liblz4 --alloc ideal \
			-o "$D/keep.json" --quiet
		same "$D/keep.json" "$T/old.json" "replay over old results with EIO from $m"
	done
	expect2 "info with EIO from pread" env LD_PRELOAD="$T/eio.so" \
		SL_EIO=pread "$SWAPLAB" info "$T/a.swt"
	expect2 "replay with EIO from pread" env LD_PRELOAD="$T/eio.so" \
		SL_EIO=pread "$SWAPLAB" replay "$T/a.swt" --codec liblz4 \
		--alloc ideal -o "$D/p.json" --quiet
	absent "$D/p.json" "replay with EIO from pread"
else
	echo "safety: cannot build the EIO shim: EIO cases skipped"
	sed 's/^/    /' "$T/cc.err" | head -3
fi

# --- SIGKILL in the middle of a write (--force: gen replaces a trace) ---
# wait_tmp PATH: until PATH.tmp.* exists and holds some bytes (10 s at most)
wait_tmp() {
	i=0
	while [ $i -lt 200 ]; do
		for f in "$1".tmp.*; do
			[ -s "$f" ] && return 0
		done
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

D=$T/kill
mkdir "$D"
for target in "$D/new.swt" "$D/keep.swt"; do
	[ "$target" = "$D/keep.swt" ] && cp "$T/old.swt" "$target"
	"$SWAPLAB" gen --profile random --pages 2000000 -o "$target" --force \
		>/dev/null 2>&1 &
	pid=$!
	if wait_tmp "$target"; then
		sleep 0.3
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		if [ "$target" = "$D/keep.swt" ]; then
			if cmp -s "$target" "$T/old.swt"; then ok; else
				bad "gen killed: the old $target was changed"
			fi
		elif [ -e "$target" ]; then
			bad "gen killed: $target exists"
		else
			ok
		fi
		# the next writer removes it once it is old enough
		for f in "$target".tmp.*; do
			[ -e "$f" ] && touch -d '2 minutes ago' "$f"
		done
		"$SWAPLAB" gen --profile zero --pages 10 -o "$target" --force \
			>/dev/null 2>&1 || bad "gen after a killed gen failed"
		if ls "$target".tmp.* >/dev/null 2>&1; then
			bad "the killed gen's temp file was not removed: $(ls "$target".tmp.*)"
		else ok; fi
		rm -f "$target".tmp.*
	else
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		bad "gen: no temp file beside $target while writing"
	fi
done
# stale temp files: removed only when their process is gone and they are
# a minute old; a live process's (this shell's) and a fresh one stay
cp "$T/old.swt" "$D/s.swt"
: >"$D/s.swt.tmp.$$"
: >"$D/s.swt.tmp.999999999"
: >"$D/s.swt.tmp.999999998"
: >"$D/s.swt.tmp.12x"
touch -d '2 minutes ago' "$D/s.swt.tmp.$$" "$D/s.swt.tmp.999999999" \
	"$D/s.swt.tmp.12x"
"$SWAPLAB" gen --profile zero --pages 10 -o "$D/s.swt" --force \
	>/dev/null 2>&1 ||
	bad "gen beside stale temp files failed"
[ -e "$D/s.swt.tmp.999999999" ] && bad "stale temp file kept" || ok
[ -e "$D/s.swt.tmp.$$" ] && ok || bad "a live process's temp file removed"
[ -e "$D/s.swt.tmp.999999998" ] && ok || bad "a fresh temp file removed"
[ -e "$D/s.swt.tmp.12x" ] && ok || bad "a file not named NAME.tmp.PID removed"
rm -f "$D"/s.swt*

# stopped by a signal: the temp file goes with the process.  A shell
# starts background jobs with SIGINT ignored, and a suite run under nohup
# has SIGHUP ignored too (gen keeps an ignored signal ignored, as nohup
# wants); env gives both back their default, as a terminal's foreground
# job has them.
for sig in INT TERM HUP; do
	target=$D/sig-$sig.swt
	env --default-signal=INT,HUP "$SWAPLAB" gen --profile random \
		--pages 2000000 -o "$target" >/dev/null 2>&1 &
	pid=$!
	if wait_tmp "$target"; then
		sleep 0.2
		kill -$sig $pid 2>/dev/null
		wait $pid 2>/dev/null
		absent "$target" "gen stopped by SIG$sig"
	else
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		bad "gen: no temp file beside $target while writing"
	fi
	rm -f "$target"*
done

# a killed replay: the results appear whole or not at all
"$SWAPLAB" gen --profile realistic --pages 60000 --seed 9 -o "$T/big.swt" \
	>/dev/null 2>&1
for delay in 0.2 0.6 1.2; do
	cp "$T/old.json" "$D/keep.json"
	"$SWAPLAB" replay "$T/big.swt" --codec liblz4 --alloc ideal,zsmalloc \
		-o "$D/keep.json" --quiet >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if cmp -s "$D/keep.json" "$T/old.json" ||
		"$SWAPLAB" report "$D/keep.json" >/dev/null 2>&1; then ok; else
		bad "replay killed after ${delay}s: $D/keep.json is neither old nor whole"
	fi
	rm -f "$D"/keep.json.tmp.*
done

echo "safety: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
