#!/bin/sh
# run.sh - end-to-end tests of the swaplab command line: the gen -> info ->
# replay -> report path, exit codes, and hostile input (every bad flag or
# file gets one error line, exit 2, and leaves no output file behind).
#
# Usage: SWAPLAB=build/swaplab tests/cli/run.sh
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# a build without kernel codecs has the library ones only
if "$SWAPLAB" --version | grep -q 'kernel codecs: none'; then
	LZ4=liblz4 ZSTD=libzstd LZORLE=liblzo2
else
	LZ4=lz4 ZSTD=zstd LZORLE=lzo-rle
fi




no_file() {
	if ls "$1"* >/dev/null 2>&1; then bad "left behind: $(ls "$1"*)"; else ok; fi
}

# --- the happy path ---
expect 0 "$SWAPLAB" --version
expect 0 "$SWAPLAB" --help
expect 2 "$SWAPLAB"
for c in gen info replay bench report; do
	expect 0 "$SWAPLAB" "$c" --help
	grep -q "^usage: swaplab $c" "$T/out" && ok || bad "$c --help text"
	expect 0 "$SWAPLAB" help "$c"
done
expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 7 -o "$T/a.swt"
expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 7 -o "$T/b.swt"
cmp -s "$T/a.swt" "$T/b.swt" && ok || bad "gen is not deterministic"
for p in zero text random mixed; do
	expect 0 "$SWAPLAB" gen --profile $p --pages 200 -o "$T/$p.swt"
	expect 0 "$SWAPLAB" replay "$T/$p.swt" --codec $LZ4 --alloc zsmalloc \
		-o "$T/$p.json" --quiet
done
expect 0 "$SWAPLAB" info "$T/a.swt"
grep -q "3000 store" "$T/out" && ok || bad "info counts stores"
expect 0 "$SWAPLAB" info "$T/a.swt" --json
grep -q '"stores": 3000' "$T/out" && ok || bad "info --json counts stores"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --alloc zsmalloc,ideal \
	-o "$T/r.json" --quiet
expect 0 "$SWAPLAB" report "$T/r.json"
grep -q "^$LZ4 *zsmalloc" "$T/out" && ok || bad "report has the zsmalloc row"
awk 'length > 80 { exit 1 }' "$T/out" && ok || bad "report wider than 80 columns"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv
[ "$(head -1 "$T/out" | cut -d, -f1-3)" = "trace,codec,alloc" ] && ok ||
	bad "csv header"
[ "$(wc -l <"$T/out")" -eq 3 ] && ok || bad "csv has 2 rows"
expect 0 "$SWAPLAB" report "$T/r.json" --format markdown
expect 0 "$SWAPLAB" report "$T/r.json" --format json
expect 0 "$SWAPLAB" report "$T/r.json" --fields codec,alloc,mem_used_max,huge_pages
# every field of the results schema is there
for f in swaplab_version trace codec alloc settings pages_stored orig_data_size \
	compr_data_size mem_used_total mem_used_max same_pages huge_pages \
	pages_compacted ratio effective_ratio fragmentation verify_failures \
	latency_ns timeline p999; do
	grep -q "\"$f\"" "$T/r.json" && ok || bad "results lack \"$f\""
done

# --- store features and threads: every run still verifies ---
for opts in "--dedup on" "--threads 2" "--threads 2 --dedup on" \
	"--backing $T/bd.img --writeback huge_idle --idle-after 500" \
	"--recompress $ZSTD --recompress-type idle --idle-after 500" \
	"--codec none --recompress $LZ4,$ZSTD --recompress-type huge" \
	"--memlimit 1M --backing $T/bd.img" "--memlimit 1M" \
	"--same-filled off --huge-threshold 2048" "--compact every=100" \
	"--compact on-free --threads 2"; do
	# shellcheck disable=SC2086
	expect 0 "$SWAPLAB" replay "$T/a.swt" --alloc zsmalloc $opts \
		-o "$T/f.json" --quiet
	grep -q '"verify_failures": 0' "$T/f.json" && ok ||
		bad "verify failures with $opts"
done
no_file "$T/bd.img"
"$SWAPLAB" replay "$T/a.swt" --dedup on -o "$T/d.json" --quiet
grep -q '"dedup_pages": [1-9]' "$T/d.json" && ok || bad "dedup finds duplicates"
"$SWAPLAB" replay "$T/a.swt" --backing "$T/bd.img" --writeback huge \
	--idle-after 500 -o "$T/w.json" --quiet
