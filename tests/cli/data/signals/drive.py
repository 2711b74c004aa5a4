#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""drive.py - run logq on a pipe that stays open, then signal it.

usage: drive.py FILE SIGNALS -- LOGQ ARGS...

Writes FILE into logq's standard input and keeps the pipe open, as
`fly logs | logq` does; waits until logq has read everything and sleeps
in read(2) on the pipe (its /proc/PID/wchan); then sends SIGNALS (comma
separated: INT, TERM, INT+INT for two in a row) and prints, in order,
logq's standard output, "--- stderr", its standard error, and
"--- status N" (N = 128 + signal when it died of one). Nothing depends on
the machine's speed: every wait is for a state, bounded by 20 s.
"""
import array
import fcntl
import os
import signal
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from logqproc import default_signals, target  # noqa: E402


def pipe_unread(fd):
    """Bytes written into the pipe whose end FD is, not yet read."""
    buf = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buf)
    return buf[0]


def wait_reading(pid, fd):
    """True once logq has read every byte of the pipe (so the results
    will cover every line, whenever the signal lands) and PID's main
    thread sleeps in a pipe read."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and pipe_unread(fd) > 0:
        time.sleep(0.02)
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/wchan") as f:
                wchan = f.read()
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state == "S" and "pipe" in wchan:
            return True
        time.sleep(0.02)
    return False


def main():
    sep = sys.argv.index("--")
    path, sigs = sys.argv[1], sys.argv[2].split("+")
    cmd = sys.argv[sep + 1:]
    with open(path, "rb") as f:
        data = f.read()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=default_signals)
    p.stdin.write(data)
    p.stdin.flush()
    pid = target(p.pid, p.stdin.fileno())
    if not wait_reading(pid, p.stdin.fileno()):
        print("drive.py: logq never waited on the pipe", file=sys.stderr)
    for s in sigs:
        os.kill(pid, getattr(signal, "SIG" + s))
        time.sleep(0.05)
    out, err = p.communicate(timeout=20)
    p.stdin.close() if not p.stdin.closed else None
    status = p.returncode if p.returncode >= 0 else 128 - p.returncode
    sys.stdout.write(out.decode())
    print("--- stderr")
    sys.stdout.write(err.decode())
    print(f"--- status {status}")


main()
