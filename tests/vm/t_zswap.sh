# t_zswap: the zswap model against the real zswap of this kernel.  zram0
# is the swap device behind zswap (lz4); `swaplab replay --target swap`
# replays each bundled trace through the real swap path in a cgroup, and
# `swaplab replay --frontend zswap` replays it into the model with the
# guest's RAM, with the rules of the kernel the guest runs (--kernel).
# Per trace x codec (lzo, lz4, zstd) x pool (ZSWAP_POOLS, default zbud and
# zsmalloc, the defaults of Debian's 6.1 and 6.12):
#  - unlimited (max_pool_percent 100): stored_pages and pool_total_size
#    at every timeline point, model vs kernel;
#  - limited (ZSWAP_LIMIT_PCT, from the host's environment, e.g. 1 with
#    MEM=256): written_back_pages, pool_limit_hit, reject_* within 1% and
#    the peak pool within a page, model vs kernel; the player waits for
#    each run of zswap's shrink worker (--zswap-sync-shrink, on by
#    default), as the model runs it at once.  Gated on 6.12 (and there
#    stored_pages and the pool at every point too) and on 6.1.  6.1
#    shrinks the oldest pool on its list, and a pool stays on it after a
#    compressor/zpool change when a limit hit leaked a reference to it
#    (the player's shrink_sync.hits_not_queued): the test follows the
#    list as the kernel keeps it and gives the model
#    --zswap-older-pool pinned when that pool is not the current one.
#    Without the player's shrink_sync that cannot be followed: such runs
#    are reported (MISMATCH lines) unless ZSWAP_GATE_LIMITED=1.
#    ZSWAP_MODES="limited" skips the unlimited runs.
# The player must push out >= 99.9% of its STOREs and verify every LOAD.
# Results go back as /x/zswap-*.json; ZSWAP lines in the log hold the
# figures of docs/zswap.md.
. /tests/lib.sh
[ -f /tests/zswap.conf ] && . /tests/zswap.conf
P=/sys/module/zswap/parameters
[ -d $P ] || { fail "this kernel has no zswap"; done_test; }
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
command -v swaplab > /dev/null || { fail "no swaplab in the guest"; done_test; }
ls /traces/*.swt > /dev/null 2>&1 || { fail "no /traces (guest-zswap.sh)"; done_test; }
mount -t debugfs debugfs /sys/kernel/debug 2> /dev/null
echo 1 > /sys/block/zram0/reset
echo lz4 > /sys/block/zram0/comp_algorithm
echo 1G > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null || fail mkswap
# no swap readahead: a LOAD swaps in its own page only, as the model does
echo 0 > /proc/sys/vm/page-cluster
ram=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) * 1024))
# the compressor and pool zswap booted with
C0=$(cat $P/compressor) Z0=$(cat $P/zpool)
say "guest RAM $ram bytes, $(nproc) cpus"
STEP=${ZSWAP_TIMELINE:-500}
# the model follows the guest's kernel: 6.1.0-57-amd64 -> 6.1
K=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
say "kernel $(uname -r): model --kernel $K"

# timeline of a results file: "op stored_pages pool_total_size" per point
tl() {
	awk '/"timeline": \[/ { t = 1 }
	     t && /"op":/ { v = $2; gsub(/[^0-9]/, "", v); op = v }
	     t && /"stored_pages":/ { v = $2; gsub(/[^0-9]/, "", v); sp = v }
	     t && /"pool_total_size":/ { v = $2; gsub(/[^0-9]/, "", v); ps = v }
	     t && op != "" && sp != "" && ps != "" { print op, sp, ps; op = sp = ps = "" }' "$1"
}
# the first value of KEY in FILE outside the timeline (end of run figures)
val() {
	awk -v k="\"$2\":" '/"timeline": \[/ { exit } $1 == k { v = $2; gsub(/[^0-9.]/, "", v); print v; exit }' "$1"
}
# peak of the pool over the timeline
peak() { tl "$1" | awk '$3 > m { m = $3 } END { print m + 0 }'; }

# 6.1's zswap_pools as the kernel keeps it, newest (current) first:
# "compressor/zpool/pinned" words.  A change to a compressor or zpool
# (__zswap_param_set()) takes that pool off the list if it is still there
# (a pinned one: zswap_pool_find_get()), or makes one, and puts it first;
# the old current pool loses its reference and goes unless a leaked one
# pins it (after swapoff no entry holds one).  PKNOWN=0 once a limited
# run could not tell whether it leaked.
POOLS="$C0/$Z0/0" PKNOWN=1
pool_set() {
	cur=${POOLS%% *} new=$1/$2 keep=
	[ "${cur%/*}" = "$new" ] && return
	for w in $POOLS; do
		[ "${w%/*}" = "$new" ] && { new=$w; continue; }
		[ "$w" = "$cur" ] && [ "${w##*/}" = 0 ] && continue
		keep="$keep $w"
	done
	[ "$new" = "$1/$2" ] && new=$new/0
	POOLS="$new$keep"
}
# the oldest pool, which 6.1's store shrinks
pool_last() { echo "${POOLS##* }"; }
# after a run that leaked references: the pool they went to is pinned
pool_pin() {
	l=$(pool_last) out=
	for w in $POOLS; do
		[ "$w" = "$l" ] && w=${w%/*}/1
		out="$out $w"
	done
	POOLS=${out# }
}

# one trace x codec x pool limit
run() {
	t=$1 c=$2 pct=$3 mode=$4 pool=$5
	n=$(basename $t .swt)-$pool
	swapoff /dev/zram0 2> /dev/null
	echo N > $P/enabled
	echo $c > $P/compressor || { fail "compressor $c"; return; }
	pool_set $c "$(cat $P/zpool)"
	echo $pool > $P/zpool || { fail "zpool $pool"; return; }
	pool_set $c $pool
	echo $pct > $P/max_pool_percent
	echo 90 > $P/accept_threshold_percent
	echo Y > $P/enabled
	swapon /dev/zram0 || { fail swapon; return; }
	real=/x/zswap-$n-$c-$mode-real.json model=/x/zswap-$n-$c-$mode-model.json
	swaplab replay $t --target swap --frontend zswap --timeline $STEP \
		--quiet -o $real || { fail "$n $c $mode: player"; return; }
	# 6.1: zram is SWP_SYNCHRONOUS_IO and a freed slot waits in the
	# player's CPU's slot cache (the player pins itself to one CPU)
	m61= older=none
	if [ "$K" = 6.1 ]; then
		[ "$(pool_last)" != "${POOLS%% *}" ] && older=pinned
		m61="--zswap-slot-cache 64 --zswap-sync-swapin on --zswap-older-pool $older"
		say "zswap_pools (newest first, /1: pinned): $POOLS; model: older pool $older"
	fi
	swaplab replay $t --frontend zswap --kernel $K --zswap-pool $pool $m61 \
		--codec $c --ram $ram \
		--zswap-max-pool-percent $pct --timeline $STEP --quiet \
		-o $model || { fail "$n $c $mode: model"; return; }
	stores=$(val $real stores) npo=$(val $real not_paged_out)
	leaked=$(val $real hits_not_queued)
	# this run's own leaks pin the pool it shrinks, which stays the
	# one it shrinks: they matter to later runs only
	pknown=$PKNOWN
	if [ "$K" = 6.1 ] && [ "$(val $real pool_limit_hit)" != 0 ]; then
		if [ -z "$leaked" ]; then
			PKNOWN=0
		elif [ "$leaked" -gt 0 ]; then
			pool_pin
		fi
	fi
	# the kernel's own reclaim (kswapd, direct) of the player's pages:
	# swap-outs the trace does not hold (a guest short of memory).
	# MADV_PAGEOUT does not count in memory.stat's pgsteal
	steal=$(val $real pgsteal)
	if [ -z "$steal" ]; then
		fail "$n $c $mode: no pgsteal in the player's memory.stat"
	elif [ "$steal" = 0 ]; then
		pass "$n $c $mode: the kernel reclaimed none of the player's pages"
	else
		fail "$n $c $mode: the kernel reclaimed $steal of the player's pages (pgsteal): the guest is short of memory"
	fi
	vf=$(val $real verify_failures)
	[ "$vf" = 0 ] && pass "$n $c $mode: every LOAD verified" ||
		fail "$n $c $mode: $vf verify failures"
	[ $((npo * 1000)) -le "$stores" ] &&
		pass "$n $c $mode: $npo of $stores STOREs stayed in memory" ||
		fail "$n $c $mode: $npo of $stores STOREs stayed in memory"
	tl $real > /tmp/r.tl; tl $model > /tmp/m.tl
	# worst difference over the timeline points both have
	d=$(awk 'NR == FNR { sp[$1] = $2; ps[$1] = $3; next }
		 ($1 in sp) { a = $2 - sp[$1]; if (a < 0) a = -a
			     b = $3 - ps[$1]; if (b < 0) b = -b
			     if (a > ms) ms = a; if (b > mp) mp = b; n++ }
		 END { print n + 0, ms + 0, mp / 4096 }' /tmp/r.tl /tmp/m.tl)
	set -- $d
	say "ZSWAP $n $c $mode points=$1 max_stored_diff=$2 max_pool_diff_pages=$3" \
	    "peak_real=$(($(peak $real) / 4096)) peak_model=$(($(peak $model) / 4096))" \
	    "wb_real=$(val $real written_back_pages) wb_model=$(val $model written_back_pages)" \
	    "hit_real=$(val $real pool_limit_hit) hit_model=$(val $model pool_limit_hit)" \
	    "poor_real=$(val $real reject_compress_poor) poor_model=$(val $model reject_compress_poor)" \
	    "reclaim_fail_real=$(val $real reject_reclaim_fail) reclaim_fail_model=$(val $model reject_reclaim_fail)" \
	    "zswpout_real=$(val $real zswpout) zswpout_model=$(val $model zswpout)" \
	    "worker_runs=$(val $real worker_ran) waits=$(val $real waits) wait_timeouts=$(val $real timeouts) wait_s=$(val $real wait_s)" \
	    "worker_queued=$(val $real worker_queued) hits_not_queued=$leaked older_pool=$older"
	[ "$1" -gt 0 ] || fail "$n $c $mode: no common timeline point"
	# the limited pool: gated (the player waits for each shrink worker
	# run); on 6.1 reported only (MISMATCH lines) once the list of pools
	# could not be followed (ZSWAP_GATE_LIMITED=1 gates it then too)
	chk=fail
	if [ $mode = limited ] && [ "$K" != 6.12 ] && [ "$pknown" = 0 ] &&
	   [ "${ZSWAP_GATE_LIMITED:-0}" != 1 ]; then
		chk="say MISMATCH"
	fi
	for k in reject_compress_poor reject_alloc_fail reject_reclaim_fail pool_limit_hit written_back_pages; do
		a=$(val $real $k) b=$(val $model $k)
		e=$((a > b ? a - b : b - a)) m=$((a > b ? a : b))
		[ $((e * 100)) -le $m ] && pass "$n $c $mode: $k kernel $a, model $b" ||
			$chk "$n $c $mode: $k kernel $a, model $b (over 1%)"
	done
	zr=$(val $real zswpout) zm=$(val $model zswpout)
	[ $mode = limited ] || { [ $((zm - zr)) -le "$npo" ] && [ $((zr - zm)) -le 0 ]; } &&
		pass "$n $c $mode: zswpout $zr, model $zm ($npo not paged out)" ||
		fail "$n $c $mode: zswpout $zr, model $zm ($npo not paged out)"
	if [ $mode = limited ]; then
		pr=$(peak $real) pm=$(peak $model)
		e=$((pr > pm ? pr - pm : pm - pr))
		[ $e -le 4096 ] && pass "$n $c $mode: peak pool kernel $pr, model $pm" ||
			$chk "$n $c $mode: peak pool kernel $pr, model $pm (over one zbud page)"
		# the same at every timeline point, as 6.12 unlimited (6.1
		# too: its slot cache is modelled, the player frees from one CPU)
		if [ "$chk" = fail ]; then
			[ "$2" -le 0 ] && [ "${3%.*}" -le 0 ] &&
				pass "$n $c $mode: stored_pages and pool equal at $1 points" ||
				fail "$n $c $mode: stored_pages differ by up to $2, pool by $3 pages"
		fi
		echo "$n $c $mode $d" >> /tmp/diffs
		return
	fi
	# equal at every point: 6.12 (since 6.8) drops the zswap entry in
	# free_swap_slot(), before the slot cache; 6.1's model has the slot
	# cache of the one CPU the player frees from (--zswap-slot-cache)
	# and the synchronous device's swap-ins (--zswap-sync-swapin).
	# Before those it was up to 125 entries either way (docs/zswap.md)
	[ "$2" -le 0 ] && pass "$n $c $mode: stored_pages equal to the model's at $1 points" ||
		fail "$n $c $mode: stored_pages differ from the model's by up to $2"
	[ "${3%.*}" -le 0 ] && pass "$n $c $mode: pool equal to the model's at $1 points" ||
		fail "$n $c $mode: pool differs from the model's by up to $3 pages"
	echo "$n $c $mode $d" >> /tmp/diffs
}

: > /tmp/diffs
# zswap's pool messages (created, using existing, destroying) in dmesg:
# what the list of pools really did, to check the list followed here
DD=/sys/kernel/debug/dynamic_debug/control
[ -w $DD ] && echo 'file mm/zswap.c +p' > $DD 2> /dev/null
# ZSWAP_LEAK=1 (6.1, with a limit): first a run that leaks, two players
# not waiting for the shrink worker, on the pool zswap booted with; the
# works really queued are counted in a tracefs instance of our own, and
# pool_limit_hit less those is the references leaked.  Not compared with
# the model (how many stores find the work pending is timing).
if [ "${ZSWAP_LEAK:-0}" = 1 ] && [ "$K" = 6.1 ] && [ -n "$ZSWAP_LIMIT_PCT" ]; then
	t=$(ls /traces/*.swt | head -1)
	TR=/sys/kernel/debug/tracing/instances/t_zswap_leak
	swapoff /dev/zram0 2> /dev/null
	echo N > $P/enabled
	echo $ZSWAP_LIMIT_PCT > $P/max_pool_percent
	echo Y > $P/enabled
	swapon /dev/zram0
	if mkdir $TR 2> /dev/null; then
		echo 'workqueue == "zswap-shrink"' > $TR/events/workqueue/workqueue_queue_work/filter
		echo 1 > $TR/events/workqueue/workqueue_queue_work/enable
		echo 1 > $TR/tracing_on
		h0=$(cat /sys/kernel/debug/zswap/pool_limit_hit)
		# two players at once, one per CPU: a store on one finds the
		# work the other queued still pending
		taskset -c 1 swaplab replay $t --target swap --frontend zswap \
			--zswap-sync-shrink off --quiet -o /x/zswap-leak2.json &
		taskset -c 0 swaplab replay $t --target swap --frontend zswap \
			--zswap-sync-shrink off --quiet -o /x/zswap-leak.json ||
			fail "leak run: player"
		wait $! || fail "leak run: second player"
		q=$(grep -c 'workqueue_queue_work:' $TR/trace)
		echo 0 > $TR/tracing_on
		echo 0 > $TR/events/workqueue/workqueue_queue_work/enable
		rmdir $TR
		h=$(($(cat /sys/kernel/debug/zswap/pool_limit_hit) - h0))
		say "ZSWAP leak-run $(basename $t .swt) $C0/$Z0: pool_limit_hit=$h worker_queued=$q leaked=$((h - q))"
		[ "$((h - q))" -gt 0 ] && pool_pin
	else
		fail "leak run: no tracefs instance"
		PKNOWN=0
	fi
	swapoff /dev/zram0
fi
for t in /traces/*.swt; do
	for c in ${ZSWAP_CODECS:-lzo lz4 zstd}; do
		for pool in ${ZSWAP_POOLS:-zbud zsmalloc}; do
			case " ${ZSWAP_MODES:-unlimited limited} " in
			*" unlimited "*) run $t $c 100 unlimited $pool ;;
			esac
			case " ${ZSWAP_MODES:-unlimited limited} " in
			*" limited "*) [ -n "$ZSWAP_LIMIT_PCT" ] &&
				run $t $c $ZSWAP_LIMIT_PCT limited $pool ;;
			esac
		done
	done
done
# slot 2^32 - 1 in a guest of a few hundred MiB: one leaf of slots, not a
# page array and a mapping as large as the highest slot
if [ -f /tests/slotmax.swt ]; then
	if swaplab replay /tests/slotmax.swt --target swap --quiet \
		-o /x/zswap-slotmax.json; then
		[ "$(val /x/zswap-slotmax.json verify_failures)" = 0 ] &&
		[ "$(val /x/zswap-slotmax.json slot_leaves)" = 1 ] &&
			pass "slot 2^32 - 1: verified, one leaf mapped" ||
			fail "slot 2^32 - 1: $(grep -o '"slot_leaves": [0-9]*\|"verify_failures": [0-9]*' /x/zswap-slotmax.json | tr '\n' ' ')"
	else
		fail "slot 2^32 - 1: the player failed"
	fi
fi
# SIGTERM mid-replay: exit 2, no results file, the cgroup removed
t=$(ls /traces/*.swt | head -1)
swaplab replay $t --target swap --quiet -o /x/zswap-killed.json &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 0 ]; then
	say "player finished before the SIGTERM: not tested"
	rm -f /x/zswap-killed.json
else
	[ $rc = 2 ] && pass "player stopped by SIGTERM: exit 2" || fail "player after SIGTERM: exit $rc"
	[ -e /x/zswap-killed.json ] && fail "results written after SIGTERM" || pass "no results after SIGTERM"
fi
ls -d /sys/fs/cgroup/swaplab-* > /dev/null 2>&1 &&
	fail "cgroup left: $(ls -d /sys/fs/cgroup/swaplab-*)" || pass "cgroup removed after SIGTERM"
ls -d /sys/kernel/debug/tracing/instances/swaplab-* > /dev/null 2>&1 &&
	fail "tracefs instance left: $(ls -d /sys/kernel/debug/tracing/instances/swaplab-*)" ||
	pass "tracefs instance removed after SIGTERM"
swapoff /dev/zram0
echo N > $P/enabled
echo 1 > /sys/block/zram0/reset
cat /tmp/diffs
[ -w $DD ] && echo 'file mm/zswap.c -p' > $DD 2> /dev/null
dmesg | grep -E 'zswap: (created|using existing|destroying) pool' | tail -40
done_test
