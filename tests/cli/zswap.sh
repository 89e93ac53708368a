#!/bin/sh
# zswap.sh - `replay --frontend zswap`: both front ends in one results file
# and report, the debugfs/vmstat names, the pool limit biting, and every
# bad zswap option giving one error line, exit 2 and no file.
#
# Usage: SWAPLAB=build/swaplab tests/cli/zswap.sh
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if "$SWAPLAB" --version | grep -q 'kernel codecs: none'; then
	LZ4=liblz4
else
	LZ4=lz4
fi




# jq-free field read: NUM FILE RUN PATH (python3 is a build dependency)
num() {
	python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["runs"][int(sys.argv[2])]
for k in sys.argv[3].split("."):
    r = r[k]
print(r)' "$@"
}

expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 3 -o "$T/a.swt"

# both front ends, zswap first as asked, one report
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap,zram \
	--kernel 6.1 --ram 1G --quiet -o "$T/both.json"
[ "$(num "$T/both.json" 0 frontend)" = zswap ] && ok || bad "run 0 is not zswap"
[ "$(num "$T/both.json" 1 frontend)" = zram ] && ok || bad "run 1 is not zram"
[ "$(num "$T/both.json" 0 alloc)" = zbud ] && ok || bad "6.1's pool is zbud"
[ "$(num "$T/both.json" 0 kernel)" = 6.1 ] && ok || bad "kernel not 6.1"
for k in stored_pages pool_total_size same_filled_pages written_back_pages \
	 pool_limit_hit reject_reclaim_fail reject_alloc_fail \
	 reject_kmemcache_fail reject_compress_poor duplicate_entry; do
	num "$T/both.json" 0 "zswap.$k" >/dev/null 2>&1 && ok || bad "no zswap.$k"
done
for k in zswpout zswpin; do
	num "$T/both.json" 0 "vmstat.$k" >/dev/null 2>&1 && ok || bad "no vmstat.$k"
done
# 6.1's /proc/vmstat has no zswpwb (it came in 6.8)
num "$T/both.json" 0 vmstat.zswpwb >/dev/null 2>&1 && bad "6.1 shows zswpwb" || ok
# 1 GiB at 20%: nothing hits the limit, nothing is written back
[ "$(num "$T/both.json" 0 zswap.pool_limit_hit)" = 0 ] && ok || bad "limit hit at 1G"
[ "$(num "$T/both.json" 0 verify_failures)" = 0 ] && ok || bad "verify failures"
# provenance and trace time as zram runs have them: merge and sweep's
# resume match runs by trace_hash
case $(num "$T/both.json" 0 trace_hash) in xxh3-128:*) ok ;; *) bad "zswap run has no trace_hash" ;; esac
num "$T/both.json" 0 at_peak.t_s >/dev/null 2>&1 && ok || bad "no at_peak.t_s"
# a sweep with a front-end axis: every zswap job is done after --run
cat > "$T/plan.json" <<EOF
{ "traces": ["$T/a.swt"], "output": "$T/sw",
  "axes": { "codec": ["$LZ4"], "frontend": ["zram", "zswap"] } }
EOF
expect 0 "$SWAPLAB" sweep "$T/plan.json" --run --quiet
expect 0 "$SWAPLAB" sweep "$T/plan.json" --list
[ "$(grep -c ' done ' "$T/out")" = 2 ] && ok || bad "sweep: zswap job not done after --run: $(cat "$T/out")"
expect 0 "$SWAPLAB" report "$T/both.json"
grep -q '^front ' "$T/out" && ok || bad "report has no front-end column"
grep -q '^zswap ' "$T/out" && grep -q '^zram ' "$T/out" && ok ||
	bad "report lacks a front end"
expect 0 "$SWAPLAB" report "$T/both.json" --fields frontend,stored_pages,zswpout
expect 0 "$SWAPLAB" compare "$T/both.json" "$T/both.json"
grep -q 'written_back_pages' "$T/out" && ok || bad "compare lacks zswap figures"

