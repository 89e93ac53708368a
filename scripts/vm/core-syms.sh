#!/bin/sh
# core-syms.sh [KMOD_BUILD_DIR] - the kernel twin of the freestanding check:
# core/ objects compiled for swaplab.ko may reference only what
# core/kernel/sl_compat_kernel.h maps core's names to, plus the symbols the
# compiler itself inserts (ftrace, retpolines, stack protector, preempt
# count) and what might_sleep() expands to.  Prints offenders; exit 1 if any.
set -eu
D=${1:-build/kmod}
allow='^(__fentry__|__x86_return_thunk|__x86_indirect_thunk_r[a-z0-9]+|__stack_chk_fail|__preempt_count|__SCT__preempt_schedule(_notrace)?|__SCT__might_resched|__might_sleep|__cond_resched|pv_ops|__warn_printk|__fortify_panic|fortify_panic'
allow="$allow"'|mem(chr|cpy|set|cmp|move)|str(chr|rchr|len|nlen|cmp|ncmp|scpy)|__kmalloc|__kmalloc_node|kmalloc_(trace|large|caches|node_trace)|kfree|kvfree|kvmalloc_node'
allow="$allow"'|alloc_pages|__free_pages|page_offset_base|phys_base|vmemmap_base|_raw_spin_(lock|unlock|trylock)|_raw_(read|write)_(lock|unlock)|ktime_get|__list_(add|del_entry)_valid'
# 6.12 spells the same: allocation profiling's *_noprof, list debug's
# *_or_report, the per-CPU hot data (preempt count), BUG()'s marker
allow="$allow"'|__kmalloc(_cache|_large)?_noprof|__kvmalloc_node_noprof|alloc_pages_noprof|__list_(add|del_entry)_valid_or_report|pcpu_hot|BUG_func'
# 6.12's zstd codec calls lib/zstd as zram's backend_zstd.c does
# and lib/lz4 as its backend_lz4.c and backend_lz4hc.c do
allow="$allow"'|zstd_[a-z_]+|LZ4_[A-Za-z_]+|vfree|vzalloc(_noprof)?|vmalloc(_noprof)?'
allow="$allow"'|kstrto(uint|ull|int|ul|ll|bool)|_kstrto(ul|l)|sl_[a-z0-9_]+|crypto_(alloc_base|comp_compress|comp_decompress|destroy_tfm|has_alg)|sysfs_streq|xxh64)$'
ls "$D"/core/*.o > /dev/null || { echo "core-syms: no objects in $D/core (make kmod)" >&2; exit 2; }
bad=0
for o in "$D"/core/*.o "$D"/core/kernel/*.o; do
	for s in $(nm -u "$o" | awk '{ print $2 }'); do
		if ! echo "$s" | grep -Eq "$allow"; then
			echo "core-syms: ${o#$D/} uses $s"
			bad=1
		fi
	done
done
[ $bad = 0 ] && echo "core-syms: core/ objects use only compat names"
exit $bad
