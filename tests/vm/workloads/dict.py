# dict.py - a real Python heap for the kernel recorder: build a large dict
# of user records (str keys, tuple values with str, int, float, list),
# query it at random, update a quarter, delete a third, query again.
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 400000
rng = random.Random(1)
words = ["alpha", "beta", "gamma", "delta", "swap", "page", "slot", "zram",
         "cold", "warm", "kernel", "memory", "python", "record", "trace"]
users = {}
for i in range(n):
    name = " ".join(rng.choice(words) for _ in range(3))
    users["user:%08d" % i] = (name, i * 7, rng.random(),
                              [rng.randrange(1000) for _ in range(4)])
hits = 0
for _ in range(n):
    k = "user:%08d" % rng.randrange(n * 2)
    if k in users:
        hits += users[k][1] & 1
for i in range(0, n, 4):
    k = "user:%08d" % i
    name, a, b, c = users[k]
    users[k] = (name.upper(), a + 1, b, c + [a])
for i in range(0, n, 3):
    del users["user:%08d" % i]
total = 0
for _ in range(n // 2):
    k = "user:%08d" % rng.randrange(n)
    v = users.get(k)
    if v:
        total += len(v[0])
print("dict.py: n=%d hits=%d left=%d total=%d" % (n, hits, len(users), total))
