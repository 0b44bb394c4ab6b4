"""The assistant in a browser, for telehealth staff: textual-serve runs one `triage run`
process per browser visit, so each visit is its own session in the store.

It binds to loopback by default: the assistant has no login of its own, so anything wider
belongs behind a reverse proxy that authenticates (README, "In a browser").
"""

from __future__ import annotations

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


def serve(
    store: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    dialog: str | None = None,
) -> None:
    """Serve the assistant until interrupted (Ctrl+C or SIGTERM)."""
    from textual_serve.server import Server

    server = Server(
        app_command(store, dialog),
        host=host,
        port=port,
        title="triage",
        public_url=public_url_of(host, port, public_url),
    )
    server.serve()
