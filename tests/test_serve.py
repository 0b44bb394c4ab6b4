"""`triage serve` without a browser: the command each visit runs, and the refusals said
before anything listens (the browser test is tests/test_browser.py)."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

from triage.serve import app_command, public_url_of


def _serve(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "triage", "serve", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_each_visit_runs_this_triage_on_the_same_store_by_absolute_path(tmp_path):
    store = tmp_path / "a folder" / "s.db"
    argv = shlex.split(app_command(store))
    assert argv == ["exec", sys.executable, "-m", "triage", "run", "--served", "--store",
                    str(store.resolve())]
    # A relative dialog is resolved here: the visit's process may start in another folder.
    with_dialog = shlex.split(app_command(store, "my dialog.yaml"))
    assert with_dialog == ["exec", sys.executable, "-m", "triage", "run",
                           str(Path("my dialog.yaml").resolve()), "--served", "--store",
                           str(store.resolve())]


def test_the_public_url_is_the_proxys_when_given():
    assert public_url_of("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert public_url_of("::1", 8000, None) == "http://[::1]:8000"
    assert public_url_of("127.0.0.1", 8000, "https://triage.example.org/") == \
        "https://triage.example.org"


def test_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve("--port", str(port), "--store", str(tmp_path / "s.db"))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"triage serve: cannot listen on 127.0.0.1:{port}: the port "
                                   "is in use (another triage serve?); choose another with --port")


def test_a_bad_port_dialog_or_store_is_refused_before_listening(tmp_path):
    bad_port = _serve("--port", "70000", "--store", str(tmp_path / "s.db"))
    assert bad_port.returncode == 2
    assert bad_port.stderr.strip() == "triage serve: --port 70000: a port is 1 to 65535"
    missing = _serve("--dialog", str(tmp_path / "nope.yaml"), "--store", str(tmp_path / "s.db"))
    assert missing.returncode == 2 and "nope.yaml: no such file" in missing.stderr
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 300)
    refused = _serve("--store", str(corrupt))
    assert refused.returncode == 2 and "not a triage store" in refused.stderr
    no_visits = _serve("--max-visits", "0", "--store", str(tmp_path / "s.db"))
    assert no_visits.returncode == 2
    assert no_visits.stderr.strip() == "triage serve: --max-visits 0: at least 1"
    for done in (bad_port, missing, refused, no_visits):
        assert "Traceback" not in done.stderr and "Serving" not in done.stdout


def test_only_loopback_addresses_count_as_this_machine_only():
    from triage.serve import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "triage.example"))


def test_listening_beyond_this_machine_is_warned_about(tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve("--host", "0.0.0.0", "--port", str(port), "--store", str(tmp_path / "s.db"))
    assert done.returncode == 2  # the port is taken, so nothing listens; the warning came first
    assert done.stderr.startswith("triage serve: warning: listening on 0.0.0.0, not this "
                                  "machine only. The assistant has no login")


def test_the_page_takes_its_typeface_from_this_server_not_google_fonts():
    import re

    import textual_serve

    from triage.serve import page_template

    original = (Path(textual_serve.__file__).parent / "templates" / "app_index.html").read_text()
    assert "fonts.googleapis.com" in original  # if textual-serve drops it, so can we
    page = page_template(original)
    assert "googleapis" not in page
    # Every address the page loads (href, src, url()) is one of this server's static files.
    loaded = re.findall(r'(?:href|src)="([^"]*)"|url\("?([^")]*)"?\)', page)
    addresses = [a or b for a, b in loaded]
    assert addresses and all(a.startswith("{{ config.static.url }}") for a in addresses), addresses
    for font in ("RobotoMono-VariableFont_wght.ttf", "RobotoMono-Italic-VariableFont_wght.ttf"):
        assert f'url("{{{{ config.static.url }}}}fonts/{font}")' in page
        assert (Path(textual_serve.__file__).parent / "static" / "fonts" / font).is_file()


# --- safe by default (issue 19 §10): its own address and pages only, a cap on visits ----

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, host: str, origin: str | None = None, path: str = "/") -> tuple[int, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host} | ({"Origin": origin} if origin else {})
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def test_only_its_own_address_and_pages_reach_the_server_and_visits_are_capped(tmp_path):
    import asyncio
    import os
    import time

    import aiohttp

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "triage", "serve", "--port", str(port), "--max-visits", "1",
         "--store", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        own = f"127.0.0.1:{port}"
        assert _get(port, own)[0] == 200
        assert _get(port, f"localhost:{port}")[0] == 200
        # A DNS-rebinding page reaches 127.0.0.1 under its own name: refused.
        status, text = _get(port, f"evil.test:{port}")
        assert status == 421 and f"not for evil.test:{port}" in text
        # Another site's page may not open a visit (the websocket) or load the page.
        status, text = _get(port, own, origin="http://evil.test", path="/ws")
        assert (status, text) == (403, "triage: a page from http://evil.test may not open a "
                                       "visit here.")

        async def one_visit_then_the_page() -> tuple[int, str]:
            async with aiohttp.ClientSession() as session, session.ws_connect(
                    f"http://{own}/ws?width=80&height=24",
                    headers={"Origin": f"http://{own}"}):
                await asyncio.sleep(1.0)
                return await asyncio.to_thread(_get, port, own)

        status, text = asyncio.run(one_visit_then_the_page())
        assert status == 503 and text.startswith("triage: every place is taken (1 visits")
        # The visit ended: its place is free again, and it answered nothing, so the store
        # holds no session for it.
        deadline = time.monotonic() + 10
        while _get(port, own)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(port, own)[0] == 200
    finally:
        server.terminate()
        server.wait(10)
    from triage.store import Store

    assert not (tmp_path / "s.db").exists() or Store(tmp_path / "s.db").sessions() == []


def test_a_visits_process_is_bounded_and_dies_with_its_server(tmp_path):
    import os
    import signal
    import time

    from triage.serve import VISIT_CPU_SECONDS, VISIT_MEMORY_BYTES

    limits = subprocess.run(
        [sys.executable, "-c", "import resource; from triage.serve import bound_this_visit; "
         "bound_this_visit(); print(resource.getrlimit(resource.RLIMIT_AS)[0], "
         "resource.getrlimit(resource.RLIMIT_CPU)[0])"],
        capture_output=True, text=True, timeout=30)
    assert limits.stdout.split() == [str(VISIT_MEMORY_BYTES), str(VISIT_CPU_SECONDS)]

    # A stand-in server that starts a bounded visit, then is killed outright.
    server = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         "visit = subprocess.Popen([sys.executable, '-c', 'from triage.serve import "
         "bound_this_visit; bound_this_visit(); print(\\'armed\\', flush=True); "
         "import time; time.sleep(60)'])\n"
         "print(visit.pid, flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    visit = int(server.stdout.readline())  # type: ignore[union-attr]
    assert server.stdout.readline() == "armed\n"  # type: ignore[union-attr]
    os.kill(server.pid, signal.SIGKILL)
    server.wait(10)

    def alive(pid: int) -> bool:
        try:
            state = (Path("/proc") / str(pid) / "status").read_text()
        except FileNotFoundError:
            return False
        return "\nState:\tZ" not in state  # a zombie has ended

    deadline = time.monotonic() + 10
    while alive(visit) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(visit)
