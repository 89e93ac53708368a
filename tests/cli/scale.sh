#!/bin/sh
# scale.sh - replay at scale (issue 18): verify by hash or bytes, runs
# sharing passes (--mem-budget) on --jobs threads, all giving the figures
# of one run alone; and the refusals (one line, exit 2, no file).
#
# Usage: SWAPLAB=build/swaplab tests/cli/scale.sh
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if "$SWAPLAB" --version | grep -q 'kernel codecs: none'; then
	C=liblz4,libzstd
else
	C=lz4,zstd
fi
# every run's sizes and counts, one line per run
sizes() {
	python3 -c "import json, sys
for r in json.load(open(sys.argv[1]))['runs']:
    print(r['codec'], r['alloc'], r['compr_data_size'], r['mem_used_max'],
          r['huge_pages'], r['ops'], r['verify_failures'], r['timeline'])" "$1"
}

expect 0 "$SWAPLAB" gen --profile realistic --pages 4000 --seed 3 -o "$T/a.swt"
A="replay $T/a.swt --codec $C --alloc zsmalloc,zbud --quiet"
# one run per pass (a store needs 7.9 MiB at most), as before passes
# were shared: the reference
# shellcheck disable=SC2086
expect 0 "$SWAPLAB" $A --mem-budget 9M -o "$T/one.json"
sizes "$T/one.json" > "$T/one.txt"
check '[ $(wc -l < "$T/one.txt") = 4 ]' "4 runs"
for opts in "--jobs 1" "--jobs 2" "--jobs 3" "--verify bytes" \
	"--mem-budget 16M --jobs 2"; do
	# shellcheck disable=SC2086
	expect 0 "$SWAPLAB" $A $opts -o "$T/m.json"
	sizes "$T/m.json" > "$T/m.txt"
	cmp -s "$T/one.txt" "$T/m.txt" && ok || bad "$opts: other figures than one run a pass"
done
# past one pass (two stores a pass, four runs): costliest codec first, the
# cut said on stderr, the results in the order asked for
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $C --alloc zsmalloc,zbud \
	--mem-budget 16M -o "$T/p.json"
check 'grep -q "note: --mem-budget holds 2 stores at a time: 4 runs in 2 passes, costliest codecs together: [a-z]*zstd[^|]*zstd[^|]* | [a-z]*lz4" "$T/err"' \
	"the cut into passes is said, zstd's runs first: $(cat "$T/err")"
sizes "$T/p.json" > "$T/p.txt"
cmp -s "$T/one.txt" "$T/p.txt" && ok || bad "passes cut by cost: other figures"
check '[ "$(cut -d" " -f1 "$T/p.txt" | sed "s/@.*//; s/^lib//" | tr "\n" " ")" = "lz4 lz4 zstd zstd " ]' \
	"results in the order asked for: $(cut -d" " -f1,2 "$T/p.txt")"
grep -q '"verify": "bytes"' "$T/m.json" || grep -q '"verify": "hash"' "$T/m.json" &&
	ok || bad "results say how loads were verified"
# shellcheck disable=SC2086
expect 0 "$SWAPLAB" $A --verify bytes -o "$T/b.json"
check 'grep -q "\"verify\": \"bytes\"" "$T/b.json"' "--verify bytes is said"
check '! grep -q "\"verify\": \"hash\"" "$T/b.json"' "no hash run with --verify bytes"

# a corrupted object is a verify failure (exit 1), by hash and by bytes,
# in one run of a shared pass and not in the others
for v in hash bytes; do
	for j in 1 2; do
		# shellcheck disable=SC2086
		expect 1 "$SWAPLAB" $A --verify $v --jobs $j \
			--debug-corrupt-store 3990 -o "$T/c.json"
		n=$(python3 -c "import json, sys
print(sum(r['verify_failures'] > 0 for r in json.load(open(sys.argv[1]))['runs']))" "$T/c.json")
		check '[ "$n" = 4 ]' "$v, jobs $j: every run has its store 3990 corrupted: $n"
	done
done

# refusals
# shellcheck disable=SC2086
expect 2 "$SWAPLAB" $A --mem-budget 64K -o "$T/x.json"
one_error_line "less than one store may need"
check '[ ! -e "$T/x.json" ]' "no results after a refusal"
for bad_opt in "--verify sha1" "--jobs 0" "--jobs x" "--mem-budget 0" \
	"--mem-budget lots"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $A $bad_opt -o "$T/x.json"
	one_error_line
	check '[ ! -e "$T/x.json" ]' "no results after $bad_opt"
done
finish "scale"
