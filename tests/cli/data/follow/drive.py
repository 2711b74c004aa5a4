#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""drive.py - feed logq --interval through a pipe whose writer pauses.

usage: drive.py STEP... -- LOGQ ARGS...

Steps, in order:
  FILE:A-B   write lines A to B (1-based, inclusive) of FILE into the
             pipe; the steps before the first wait are written before
             logq starts, so its first read has them
  printsN    wait until N prints are on logq's standard output and logq
             sleeps in poll(2) again (its /proc/PID/wchan): the print is
             whole and every line written was read
  idleS      the CPU check: S seconds with no input; logq's user+system
             time over them (/proc/PID/stat) must stay under a tenth of
             them (a busy wait would take all of it), and the prints
             made meanwhile must be at least S / interval / 2, where the
             interval is read from --interval in ARGS (in ms or s; none
             without it)
  sleepS     S seconds with no input, as idleS but without the CPU
             check (a case that runs under valgrind's memcheck, whose
             own CPU time would fail it)
  close      end of input: close the pipe
  INT, TERM  send the signal

Then prints logq's standard output, "--- stderr", its standard error and
"--- status N". In each print's header line the facts that depend on the
clock (the time, the rate, the idle seconds) are checked (an RFC 3339 UTC
time within a day of now, numbers) and replaced by TIME, RATE, IDLE; the
others (lines, skipped, final) stay as logq wrote them; an ndjson row's
"print_time" becomes TIME when it is its print's header's time; on
standard error,
"$stalled=N" in an assertion's message becomes "$stalled=S". The idle
step writes "cpu: ok" or what went wrong, and the prints after the first
idle or sleep step (but the final one) are left out of the output, as
their number depends on the clock. Every wait is for a state, bounded by 20 s:
nothing depends on the machine's speed but the interval itself, which is
long (1s) in the cases that count prints.
"""
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from logqproc import default_signals, target  # noqa: E402

TEXT_HEAD = re.compile(r"^# logq (\S+) lines=(\d+) rate=(\d+\.\d)/s "
                       r"skipped=(\d+) idle=(\d+)s( final)?$")


def check_time(t):
    try:
        when = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    now = datetime.datetime.utcnow()
    return abs((now - when).total_seconds()) < 86400


PRINT_TIME = re.compile(r'^(\{"query":"[^"]*","print_time":)"([^"]*)"')
head_time = [None]


def normalise(line):
    """The header line with its clock facts checked and replaced; an
    ndjson row's print_time too, when it is its print's header's time."""
    m = PRINT_TIME.match(line)
    if m:
        if m.group(2) != head_time[0]:
            return line
        return m.group(1) + '"TIME"' + line[m.end():]
    m = TEXT_HEAD.match(line)
    if m:
        if not check_time(m.group(1)):
            return line
        return (f"# logq TIME lines={m.group(2)} rate=RATE "
                f"skipped={m.group(4)} idle=IDLE{m.group(6) or ''}")
    if line.startswith('{"logq": '):
        try:
            h = json.loads(line)["logq"]
        except (ValueError, KeyError):
            return line
        if (list(h) != ["time", "lines", "rate", "skipped", "idle", "final"]
                or not check_time(h["time"])
                or not isinstance(h["rate"], (int, float))
                or not isinstance(h["idle"], int)):
            return line
        head_time[0] = h["time"]
        h["time"], h["rate"], h["idle"] = "TIME", "RATE", "IDLE"
        return json.dumps({"logq": h})
    return line


def is_head(line):
    return line.startswith("# logq ") or line.startswith('{"logq": ')


class Reader(threading.Thread):
    def __init__(self, f):
        super().__init__(daemon=True)
        self.f, self.data, self.lock = f, b"", threading.Lock()

    def run(self):
        while True:
            b = os.read(self.f.fileno(), 65536)
            if not b:
                return
            with self.lock:
                self.data += b

    def prints(self):
        with self.lock:
            text = self.data.decode(errors="replace")
        return sum(1 for l in text.split("\n") if is_head(l))


def polling(pid):
    try:
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read()
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state == "S" and "poll" in wchan


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])    # utime, stime


def interval_s(args):
    """--interval in seconds, or None without it (--stall alone)."""
    if "--interval" not in args:
        return None
    i = args.index("--interval")
    v = args[i + 1]
    return float(v[:-2]) / 1000 if v.endswith("ms") else float(v[:-1])


def lines_of(spec):
    path, rng = spec.rsplit(":", 1)
    a, b = (int(x) for x in rng.split("-"))
    with open(path, "rb") as f:
        return b"".join(f.readlines()[a - 1:b])


def main():
    sep = sys.argv.index("--")
    steps, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
    rfd, wfd = os.pipe()
    while steps and ":" in steps[0]:
        os.write(wfd, lines_of(steps.pop(0)))
    p = subprocess.Popen(cmd, stdin=rfd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=default_signals)
    os.close(rfd)
    pid = target(p.pid, wfd)
    out = Reader(p.stdout)
    err = Reader(p.stderr)
    out.start()
    err.start()
    notes, hide_after = [], None
    for step in steps:
        if ":" in step:
            os.write(wfd, lines_of(step))
        elif step.startswith("prints"):
            n = int(step[6:])
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (
                    out.prints() >= n and polling(pid)):
                time.sleep(0.02)
            if out.prints() < n:
                notes.append(f"drive.py: only {out.prints()} prints, "
                             f"not {n}")
        elif step.startswith("idle"):
            secs = float(step[4:])
            before_prints, before = out.prints(), cpu_ticks(pid)
            time.sleep(secs)
            used = cpu_ticks(pid) - before
            made = out.prints() - before_prints
            hz = os.sysconf("SC_CLK_TCK")
            every = interval_s(cmd)
            want = secs / every / 2 if every else 0
            if used > secs * hz / 10:
                notes.append(f"cpu: {used} ticks of {hz}/s in {secs}s idle")
            elif made < want:
                notes.append(f"cpu: only {made} prints in {secs}s")
            else:
                notes.append("cpu: ok")
            # Their number depends on the clock: the prints after
            # the first idle step's start, but the final one, are
            # left out.
            if hide_after is None:
                hide_after = before_prints
        elif step.startswith("sleep"):
            if hide_after is None:
                hide_after = out.prints()
            time.sleep(float(step[5:]))
        elif step == "close":
            os.close(wfd)
            wfd = -1
        else:
            os.kill(pid, getattr(signal, "SIG" + step))
            time.sleep(0.05)
    if wfd != -1:
        os.close(wfd)
    p.wait(timeout=20)
    out.join(20)
    err.join(20)
    status = p.returncode if p.returncode >= 0 else 128 - p.returncode
    heads, shown, hidden = 0, [], False
    for line in out.data.decode(errors="replace").split("\n"):
        if is_head(line):
            heads += 1
            final = line.endswith(" final") or line.endswith("true}}")
            hidden = (hide_after is not None and heads > hide_after and
                      not final)
        if not hidden:
            shown.append(normalise(line))
    sys.stdout.write("\n".join(shown))
    for n in notes:
        print(n)
    print("--- stderr")
    # $stalled in an assertion's message is a clock fact too.
    sys.stdout.write(re.sub(r"\$stalled=\d+", "$stalled=S",
                            err.data.decode(errors="replace")))
    print(f"--- status {status}")


main()