grep -q '"bd_writes": [1-9]' "$T/w.json" && ok || bad "writeback writes"
# zram's writeback_limit: at most that many 4 KiB units go out, in all
"$SWAPLAB" replay "$T/a.swt" --backing "$T/bd.img" --writeback huge \
	--idle-after 500 --writeback-limit 2 -o "$T/wl.json" --quiet
grep -q '"bd_writes": 2,' "$T/wl.json" && grep -q '"writeback_limit_left": 0' "$T/wl.json" &&
	grep -q '"writeback_limit": 2' "$T/wl.json" && ok || bad "writeback limit 2"
"$SWAPLAB" replay "$T/a.swt" --codec $LZORLE --recompress $ZSTD -o "$T/rc.json" --quiet
grep -q '"pages_recompressed": [1-9]' "$T/rc.json" && ok || bad "recompression"
# compressed sizes do not depend on the number of threads (the pool's
# pages may: allocation order between streams is the scheduler's, and so
# is the moment of peak memory); the end state's, at the top level
"$SWAPLAB" replay "$T/a.swt" -o "$T/t1.json" --quiet
"$SWAPLAB" replay "$T/a.swt" --threads 2 -o "$T/t2.json" --quiet
[ "$(grep -E '^   "(compr_data_size|same_pages|huge_pages)"' "$T/t1.json")" = \
  "$(grep -E '^   "(compr_data_size|same_pages|huge_pages)"' "$T/t2.json")" ] &&
	ok || bad "--threads 2 changes compressed sizes"
# --threads splits by cpu when the trace has as many cpus, else by slot
# (saying so), and --split forces either; info counts the cpus
"$SWAPLAB" gen --profile mixed --pages 1500 --cpus 1 -o "$T/c1.swt" >/dev/null
"$SWAPLAB" info "$T/c1.swt" | grep -q '^cpus: *1: cpu0 100.0%' && ok ||
	bad "info: one cpu"
"$SWAPLAB" info "$T/a.swt" | grep -q '^cpus: *2: cpu0 ' && ok ||
	bad "info: two cpus"
expect 0 "$SWAPLAB" replay "$T/c1.swt" --codec $LZ4 --threads 2 -o "$T/c1.json"
grep -q 'note: .* events from 1 cpu only: split by slot' "$T/err" && ok ||
	bad "no note on the split by slot"
grep -q '"split": "slot"' "$T/c1.json" && ok || bad "1 cpu, 2 threads: by slot"
expect 0 "$SWAPLAB" replay "$T/c1.swt" --codec $LZ4 --threads 2 --split cpu \
	-o "$T/c1c.json"
if grep -q note "$T/err"; then bad "note despite --split"; else ok; fi
grep -q '"split": "cpu"' "$T/c1c.json" && ok || bad "--split cpu not kept"
grep -q '"split": "cpu"' "$T/t2.json" && ok || bad "2 cpus, 2 threads: by cpu"
grep -q '"split": "none"' "$T/t1.json" && ok || bad "no threads: split none"
expect 2 "$SWAPLAB" gen --profile mixed --pages 10 --cpus 0 -o "$T/c0.swt"
one_error_line
no_file "$T/c0.swt"
expect 2 "$SWAPLAB" replay "$T/a.swt" --writeback huge
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --writeback-limit 4
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --backing "$T/bd.img" --writeback huge --writeback-limit -1
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --threads 0
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --recompress nosuch
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --idle-after 5xs
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --dedup maybe
one_error_line

# --- verification catches a corrupted object: exit 1 ---
expect 1 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --alloc zsmalloc \
	--debug-corrupt-store 5 -o "$T/c.json" --quiet
grep -q '"verify_failures": [1-9]' "$T/c.json" && ok || bad "verify failure counted"

