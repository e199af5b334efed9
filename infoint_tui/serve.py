"""``infoint serve``: the app in a browser (textual-serve), and a calendar feed, behind a secret token.

textual-serve runs one app process per browser tab (``python -m infoint_tui --db PATH``, the same
database) and relays its screen over a websocket. It has no authentication of its own: anyone who
reaches the port could drive the app through ``/ws`` without even loading the page. So this module
adds, on textual-serve's own aiohttp application:

- a token (``secrets.token_urlsafe``), printed once in the URL (``/?token=…``, as Jupyter does) and
  never logged; a middleware refuses every route that carries data (the page, ``/ws``,
  ``/download/…``, ``/calendar.ics``, anything unknown) with 403 unless the request carries it, as
  ``?token=`` or as the HttpOnly, SameSite=Strict cookie set after the first good token (so that the
  page's own websocket passes). Only ``/static/`` (textual-serve's JavaScript, CSS and fonts: no data)
  stays public. Comparisons are constant-time (``hmac.compare_digest``).
- ``/calendar.ics``: meetings as events with a reminder and open follow-ups as to-dos, read from the
  database on each request (``exchange.export``), so a subscribed calendar stays current.
- process hygiene: a tab closed (or a websocket dropped) asks its app to quit, which saves what was
  typed (``InfointApp._on_exit_app``), and the process is terminated, then killed, if it lingers; on
  Ctrl+C or SIGTERM every open tab is closed that way before the server exits.

This module is a front end beside ``tui`` and ``cli``: the command line reaches it through the entry
point's launcher (``launch.start``), never by importing it, because textual-serve imports Rich. It
never imports Textual or ``infoint_tui.tui`` either: the app runs in child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from .domain.errors import InfointError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
QUIT_GRACE_S = 5.0
"""How long an app may take to save and exit after it is asked to quit, before it is terminated."""
TERM_GRACE_S = 3.0
"""How long it may take after SIGTERM (its handler saves too) before it is killed."""

log = logging.getLogger("infoint.serve")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (``localhost`` or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


class _Redact(logging.Filter):
    """Replaces the token in every log record with ``…``: a second line of defence behind the access
    log being off (an error message quoting a URL must not leak it either)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "…"), ()
        return True


PAGE = Path(__file__).parent / "serve_page"
"""The folder of the page's template (textual-serve's, asking nothing of another site)."""


