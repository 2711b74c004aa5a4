#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the golden tests' input logs: ONE list of 60 events, rendered in
each field convention and prefix form the SPEC names, so every built-in
query must give the same answer on each (only the field names differ).

  attesto.log     ts, level, msg, latencyMs, tenantId, error (the seeds)
  slog.log        Go slog: time, level "INFO"/"ERROR", msg, duration_ms, tenant_id
  zerolog.log     time, level, message, status_code, duration_ms, tenant_id
  pino.log        time (epoch ms), numeric level 30/40/50/60, msg,
                  req.method, req.url, res.statusCode, responseTime, tenant
  fly.log         attesto lines behind `fly logs` prefixes, plus fly's own
                  non-JSON runner lines
  kubectl.log     attesto behind `kubectl logs --prefix` prefixes
  kubectl-ts.log  attesto behind `kubectl logs --timestamps`
  docker.log      attesto behind `docker compose logs` prefixes
  stern.log       attesto behind `stern` prefixes
Deterministic: run it again and the files are byte-identical."""
import json, random, datetime

rng = random.Random(7)
T0 = datetime.datetime(2026, 4, 25, 3, 1, 0, tzinfo=datetime.timezone.utc)
tenants = ["tenant_acme", "tenant_globex", "tenant_initech"]
paths = [("POST", "/v1/apple/verify"), ("POST", "/v1/google/verify"),
         ("GET", "/v1/tenants/4821/keys"), ("GET", "/v1/tenants/977/keys"),
         ("GET", "/health")]

events = []
t = T0
events.append(dict(t=t, level="info", msg="listening", extra={"port": 8080}))
for i in range(57):
    t += datetime.timedelta(milliseconds=rng.randint(100, 4000))
    method, path = paths[rng.randrange(len(paths))]
    tenant = tenants[rng.randrange(3)] if path != "/health" else None
    lat = rng.choice([3, 12, 45, 80, 120, 150, 230, 480, 510, 900, 1500])
    status, level, error = 200, "info", None
    r = rng.random()
    if r < 0.12:
        status, level, error, lat = 429, "warn", "RATE_LIMITED", 2
    elif r < 0.22:
        status, level = 502, "error"
        error = "APPLE_API_ERROR" if "apple" in path else "UPSTREAM_ERROR"
    elif r < 0.30:
        status, error = 400, "INVALID_RECEIPT"
    events.append(dict(t=t, level=level, msg="http_request", method=method,
                       path=path, status=status, lat=lat, tenant=tenant,
                       error=error))
t += datetime.timedelta(seconds=1)
events.append(dict(t=t, level="fatal", msg="startup_failed",
                   error="encryption key does not decrypt"))
t += datetime.timedelta(seconds=1)
events.append(dict(t=t, level="info", msg="shutdown", extra={"signal": "SIGTERM"}))

def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)

def dump(o):
    return json.dumps(o, separators=(",", ":"))

def attesto(e):
    o = {"ts": iso(e["t"]), "level": e["level"], "msg": e["msg"]}
    if e["msg"] == "http_request":
        o.update(reqId="req_%04d" % int(e["t"].timestamp() % 10000),
                 method=e["method"], path=e["path"], status=e["status"],
                 latencyMs=e["lat"])
        if e["tenant"]:
            o["tenantId"] = e["tenant"]
    if e.get("error"):
        o["error"] = e["error"]
    o.update(e.get("extra", {}))
    return dump(o)

def slog(e):
    o = {"time": iso(e["t"]), "level": e["level"].upper().replace("FATAL", "ERROR+4"),
         "msg": e["msg"]}
    if e["level"] == "fatal":
        o["level"] = "ERROR"	# slog has no fatal: services log ERROR and exit
    if e["msg"] == "http_request":
        o.update(method=e["method"], path=e["path"], status=e["status"],
                 duration_ms=e["lat"])
        if e["tenant"]:
            o["tenant_id"] = e["tenant"]
    if e.get("error"):
        o["error"] = e["error"]
    o.update(e.get("extra", {}))
    return dump(o)

def zerolog(e):
    o = {"level": e["level"], "time": e["t"].strftime("%Y-%m-%dT%H:%M:%SZ")}
    if e["msg"] == "http_request":
        o.update(method=e["method"], path=e["path"], status_code=e["status"],
                 duration_ms=e["lat"])
        if e["tenant"]:
            o["tenant_id"] = e["tenant"]
    if e.get("error"):
        o["error"] = e["error"]
    o.update(e.get("extra", {}))
    o["message"] = e["msg"]
    return dump(o)

PINO = {"info": 30, "warn": 40, "error": 50, "fatal": 60}
def pino(e):
    o = {"level": PINO[e["level"]], "time": int(e["t"].timestamp() * 1000),
         "pid": 4242, "hostname": "api-1"}
    if e["msg"] == "http_request":
        o["req"] = {"id": 1, "method": e["method"], "url": e["path"]}
        o["res"] = {"statusCode": e["status"]}
        o["responseTime"] = e["lat"]
        if e["tenant"]:
            o["tenant"] = e["tenant"]
    if e.get("error"):
        o["err"] = e["error"]
    o.update(e.get("extra", {}))
    o["msg"] = e["msg"]
    return dump(o)

def write(name, lines):
    with open(name, "w") as f:
        f.write("".join(l + "\n" for l in lines))

write("attesto.log", [attesto(e) for e in events])
write("slog.log", [slog(e) for e in events])
write("zerolog.log", [zerolog(e) for e in events])
write("pino.log", [pino(e) for e in events])

inst = ["148e4d55f36278", "3d8d9e1b2c4a71"]
fly = ["%s runner[%s] iad [info] Pulling container image registry.fly.io/attesto:deployment-01J"
       % (events[0]["t"].strftime("%Y-%m-%dT%H:%M:%SZ"), inst[0])]
for i, e in enumerate(events):
    fly.append("%s app[%s] %s [info] %s" % (e["t"].strftime("%Y-%m-%dT%H:%M:%SZ"),
               inst[i % 2], ["iad", "cdg"][i % 2], attesto(e)))
fly.append("%s proxy[%s] iad [error] could not find a good candidate within 40 attempts at load balancing"
           % (events[-1]["t"].strftime("%Y-%m-%dT%H:%M:%SZ"), inst[0]))
write("fly.log", fly)
pods = ["api-7d9f8c6b5-x2k4q", "api-7d9f8c6b5-q8m2z"]
write("kubectl.log", ["[pod/%s/api] %s" % (pods[i % 2], attesto(e)) for i, e in enumerate(events)])
write("kubectl-ts.log", ["%s %s" % (e["t"].strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z", attesto(e))
                         for e in events])
write("docker.log", ["%s  | %s" % (["api-1", "api-2"][i % 2], attesto(e)) for i, e in enumerate(events)])
write("stern.log", ["%s api %s" % (pods[i % 2], attesto(e)) for i, e in enumerate(events)])
