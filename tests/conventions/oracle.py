#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""oracle.py - the expected answers of logq's built-in queries on the
third-party log formats of tests/conventions/, computed without logq.

Each format's conventions (which key holds the path, the status, the
latency and in which unit, what the level names mean) are written out
below from the format's own documentation and source, with the reference
beside each. This file reads neither logq's code nor profiles/*.yaml: it
is the independent answer the golden cases tests/cli/cases/conv-* are
checked against (tests/conventions.sh re-runs it and diffs).

Usage:
  oracle.py FORMAT QUERY          expected csv of `logq -f csv QUERY` on
                                  tests/conventions/FORMAT.jsonl
  oracle.py --list                the applicable FORMAT QUERY pairs
  oracle.py --write-cases DIR     write DIR/conv-FORMAT-QUERY/ for each pair
  oracle.py --compare LOGQ        run LOGQ on every pair, print which agree
  oracle.py --interleave DIR N    write DIR/all.jsonl, every format's lines
                                  taken in turn (one of each, then the
                                  next of each), N times over, and
                                  DIR/QUERY.csv, each query's answer on it
"""

import calendar
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- reading lines (SPEC 2) ------------------------------------------

def find_object(line):
    """The JSON object of a line: the whole line, or after a prefix
    (`caddy  | {...}` of docker compose), per SPEC 2."""
    start = 0
    while True:
        i = line.find("{", start)
        if i < 0:
            return None, None
        try:
            obj = json.loads(line[i:])
        except ValueError:
            start = i + 1
            continue
        if isinstance(obj, dict):
            return obj, line[:i].strip()
        return None, None


def get(obj, path):
    """A dotted field path: nested objects, or a flat key that holds the
    dots itself (ECS loggers write "log.level" as one key)."""
    if obj is None:
        return None
    if path in obj:
        return obj[path]
    head, dot, rest = path.partition(".")
    while dot:
        if head in obj and isinstance(obj[head], dict):
            return get(obj[head], rest)
        more, dot, rest = rest.partition(".")
        head = head + "." + more
    return None


def first(obj, *paths):
    for p in paths:
        v = get(obj, p)
        if v is not None:
            return v
    return None


# ---- units ------------------------------------------------------------

def num(v):
    """A number, or a string holding a decimal number, exactly."""
    if type(v) is bool or v is None:
        return None
    if type(v) is int:
        return Fraction(v)
    if type(v) is float:
        return Fraction(repr(v))
    if isinstance(v, str) and re.fullmatch(
            r"\s*-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?\s*", v):
        return Fraction(v.strip())
    return None


GO_UNITS = {"ns": Fraction(1, 10**6), "us": Fraction(1, 1000),
            "µs": Fraction(1, 1000), "μs": Fraction(1, 1000),
            "ms": Fraction(1), "s": Fraction(1000), "m": Fraction(60000),
            "h": Fraction(3600000)}


def go_duration(s):
    """A Go duration string ("1.5s", "2m3s", "0.612s") in ms, exactly."""
    if not isinstance(s, str):
        return None
    parts = re.findall(r"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)", s)
    if not parts or "".join(a + b for a, b in parts) != s:
        return None
    return sum(Fraction(a) * GO_UNITS[b] for a, b in parts)


def in_ms(v, unit):
    """Milliseconds from value V given in UNIT ("s", "ms", "us", "ns"):
    the exact product, rounded once to a double; an integer stays an
    integer when the unit is ms. Strings that are durations ("0.612s",
    GCP's latency) carry their own unit."""
    if unit == "ms" and type(v) is int:
        return v
    n = num(v)
    if n is None:
        d = go_duration(v)
        return None if d is None else float(d)
    return float(n * {"s": 1000, "ms": 1, "us": Fraction(1, 1000),
                      "ns": Fraction(1, 10**6)}[unit])


def request_line(v):
    """nginx's $request / django-structlog's `request`: "GET /x HTTP/1.1"
    or "GET /x" -> (method, target)."""
    if not isinstance(v, str):
        return None, None
    m = re.fullmatch(r"([A-Z]+) (\S+)(?: HTTP/[0-9.]+)?", v)
    return (m.group(1), m.group(2)) if m else (None, None)


def canon_level(v, table):
    """A raw level (name or number, compared as text, case-insensitive)
    through the format's vocabulary TABLE; unmapped values unchanged."""
    if v is None or type(v) is bool:
        return v
    key = (repr(v) if type(v) is float else str(v)).lower()
    return table.get(key, v)


# The keys applications of any format use for the same things (SPEC 3.5,
# logq's documented built-in table): a format's own key comes first, then
# these, as a service logging through that library may add its own
# "duration_ms" or "path".
LAT_KEYS = ("latencyMs", "latency_ms", "duration_ms", "durationMs",
            "elapsed_ms", "response_time_ms", "responseTime")
STATUS_KEYS = ("status", "status_code", "statusCode", "http.status_code",
               "res.statusCode", "response.status")
PATH_KEYS = ("path", "route", "url", "http.path", "req.url", "request.uri")
METHOD_KEYS = ("method", "http.method", "req.method", "request.method")
ERROR_KEYS = ("error", "err", "error_code", "code")
TIME_KEYS = ("ts", "time", "timestamp", "@timestamp", "t", "_time")


def first_ms(o, *alts):
    """The first present of ALTS, (path, unit) pairs, in ms."""
    for path, unit in alts:
        v = get(o, path)
        if v is not None:
            return in_ms(v, unit)
    return None


def rec(**kw):
    r = dict.fromkeys(["time", "level", "msg", "error", "path", "method",
                       "status", "latency_ms", "tenant"])
    r.update(kw)
    return r


# ---- the formats ------------------------------------------------------
# Each takes one parsed object and returns its canonical fields.

ZAP_LEVELS = {
    # go.uber.org/zap zapcore/level.go: debug info warn error dpanic panic
    # fatal. DPanic "logs are particularly important errors"; panic and
    # fatal end the process.
    "debug": "debug", "info": "info", "warn": "warn", "error": "error",
    "dpanic": "error", "panic": "fatal", "fatal": "fatal"}


def f_caddy(o):
    # caddyserver/caddy modules/caddyhttp/server.go logRequest: the access
    # logger "http.log.access[.NAME]" writes request{method,uri}, status,
    # duration (float seconds: zap.Duration with caddy's
    # SecondsDurationEncoder), level error for status >= 500. The
    # "http.log.error" line of a failed request repeats request/status/
    # duration: it is no second request (only access lines are).
    r = rec(time=o.get("ts"), level=canon_level(o.get("level"), ZAP_LEVELS),
            msg=o.get("msg"), error=o.get("error"))
    if str(o.get("logger", "")).startswith("http.log.access"):
        r.update(path=get(o, "request.uri"), method=get(o, "request.method"),
                 status=o.get("status"),
                 latency_ms=in_ms(o.get("duration"), "s"))
    return r


def f_traefik(o):
    # doc.traefik.io access-logs: JSON keys DownstreamStatus, RequestPath,
    # RequestMethod, Duration (time.Duration: integer nanoseconds),
    # StartUTC (when the request started; else time, when it was logged).
    return rec(time=first(o, "StartUTC", "time"), level=o.get("level"), msg=o.get("msg"),
               path=o.get("RequestPath"), method=o.get("RequestMethod"),
               status=o.get("DownstreamStatus"),
               latency_ms=in_ms(o.get("Duration"), "ns")
               if o.get("Duration") is not None else None)


def f_nginx_json(o):
    # nginx json_combined: "request":"$request" (request line), "status":
    # "$status" (string), "request_time":"$request_time" (seconds with ms
    # resolution, a string), "time_local".
    method, target = request_line(o.get("request"))
    return rec(time=o.get("time_local"), path=target, method=method,
               status=o.get("status"),
               latency_ms=in_ms(o.get("request_time"), "s")
               if o.get("request_time") is not None else None)


ECS_LEVELS = {
    # ecs-logging-python writes Python's level names lower-cased.
    "debug": "debug", "info": "info", "warning": "warn", "error": "error",
    "critical": "fatal"}


def f_ecs(o):
    # Elastic Common Schema reference: @timestamp, log.level, message,
    # error.message, url.path (else url.original), http.request.method,
    # http.response.status_code, event.duration (nanoseconds).
    dur = get(o, "event.duration")
    return rec(time=o.get("@timestamp"),
               level=canon_level(get(o, "log.level"), ECS_LEVELS),
               msg=o.get("message"), error=get(o, "error.message"),
               path=first(o, "url.path", "url.original"),
               method=get(o, "http.request.method"),
               status=get(o, "http.response.status_code"),
               latency_ms=None if dur is None else in_ms(dur, "ns"))


GCP_LEVELS = {
    # google.logging.type.LogSeverity: DEFAULT DEBUG INFO NOTICE WARNING
    # ERROR CRITICAL ALERT EMERGENCY.
    "default": "info", "debug": "debug", "info": "info", "notice": "info",
    "warning": "warn", "error": "error", "critical": "fatal", "alert": "fatal", "emergency": "fatal"}


def f_gcp(o):
    # LogEntry: timestamp (or `time` in stdout structured logging),
    # severity, message (jsonPayload.message), httpRequest{requestMethod,
    # requestUrl (absolute URL), status, latency ("0.612s": a Duration in
    # seconds with an "s" suffix)}.
    lat = get(o, "httpRequest.latency")
    return rec(time=first(o, "timestamp", "time"),
               level=canon_level(o.get("severity"), GCP_LEVELS),
               msg=first(o, "message", "jsonPayload.message"),
               error=o.get("error"),
               path=get(o, "httpRequest.requestUrl"),
               method=get(o, "httpRequest.requestMethod"),
               status=get(o, "httpRequest.status"),
               latency_ms=None if lat is None else in_ms(lat, "s"))


LAMBDA_LEVELS = {n.lower(): n.lower()
                 for n in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")}


def f_aws_lambda(o):
    # docs.aws.amazon.com/lambda monitoring-cloudwatchlogs-advanced: JSON
    # application logs {timestamp, level (TRACE..FATAL), message,
    # requestId, errorType, errorMessage}; platform.* records {time, type,
    # record}: no level, no request path.
    return rec(time=first(o, "timestamp", "time"),
               level=canon_level(o.get("level"), LAMBDA_LEVELS),
               msg=o.get("message"), error=first(o, "errorType", *ERROR_KEYS))


KLOG_LEVELS = {"0": "info"}
KLOG_LEVELS.update({str(v): "debug" for v in range(1, 11)})


def f_klog_json(o):
    # kubernetes/component-base logs/json/json.go: zapr with
    # LogInfoLevel("v") and ErrorKey("err"): info lines carry the
    # verbosity "v" (0 = always on, higher = debug detail); error lines
    # carry no "v". ts is epoch milliseconds.
    # Durations are Go duration strings ("1m0s": they say their unit).
    lvl = canon_level(o["v"], KLOG_LEVELS) if "v" in o else "error"
    return rec(time=o.get("ts"), level=lvl, msg=o.get("msg"),
               error=o.get("err"),
               latency_ms=first_ms(o, ("duration", "s"),
                                   *[(k, "ms") for k in LAT_KEYS]))


def f_zap(o):
    # zap production encoder: ts (epoch s), level, msg, error (zap.Error);
    # gin-contrib/zap: status, method, path, latency (zap.Duration with
    # the production SecondsDurationEncoder: float seconds).
    # Any zap.Duration is seconds: latency, duration, elapsed.
    return rec(time=first(o, "ts", "timestamp", "time"),
               level=canon_level(o.get("level"), ZAP_LEVELS),
               msg=o.get("msg"), error=first(o, *ERROR_KEYS),
               path=first(o, *PATH_KEYS), method=first(o, *METHOD_KEYS),
               status=first(o, *STATUS_KEYS),
               latency_ms=first_ms(o, ("latency", "s"), ("duration", "s"),
                                   ("elapsed", "s"),
                                   *[(k, "ms") for k in LAT_KEYS]))


LOGRUS_LEVELS = {
    # sirupsen/logrus logrus.go: panic fatal error warning info debug trace
    "trace": "trace", "debug": "debug", "info": "info", "warning": "warn",
    "error": "error", "fatal": "fatal", "panic": "fatal"}


def f_logrus(o):
    # logrus JSONFormatter: time, level, msg, error (WithError's ErrorKey).
    # toorop/gin-logrus: statusCode, method, path, latency (whole
    # milliseconds: int(math.Ceil(float64(stop.Nanoseconds()) / 1e6))).
    # An application field error_code is the app's error code, as the
    # built-in table reads it.
    return rec(time=o.get("time"),
               level=canon_level(o.get("level"), LOGRUS_LEVELS),
               msg=o.get("msg"),
               error=first(o, "error", "err", "error_code", "code"),
               path=o.get("path"), method=o.get("method"),
               status=o.get("statusCode"),
               latency_ms=first_ms(o, ("latency", "ms"),
                                   *[(k, "ms") for k in LAT_KEYS])
               if "statusCode" in o else
               first_ms(o, *[(k, "ms") for k in LAT_KEYS]))


SLOG_LEVELS = {
    # log/slog level.go String(): DEBUG INFO WARN ERROR, and a level
    # between or beyond them as the name below it plus the difference
    # ("ERROR+4", "INFO+2", "DEBUG-2"): it counts as that name, as
    # bunyan's 55 counts as error. logrus (the same keys): trace debug
    # info warning error fatal panic.
    "debug": "debug", "info": "info", "warn": "warn", "error": "error",
    "trace": "trace", "warning": "warn", "fatal": "fatal", "panic": "fatal"}


def slog_level(v):
    m = re.fullmatch(r"(DEBUG|INFO|WARN|ERROR)[+-][0-9]+", v) \
        if isinstance(v, str) else None
    return canon_level(m.group(1) if m else v, SLOG_LEVELS)


def f_slog(o):
    # log/slog JSONHandler: time, level, msg; slog.Duration is integer
    # nanoseconds. samber/slog-http: request{method,path},
    # response{status,latency (slog.Duration: ns)}. A bare "path" attr of
    # an application line ("tmp/blobs") is no request: only slog-http
    # lines (with a response) and application lines with a status are
    # requests.
    r = rec(time=o.get("time"), level=slog_level(o.get("level")),
            msg=o.get("msg"), error=first(o, "error", "err"))
    # Any slog.Duration attribute is ns (duration, latency); the other
    # keys are the application's.
    r.update(path=first(o, "request.path", *PATH_KEYS),
             method=first(o, "request.method", *METHOD_KEYS),
             status=first(o, "response.status", *STATUS_KEYS),
             latency_ms=first_ms(o, ("response.latency", "ns"),
                                 ("duration", "ns"), ("latency", "ns"),
                                 *[(k, "ms") for k in LAT_KEYS]))
    return r


ZEROLOG_LEVELS = {
    # rs/zerolog log.go: trace debug info warn error fatal panic
    "trace": "trace", "debug": "debug", "info": "info", "warn": "warn",
    "error": "error", "fatal": "fatal", "panic": "fatal"}


def f_zerolog(o):
    # rs/zerolog: time, level, message, error (ErrorFieldName); hlog
    # AccessHandler: method, url, status, duration (Dur: float ms, the
    # DurationFieldUnit default time.Millisecond).
    return rec(time=first(o, "time", *TIME_KEYS),
               level=canon_level(o.get("level"), ZEROLOG_LEVELS),
               msg=first(o, "message", "msg"), error=first(o, *ERROR_KEYS),
               path=first(o, "url", "path", "route", "http.path", "req.url",
                          "request.uri"),
               method=first(o, *METHOD_KEYS), status=first(o, *STATUS_KEYS),
               latency_ms=first_ms(o, ("duration", "ms"),
                                   *[(k, "ms") for k in LAT_KEYS]))


WINSTON_LEVELS = {
    # winston's default npm levels: error warn info http verbose debug silly
    "error": "error", "warn": "warn", "info": "info", "http": "info",
    "verbose": "debug", "debug": "debug", "silly": "trace"}


def f_winston(o):
    # winston json format: level, message, timestamp; express-winston
    # request records: req{url,method}, res{statusCode}, responseTime (ms).
    return rec(time=first(o, "timestamp", "ts", "time", "@timestamp"),
               level=canon_level(o.get("level"), WINSTON_LEVELS),
               msg=first(o, "message", "msg"), error=first(o, *ERROR_KEYS),
               path=first(o, "req.url", "path", "route", "url", "http.path",
                          "request.uri"),
               method=first(o, "req.method", *METHOD_KEYS),
               status=first(o, "res.statusCode", *STATUS_KEYS),
               latency_ms=first_ms(o, ("responseTime", "ms"),
                                   *[(k, "ms") for k in LAT_KEYS]))


BUNYAN_LEVELS = {
    # trentm/node-bunyan lib/bunyan.js: TRACE 10 DEBUG 20 INFO 30 WARN 40
    # ERROR 50 FATAL 60; a level between two names is filtered as the
    # lower one (`bunyan -l error` keeps level >= 50).
    "10": "trace", "20": "debug", "30": "info", "40": "warn",
    "50": "error", "55": "error", "60": "fatal"}


def f_bunyan(o):
    # bunyan core record: time, level (number), msg, err{message,name,
    # stack,code}; restify auditLogger: req{method,url}, res{statusCode},
    # latency (ms), route (an object naming the handler, not the path).
    return rec(time=o.get("time"),
               level=canon_level(o.get("level"), BUNYAN_LEVELS),
               msg=o.get("msg"), error=first(o, "err.message", *ERROR_KEYS),
               path=first(o, "req.url", "path", "url", "http.path",
                          "request.uri"),
               method=first(o, "req.method", *METHOD_KEYS),
               status=first(o, "res.statusCode", "status", "status_code",
                            "statusCode", "http.status_code"),
               latency_ms=first_ms(o, ("latency", "ms"),
                                   *[(k, "ms") for k in LAT_KEYS]))


PINO_LEVELS = {"10": "trace", "20": "debug", "30": "info", "40": "warn",
               "50": "error", "60": "fatal"}


def f_pino_http(o):
    # pino: time (epoch ms), level (number, or label with a formatter),
    # msg, err{type,message,stack}; pino-http: req{method,url},
    # res{statusCode}, responseTime (ms).
    return rec(time=o.get("time"),
               level=canon_level(o.get("level"), PINO_LEVELS),
               msg=o.get("msg"), error=first(o, "err.message", *ERROR_KEYS),
               path=first(o, "req.url", *PATH_KEYS),
               method=first(o, "req.method", *METHOD_KEYS),
               status=first(o, "res.statusCode", *STATUS_KEYS),
               latency_ms=first_ms(o, ("responseTime", "ms"),
                                   *[(k, "ms") for k in LAT_KEYS]))


PY_LEVELS = {
    # Python logging: DEBUG INFO WARNING ERROR CRITICAL
    "debug": "debug", "info": "info", "warning": "warn", "error": "error",
    "critical": "fatal"}


def f_structlog(o):
    # structlog JSONRenderer: event, level (Python names lower-cased),
    # timestamp, exception (format_exc_info). django-structlog
    # request_finished/request_failed: request "METHOD /path", code
    # (the HTTP status).
    # ("code" is never an error code here.)
    method, target = request_line(o.get("request"))
    return rec(time=o.get("timestamp"),
               level=canon_level(o.get("level"), PY_LEVELS),
               msg=first(o, "event", "msg", "message"),
               error=first(o, "exception", "error", "err", "error_code"),
               path=target if target is not None else first(
                   o, "path", "route", "url", "http.path"),
               method=method if method is not None else o.get("method"),
               status=first(o, "code", "status", "status_code",
                            "statusCode"),
               latency_ms=first_ms(o, *[(k, "ms") for k in LAT_KEYS]))


def f_python_json_logger(o):
    # python-json-logger with the cookbook's format string: asctime,
    # levelname (DEBUG INFO WARNING ERROR CRITICAL), name, message,
    # exc_info (the formatted traceback).
    return rec(time=first(o, "asctime", "timestamp", "time"),
               level=canon_level(first(o, "levelname", "level"), PY_LEVELS),
               msg=first(o, "message", "msg"),
               error=first(o, "exc_info", *ERROR_KEYS))


def f_docker_json_file(o):
    # docker json-file driver: {"log": "<the app's line>\n", "stream",
    # "time"}. An app line that is a JSON object is the record (here zap's,
    # with the outer time as a fallback); any other log text is a plain
    # message with the outer time.
    inner = None
    if isinstance(o.get("log"), str):
        try:
            inner = json.loads(o["log"])
        except ValueError:
            inner = None
    if not isinstance(inner, dict):
        return rec(time=o.get("time"), msg=o.get("log"))
    r = f_zap(inner)
    if r["time"] is None:
        r["time"] = o.get("time")
    return r


def f_envoy(o):
    # Envoy / Istio JSON access log (json_format with the default
    # command operators): start_time, method, path
    # (%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%; Envoy Gateway names it
    # x-envoy-origin-path), response_code, duration (%DURATION%: total
    # duration of the request in milliseconds). No level.
    lat = o.get("duration")
    return rec(time=o.get("start_time"),
               path=first(o, "path", "x-envoy-origin-path"),
               method=o.get("method"), status=o.get("response_code"),
               latency_ms=None if lat is None else in_ms(lat, "ms"))


SERILOG_LEVELS = {
    # Serilog LogEventLevel: Verbose Debug Information Warning Error Fatal
    "verbose": "trace", "debug": "debug", "information": "info",
    "warning": "warn", "error": "error", "fatal": "fatal"}


def f_serilog_clef(o):
    # serilog-formatting-compact (CLEF): @t, @m (rendered message) or
    # @mt (template), @l (absent = Information), @x (exception).
    # Serilog.AspNetCore request logging: RequestMethod, RequestPath,
    # StatusCode, Elapsed (milliseconds).
    lat = o.get("Elapsed")
    return rec(time=o.get("@t"),
               level=canon_level(o.get("@l", "Information"), SERILOG_LEVELS),
               msg=first(o, "@m", "@mt"), error=o.get("@x"),
               path=o.get("RequestPath"), method=o.get("RequestMethod"),
               status=o.get("StatusCode"),
               latency_ms=None if lat is None else in_ms(lat, "ms"))


DOTNET_LEVELS = {
    # Microsoft.Extensions.Logging.LogLevel: Trace Debug Information
    # Warning Error Critical None
    "trace": "trace", "debug": "debug", "information": "info",
    "warning": "warn", "error": "error", "critical": "fatal"}


def f_dotnet_json_console(o):
    # .NET JsonConsoleFormatter: Timestamp (when TimestampFormat is set),
    # EventId, LogLevel, Category, Message, Exception, State (the
    # structured values). ASP.NET Core's "Request finished" event
    # (Microsoft.AspNetCore.Hosting.Diagnostics): State.Method,
    # State.Path, State.StatusCode, State.ElapsedMilliseconds (ms).
    lat = get(o, "State.ElapsedMilliseconds")
    return rec(time=o.get("Timestamp"),
               level=canon_level(o.get("LogLevel"), DOTNET_LEVELS),
               msg=o.get("Message"), error=o.get("Exception"),
               path=get(o, "State.Path"), method=get(o, "State.Method"),
               status=get(o, "State.StatusCode"),
               latency_ms=None if lat is None else in_ms(lat, "ms"))


RUBY_LEVELS = {"debug": "debug", "info": "info", "warn": "warn",
               "error": "error", "fatal": "fatal"}


def f_lograge(o):
    # roidrage/lograge (JSON formatter): method, path, format,
    # controller, action, status, duration (ms), view, db, and error
    # ("Class: message") for an exception. GitLab's production_json.log
    # (lograge): time, severity, duration_s (seconds), exception.class.
    if o.get("duration_s") is not None:
        lat = in_ms(o["duration_s"], "s")
    elif o.get("duration") is not None:
        lat = in_ms(o["duration"], "ms")
    else:
        lat = None
    return rec(time=o.get("time"),
               level=canon_level(o.get("severity"), RUBY_LEVELS),
               error=first(o, "error", "exception.class"),
               path=o.get("path"), method=o.get("method"),
               status=o.get("status"), latency_ms=lat)


FORMATS = {
    "caddy": f_caddy, "traefik": f_traefik, "nginx-json": f_nginx_json,
    "ecs": f_ecs, "gcp": f_gcp, "aws-lambda": f_aws_lambda,
    "klog-json": f_klog_json, "zap": f_zap, "logrus": f_logrus,
    "slog": f_slog, "zerolog": f_zerolog, "winston": f_winston,
    "bunyan": f_bunyan, "pino-http": f_pino_http, "structlog": f_structlog,
    "python-json-logger": f_python_json_logger,
    "docker-json-file": f_docker_json_file, "envoy": f_envoy,
    "serilog-clef": f_serilog_clef,
    "dotnet-json-console": f_dotnet_json_console, "lograge": f_lograge,
}

# A mixed stream (docker compose logs of several services): the compose
# service name says which format the line is.
MIXED = {"caddy": "caddy", "api": "zap", "web": "pino-http",
         "proxy": "traefik", "worker": "structlog"}


class Written(str):
    """A JSON number as the log wrote it ("1700000001.500"): how many
    decimals a time has is how precise it is (rfc3339())."""


def line_record(fmt, line):
    """The record of LINE (a line of FMT's sample), or None."""
    obj, prefix = find_object(line.rstrip("\n"))
    if obj is None:
        return None
    f = FORMATS[fmt] if fmt != "mixed" else FORMATS[MIXED[
        re.match(r"([A-Za-z0-9_.-]+?)(-[0-9]+)?\s*\|",
                 prefix).group(1)]]
    r = f(obj)
    # the time as written: the same line read with its numbers
    # as text (docker's inner line too)
    raw = json.loads(json.dumps(obj), parse_float=Written,
                     parse_int=Written)
    t = f(raw)["time"]
    r["time_text"] = t
    return r


def records(fmt, path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = line_record(fmt, line)
            if r is not None:
                out.append(r)
    return out


# ---- times (logq-query(5): time(), rfc3339(), bucket()) ----------------

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
     "Nov", "Dec"], 1)}
