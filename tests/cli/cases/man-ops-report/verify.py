# Independent recomputation of `logq ops-report data/attesto.log` numbers.
import json, math, re, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ERR = {"error","err","fatal","critical","crit","panic","alert","emerg","emergency"}
def route(p): return re.sub(r'/[0-9]+(?=/|$)', '/:id', p.split('?')[0])
def pct(v, q):
    v = sorted(v); return v[max(1, math.ceil(q * len(v) / 100)) - 1]
print("error-summary")
g = {}
for r in rows:
    if r["level"].lower() in ERR:
        g.setdefault((r["msg"], r.get("error")), []).append(r["ts"])
for k, ts in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    print(k, len(ts), ts[0], ts[-1])
print("tenant-volume")
g = {}
m = [r for r in rows if r.get("tenantId") is not None and r.get("path") is not None]
for r in m: g.setdefault(r["tenantId"], []).append(r)
for k, rs in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    print(k, len(rs), round(100 * len(rs) / len(m), 3), sum(r.get("status", 0) >= 500 for r in rs))
print("latency")
g = {}
for r in rows:
    if r.get("latencyMs") is not None and r.get("path") is not None:
        g.setdefault(route(r["path"]), []).append(r["latencyMs"])
for k, v in sorted(g.items(), key=lambda kv: (-pct(kv[1], 99), kv[0])):
    print(k, len(v), pct(v, 50), pct(v, 95), pct(v, 99), max(v))
print("rate-limited")
rl = [r for r in rows if r.get("error") == "RATE_LIMITED" or r.get("status") == 429]
g = {}
for r in rl: g.setdefault(r.get("tenantId"), []).append(r["ts"])
# logq orders null before strings for ties of the sort column
for k, ts in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0] is not None, kv[0] or "")):
    print(k, len(ts), round(100 * len(ts) / len(rl), 3), ts[0], ts[-1])
print("rate-limited-total", len(rl), len({r["tenantId"] for r in rl if r.get("tenantId") is not None}))
print("status")
g = {}
for r in rows:
    if r.get("status") is not None and r.get("path") is not None:
        g.setdefault(route(r["path"]), []).append(r["status"])
for k, s in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    c = [sum(lo <= x < lo + 100 for x in s) for lo in (200, 300, 400, 500)]
    print(k, len(s), *c, round(100 * c[3] / len(s), 3))