# 6.12, the newest, is the default for a trace that names no kernel:
# its pool is zsmalloc, its debugfs has no same_filled_pages, its vmstat
# counts zero pages apart (the swap core's zeromap)
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--ram 1G --quiet -o "$T/k612.json"
[ "$(num "$T/k612.json" 0 kernel)" = 6.12 ] && ok || bad "default kernel not 6.12"
[ "$(num "$T/k612.json" 0 alloc)" = zsmalloc:kernel=6.12:chain=8 ] && ok ||
	bad "6.12's pool is not its zsmalloc: $(num "$T/k612.json" 0 alloc)"
num "$T/k612.json" 0 zswap.same_filled_pages >/dev/null 2>&1 &&
	bad "6.12 shows same_filled_pages" || ok
for k in zswap.reject_compress_fail vmstat.zswpwb vmstat.swpout_zero vmstat.swpin_zero \
	 ops.stores_zero_filled; do
	num "$T/k612.json" 0 $k >/dev/null 2>&1 && ok || bad "no $k on 6.12"
done
# every zero page went to the zeromap, none to zswap
z=$(num "$T/k612.json" 0 vmstat.swpout_zero)
[ "$z" = "$(num "$T/k612.json" 0 ops.stores_zero_filled)" ] && [ "$z" -gt 0 ] &&
	ok || bad "zero pages: swpout_zero $z"
[ "$(( $(num "$T/k612.json" 0 vmstat.zswpout) + z + \
	$(num "$T/k612.json" 0 ops.stores_refused) ))" = \
  "$(num "$T/k612.json" 0 ops.stores)" ] && ok ||
	bad "6.12: zswpout + swpout_zero + refused != stores at 1G"
[ "$(num "$T/k612.json" 0 verify_failures)" = 0 ] && ok || bad "verify 6.12"
# zswap compresses through the crypto API: its zstd is crypto/zstd.c's
if [ $LZ4 = lz4 ]; then
	expect 0 "$SWAPLAB" replay "$T/a.swt" --codec zstd --frontend zswap,zram \
		--kernel 6.12 --ram 1G --quiet -o "$T/cz.json"
	[ "$(num "$T/cz.json" 0 codec)" = crypto-zstd@6.12 ] &&
	[ "$(num "$T/cz.json" 1 codec)" = zstd@6.12 ] && ok ||
		bad "zswap's zstd is not crypto-zstd: $(num "$T/cz.json" 0 codec)"
	[ "$(num "$T/cz.json" 0 verify_failures)" = 0 ] && ok || bad "verify crypto-zstd"
	expect 2 "$SWAPLAB" replay "$T/a.swt" --codec zstd:level=5 --frontend zswap \
		--kernel 6.12 --ram 1G -o "$T/bad.json"
	one_error_line
	[ -e "$T/bad.json" ] && bad "file left by zswap zstd:level=5" || ok
fi
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap:kernel=6.12 \
	--ram 1G --quiet -o "$T/k612b.json"
[ "$(num "$T/k612b.json" 0 kernel)" = 6.12 ] && ok || bad "zswap:kernel=6.12"
# 6.12 writes back from zsmalloc too (its own LRU), down to the limit
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--ram 16M --zswap-max-pool-percent 5 --quiet -o "$T/zs612.json"
[ "$(num "$T/zs612.json" 0 zswap.written_back_pages)" -gt 0 ] && ok ||
	bad "6.12 zsmalloc wrote nothing back"
[ "$(num "$T/zs612.json" 0 zswap.reject_reclaim_fail)" = 0 ] && ok ||
	bad "6.12 writeback failed"
[ "$(num "$T/zs612.json" 0 verify_failures)" = 0 ] && ok || bad "verify 6.12 small"

# a small RAM: the pool limit bites, pages go to the disk, still verified
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--kernel 6.1 --ram 16M --zswap-max-pool-percent 5 --quiet -o "$T/small.json"
hits=$(num "$T/small.json" 0 zswap.pool_limit_hit)
[ "$hits" -gt 0 ] && ok || bad "no pool_limit_hit at 16M x 5%"
[ "$(num "$T/small.json" 0 zswap.written_back_pages)" -gt 0 ] && ok ||
	bad "nothing written back"
