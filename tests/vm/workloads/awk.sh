#!/bin/sh
# awk.sh - busybox awk's own hash tables as the heap: an associative array
# of generated records, looked up, rewritten and summed.
n=${1:-250000}
exec awk -v n=$n 'BEGIN {
	srand(3)
	for (i = 0; i < n; i++)
		a["key" i] = sprintf("%d,%s,%f", i, substr("swappagezramslotcold", int(rand() * 15) + 1, 5), rand())
	for (i = 0; i < n; i++) {
		k = "key" int(rand() * n)
		split(a[k], f, ",")
		s += f[1]
	}
	for (i = 0; i < n; i += 2)
		a["key" i] = a["key" i] ";" i
	for (k in a)
		t += length(a[k])
	printf "awk.sh: n=%d s=%d t=%d\n", n, s, t
}'