RFC3339_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:[.,]([0-9]+))?(?:([Zz])|([+-][0-9]{2}):?([0-9]{2})| UTC)?")
GO_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))? ([+-][0-9]{2})([0-9]{2}) [A-Za-z]+")
CLF_RE = re.compile(
    r"\[?([0-9]{2})/([A-Z][a-z]{2})/([0-9]{4}):([0-9]{2}):([0-9]{2}):"
    r"([0-9]{2}) ([+-][0-9]{2})([0-9]{2})\]?")


def parse_time(v):
    """(epoch seconds as a Fraction, decimals written) of a time value:
    an RFC 3339 text (also with a blank for T, a comma before the
    fraction, an offset without colon, none = UTC), Go's Time.String(),
    the Common Log Format's, or an epoch number whose magnitude tells
    s, ms, us, ns (from 1e11 ms, 1e14 us, 1e17 ns)."""
    if v is None or type(v) is bool:
        return None
    if isinstance(v, Written) or type(v) in (int, float) or (
            isinstance(v, str) and re.fullmatch(
                r"-?[0-9]+(\.[0-9]*)?", v.strip())):
        text = str(v).strip()
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]*)?", text):
            return None
        d = Fraction(text)
        frac = len(text.split(".")[1]) if "." in text else 0
        for lim, unit in ((10**17, 9), (10**14, 6), (10**11, 3), (0, 0)):
            if abs(d) >= lim:
                return d / 10**unit, min(9, unit + frac)
    if not isinstance(v, str):
        return None
    m = GO_RE.fullmatch(v)
    if m:
        y, mo, da, h, mi, se, fr, oh, om = m.groups()
    else:
        m = CLF_RE.fullmatch(v)
        if m:
            da, mon, y, h, mi, se, oh, om = m.groups()
            if mon not in MONTHS:
                return None
            mo, fr = MONTHS[mon], None
        else:
            m = RFC3339_RE.fullmatch(v)
            if not m:
                return None
            y, mo, da, h, mi, se, fr, z, oh, om = m.groups()
            if oh is None:
                oh, om = "+00", "00"
    off = (1 if oh[0] == "+" else -1) * (int(oh[1:]) * 3600 + int(om) * 60)
    secs = calendar.timegm((int(y), int(mo), int(da), int(h), int(mi), 0))
    secs += int(se)		# a leap second 60 is the next second
    fr = (fr or "")[:9]
    return Fraction(secs - off) + (Fraction(int(fr), 10**len(fr))
                                   if fr else 0), len(fr)


