"""The assistant in a browser, for telehealth staff: textual-serve runs one `triage run`
process per browser visit, so each visit is its own session in the store.

It binds to loopback by default: the assistant has no login of its own, so anything wider
belongs behind a reverse proxy that authenticates (README, "In a browser").
"""

from __future__ import annotations

import contextvars
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.store import Location

#: Loopback only unless the operator says otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Visits served at once: each is a process of its own (about 50 MB).
DEFAULT_MAX_VISITS = 8
FULL = ("triage: every place is taken ({limit} visits at once). Close another visit's tab, "
        "or try again in a moment.")
REFUSED_HOST = "triage: this server answers for {allowed}, not for {given}."
REFUSED_ORIGIN = "triage: a page from {given} may not open a visit here."


#: What one visit's process may take: address space, and CPU seconds (a visit of hours
#: uses a few CPU minutes; a runaway render loop is stopped).
VISIT_MEMORY_BYTES = 1536 * 1024 * 1024
VISIT_CPU_SECONDS = 900


def app_command(store: Location, dialog: str | None = None) -> str:
    """The shell command textual-serve starts for each browser visit: this Python, this
    triage, the same store (an absolute path: the server's folder is not the visit's; a
    database URL goes by TRIAGE_STORE, see `serve`, as a password on a command line is
    readable by every user of the host). `exec`: the visit is the server's own child, so
    it ends with the server."""
    argv = [sys.executable, "-m", "triage", "run", "--served"]
    if isinstance(store, Path):
        argv += ["--store", str(store.resolve())]
    if dialog is not None:
        argv.insert(4, str(Path(dialog).resolve()))
    return "exec " + shlex.join(argv)


