"""The memory of one `triage serve` visit: a real browser (Debian's Chromium, driven by
Playwright) opens the served assistant and waits for its first question; then the
visit's own process (`triage run --served`) is read from /proc.

    python bench/serve_probe.py        # prints "rss_kb hwm_kb" on its last line

Exit status 3, with the reason, when no browser can be driven here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
START = "A new interview: Enter"
FIRST_QUESTION = "Is any epidermis detached"
# The page draws on a canvas: the probe reads the frames the server sends instead.
CAPTURE = """
(() => {
  window.__screen = "";
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    const decoder = new TextDecoder();
    socket.addEventListener("message", (event) => {
      window.__screen += typeof event.data === "string"
        ? event.data : decoder.decode(event.data, {stream: true});
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


def free_port() -> int:
    """A port on the loopback nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition, seconds: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"timed out after {seconds} s waiting for {what}")


def _visit_memory(store: Path) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in kB of the visit serving `store`."""
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            if b"--served" not in cmdline or str(store).encode() not in cmdline:
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    return None


def main() -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install -e '.[test]')", file=sys.stderr)
        return 3
    if not CHROMIUM.exists():
        print(f"no browser at {CHROMIUM}", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "sessions.sqlite3"
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "triage", "serve", "--port", str(port), "--store",
             str(store)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp,
            env={**os.environ, "NO_COLOR": "1"},
        )
        try:
            def listening() -> bool:
                with socket.socket() as s:
                    return s.connect_ex(("127.0.0.1", port)) == 0

            _wait(listening, 30, "the server")
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(CHROMIUM),
                    args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update",
                          "--disable-sync"],
                )
                try:
                    page = browser.new_page(viewport={"width": 1200, "height": 800})
                    page.add_init_script(CAPTURE)
                    page.goto(f"http://127.0.0.1:{port}/")
                    _wait(lambda: START in ANSI.sub(
                        "", page.evaluate("window.__screen")), 60, "the start screen")
                    page.keyboard.press("Enter")  # a new interview
                    _wait(lambda: FIRST_QUESTION in ANSI.sub(
                        "", page.evaluate("window.__screen")), 60, "the first question")
                    time.sleep(1.0)  # the panel follows the question by a frame
                    memory = _wait(lambda: _visit_memory(store), 10, "the visit's process")
                finally:
                    browser.close()
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"{memory[0]} {memory[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