def utc_text(secs, ndigits, with_fraction=True):
    whole = math.floor(secs)
    t = calendar.datetime.datetime.utcfromtimestamp(0) + \
        calendar.datetime.timedelta(seconds=whole)
    out = t.strftime("%Y-%m-%dT%H:%M:%S")
    if ndigits and with_fraction:
        out += "." + str(math.floor((secs - whole) * 10**ndigits)).zfill(
            ndigits)
    return out + "Z"


def rfc3339(v):
    p = parse_time(v)
    return None if p is None else utc_text(p[0], p[1])


def bucket(v, step=60):
    p = parse_time(v)
    if p is None:
        return None
    return utc_text(math.floor(p[0] / step) * step, 0)


# ---- the built-in queries (queries/*.yaml, SPEC 3.4) ------------------

ERROR_LEVELS = ["error", "err", "fatal", "critical", "crit", "panic",
                "alert", "emerg", "emergency"]


def is_error(r):
    lv = r["level"]
    return isinstance(lv, str) and lv.lower() in ERROR_LEVELS


def numeric(v):
    """A status as a number: a number, or a whole decimal string (SPEC
    3.2 comparison)."""
    if type(v) in (int, float):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?[0-9]+", v):
        return int(v)
    return None


def is_id(seg):
    """route() (SPEC 3.2): numbers, UUIDs, long hex or base62 ids."""
    if seg == "":
        return False
    if re.fullmatch(r"[0-9]+", seg):
        return True
    if re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", seg):
        return True
    if len(seg) >= 8 and re.fullmatch(r"[0-9a-fA-F]+", seg):
        return True
    return (len(seg) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", seg)
            and re.search(r"[0-9]", seg) and re.search(r"[A-Za-z]", seg)
            and True)


