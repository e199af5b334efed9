"""Drive the real `infoint` command on a pseudo-terminal: real signals, real bytes on the wire."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b.")


class PtyApp:
    """``python -m infoint_tui ARGS`` on its own pty, as a terminal emulator would run it."""

    def __init__(self, *args: str, db: Path, size: tuple[int, int] = (80, 24), env: dict[str, str] | None = None
                 ) -> None:
        self.output = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # child: the pty is its controlling terminal, as under sshd
            os.environ.update({"TERM": "xterm-256color", "TEXTUAL_ANIMATION": "none", "INFOINT_DB": str(db),
                               "COLUMNS": str(size[0]), "LINES": str(size[1]), **(env or {})})
            os.environ.pop("NO_COLOR", None)
            os.execv(sys.executable, [sys.executable, "-m", "infoint_tui", *args])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.status: int | None = None
        self._closing = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Never blocked in read() when the terminal is closed: a read in progress holds the pty master
        # open, and the app would get no hang-up until it next draws.
        while not self._closing.is_set():
            try:
                if not select.select([self.fd], [], [], 0.02)[0]:
                    continue
                chunk = os.read(self.fd, 65536)
            except (OSError, ValueError):
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def text(self) -> str:
        """Everything drawn so far, escape codes removed."""
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return
            if self.poll() is not None:
                raise AssertionError(f"the app exited ({self.status}) before showing {needle!r}")
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; screen text ends: {self.text()[-400:]!r}")

    def write(self, data: str | bytes, per_key: float = 0.0) -> None:
        raw = data.encode() if isinstance(data, str) else data
        if not per_key:
            os.write(self.fd, raw)
            return
        for b in raw:
            os.write(self.fd, bytes([b]))
            time.sleep(per_key)

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def close_terminal(self) -> None:
        """What sshd does when the link drops: the pty master goes away (at once: no read holds it)."""
        self._closing.set()
        self._reader.join()
        os.close(self.fd)
        self.fd = -1

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def wait(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.signal(signal.SIGKILL)
                raise AssertionError("the app did not exit")
            time.sleep(0.05)
        assert self.status is not None
        return self.status

    def kill(self) -> None:
        if self.poll() is None:
            self.signal(signal.SIGKILL)
            self.wait()
        self._closing.set()
        self._reader.join()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
