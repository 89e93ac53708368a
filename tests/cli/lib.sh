# lib.sh - the harness the tests/cli scripts source: pass/fail counters,
# ok/bad/check, expect CODE CMD..., one_error_line [RE] and finish NAME.
# The script owns $T (a temp dir) and sets it before calling expect;
# expect keeps the command's stdout in $T/out and stderr in $T/err.
# shellcheck shell=sh
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check 'TEST' MSG: eval TEST (single-quoted by the caller), MSG if it fails
check() { if eval "$1"; then ok; else bad "$2"; fi; }

# expect CODE CMD...: run, check the exit code
expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "exit $got (want $want): $*"; sed 's/^/    /' "$T/err" | head -5
	fi
}

# an error is exactly one line naming the command (and matching RE)
one_error_line() {
	n=$(wc -l <"$T/err")
	if [ "$n" -eq 1 ] && grep -q "^swaplab${1:+.*$1}" "$T/err"; then ok; else
		bad "want one error line${1:+ with '$1'}, got $n: $(head -3 "$T/err")"
	fi
}

# finish NAME: the summary line; the status is whether every check passed
finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