# the pool never passes the limit by more than one zbud page
max=$(num "$T/small.json" 0 mem_used_max)
[ "$max" -le $(( (16 * 256 * 5 / 100 + 1) * 4096 )) ] && ok ||
	bad "pool peak $max over the limit + 1 page"
[ "$(num "$T/small.json" 0 verify_failures)" = 0 ] && ok || bad "verify"
# zsmalloc in 6.1 cannot write back: every hit fails to reclaim
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--kernel 6.1 --ram 16M --zswap-max-pool-percent 5 --zswap-pool zsmalloc \
	--quiet -o "$T/zs.json"
[ "$(num "$T/zs.json" 0 zswap.written_back_pages)" = 0 ] && ok ||
	bad "zsmalloc wrote back on 6.1"
[ "$(num "$T/zs.json" 0 zswap.reject_reclaim_fail)" = \
  "$(num "$T/zs.json" 0 zswap.pool_limit_hit)" ] && ok ||
	bad "reject_reclaim_fail != pool_limit_hit for zsmalloc"

# 6.1 with the slot cache and a synchronous swap device: recorded, and
# a freed slot's entry waits, so the pool ends no smaller than without
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--kernel 6.1 --ram 16M --zswap-max-pool-percent 5 --zswap-slot-cache 64 \
	--zswap-sync-swapin on --quiet -o "$T/sc.json"
[ "$(num "$T/sc.json" 0 settings.slot_cache)" = 64 ] &&
[ "$(num "$T/sc.json" 0 settings.sync_swapin)" = True ] && ok ||
	bad "slot cache settings not recorded"
[ "$(num "$T/sc.json" 0 verify_failures)" = 0 ] && ok || bad "verify slot cache"
[ "$(num "$T/sc.json" 0 zswap.pool_limit_hit)" -gt 0 ] && ok ||
	bad "slot cache run hit no limit"
num "$T/small.json" 0 settings.slot_cache >/dev/null 2>&1 &&
	bad "slot_cache recorded when off" || ok

# 6.1 with an older pool pinned: the same run, every shrink fails (no
# writeback, one reject_reclaim_fail per hit), and it is recorded
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--kernel 6.1 --ram 16M --zswap-max-pool-percent 5 --zswap-slot-cache 64 \
	--zswap-sync-swapin on --zswap-older-pool pinned --quiet -o "$T/op.json"
[ "$(num "$T/op.json" 0 settings.older_pool)" = pinned ] && ok ||
	bad "older_pool not recorded"
[ "$(num "$T/sc.json" 0 zswap.written_back_pages)" -gt 0 ] &&
[ "$(num "$T/op.json" 0 zswap.written_back_pages)" = 0 ] && ok ||
	bad "written back with the older pool pinned (or nothing without)"
[ "$(num "$T/op.json" 0 zswap.pool_limit_hit)" -gt 0 ] &&
[ "$(num "$T/op.json" 0 zswap.reject_reclaim_fail)" = \
  "$(num "$T/op.json" 0 zswap.pool_limit_hit)" ] && ok ||
	bad "older pool pinned: reject_reclaim_fail != pool_limit_hit"
[ "$(num "$T/op.json" 0 verify_failures)" = 0 ] && ok || bad "verify older pool"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --frontend zswap \
	--kernel 6.1 --ram 16M --zswap-max-pool-percent 5 --zswap-slot-cache 64 \
	--zswap-sync-swapin on --zswap-older-pool none --quiet -o "$T/on.json"
[ "$(num "$T/on.json" 0 settings.older_pool)" = none ] &&
[ "$(num "$T/on.json" 0 zswap.written_back_pages)" = \
  "$(num "$T/sc.json" 0 zswap.written_back_pages)" ] && ok ||
	bad "--zswap-older-pool none is not the default run"
num "$T/sc.json" 0 settings.older_pool >/dev/null 2>&1 &&
	bad "older_pool recorded when not given" || ok