# --- bad usage: exit 2, one line, nothing written ---
expect 2 "$SWAPLAB" nosuchcmd
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --codec nosuch -o "$T/x.json"
one_error_line
no_file "$T/x.json"
expect 2 "$SWAPLAB" replay "$T/a.swt" --alloc nosuch -o "$T/x.json"
one_error_line
no_file "$T/x.json"
expect 2 "$SWAPLAB" replay "$T/a.swt" --alloc zsmalloc:chain=99 -o "$T/x.json"
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4:foo=1 -o "$T/x.json"
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --bogus
one_error_line
# what getopt refused, said apart: unknown, value missing, value not taken
for c in "replay $T/a.swt --bogus:bad option '--bogus'" \
	"replay $T/a.swt --codec:option '--codec' needs a value" \
	"gen --profile zero --pages 1 -o:option '-o' needs a value" \
	"gen -x:bad option '-x'" \
	"report --help=yes:option '--help' takes no value" \
	"compare $T/a.json -c:option '-c' needs a value" \
	"info --json=1 $T/a.swt:option '--json' takes no value"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" ${c%%:*}
	one_error_line
	grep -qF "${c#*:}" "$T/err" && ok || bad "${c%%:*}: $(cat "$T/err")"
done
expect 2 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --codec $LZ4
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --memlimit -5
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --huge-threshold 5000
one_error_line
expect 2 "$SWAPLAB" replay "$T/a.swt" --compact sometimes
one_error_line
expect 2 "$SWAPLAB" replay
one_error_line
expect 2 "$SWAPLAB" replay "$T/missing.swt" -o "$T/x.json"
one_error_line
no_file "$T/x.json"
expect 2 "$SWAPLAB" gen --profile nosuch --pages 10 -o "$T/g.swt"
one_error_line
expect 2 "$SWAPLAB" gen --profile text --pages 0 -o "$T/g.swt"
one_error_line
expect 2 "$SWAPLAB" gen --profile text --pages 10
one_error_line
expect 2 "$SWAPLAB" gen --profile text --pages 10 -o "$T/nodir/g.swt"
one_error_line
no_file "$T/g.swt"
expect 2 "$SWAPLAB" info
one_error_line
expect 2 "$SWAPLAB" report "$T/a.swt"
one_error_line
expect 2 "$SWAPLAB" report "$T/r.json" --format xml
one_error_line
expect 2 "$SWAPLAB" report "$T/r.json" --fields nosuch
one_error_line
echo '{"runs": [{"codec": "lz4"}]}' >"$T/bad.json"
expect 2 "$SWAPLAB" report "$T/bad.json"
one_error_line
printf 'not json' >"$T/bad2.json"
expect 2 "$SWAPLAB" report "$T/bad2.json"
one_error_line

# --- the recorders' shared options (record/rec_common.c): every refusal
# comes before any tracing, so this needs neither root nor the module ---
for r in "record --pid $$" "record --kernel" "record --kprobes"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r --duration 0 -o "$T/rec.swt"
	grep -q "bad --duration '0'" "$T/err" && ok || bad "$r: --duration 0"
	one_error_line
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r --duration x -o "$T/rec.swt"
	one_error_line
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r --bogus -o "$T/rec.swt"
	grep -q "bad option '--bogus'" "$T/err" && ok || bad "$r: --bogus"
	one_error_line
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r -o
	grep -q "option '-o' needs a value" "$T/err" && ok || bad "$r: -o without FILE"
	one_error_line
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r
	grep -q -- "-o FILE is required" "$T/err" && ok || bad "$r: no -o"
	one_error_line
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r -o "$T/rec.swt" -o "$T/rec2.swt"
	grep -q "given twice" "$T/err" && ok || bad "$r: -o twice"
	one_error_line
	# shellcheck disable=SC2086
	expect 0 "$SWAPLAB" $r --help
	grep -q "^usage: swaplab record" "$T/out" && ok || bad "$r --help text"
done
for r in "record --kernel" "record --kprobes"; do
	for v in 0 4097 x; do
		# shellcheck disable=SC2086
		expect 2 "$SWAPLAB" $r --buffer-mb $v -o "$T/rec.swt"
		grep -q -- "--buffer-mb wants 1..4096" "$T/err" && ok ||
			bad "$r: --buffer-mb $v"
		one_error_line
	done
done
# the man page has every command, its options and an example
for c in $("$SWAPLAB" --help | awk '/^commands:/ { on = 1; next } on && /^   / { print $1 }'); do
	sed -n "/^\.SS $c\$/,/^\.S[SH] /p" "$(dirname "$0")/../../docs/swaplab.1" >"$T/man"
	grep -q '^Example:' "$T/man" && grep -q "^swaplab $c" "$T/man" && grep -q '^\.TP' "$T/man" &&
		ok || bad "docs/swaplab.1: no section with options and an example for '$c'"