def route(p):
    if not isinstance(p, str):
        return None
    m = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", p)
    if m:
        p = p[m.end():]
        if p == "" or p[0] in "?#":
            return "/"
    p = re.split(r"[?#]", p)[0]
    return "/".join(":id" if is_id(s) else s for s in p.split("/"))


def pct(values, q):
    v = sorted(values)
    if not v:
        return None
    return v[max(math.ceil(Fraction(q, 100) * len(v)), 1) - 1]


def order_key(v):
    if v is None:
        return (0,)
    if type(v) in (int, float):
        return (3, v)
    if isinstance(v, str):
        return (4, v.encode())
    return (5, json.dumps(v, separators=(",", ":")).encode())


def grouped(rs, keyfn):
    groups = {}
    for r in rs:
        groups.setdefault(keyfn(r), []).append(r)
    return groups


def q_errors(rs):
    cols = ["time", "level", "msg", "error", "path", "tenant"]
    return cols, [[rfc3339(r["time_text"])] + [r[c] for c in cols[1:]]
                  for r in rs if is_error(r)]


def q_error_summary(rs):
    g = grouped([r for r in rs if is_error(r)],
                lambda r: (json.dumps(r["msg"]), json.dumps(r["error"])))
    rows = []
    for k, v in g.items():
        rows.append([v[0]["msg"], v[0]["error"], len(v),
                     rfc3339(v[0]["time_text"]), rfc3339(v[-1]["time_text"])])
    rows.sort(key=lambda x: (-x[2], order_key(x[0]), order_key(x[1])))
    return ["msg", "error", "count", "first_seen", "last_seen"], rows


