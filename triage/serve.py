"""The assistant in a browser, for telehealth staff: textual-serve runs one `triage run`
process per browser visit, so each visit is its own session in the store.

It binds to loopback by default: the assistant has no login of its own, so anything wider
belongs behind a reverse proxy that authenticates (README, "In a browser").
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

#: Loopback only unless the operator says otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def app_command(store: Path, dialog: str | None = None) -> str:
    """The shell command textual-serve starts for each browser visit: this Python, this
    triage, the same store (an absolute path: the server's folder is not the visit's)."""
    argv = [sys.executable, "-m", "triage", "run", "--store", str(store.resolve())]
    if dialog is not None:
        argv.insert(4, str(Path(dialog).resolve()))
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    import ipaddress

    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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


def page_template(original: str) -> str:
    """textual-serve's page with its typeface taken from textual-serve's own static files
    instead of Google Fonts, so that a visit makes no request beyond this server."""
    return _GOOGLE_FONTS.sub(lambda _: _LOCAL_FONTS, original)


def _page_templates(folder: Path) -> Path:
    """A templates folder for textual-serve holding its page, with the fonts made local."""
    import textual_serve

    original = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    (folder / "app_index.html").write_text(
        page_template(original.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return folder


def serve(
    store: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    dialog: str | None = None,
) -> None:
    """Serve the assistant until interrupted (Ctrl+C or SIGTERM)."""
    import tempfile

    from textual_serve.server import Server

    with tempfile.TemporaryDirectory(prefix="triage-serve-") as folder:
        server = Server(
            app_command(store, dialog),
            host=host,
            port=port,
            title="triage",
            public_url=public_url_of(host, port, public_url),
            templates_path=_page_templates(Path(folder)),
        )
        server.serve()