done
# a word where an option was meant gets the option suggested
for w in kernel kprobes; do
	expect 2 "$SWAPLAB" record $w -o "$T/rec.swt"
	grep -q "did you mean --$w?" "$T/err" && ok || bad "record $w: no suggestion"
	one_error_line
done
# sizes take memparse's spellings as zram's sysfs does
for m in 4m 4M 4MiB 4194304 4096k 4096K; do
	expect 0 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --memlimit $m \
		-o "$T/ml.json" --quiet
	grep -q '"mem_limit": 4194304,' "$T/ml.json" && ok || bad "--memlimit $m is not 4 MiB"
done
for m in 4x 4mb -4m m; do
	expect 2 "$SWAPLAB" replay "$T/a.swt" --codec $LZ4 --memlimit $m -o "$T/ml.json"
	one_error_line
done
# every recorder refuses any option given twice, naming it
for r in "record --pid $$" "record --kernel" "record --kprobes"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" $r --duration 5 --duration 0 -o "$T/rec.swt"
	grep -q "option '--duration' given twice" "$T/err" && ok ||
		bad "$r: --duration twice"
	one_error_line
done
echo hello >"$T/text"
expect 2 "$SWAPLAB" import trace-dat "$T/text" -o "$T/rec.swt" -o "$T/rec2.swt"
grep -q -- "option '--output' given twice" "$T/err" && ok ||
	bad "import trace-dat: -o twice"
one_error_line
expect 2 "$SWAPLAB" import trace-dat "$T/text" --bogus -o "$T/rec.swt"
one_error_line
expect 2 "$SWAPLAB" import trace-dat "$T/text"
grep -q "want trace-dat FILE and -o OUT" "$T/err" && ok ||
	bad "import trace-dat: no -o"
one_error_line
expect 0 "$SWAPLAB" import trace-dat --help
grep -q "^usage: swaplab import trace-dat" "$T/out" && ok ||
	bad "import trace-dat --help text"
no_file "$T/rec"

# --- corrupt and truncated traces: exit 2, one line, no results ---
head -c 1000 "$T/a.swt" >"$T/trunc.swt"
expect 2 "$SWAPLAB" replay "$T/trunc.swt" -o "$T/x.json"
one_error_line
no_file "$T/x.json"
expect 2 "$SWAPLAB" info "$T/trunc.swt"
one_error_line
size=$(stat -c %s "$T/a.swt")
cp "$T/a.swt" "$T/flip.swt"
printf '\377\377\377\377' | dd of="$T/flip.swt" bs=1 seek=$((size / 2)) \
	conv=notrunc 2>/dev/null
expect 2 "$SWAPLAB" replay "$T/flip.swt" -o "$T/x.json"
one_error_line
no_file "$T/x.json"
printf 'SWAPLABT' >"$T/short.swt"
expect 2 "$SWAPLAB" info "$T/short.swt"
one_error_line
expect 2 "$SWAPLAB" info /dev/null
one_error_line

# --- output is atomic: an unwritable target leaves nothing ---
mkdir "$T/ro"
chmod 500 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	expect 2 "$SWAPLAB" replay "$T/a.swt" -o "$T/ro/x.json"
	one_error_line
fi
expect 2 "$SWAPLAB" replay "$T/a.swt" -o /dev/full/x.json
one_error_line

# --- kernels: --kernel, codec@kernel, names that do not exist ---
"$SWAPLAB" gen --profile realistic --pages 400 --seed 3 -o "$T/k.swt" >/dev/null 2>&1
expect 2 "$SWAPLAB" replay "$T/k.swt" --kernel 5.15 -o "$T/k.json"
one_error_line
grep -q "kernels: 6.1, 6.12" "$T/err" && ok || bad "--kernel 5.15 lists the kernels"
[ ! -e "$T/k.json" ] && ok || bad "--kernel 5.15 wrote results"
expect 2 "$SWAPLAB" bench "$T/k.swt" --codec zstd@6.99
one_error_line
expect 2 "$SWAPLAB" replay "$T/k.swt" --codec "${ZSTD}x" -o "$T/k.json"
one_error_line
grep -q "did you mean '$ZSTD'" "$T/err" && ok || bad "codec typo gets a suggestion"
expect 2 "$SWAPLAB" replay "$T/k.swt" --alloc zsmaloc -o "$T/k.json"
one_error_line
grep -q "did you mean 'zsmalloc'.*allocators: zsmalloc" "$T/err" && ok ||
	bad "allocator typo gets a suggestion and the list"
