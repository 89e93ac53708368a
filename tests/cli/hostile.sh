#!/bin/sh
# hostile.sh - every subcommand with missing, repeated, out-of-range and
# garbage arguments.  Each case must end in exit status 2, exactly one
# line on stderr that starts with "swaplab", nothing on stdout, and no file
# written anywhere (the command runs in an empty directory, so a default
# output name such as results.json would show up there too).
#
# Usage: SWAPLAB=build/swaplab tests/cli/hostile.sh
# Subcommands are read from `swaplab --help`: each gets the generic cases;
# the ones known here get their own table as well.
set -u
SWAPLAB=${SWAPLAB:-build/swaplab}
case $SWAPLAB in /*) ;; *) SWAPLAB=$(pwd)/$SWAPLAB ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
mkdir "$T/w" "$T/out" "$T/in"

# --- inputs: one good trace and results file, and bad ones ---
"$SWAPLAB" gen --profile realistic --pages 300 --seed 2 -o "$T/in/a.swt" \
	>/dev/null 2>&1 || { echo "hostile: gen failed"; exit 1; }
"$SWAPLAB" replay "$T/in/a.swt" --codec liblz4 --alloc zsmalloc,ideal \
	-o "$T/in/r.json" --quiet >/dev/null 2>&1 ||
	{ echo "hostile: replay failed"; exit 1; }
: >"$T/in/empty"
head -c 3000 /dev/urandom >"$T/in/noise"
head -c 700 "$T/in/a.swt" >"$T/in/cut.swt"
printf '{"runs": [{"trace": 1}]}' >"$T/in/bad.json"
printf '[1, 2' >"$T/in/trunc.json"
mkdir "$T/in/dir"
LONG=$(head -c 70000 /dev/zero | tr '\0' x)
A=$T/in/a.swt
R=$T/in/r.json
O=$T/out/o

# hostile DESC CMD...: run CMD in the empty directory, check the rules
hostile() {
	desc=$1
	shift
	(cd "$T/w" && "$@" >"$T/stdout" 2>"$T/stderr" </dev/null)
	code=$?
	why=
	[ "$code" -eq 2 ] || why="exit $code"
	n=$(wc -l <"$T/stderr")
	if [ "$n" -ne 1 ]; then
		why="${why:+$why, }$n stderr lines"
	elif ! grep -q '^swaplab' "$T/stderr"; then
		why="${why:+$why, }error line does not start with swaplab"
	fi
	[ -s "$T/stdout" ] && why="${why:+$why, }stdout not empty"
	left=$(ls -A "$T/w" "$T/out" 2>/dev/null | grep -v ':$' | grep -v '^$')
	[ -n "$left" ] && why="${why:+$why, }left behind: $(echo $left)"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc: $why"
		echo "    \$ $(echo "$*" | cut -c1-150)"
		head -3 "$T/stderr" | cut -c1-200 | sed 's/^/    /'
	fi
	rm -rf "$T/w"/* "$T/w"/.[!.]* "$T/out"/* 2>/dev/null
}

S=$SWAPLAB

# --- the command itself ---
hostile "unknown command" $S nosuchcmd
hostile "unknown option before the command" $S --bogus
hostile "help for an unknown command" $S help nosuchcmd
hostile "empty command" $S ""

# --- generic cases, every subcommand ---
cmds=$("$SWAPLAB" --help | awk '/^commands:/ { on = 1; next }
	on && NF >= 2 && /^   / { print $1 }')
[ -n "$cmds" ] || { echo "hostile: no commands in swaplab --help"; exit 1; }
for c in $cmds; do
	# stat without arguments shows every device: none here
	if [ "$c" = stat ]; then
		hostile "$c: no arguments, no device" \
			env SWAPLAB_SYSFS="$T/in/dir" $S $c
	else
		hostile "$c: no arguments" $S $c
	fi
	hostile "$c: unknown long option" $S $c --bogus "$A"
	hostile "$c: unknown short option" $S $c -Z "$A"
	hostile "$c: garbage option" $S $c "--$(printf '\377\376')" "$A"
	hostile "$c: 70000-byte argument" $S $c "$LONG"
	hostile "$c: missing file" $S $c "$T/in/missing"
	hostile "$c: a directory" $S $c "$T/in/dir"
	hostile "$c: an empty file" $S $c "$T/in/empty"
	hostile "$c: noise" $S $c "$T/in/noise"
done

have() { echo "$cmds" | grep -qx "$1"; }

# --- gen ---
if have gen; then
	g="$S gen"
	hostile "gen: no --profile" $g --pages 10 -o $O
	hostile "gen: no --pages" $g --profile text -o $O
	hostile "gen: no -o" $g --profile text --pages 10
	hostile "gen: --profile without value" $g --pages 10 -o $O --profile
	hostile "gen: -o without value" $g --profile text --pages 10 -o
	hostile "gen: repeated --profile" $g --profile text --profile zero --pages 10 -o $O
	hostile "gen: repeated --pages" $g --profile text --pages 10 --pages 10 -o $O
	hostile "gen: repeated --seed" $g --profile text --pages 10 --seed 1 --seed 2 -o $O
	hostile "gen: repeated --slots" $g --profile text --pages 10 --slots 64 --slots 64 -o $O
	hostile "gen: repeated -o" $g --profile text --pages 10 -o $O -o $O.2
	for v in 0 -1 100000001 1e3 10x x "" " 10" 0x10 99999999999999999999999 +5; do
		hostile "gen: --pages '$v'" $g --profile text --pages "$v" -o $O
	done
	for v in -1 x "" 18446744073709551616 1.5; do
		hostile "gen: --seed '$v'" $g --profile text --pages 10 --seed "$v" -o $O
	done
	for v in 0 -1 x "" 4294967296 99999999999999999999; do
		hostile "gen: --slots '$v'" $g --profile text --pages 10 --slots "$v" -o $O
	done
	for v in "" TEXT "text " nosuch; do
		hostile "gen: --profile '$v'" $g --profile "$v" --pages 10 -o $O
	done
	hostile "gen: -o ''" $g --profile text --pages 10 -o ""
	hostile "gen: -o a directory" $g --profile text --pages 10 -o "$T/out"
	hostile "gen: -o in a missing directory" $g --profile text --pages 10 -o "$T/out/no/x.swt"
	hostile "gen: stray argument" $g --profile text --pages 10 -o $O junk
fi

# --- info ---
if have info; then
	hostile "info: two traces" $S info "$A" "$A"
	hostile "info: repeated --json" $S info "$A" --json --json
	hostile "info: truncated trace" $S info "$T/in/cut.swt"
	hostile "info: a JSON file" $S info "$R"
	hostile "info: /dev/null" $S info /dev/null
	hostile "info: a fifo-like /dev/zero" $S info /dev/zero
fi

# --- replay and bench share the codec and allocator lists ---
for c in replay bench; do
	have $c || continue
	r="$S $c $A"
	for v in "" , "lz4,,zstd" nosuch "lz4:99999999" "lz4:-5" "zstd:abc" \
		"lz4:foo=1" "liblz4:dict=$T/in/missing" "lz4:1:1" ",lz4" "lz4,"; do
		hostile "$c: --codec '$v'" $r --codec "$v" -o $O
	done
	for v in "" , nosuch "zsmalloc:chain=" "zsmalloc:chain=3" \
		"zsmalloc:chain=17" "zsmalloc:foo" "zsmalloc:chain=4:chain=5" \
		"zsmalloc:kernel=5.4" "z3fold:chunk=32" "zsmalloc:" \
		"zsmalloc:chain=99999999999999999999"; do
		hostile "$c: --alloc '$v'" $r --alloc "$v" -o $O
	done
	hostile "$c: repeated --codec" $r --codec lz4 --codec lz4 -o $O
	hostile "$c: repeated --alloc" $r --alloc ideal --alloc ideal -o $O
	hostile "$c: --codec without value" $r --codec
	hostile "$c: corrupt trace" $S $c "$T/in/cut.swt" -o $O
	hostile "$c: results file as trace" $S $c "$R" -o $O
done
if have bench; then
	hostile "bench: repeated --json" $S bench "$A" --json --json
fi

# --- replay ---
if have replay; then
	r="$S replay $A"
	hostile "replay: no trace, only -o" $S replay -o $O
	hostile "replay: repeated -o" $r -o $O -o $O.2
	for o in "--memlimit 64M" "--huge-threshold 3000" "--compact never" \
		"--timeline 10" "--repeat 1" "--same-filled on"; do
		# shellcheck disable=SC2086
		hostile "replay: repeated ${o%% *}" $r $o $o -o $O
	done
	for v in -5 x "" 1Q 99999999999999999999G -1M 1.5.5M; do
		hostile "replay: --memlimit '$v'" $r --memlimit "$v" -o $O
	done
	for v in 0 4097 -1 abc "" 99999999999; do
		hostile "replay: --huge-threshold '$v'" $r --huge-threshold "$v" -o $O
	done
	for v in sometimes "" every= every=0 every=-1 every=x "every=1 " \
		every=99999999999999999999; do
		hostile "replay: --compact '$v'" $r --compact "$v" -o $O
	done
	for v in 0 -1 abc "" 99999999999999999999; do
		hostile "replay: --timeline '$v'" $r --timeline "$v" -o $O
	done
	for v in 0 -1 abc "" 99999999999999999999; do
		hostile "replay: --repeat '$v'" $r --repeat "$v" -o $O
	done
	for v in "" maybe 2; do
		hostile "replay: --same-filled '$v'" $r --same-filled "$v" -o $O
	done
	for o in "--dedup on" "--backing $T/out/b" "--writeback huge" \
		"--idle-after 10" "--recompress lz4hc" "--recompress-type huge" \
		"--threads 2"; do
		# shellcheck disable=SC2086
		hostile "replay: repeated ${o%% *}" $r $o $o -o $O
	done
	hostile "replay: repeated --target" $r --target /dev/null \
		--target /dev/null -o $O
	for v in "" maybe 2; do
		hostile "replay: --dedup '$v'" $r --dedup "$v" -o $O
	done
	for v in "" nosuch huge,idle HUGE; do
		hostile "replay: --writeback '$v'" $r --writeback "$v" \
			--backing "$T/out/b" -o $O
	done
	hostile "replay: --writeback without --backing" $r --writeback huge -o $O
	hostile "replay: --backing ''" $r --backing "" --writeback huge -o $O
	hostile "replay: --backing a directory" $r --backing "$T/in/dir" \
		--writeback huge -o $O
	hostile "replay: --backing in a missing directory" $r \
		--backing "$T/out/no/b" --writeback huge -o $O
	for v in 0 -1 x "" 5xs 99999999999999999999 1.5ms; do
		hostile "replay: --idle-after '$v'" $r --idle-after "$v" -o $O
	done
	for v in "" nosuch , "lz4hc,,zstd" "lz4hc:99" "zstd,zstd,zstd,zstd"; do
		hostile "replay: --recompress '$v'" $r --recompress "$v" -o $O
	done
	for v in "" huge_idle nosuch incompressible; do
		hostile "replay: --recompress-type '$v'" $r --recompress lz4hc \
			--recompress-type "$v" -o $O
	done
	for v in 0 65 -1 x "" 99999999999999999999; do
		hostile "replay: --threads '$v'" $r --threads "$v" -o $O
	done
	# never a real device: /dev/zram0 may exist and would be reset
	for v in "" /dev/null "$T/in/missing" "$A" /dev/zram99999; do
		hostile "replay: --target '$v'" $r --target "$v" -o $O
	done
	hostile "replay: -o ''" $r -o ""
	hostile "replay: -o a directory" $r -o "$T/out"
	hostile "replay: -o in a missing directory" $r -o "$T/out/no/r.json"
	hostile "replay: one good, one missing trace" $S replay "$A" "$T/in/missing" -o $O
	hostile "replay: one good, one corrupt trace" $S replay "$A" "$T/in/cut.swt" -o $O
fi

# --- report ---
if have report; then
	hostile "report: a trace as results" $S report "$A"
	hostile "report: results lacking fields" $S report "$T/in/bad.json"
	hostile "report: truncated JSON" $S report "$T/in/trunc.json"
	hostile "report: one good, one bad file" $S report "$R" "$T/in/bad.json"
	hostile "report: repeated --format" $S report "$R" --format csv --format csv
	hostile "report: repeated --fields" $S report "$R" --fields codec --fields codec
	for v in "" xml CSV "text "; do
		hostile "report: --format '$v'" $S report "$R" --format "$v"
	done
	for v in "" , "codec,,alloc" nosuch "codec," \
		"$(printf 'codec,%.0s' $(seq 80))codec"; do
		hostile "report: --fields '$(echo "$v" | cut -c1-20)'" \
			$S report "$R" --fields "$v"
	done
fi

# --- compare, plot, record, import: whatever their options, two bad files ---
if have compare; then
	hostile "compare: one file" $S compare "$R"
	hostile "compare: bad second file" $S compare "$R" "$T/in/bad.json"
	hostile "compare: a trace" $S compare "$A" "$R"
	hostile "compare: three files" $S compare "$R" "$R" "$R"
fi
if have plot; then
	hostile "plot: bad results" $S plot "$T/in/bad.json" -o "$O.d"
fi

if have dict; then
	d="$S dict train $A"
	hostile "dict: no subcommand" $S dict
	hostile "dict: unknown subcommand" $S dict nosuch "$A" -o $O
	hostile "dict: no -o" $d
	hostile "dict: repeated -o" $d -o $O -o $O.2
	hostile "dict: repeated --size" $d --size 4096 --size 4096 -o $O
	for v in 0 255 1048577 -1 x "" 64Q 99999999999999999999; do
		hostile "dict: --size '$v'" $d --size "$v" -o $O
	done
	hostile "dict: corrupt trace" $S dict train "$T/in/cut.swt" -o $O
	hostile "dict: -o a directory" $d -o "$T/out"
fi
if have import; then
	hostile "import: no kind" $S import
	hostile "import: unknown kind" $S import nosuch "$A" -o $O
	hostile "import: core, not an ELF" $S import core "$T/in/noise" -o $O
	hostile "import: core, empty" $S import core "$T/in/empty" -o $O
	hostile "import: raw, empty" $S import raw "$T/in/empty" -o $O
	hostile "import: raw, missing" $S import raw "$T/in/missing" -o $O
	hostile "import: raw, no -o" $S import raw "$T/in/noise"
	hostile "import: raw, repeated -o" $S import raw "$T/in/noise" -o $O -o $O.2
	hostile "import: raw, --all-segments" $S import raw "$T/in/noise" \
		--all-segments -o $O
	hostile "import: raw, two files" $S import raw "$T/in/noise" \
		"$T/in/noise" -o $O
fi
if have record; then
	hostile "record: no -o" $S record --pid $$
	hostile "record: --pid 0" $S record --pid 0 -o $O
	hostile "record: --pid -1" $S record --pid -1 -o $O
	hostile "record: --pid x" $S record --pid x -o $O
	hostile "record: --pid of no process" $S record --pid 4194304 -o $O
	hostile "record: repeated --pid" $S record --pid $$ --pid $$ -o $O
	for v in 0 -1 x ""; do
		hostile "record: --interval '$v'" $S record --pid $$ \
			--interval "$v" -o $O
		hostile "record: --cold '$v'" $S record --pid $$ --cold "$v" -o $O
		hostile "record: --duration '$v'" $S record --pid $$ \
			--duration "$v" -o $O
	done
	hostile "record: --pid and a command" $S record --pid $$ -o $O -- true
	hostile "record: no command after --" $S record -o $O --
	hostile "record: a command that does not exist" $S record -o $O -- \
		"$T/in/missing"
fi
if have fidelity; then
	# never a valid trace with a valid codec: /dev/zram0 may be real
	hostile "fidelity: no --codec" $S fidelity "$T/in/cut.swt"
	hostile "fidelity: unknown codec" $S fidelity "$T/in/cut.swt" --codec nosuch
	hostile "fidelity: library codec" $S fidelity "$T/in/cut.swt" --codec liblz4
	hostile "fidelity: corrupt trace" $S fidelity "$T/in/cut.swt" --codec lz4
	hostile "fidelity: repeated --codec" $S fidelity "$T/in/cut.swt" \
		--codec lz4 --codec lz4
fi
if have compare; then
	for v in 0 100 101 -5 x ""; do
		hostile "compare: --confidence '$v'" $S compare "$R" "$R" \
			--confidence "$v"
	done
	for v in "" nosuch=5 ratio= ratio=x ratio=-5 "ratio=5,,eff=1" ratio; do
		hostile "compare: --max-regress '$v'" $S compare "$R" "$R" \
			--max-regress "$v"
	done
	hostile "compare: --only nosuch" $S compare "$R" "$R" --only nosuch
	hostile "compare: repeated --confidence" $S compare "$R" "$R" \
		--confidence 90 --confidence 90
	hostile "compare: --ignore-settings nosuch" $S compare "$R" "$R" \
		--ignore-settings nosuch
fi
if have plot; then
	hostile "plot: no -o" $S plot "$R"
	hostile "plot: --format gif" $S plot "$R" -o "$O.d" --format gif
	hostile "plot: --kinds nosuch" $S plot "$R" -o "$O.d" --kinds nosuch
	hostile "plot: --codec nosuch" $S plot "$R" -o "$O.d" --codec nosuch
	hostile "plot: repeated -o" $S plot "$R" -o "$O.d" -o "$O.e"
	hostile "plot: -o a file" $S plot "$R" -o "$T/in/noise"
fi

# --- no output may be an input; nothing but a file of the writer's own
# kind is replaced without --force.  The victims live in $T/v and must
# come out of each case byte for byte as they went in.
mkdir "$T/v"
V=$T/v
cp "$A" "$V/t.swt"
ln -s "$V/t.swt" "$V/link.swt"
ln "$V/t.swt" "$V/hard.swt"
cp "$R" "$V/r.json"
cp /bin/true "$V/core"
printf '\211PNG\r\n\032\n0000' >"$V/pic.png"
"$SWAPLAB" dict train "$A" --size 4K -o "$V/d.dict" >/dev/null 2>&1 ||
	{ echo "hostile: dict failed"; exit 1; }
mkdir "$V/plot"
cp "$R" "$V/plot/size-hist.dat"
cp /bin/true "$V/plot/size-hist.png"
sums() { (cd "$V" && cksum t.swt r.json core pic.png d.dict plot/*); }
before=$(sums)
victim() {
	hostile "$@"
	if [ "$(sums)" != "$before" ]; then
		fail=$((fail + 1))
		echo "FAIL: $1: an input or a foreign file was changed"
		before=$(sums)
	fi
}
victim "replay: -o the trace" $S replay "$V/t.swt" -o "$V/t.swt" --quiet
victim "replay: -o a symlink to the trace" $S replay "$V/t.swt" \
	-o "$V/link.swt" --quiet
victim "replay: -o a hard link of the trace" $S replay "$V/link.swt" \
	-o "$V/hard.swt" --quiet
victim "replay: -o the trace, --force" $S replay "$V/t.swt" \
	-o "$V/t.swt" --quiet --force
victim "replay: -o the dictionary" $S replay "$V/t.swt" \
	--codec "libzstd:3:dict=$V/d.dict" -o "$V/d.dict" --quiet
victim "replay: -o another trace" $S replay "$A" -o "$V/t.swt" --quiet
victim "replay: -o an ELF core" $S replay "$A" -o "$V/core" --quiet
victim "replay: -o a picture" $S replay "$A" -o "$V/pic.png" --quiet
victim "replay: --backing the trace" $S replay "$V/t.swt" \
	--backing "$V/t.swt" --writeback huge -o $O
victim "replay: --backing a core" $S replay "$A" --backing "$V/core" \
	--writeback huge -o $O
victim "bench: --backing the trace" $S bench "$V/t.swt" \
	--backing "$V/t.swt" --writeback huge
victim "dict: -o the trace" $S dict train "$V/t.swt" -o "$V/t.swt"
victim "dict: -o results" $S dict train "$A" -o "$V/r.json"
victim "gen: -o a trace" $S gen --profile text --pages 10 -o "$V/t.swt"
victim "gen: -o an ELF core" $S gen --profile text --pages 10 -o "$V/core"
victim "import: -o the input" $S import raw "$V/t.swt" -o "$V/link.swt"
victim "import: -o a core" $S import raw "$V/t.swt" -o "$V/core"
victim "fidelity: -o the trace" $S fidelity "$V/t.swt" --codec lz4 \
	-o "$V/t.swt"
victim "record: -o a trace" $S record -o "$V/t.swt" -- true
victim "replay: -o /dev/null" $S replay "$A" -o /dev/null --quiet --force
victim "gen: -o a directory" $S gen --profile text --pages 10 -o "$V/plot"
if [ -c /dev/null ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: /dev/null is no longer a device"
fi
victim "plot: a data file is the input" $S plot "$V/plot/size-hist.dat" \
	-o "$V/plot" --kinds size-hist
cp "$R" "$V/plot.json"
victim "plot: a picture name holds an ELF" $S plot "$V/plot.json" \
	-o "$V/plot" --kinds size-hist
rm "$V/plot.json" "$V/plot/size-hist.dat"
before=$(sums)
# and the way out: --force replaces what is not an input
if (cd "$T/w" && $S replay "$A" -o "$V/core" --quiet --force) \
	>/dev/null 2>&1 && grep -q swaplab_version "$V/core"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: replay --force does not replace a foreign file"
fi
if (cd "$T/w" && $S replay "$A" -o "$V/r.json" --quiet) >/dev/null 2>&1
then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: replay does not replace a results file"
fi

# results with extreme values: any answer, but no crash (exit 0..2)
sed -E 's/(": )[0-9][0-9.e+-]*/\19223372036854775807/g' "$R" >"$V/big.json"
sed -E 's/(": )[0-9][0-9.e+-]*/\1-1e308/g' "$R" >"$V/neg.json"
for f in big neg; do
	for c in "report $V/$f.json" "compare $V/$f.json $R" \
		"compare $R $V/$f.json" "plot $V/$f.json -o $V/p$f"; do
		# shellcheck disable=SC2086
		(cd "$T/w" && $S $c) >/dev/null 2>&1
		code=$?
		if [ $code -le 2 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $c on extreme values: exit $code"
		fi
	done
done

echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