def bound_this_visit() -> None:
    """Bound a served visit's process: its memory and CPU time, and its life by its
    server's (Linux: killed when the server dies; every answer is already saved)."""
    import os
    import resource
    import signal

    for limit, value in ((resource.RLIMIT_AS, VISIT_MEMORY_BYTES),
                         (resource.RLIMIT_CPU, VISIT_CPU_SECONDS)):
        soft, hard = resource.getrlimit(limit)
        capped = value if hard == resource.RLIM_INFINITY else min(value, hard)
        if soft == resource.RLIM_INFINITY or soft > capped:
            resource.setrlimit(limit, (capped, hard))
    if sys.platform.startswith("linux"):
        import ctypes

        parent = os.getppid()
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the server died before the signal was armed
            os._exit(1)


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    import ipaddress

    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int, public_url: str) -> frozenset[str]:
    """The Host headers a request may carry: the served address, the public URL's, and for
    loopback the names of this machine. Any other is a misdirected or DNS-rebound request."""
    from urllib.parse import urlsplit

    shown = f"[{host}]" if ":" in host else host
    names = {f"{shown}:{port}".lower(), urlsplit(public_url).netloc.lower()}
    if is_loopback(host):
        names |= {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
    return frozenset(names)


def allowed_origins(host: str, port: int, public_url: str) -> frozenset[str]:
    """The Origins a page may come from to open a visit: this server's own pages."""
    from urllib.parse import urlsplit

    scheme = urlsplit(public_url).scheme or "http"
    origins = {f"{scheme}://{name}" for name in allowed_hosts(host, port, public_url)}
    # A browser leaves the default port out of Origin.
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    origins |= {o.removesuffix(default) for o in origins if default and o.endswith(default)}
    return frozenset(origins)


def public_url_of(host: str, port: int, public_url: str | None) -> str:
    """The address the browser is given for the page's assets and its websocket: the
    proxy's address when there is one, else the one the server listens on."""
    if public_url:
        return public_url.rstrip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


#: textual-serve's page asks Google Fonts for its typeface: every visit would tell a third
#: party that someone opened the assistant. textual-serve ships the same font.
_GOOGLE_FONTS = re.compile(
    r'<link\s+rel="stylesheet"\s+href="https://fonts\.googleapis\.com/[^"]*"\s*/?>'
)
_LOCAL_FONTS = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
        font-style: normal;
        font-weight: 100 700;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf");
        font-style: italic;
        font-weight: 100 700;
      }
    </style>"""


#: The terminal takes the keyboard as soon as it exists: without it the first keys typed
#: went to the page, not the answer line, until the clinician clicked.
_FOCUS = """<script>
      (function focusTerminal(tries) {
        const area = document.querySelector(".xterm-helper-textarea");
        if (area) { area.focus(); return; }
        if (tries > 0) { setTimeout(function () { focusTerminal(tries - 1); }, 25); }
      })(800);
    </script>
  </body>"""


def page_template(original: str) -> str:
    """textual-serve's page with its typeface taken from textual-serve's own static files
    instead of Google Fonts, so that a visit makes no request beyond this server; and the
    terminal focused on load."""
    page = _GOOGLE_FONTS.sub(lambda _: _LOCAL_FONTS, original)
    return page.replace("</body>", _FOCUS, 1)


def _page_templates(folder: Path) -> Path:
    """A templates folder for textual-serve holding its page, with the fonts made local."""
    import textual_serve

    original = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    (folder / "app_index.html").write_text(
        page_template(original.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return folder


def serve(
    store: Location,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    dialog: str | None = None,
    max_visits: int = DEFAULT_MAX_VISITS,
    user_header: str | None = None,
) -> None:
    """Serve the assistant until interrupted (Ctrl+C or SIGTERM). `user_header`: where
    the authenticating proxy names the user (see `visit_author`)."""
    import os
    import tempfile

    if isinstance(store, str):
        os.environ["TRIAGE_STORE"] = store  # each visit's process inherits it

    with tempfile.TemporaryDirectory(prefix="triage-serve-") as folder:
        url = public_url_of(host, port, public_url)
        server = guarded_server(
            app_command(store, dialog),
            host=host,
            port=port,
            title="triage",
            public_url=url,
            templates_path=_page_templates(Path(folder)),
            hosts=allowed_hosts(host, port, url),
            origins=allowed_origins(host, port, url),
            max_visits=max_visits,
            user_header=user_header,
        )
        server.serve()


def visit_author(remote: str | None, named: str | None) -> str:
    """Who a browser visit's changes are recorded as: the user the proxy `named` in the
    configured header, when the request came from the loopback (where the proxy runs);
    otherwise nobody is named, whatever a header says (a browser can send any header)."""
    from triage import authors

    if named is None or remote is None or not is_loopback(remote):
        return authors.UNNAMED
    return authors.clean(named) or authors.UNNAMED


#: The author of the visit being started: set for the websocket's task, read when its
#: process's environment is built (the same task).
_VISIT_AUTHOR: contextvars.ContextVar[str] = contextvars.ContextVar("visit_author")


def _visits_learn_their_author() -> None:
    """textual-serve builds each visit's environment from the server's own; the visit's
    author goes in it too (TRIAGE_AUTHOR, read by triage.authors)."""
    import textual_serve.server
    from textual_serve.app_service import AppService

    from triage import authors

    class NamedAppService(AppService):
        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width=width, height=height)
            environment[authors.ENV] = _VISIT_AUTHOR.get(authors.UNNAMED)
            return environment

    # textual-serve makes its AppService by this module-level name; this process is the
    # server alone, so the replacement reaches nothing else.
    textual_serve.server.AppService = NamedAppService  # type: ignore[misc]


def guarded_server(command: str, *, hosts: frozenset[str], origins: frozenset[str],
                   max_visits: int, user_header: str | None = None, **options: Any) -> Any:
    """textual-serve's server that answers only for its own address and pages, runs at
    most `max_visits` visits at once (issue 19 §10), and tells each visit its author."""
    from aiohttp import web
    from textual_serve.server import Server

    _visits_learn_their_author()

    class GuardedServer(Server):
        visits = 0

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def handle_index(self, request: web.Request) -> Any:
            if self.visits >= max_visits:
                raise web.HTTPServiceUnavailable(text=FULL.format(limit=max_visits))
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> Any:
            if self.visits >= max_visits:
                raise web.HTTPServiceUnavailable(text=FULL.format(limit=max_visits))
            self.visits += 1
            named = request.headers.get(user_header) if user_header else None
            _VISIT_AUTHOR.set(visit_author(request.remote, named))
            try:
                return await super().handle_websocket(request)
            finally:
                self.visits -= 1

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> Any:
        given = request.headers.get("Host", "").lower()
        if given not in hosts:
            raise web.HTTPMisdirectedRequest(
                text=REFUSED_HOST.format(allowed=", ".join(sorted(hosts)), given=given or "none"))
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in origins:
            raise web.HTTPForbidden(text=REFUSED_ORIGIN.format(given=origin))
        return await handler(request)

    return GuardedServer(command, **options)
