"""`triage serve` in a real browser (issue 6): Debian's Chromium, driven by Playwright, opens
the served assistant, sees the first question, answers it with key presses, and the answer
is in the store. Nothing here downloads a browser; `.ci/run` installs Debian's."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The page draws the terminal on a canvas, so the tests read what the server sends it, as
# the bench's probe does: every websocket frame, decoded (CAPTURE), escapes removed (ANSI).
from bench.serve_probe import ANSI, CAPTURE, free_port
from triage.store import Store

CHROMIUM = Path("/usr/bin/chromium")


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM}: apt-get install chromium (see .ci/run)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(tmp_path):
    """`triage serve` on a free loopback port with its own store; stopped afterwards."""
    store = tmp_path / "sessions.sqlite3"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "triage", "serve", "--port", str(port), "--store", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        _wait_for(lambda: _listening(port) or server.poll() is not None, 30, "the server")
        assert server.poll() is None, server.stdout.read()  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}/", store
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_browser_visit_is_a_session_and_its_answer_is_saved(served, tmp_path):
    from playwright.sync_api import sync_playwright

    url, store_path = served
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            # Closed network: no background connections, no first-run or sync traffic.
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.add_init_script(CAPTURE)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(url)

            def screen() -> str:
                return ANSI.sub("", page.evaluate("window.__screen"))

            # A visit starts on the start screen (issue 22 §3): Enter alone, a new interview.
            _wait_for(lambda: "A new interview: Enter" in screen(), 30,
                      "the start screen in the browser")
            # The terminal has the keyboard without a click (issue 21 §4).
            assert page.evaluate(
                "document.activeElement.classList.contains('xterm-helper-textarea')")
            page.keyboard.press("Enter")
            _wait_for(lambda: "Is any epidermis detached" in screen(), 30,
                      "the first question in the browser")
            page.keyboard.type("2")
            page.keyboard.press("Enter")

            def saved():
                if not store_path.exists():
                    return None
                store = Store(store_path, create=False)
                try:
                    found = store.sessions()
                    return found and store.events(found[0].id)
                finally:
                    store.close()

            _wait_for(saved, 30, "the answer in the store")
            _wait_for(lambda: "Is the Nikolsky sign positive" in screen(), 30,
                      "the next question in the browser")
            # F2, the browser's key for "unknown" (ctrl+n opens a window there).
            page.keyboard.press("F2")
            events = _wait_for(lambda: (found := saved()) and len(found) == 2 and found, 30,
                               "the unknown answer in the store")
        finally:
            browser.close()
    assert [(e.kind, e.question, e.value) for e in events] == [
        ("answer", "detachment_any", "no"), ("answer", "nikolsky", "unknown")
    ]
    # A visit asks nothing of anyone but this server (no Google Fonts): the typeface too.
    elsewhere = [u for u in requested if not u.startswith((url, url.replace("http", "ws", 1)))]
    assert elsewhere == []
    assert any("/static/fonts/RobotoMono" in u for u in requested), requested


def _visits(store: Path) -> dict[int, int]:
    """The served visits of this test's server: pid and CPU ticks used so far."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            if b"--served" in cmdline and str(store).encode() in cmdline:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                found[int(proc.name)] = int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_headless_probe_with_a_virtual_time_budget_cannot_make_a_visit_run_away(served,
                                                                                  tmp_path):
    """Issue 19 §10: Chromium with --virtual-time-budget (as link previewers run it) made
    the terminal flip between two heights about 160 times a second, and the visit went on
    working through the flips after the probe had gone: 99 % CPU, 20 MB more each second.
    The assistant now holds its size through a flip-flop (triage/ui/steady_size.py)."""
    url, store = served
    probe = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--virtual-time-budget=600000", f"--screenshot={tmp_path / 'probe.png'}",
         "--window-size=1200,800", url.replace("127.0.0.1", "localhost")],
        capture_output=True, timeout=120, cwd=tmp_path,
    )
    assert (tmp_path / "probe.png").exists(), probe.stderr[-2000:]
    time.sleep(3)
    before = _visits(store)
    time.sleep(3)
    after = _visits(store)
    ticks = os.sysconf("SC_CLK_TCK")
    busy = {pid: (after[pid] - used) / ticks for pid, used in before.items() if pid in after}
    assert all(seconds < 0.5 for seconds in busy.values()), (
        f"visits still busy 3 s after the probe left (CPU seconds in 3 s): {busy}")
