# SPDX-License-Identifier: MIT
"""logqproc.py - what the drivers of live-input cases (signals/drive.py,
follow/drive.py) share: starting logq with default signal actions, and
finding the process that reads the pipe."""
import os
import signal
import time


def default_signals():
    """preexec_fn: the child starts with the default actions, even when
    the test runs under nohup or as a background job (which ignore
    SIGHUP or SIGINT; logq rightly keeps an ignored signal ignored)."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


def target(pid, pipe):
    """The process that reads the pipe whose end PIPE is: PID, or under a
    wrapper (make check-valgrind runs logq under valgrind from a shell
    script) the descendant that is logq or valgrind's memcheck running
    it, whose standard input is the pipe."""
    want = f"pipe:[{os.fstat(pipe).st_ino}]"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        todo, found = [pid], None
        while todo:
            q = todo.pop()
            try:
                exe = os.path.basename(os.readlink(f"/proc/{q}/exe"))
                if (os.readlink(f"/proc/{q}/fd/0") == want and
                        (exe == "logq" or exe.startswith("memcheck"))):
                    found = q
                with open(f"/proc/{q}/task/{q}/children") as f:
                    todo += [int(k) for k in f.read().split()]
            except OSError:
                pass
        if found is not None:
            return found
        time.sleep(0.02)
    return pid