def is_latency(v):
    return type(v) in (int, float)


def q_latency(rs):
    g = grouped([r for r in rs if is_latency(r["latency_ms"])
                 and r["path"] is not None], lambda r: route(r["path"]))
    rows = []
    for k, v in g.items():
        lat = [r["latency_ms"] for r in v]
        rows.append([k, len(v), pct(lat, 50), pct(lat, 95), pct(lat, 99),
                     max(lat)])
    rows.sort(key=lambda x: (-x[4], order_key(x[0])))
    return ["route", "requests", "p50_ms", "p95_ms", "p99_ms", "max_ms"], rows


def q_status(rs):
    g = grouped([r for r in rs if r["status"] is not None
                 and r["path"] is not None], lambda r: route(r["path"]))
    rows = []
    for k, v in g.items():
        st = [numeric(r["status"]) for r in v]
        cls = [sum(1 for s in st if s is not None and lo <= s < lo + 100)
               for lo in (200, 300, 400, 500)]
        rows.append([k, len(v)] + cls + [100.0 * cls[3] / len(v)])
    rows.sort(key=lambda x: (-x[1], order_key(x[0])))
    return ["route", "requests", "2xx", "3xx", "4xx", "5xx", "pct_5xx"], rows


def q_slow_requests(rs, threshold=500):
    cols = ["time", "method", "path", "status", "latency_ms", "tenant"]
    return cols, [[rfc3339(r["time_text"])] + [r[c] for c in cols[1:]]
                  for r in rs
                  if r["path"] is not None and is_latency(r["latency_ms"])
                  and r["latency_ms"] > threshold]


