#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes examples/fly-attesto.log: what `fly logs -a attesto` prints for a
few minutes of an attesto-style service (../shared/seeds/ operations page):
fly prefixes, JSON lines with ts/level/msg/latencyMs/tenantId, a rolling
deploy with fly's own non-JSON runner lines, 429 RATE_LIMITED denials,
upstream 502s and one fatal startup. Deterministic (fixed seed)."""
import json, random, datetime

rng = random.Random(20260425)
t = datetime.datetime(2026, 4, 25, 3, 1, 30, 123000, tzinfo=datetime.timezone.utc)
instances = ["148e4d55f36278", "3d8d9e1b2c4a71"]
regions = {"148e4d55f36278": "iad", "3d8d9e1b2c4a71": "cdg"}
tenants = ["tenant_acme", "tenant_globex", "tenant_initech", "tenant_umbrella",
           "tenant_hooli", "tenant_stark"]
weights = [40, 25, 15, 10, 6, 4]
paths = [("POST", "/v1/apple/verify", 120), ("POST", "/v1/google/verify", 260),
         ("GET", "/v1/tenants/{id}/keys", 30), ("POST", "/v1/webhooks/apple", 45),
         ("GET", "/health", 2), ("GET", "/ready", 8)]
pweights = [45, 25, 8, 8, 8, 6]
out = []

def stamp(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)

def line(inst, level, obj, source="app"):
    prefix = "%s %s[%s] %s [%s] " % (stamp(t)[:19] + "Z", source, inst, regions[inst], level)
    out.append(prefix + json.dumps(obj, separators=(",", ":")))

def tick(ms):
    global t
    t += datetime.timedelta(milliseconds=ms)

def plain(inst, text, source="runner"):
    out.append("%sZ %s[%s] %s [info] %s" % (stamp(t)[:19], source, inst, regions[inst], text))

for inst in instances:
    for text in ["Pulling container image registry.fly.io/attesto:deployment-01J",
                 "Successfully prepared image registry.fly.io/attesto:deployment-01J (1.2s)",
                 "Configuring firecracker", "Starting virtual machine"]:
        plain(inst, text)
        tick(400)
    line(inst, "info", {"ts": stamp(t), "level": "info", "msg": "listening", "port": 8080, "env": "production"})
    tick(30)
    line(inst, "info", {"ts": stamp(t), "level": "warn", "msg": "validation_audit_enabled_no_retention",
                        "note": "audit log enabled without a retention window"})
    tick(500)

for i in range(360):
    inst = instances[i % 2] if rng.random() < 0.9 else instances[0]
    method, path, base = rng.choices(paths, pweights)[0]
    tenant = rng.choices(tenants, weights)[0]
    if "{id}" in path:
        path = path.replace("{id}", "%d" % rng.randint(1000, 9999))
    latency = max(1, int(rng.lognormvariate(0, 0.6) * base))
    status, level, error = 200, "info", None
    r = rng.random()
    if r < 0.03:
        status, level, error = 429, "warn", "RATE_LIMITED"
        latency = rng.randint(1, 4)
    elif r < 0.05 and "verify" in path:
        status, level = 502, "error"
        error = "APPLE_API_ERROR" if "apple" in path else "GOOGLE_API_ERROR"
        latency = rng.randint(900, 3000)
    elif r < 0.06:
        status, level, error = 500, "error", "INTERNAL_ERROR"
    elif r < 0.10:
        status, error = 400, "INVALID_RECEIPT"
    obj = {"ts": stamp(t), "level": level, "msg": "http_request",
           "reqId": "req_%012x" % rng.getrandbits(48), "method": method,
           "path": path, "status": status, "latencyMs": latency, "tenantId": tenant}
    if error:
        obj["error"] = error
    line(inst, level, obj)
    tick(rng.randint(50, 900))
    if i == 200:
        plain(instances[1], "Health check on port 8080 has failed", source="health")
        line(instances[1], "info", {"ts": stamp(t), "level": "fatal", "msg": "startup_failed",
                                    "error": "ATTESTO_ENCRYPTION_KEY does not decrypt the stored credentials"})
        tick(200)
        plain(instances[1], "Main child exited with signal (with signal 'SIGTERM', core dumped? false)", source="app")
        tick(1000)

line(instances[0], "info", {"ts": stamp(t), "level": "info", "msg": "shutdown", "signal": "SIGTERM"})
with open("fly-attesto.log", "w") as f:
    f.write("\n".join(out) + "\n")