[ ! -e "$T/k.json" ] && ok || bad "a bad name wrote results"
# zsmalloc is expanded with the run's kernel, whatever the codecs
expect 0 "$SWAPLAB" replay "$T/k.swt" --kernel 6.1 --codec $LZ4 -o "$T/k61.json" --quiet
grep -q '"kernel": "6.1"' "$T/k61.json" && ok || bad "results name the kernel"
grep -q '"alloc": "zsmalloc:kernel=6.1:chain=4"' "$T/k61.json" && ok ||
	bad "6.1's zsmalloc is chain 4"
expect 0 "$SWAPLAB" replay "$T/k.swt" --kernel 6.12 --codec $LZ4 -o "$T/k612.json" --quiet
grep -q '"alloc": "zsmalloc:kernel=6.12:chain=8"' "$T/k612.json" && ok ||
	bad "6.12's zsmalloc is chain 8"
expect 0 "$SWAPLAB" report "$T/k612.json"
grep -q "kernel 6.12" "$T/out" && ok || bad "report shows the kernel"
expect 2 "$SWAPLAB" compare "$T/k61.json" "$T/k612.json"
one_error_line
grep -q -- "--across-kernels" "$T/err" && ok || bad "compare refuses two kernels"
# paired across kernels, 6.12's chain-8 zsmalloc holds more at peak on
# this trace: compare's default size gates answer no
expect 1 "$SWAPLAB" compare "$T/k61.json" "$T/k612.json" --across-kernels \
	--ignore-settings huge_threshold
grep -q "^crossed: .*mem_used_max" "$T/out" && ok ||
	bad "compare across kernels gates peak memory"
if "$SWAPLAB" --version | grep -q 'kernel codecs 6.12'; then
	expect 0 "$SWAPLAB" replay "$T/k.swt" --kernel 6.1 --quiet \
		--codec zstd,zstd@6.12 -o "$T/kz.json"
	grep -q '"codec": "zstd@6.1"' "$T/kz.json" &&
		grep -q '"codec": "zstd@6.12"' "$T/kz.json" && ok ||
		bad "zstd and zstd@6.12 are two codecs in one run"
	grep -q '"codec_source": "linux-source-6.12 (' "$T/kz.json" && ok ||
		bad "results name each codec's tree"
fi

# --- dictionaries: dict --kernel, 6.12's kernel codecs with dict= ---
expect 0 "$SWAPLAB" dict train "$T/a.swt" --size 16K --kernel 6.1 -o "$T/d.dict"
grep -q "6.1's zram takes no dictionary" "$T/out" && ok || bad "dict --kernel 6.1 note"
expect 2 "$SWAPLAB" dict train "$T/a.swt" --kernel 5.15 -o "$T/dx.dict"
one_error_line
no_file "$T/dx.dict"
if "$SWAPLAB" --version | grep -q 'kernel codecs 6.12'; then
	expect 0 "$SWAPLAB" dict train "$T/a.swt" --size 16K --kernel 6.12 -o "$T/d.dict"
	grep -q "zstd@6.12 on the [0-9]* sampled pages: [0-9]* bytes, [0-9]* with the dictionary (-" "$T/out" &&
		grep -q 'echo "algo=zstd dict=/.*/d.dict" > /sys/block/zramN/algorithm_params' "$T/out" &&
		ok || bad "dict --kernel 6.12 measures and prints the zram line: $(cat "$T/out")"
	expect 0 "$SWAPLAB" replay "$T/a.swt" --kernel 6.12 --quiet -o "$T/kd.json" \
		--codec "zstd,zstd:level=8:dict=$T/d.dict,lz4:dict=$T/d.dict,lz4hc:dict=$T/d.dict"
	grep -q "\"codec\": \"zstd@6.12:level=8:dict=$T/d.dict\"" "$T/kd.json" && ok ||
		bad "results name the dictionary of a kernel codec"
	head -c 70000 /dev/urandom > "$T/big.dict"
	for c in "lz4@6.12:dict=$T/big.dict" "zstd@6.1:dict=$T/d.dict" \
		"deflate@6.12:dict=$T/d.dict" "zstd@6.12:3:level=3"; do
		expect 2 "$SWAPLAB" replay "$T/a.swt" --codec "$c" -o "$T/kx.json"
		one_error_line
		no_file "$T/kx.json"
	done
	grep -q "level given twice" "$T/err" && ok || bad "a second level is named"
fi

finish "cli"