def q_timeline(rs, step=60):
    g = grouped(rs, lambda r: bucket(r["time_text"], step))
    rows = []
    for k, v in g.items():
        st = [numeric(r["status"]) for r in v]
        lat = [r["latency_ms"] for r in v if is_latency(r["latency_ms"])]
        rows.append([k, len(v), sum(1 for r in v if is_error(r)),
                     sum(1 for x in st if x is not None and 500 <= x < 600),
                     pct(lat, 99)])
    rows.sort(key=lambda x: order_key(x[0]))
    return ["time", "lines", "errors", "5xx", "p99_ms"], rows


QUERIES = {"errors": q_errors, "error-summary": q_error_summary,
           "latency": q_latency, "status": q_status,
           "slow-requests": q_slow_requests, "timeline": q_timeline}


def applicable(fmt, query):
    """The format carries what the query needs (issue 17): a level for
    the error queries, a path with a latency or a status for the request
    queries, a time for timeline. No sample has a tenant: no tenant-volume, no rate-limited."""
    rs = records(fmt, sample(fmt))
    if query in ("errors", "error-summary"):
        return any(r["level"] is not None for r in rs)
    if query in ("latency", "slow-requests"):
        return any(is_latency(r["latency_ms"]) and r["path"] is not None
                   for r in rs)
    if query == "timeline":
        return any(parse_time(r["time_text"]) is not None for r in rs)
    if query == "status":
        return any(r["status"] is not None and r["path"] is not None
                   for r in rs)
    return False