class InfointServer(Server):
    """textual-serve's Server with a token guard, a calendar feed and tidy child processes.

    Subclassing relies on textual-serve internals (``_make_app``, ``_process_messages``, the
    ``AppService`` API), which is why pyproject.toml pins textual-serve exactly.
    """

    def __init__(self, db: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 token: str | None = None) -> None:
        # `exec`: the shell textual-serve starts (create_subprocess_shell) becomes the app, so the
        # signals and the exit status that stop() relies on reach the app itself, not a shell.
        if isinstance(db, Path):
            command = f"exec {shlex.quote(sys.executable)} -m infoint_tui --db {shlex.quote(str(db))}"
        else:  # a server's address goes to the tabs' apps by the environment: a password in it stays out of ps
            os.environ["INFOINT_DB"] = db.url
            command = f"exec {shlex.quote(sys.executable)} -m infoint_tui"
        # Our copy of its page: the same, minus a font stylesheet from Google's servers (serve_page/).
        super().__init__(command, host=host, port=port, title="infoint", templates_path=PAGE)
        self.db = db
        self.token = token or secrets.token_urlsafe(32)
        self.cookie_name = f"infoint-token-{port}"  # cookies are per host, not per port
        self._sockets: set[web.WebSocketResponse] = set()
        # One thread for the calendar's reads: the store binds its database per thread.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infoint-serve-db")

    # --- the token ----------------------------------------------------------------------------

    def _matches(self, candidate: str | None) -> bool:
        """Constant-time comparison of ``candidate`` with the token."""
        return candidate is not None and hmac.compare_digest(candidate.encode(), self.token.encode())

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """403 for any request but static assets unless it carries the token (query or cookie)."""
        if request.path.startswith("/static/"):
            return await handler(request)  # textual-serve's own JS, CSS and fonts: no data
        by_query = self._matches(request.query.get("token"))
        if not (by_query or self._matches(request.cookies.get(self.cookie_name))):
            raise web.HTTPForbidden(text="403: this server needs the token printed by 'infoint serve'.\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin and origin.split("://", 1)[-1] != request.host:
            # Another site's page reusing the cookie (cross-site websocket hijacking): SameSite=Strict
            # already keeps the cookie off such requests; this refuses them even with a token.
            raise web.HTTPForbidden(text="403: cross-origin websocket\n")
        if by_query and request.path == "/" and request.method == "GET":
            # Take the token out of the address bar (and so out of history and bookmarks) at once.
            query = {k: v for k, v in request.query.items() if k != "token"}
            response: web.StreamResponse = web.HTTPSeeOther(str(request.rel_url.with_query(query)))
        else:
            response = await handler(request)
        if by_query and not response.prepared:
            response.set_cookie(self.cookie_name, self.token, httponly=True, samesite="Strict", path="/")
        if not response.prepared:
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
        return response

    # --- the application ----------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.router.add_get("/calendar.ics", self.handle_calendar, name="calendar")
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints a logo and a URL without the token; :meth:`serve` prints ours
        once the port is bound."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's websocket, so that each handler ends its app (which saves) before the
        server waits for handlers to finish."""
        await asyncio.gather(*(ws.close(code=1001, message=b"server shutdown") for ws in list(self._sockets)),
                             return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """The page, with its websocket and static URLs on the address the browser used (so that an SSH
        tunnel to another local port, or a host name, works), not on the address we listen on."""
        # textual-serve builds them from self.public_url; its handler does not await before reading
        # it, so setting it just before the call cannot interleave with another request.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)  # type: ignore[no-any-return]

    async def handle_calendar(self, request: web.Request) -> web.Response:
        """``/calendar.ics``: meetings and open follow-ups, live from the database."""
        text = await asyncio.get_running_loop().run_in_executor(self._reader, self._calendar)
        return web.Response(text=text, content_type="text/calendar", charset="utf-8",
                            headers={"Content-Disposition": 'inline; filename="infoint.ics"'})

    def _calendar(self) -> str:
        """The iCalendar text (on the reader thread: the store is opened, read and closed there)."""
        from . import config
        from .exchange.export import export_text
        from .store import Store

        store = Store.open(self.db, create=False)
        # The user's [rules], as the app's (its tabs read the same file): the calendar's follow-ups are
        # Today's, and both read those computed ahead on that basis instead of computing them again.
        config.load(config.resolve_path()).apply_to(store)
        try:
            return export_text(store, "ics")
        finally:
            store.close()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start an app process, relay it, and make sure it ends when the tab goes.

        textual-serve's own handler, plus: the socket is tracked (to close it on shutdown), and an app
        that does not exit after the quit request is terminated, then killed, and always reaped.
        """
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = AppService(self.command, write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=websocket.close,
                                 download_manager=self.download_manager, debug=self.debug)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("websocket session failed")
        finally:
            self._sockets.discard(websocket)
            if service is not None:
                await asyncio.shield(self._end(service))
        return websocket

    async def _end(self, service: AppService) -> None:
        """Ask the app to quit (it saves), then terminate, then kill it; reap it in every case."""
        with contextlib.suppress(Exception):  # a timeout, or the app already gone (its stdin closed)
            await asyncio.wait_for(service.stop(), QUIT_GRACE_S)  # the "quit" message, then its output ends
        process = service._process
        if process is None:
            return
        for sig, grace in ((None, QUIT_GRACE_S), (signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, None)):
            if sig is not None:
                log.warning("an app process (pid %s) did not exit; sending %s", process.pid, sig.name)
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), grace)
                return

    # --- running --------------------------------------------------------------------------------

    def url(self, port: int) -> str:
        """The address to open, with the token."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}/?token={self.token}"

    def serve(self, debug: bool = False) -> None:  # textual-serve's serve(), with our logging and shutdown
        """Serve until Ctrl+C or SIGTERM; raises InfointError when the address cannot be bound."""
        self.debug = debug
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(_Redact(self.token))
        handler.setFormatter(logging.Formatter("infoint serve: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
        try:
            asyncio.run(self._run())
        finally:
            self._reader.shutdown(wait=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        # access_log=None: an access log would write every URL, and so the token, to the terminal.
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False,
                               shutdown_timeout=QUIT_GRACE_S + TERM_GRACE_S + 2)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except OSError as exc:
                reason = exc.strerror or exc
                raise InfointError(f"cannot listen on {self.host}:{self.port}: {reason}") from exc
            port = runner.addresses[0][1] if runner.addresses else self.port
            if not is_loopback(self.host):
                print(f"warning: listening on {self.host}, beyond this machine, over plain HTTP: the token "
                      "travels unencrypted. Prefer the default 127.0.0.1 and an SSH tunnel "
                      "(ssh -L 8765:127.0.0.1:8765 HOST).", file=sys.stderr)
            print(f"infoint: serving {self.db} to the browser. Open this address (it holds the token; "
                  f"keep it secret):\n    {self.url(port)}\n"
                  f"Calendar feed: {self.url(port).replace('/?', '/calendar.ics?')}\nCtrl+C stops.",
                  flush=True)
            await stop.wait()
            print("infoint: stopping (closing the open tabs; their notes are saved)...", file=sys.stderr,
                  flush=True)
        finally:
            await runner.cleanup()


def serve(db: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """``infoint serve``: check the database opens, then serve until stopped; returns the exit code."""
    import gc

    from .store import Store

    gc.enable()  # __main__ switches the collector off for the app's start-up; a long-lived server needs it
    Store.open(db).close()  # created or upgraded now, and a bad file is one line before anything listens
    InfointServer(db, host=host, port=port).serve()
    return 0


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "InfointServer", "is_loopback", "serve"]

