"""``infoint serve``: the token guard, the calendar feed, tidy processes, and the app in a real browser.

Each test that needs a server starts ``infoint serve`` as a real process on a demo database and a free
port on 127.0.0.1. The browser test drives Debian's Chromium through Playwright (no browser download);
without /usr/bin/chromium it is skipped, saying how to install it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


# --- helpers -------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> dict[int, int]:
    """Every process whose parent is ``pid``, from /proc: {pid: ppid}."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and parentheses
        if ppid == pid:
            found[int(entry.name)] = ppid
    return found


def _descendants(pid: int) -> set[int]:
    """The whole process tree under ``pid``."""
    out: set[int] = set()
    todo = [pid]
    while todo:
        kids = set(_children(todo.pop()))
        out |= kids
        todo.extend(kids)
    return out


def _alive(pid: int) -> bool:
    """Whether ``pid`` still exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running ``infoint serve`` process."""

    proc: subprocess.Popen[str]
    port: int
    db: Path
    token: str = ""
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)


def _pump(stream: object, into: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.append(line)


def _start(db: Path) -> Served:
    """``infoint serve`` on ``db`` and a free port; returns once the URL with the token is printed."""
    port = _free_port()
    command = [sys.executable, "-m", "infoint_tui", "--db", str(db), "serve", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    served = Served(proc, port, db)
    for stream, into in ((proc.stdout, served.out), (proc.stderr, served.err)):
        threading.Thread(target=_pump, args=(stream, into), daemon=True).start()

    def url_printed() -> bool:
        assert proc.poll() is None, "".join(served.err)
        return any("?token=" in line for line in served.out)

    _wait_for(url_printed, 20, "the URL")
    line = next(line for line in served.out if "?token=" in line).strip()
    assert line.startswith(f"http://127.0.0.1:{port}/?token="), line
    served.token = line.split("?token=", 1)[1]
    return served


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database, filled by `infoint demo` (its dates are relative to now, as the server's are)."""
    path = tmp_path_factory.mktemp("serve") / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(path), "demo"], check=True,
                   capture_output=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[Served]:
    served = _start(demo_db)
    yield served
    assert served.stop() == 0


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


# --- without a browser ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/ws", "/calendar.ics", "/download/abc", "/elsewhere"])
def test_data_routes_refuse_a_missing_or_wrong_token(server: Served, path: str) -> None:
    assert _get(server.base + path)[0] == 403
    assert _get(f"{server.base}{path}?token=wrong")[0] == 403
    assert _get(f"{server.base}{path}?token={server.token[:-1]}")[0] == 403
    assert _get(server.base + path, cookie=f"infoint-token-{server.port}=wrong")[0] == 403


def test_the_token_opens_the_page_and_sets_a_strict_cookie(server: Served) -> None:
    status, headers, _ = _get(f"{server.base}/?token={server.token}&fontsize=14")
    assert status == 303
    assert headers["Location"] == "/?fontsize=14"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"infoint-token-{server.port}={server.token};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    status, _, page = _get(server.base + "/", cookie=cookie.split(";")[0])
    assert status == 200
    assert b"textual.js" in page
    assert f"ws://127.0.0.1:{server.port}/ws".encode() in page
    # Nothing from another site (textual-serve's own page loads a font from fonts.googleapis.com).
    linked = re.findall(rb"(?:src|href)=\"((?:https?:)?//[^\"]*)", page)
    assert linked
    assert [u for u in linked if not u.startswith(server.base.encode() + b"/")] == []
    assert _get(server.base + "/static/js/textual.js")[0] == 200  # no data: public


def test_the_token_never_reaches_the_logs(server: Served) -> None:
    _get(f"{server.base}/?token={server.token}")
    _get(f"{server.base}/calendar.ics?token={server.token}")
    assert server.token not in "".join(server.err)


def test_the_calendar_feed_holds_the_meetings_and_open_follow_ups(server: Served) -> None:
    from icalendar import Calendar

    from infoint_tui.store import Store

    status, headers, body = _get(f"{server.base}/calendar.ics?token={server.token}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    store = Store.open(server.db)
    try:
        now = store.clock()
        meetings = store.meetings_between(now - timedelta(days=1), now + timedelta(days=3650))
        assert {f"mtg-{m.id}@infoint.local" for m, _, _ in meetings} == set(events)
        assert meetings, "the demo has upcoming meetings"
        for m, name, _ in meetings:
            event = events[f"mtg-{m.id}@infoint.local"]
            assert name in str(event["summary"])
            assert event.walk("VALARM")
        assert len(cal.walk("VTODO")) == len(store.followups()) > 0
    finally:
        store.close()


def test_the_calendar_is_read_live(demo_db: Path, server: Served) -> None:
    from infoint_tui.store import Store

    def events() -> int:
        return _get(f"{server.base}/calendar.ics?token={server.token}")[2].count(b"BEGIN:VEVENT")

    before = events()
    store = Store.open(demo_db)
    try:
        person = store.all_ids()[0]
        subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(demo_db), "schedule", str(person),
                        "in 3 days 10:00"], check=True, capture_output=True, timeout=30)
    finally:
        store.close()
    assert events() == before + 1


async def _open_tab(served: Served, name: str) -> tuple[object, object]:
    """A websocket as the page opens it; returns (session, websocket) once ``name`` is on screen."""
    import aiohttp

    session = aiohttp.ClientSession(cookies={f"infoint-token-{served.port}": served.token})
    ws = await session.ws_connect(f"{served.base}/ws?width=120&height=40")
    await ws.send_json(["resize", {"width": 120, "height": 40}])
    seen = b""
    async with asyncio.timeout(20):
        while name.encode() not in seen:
            message = await ws.receive()
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
            seen += message.data if isinstance(message.data, bytes) else message.data.encode()
    return session, ws


async def test_closed_tabs_and_a_stopped_server_leave_no_process(demo_db: Path) -> None:
    served = await asyncio.to_thread(_start, demo_db)
    try:
        tabs = list(await asyncio.gather(*(_open_tab(served, "Maya Okafor") for _ in range(3))))  # at once
        apps = _descendants(served.proc.pid)
        assert len(apps) == 3, apps  # one app per tab, exec'd (no shell in between)
        session, ws = tabs.pop()
        await ws.close()  # type: ignore[attr-defined]
        await session.close()  # type: ignore[attr-defined]
        await asyncio.to_thread(_wait_for, lambda: len(_descendants(served.proc.pid)) == 2, 10,
                                "a closed tab's app to end")
        # SIGTERM with two tabs still open: both apps end, then the server, cleanly.
        code = await asyncio.to_thread(served.stop)
        for session, _ws in tabs:
            await session.close()  # type: ignore[attr-defined]
        assert code == 0, "".join(served.err)
        assert not [pid for pid in apps if _alive(pid)]
        assert served.token not in "".join(served.err)
    finally:
        if served.proc.poll() is None:
            served.proc.kill()


def test_ctrl_c_stops_the_server_cleanly(demo_db: Path) -> None:
    served = _start(demo_db)
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(20) == 0


def test_a_port_in_use_is_a_one_line_error(demo_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(demo_db), "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.startswith(f"infoint: cannot listen on 127.0.0.1:{port}:"), done.stderr
    assert "token" not in done.stdout


def test_the_command_line_hands_serve_to_the_launcher(tmp_path: Path) -> None:
    from infoint_tui.cli import main

    calls: list[tuple[object, ...]] = []

    def launch(db: Path | None = None, **kwargs: object) -> int:
        calls.append((db, kwargs))
        return 0

    assert main(["--db", str(tmp_path / "x.sqlite3"), "serve", "--port", "9001"], launch=launch) == 0
    assert calls == [(tmp_path / "x.sqlite3", {"serve": ("127.0.0.1", 9001)})]


def test_serving_imports_neither_the_app_nor_textual() -> None:
    code = "import sys, infoint_tui.serve\nprint(' '.join(sys.modules))"
    mods = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=60).stdout.split()
    assert not [m for m in mods if m == "textual" or m.startswith(("textual.", "infoint_tui.tui"))]


def test_only_loopback_counts_as_local() -> None:
    from infoint_tui.serve import is_loopback

    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "::1", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


# --- in a real browser ---------------------------------------------------------------------------------

def test_a_note_typed_in_the_browser_reaches_the_database(server: Served) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium for the browser test; install chromium: apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    from infoint_tui.exchange.export import export_text
    from infoint_tui.store import Store

    note = f"typed in chromium {os.getpid()}"
    store = Store.open(server.db)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            frames: list[str] = []

            def on_websocket(ws: object) -> None:
                ws.on("framereceived", lambda payload: frames.append(  # type: ignore[attr-defined]
                    payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

            def wait(check: Callable[[], bool], seconds: float, what: str) -> None:
                # Playwright's sync API delivers events only while one of its calls waits.
                for _ in range(int(seconds * 10)):
                    if check():
                        return
                    page.wait_for_timeout(100)
                raise AssertionError(f"timed out after {seconds} s waiting for {what}")

            page.on("websocket", on_websocket)
            page.goto(f"{server.base}/?token={server.token}")
            # xterm.js draws on a canvas: what the app sent is in the websocket's frames.
            wait(lambda: "Maya Okafor" in "".join(frames), 20, "the demo's names in the browser")
            # Let the app finish starting (the store opens after the first frame): keys typed before it
            # is ready can be lost or reordered (the notes typeahead; see the serve report).
            page.wait_for_timeout(1000)
            page.focus("textarea.xterm-helper-textarea")  # xterm.js takes keys through a hidden textarea
            page.keyboard.press("3")  # the notes pane
            page.wait_for_timeout(300)
            page.keyboard.type(note)
            wait(lambda: note in export_text(store, "json"), 10, "the autosave")  # idle 1 s, then saved
            page.close()
            browser.close()
        # The tab is gone: so is its app.
        _wait_for(lambda: not _descendants(server.proc.pid), 10, "the closed tab's app to end")
    finally:
        store.close()


def test_the_calendar_follows_the_users_rules(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feed's follow-ups are Today's: on the timings of the config file the app reads."""
    from icalendar import Calendar

    from infoint_tui.domain.followups import Rules
    from infoint_tui.serve import InfointServer
    from infoint_tui.store import Store

    config = tmp_path / "config.toml"
    config.write_text("[rules]\nthank_you_hours = 200\n", encoding="utf-8")
    monkeypatch.setenv("INFOINT_CONFIG", str(config))
    feed = Calendar.from_ical(InfointServer(demo_db, port=0)._calendar())
    due = {str(t["uid"]): t["due"].dt for t in feed.walk("VTODO")}
    store = Store.open(demo_db)
    store.rules = Rules(thank_you_hours=200)
    try:
        wanted = {f"fu-{f.key.replace(':', '-')}@infoint.local": f.due.replace(microsecond=0)  # iCalendar: seconds
                  for f in store.followups()}
    finally:
        store.close()
    assert any("thank-you" in uid for uid in wanted)
    assert due == wanted