# ---- csv (SPEC 5) -----------------------------------------------------

def jnum(v):
    if type(v) is float and v.is_integer() and abs(v) < 1e15:
        return "%d" % v
    return repr(v)


def text(v):
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    if type(v) in (int, float):
        return jnum(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return v


def csv_cell(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def render_csv(cols, rows):
    out = [",".join(csv_cell(c) for c in cols)]
    out += [",".join(csv_cell(text(v)) for v in row) for row in rows]
    return "".join(l + "\n" for l in out)


def sample(fmt):
    return os.path.join(HERE, fmt + ".jsonl")


def expected(fmt, query):
    return render_csv(*QUERIES[query](records(fmt, sample(fmt))))


def pairs():
    fmts = sorted(FORMATS) + ["mixed"]
    return [(f, q) for f in fmts for q in QUERIES if applicable(f, q)]


def write_cases(dest):
    for f, q in pairs():
        d = os.path.join(dest, "conv-%s-%s" % (f, q))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "cmd"), "w") as fh:
            fh.write('"$LOGQ" -f csv %s ../conventions/%s.jsonl\n' % (q, f))
        with open(os.path.join(d, "stdout"), "w") as fh:
            fh.write(expected(f, q))
        with open(os.path.join(d, "ORIGIN"), "w") as fh:
            fh.write("tests/conventions/oracle.py %s %s\n"
                     "(the %s conventions written out in the oracle from the "
                     "format's\ndocumentation and source; see "
                     "tests/conventions/SOURCES.md for the sample)\n"
                     % (f, q, f))


