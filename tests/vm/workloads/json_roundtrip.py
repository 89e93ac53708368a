# json_roundtrip.py - a real Python heap for the kernel recorder: build a
# list of nested records, serialise it to one JSON string, parse it back,
# sort the parsed records and aggregate them.
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 150000
rng = random.Random(2)
tags = ["io", "cpu", "mem", "net", "disk", "swap", "lru", "oom"]
recs = [{"id": i, "host": "node-%03d" % rng.randrange(500),
         "tags": rng.sample(tags, 3), "load": [rng.random() for _ in range(3)],
         "msg": "event %d on %s" % (i, rng.choice(tags)) * 2}
        for i in range(n)]
s = json.dumps(recs)
del recs
back = json.loads(s)
back.sort(key=lambda r: (r["host"], -r["id"]))
by_host = {}
for r in back:
    by_host[r["host"]] = by_host.get(r["host"], 0) + r["load"][0]
print("json_roundtrip.py: n=%d bytes=%d hosts=%d" % (n, len(s), len(by_host)))