# bad input: one line, exit 2, nothing written
for args in "--frontend zswap --zswap-max-pool-percent 0" \
	    "--frontend zswap --kernel 6.12 --zswap-slot-cache 64" \
	    "--frontend zswap --kernel 6.12 --zswap-sync-swapin on" \
	    "--frontend zswap --kernel 6.1 --zswap-slot-cache 4097" \
	    "--frontend zswap --kernel 6.1 --zswap-slot-cache -1" \
	    "--frontend zswap --kernel 6.1 --zswap-sync-swapin maybe" \
	    "--frontend zswap --kernel 6.12 --zswap-older-pool pinned" \
	    "--frontend zswap --kernel 6.12 --zswap-older-pool none" \
	    "--frontend zswap --kernel 6.1 --zswap-older-pool yes" \
	    "--zswap-older-pool pinned" \
	    "--zswap-slot-cache 64" \
	    "--zswap-sync-shrink on" \
	    "--frontend zswap --zswap-sync-shrink off" \
	    "--frontend zswap --zswap-max-pool-percent 101" \
	    "--frontend zswap --zswap-accept-threshold 101" \
	    "--frontend zswap:kernel=6.12 --kernel 6.1" \
	    "--frontend zswap --kernel 6.12 --zswap-same-filled off" \
	    "--frontend zswap:kernel=5.4" \
	    "--frontend zswap:pool=zbud" \
	    "--frontend zswapx" \
	    "--frontend zswap --zswap-pool tlsf" \
	    "--frontend zswap --ram 12x" \
	    "--ram 1G" \
	    "--frontend zswap --threads 2" \
	    "--frontend zswap --memlimit 1M"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 $args -o "$T/bad.json"
	one_error_line
	[ -e "$T/bad.json" ] && bad "file left by: $args" || ok
done
expect 2 "$SWAPLAB" bench "$T/a.swt" --frontend zswap
one_error_line

# --target swap: refused before anything runs where it cannot work
if ! grep -q '^/' /proc/swaps; then
	expect 2 "$SWAPLAB" replay "$T/a.swt" --target swap -o "$T/bad.json"
	one_error_line
	grep -q 'no swap is enabled' "$T/err" && ok || bad "no-swap message"
	[ -e "$T/bad.json" ] && bad "file left by --target swap" || ok
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	expect 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SWAPLAB" replay "$T/a.swt" --target swap -o "$T/bad.json"
	one_error_line
	grep -q 'needs root' "$T/err" && ok || bad "non-root message"
fi
expect 2 "$SWAPLAB" replay "$T/a.swt" --target swap --codec $LZ4 -o "$T/bad.json"
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --target swap --zswap-sync-shrink bogus \
	-o "$T/bad.json"
one_error_line
grep -q 'wants on or off' "$T/err" && ok || bad "--zswap-sync-shrink bogus: $(cat "$T/err")"
# the model's settings mean nothing to the kernel's zswap: refused on any
# host (before the swap checks), not ignored
for args in "--zswap-older-pool pinned" "--zswap-slot-cache 64" "--ram 1G"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" replay "$T/a.swt" --target swap --frontend zswap \
		$args -o "$T/bad.json"
	one_error_line
	# (a 6.1-only option may be refused for this host's kernel first)
	grep -q "no --ram or --zswap-\\* model option\\|is 6.1's\\|are 6.1's" "$T/err" &&
		ok || bad "--target swap $args: $(cat "$T/err")"
	[ -e "$T/bad.json" ] && bad "file left by --target swap $args" || ok
done

# the guest test (tests/vm/t_zswap.sh) reads a run's end figures as the
# first value of a name before "timeline": they must all come before it
for k in stored_pages pool_limit_hit written_back_pages zswpout mem_used_max \
	verify_failures; do
	v=$(awk -v k="\"$k\":" '/"timeline": \[/ { exit } $1 == k { print $2; exit }' "$T/both.json")
	[ -n "$v" ] && ok || bad "$k is not written before the timeline"
done

finish "zswap cli"