def interleave(dest, times):
    """Every format's sample but mixed's (whose lines say their format
    by a prefix), one line of each in turn, TIMES over: a file whose
    every stretch holds lines of every format, for the workers of a
    parallel run to meet each format at once. Each line is read by its
    own format's conventions, as in its sample."""
    per = []
    for f in sorted(FORMATS):
        with open(sample(f), encoding="utf-8") as fh:
            per.append((f, fh.readlines()))
    turn = []
    for i in range(max(len(ls) for _, ls in per)):
        turn += [(f, ls[i]) for f, ls in per if i < len(ls)]
    turn = turn * times
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, "all.jsonl"), "w", encoding="utf-8") as fh:
        fh.write("".join(l if l.endswith("\n") else l + "\n"
                         for _, l in turn))
    rs = [r for r in (line_record(f, l) for f, l in turn) if r is not None]
    for q in QUERIES:
        if any(applicable(f, q) for f in FORMATS):
            with open(os.path.join(dest, q + ".csv"), "w") as fh:
                fh.write(render_csv(*QUERIES[q](rs)))


def compare(logq):
    good = 0
    all_pairs = pairs()
    for f, q in all_pairs:
        p = subprocess.run([logq, "-f", "csv", q, sample(f)],
                           capture_output=True, text=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC"))
        ok = p.stdout == expected(f, q) and p.returncode == 0
        good += ok
        print("%-4s %s %s" % ("ok" if ok else "BAD", f, q))
    print("%d of %d right" % (good, len(all_pairs)))


def main(argv):
    if argv[1:2] == ["--list"]:
        for f, q in pairs():
            print(f, q)
    elif argv[1:2] == ["--write-cases"]:
        write_cases(argv[2])
    elif argv[1:2] == ["--compare"]:
        compare(argv[2])
    elif argv[1:2] == ["--interleave"] and len(argv) == 4:
        interleave(argv[2], int(argv[3]))
    elif len(argv) == 3:
        sys.stdout.write(expected(argv[1], argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
