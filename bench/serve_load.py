"""Scale-out on one store (issue 22 §4): several `triage serve` hosts on their own ports,
one session store they share, and a scripted load of concurrent visits on every host.

Each visit is a websocket client speaking textual-serve's protocol (what the page's
script sends: `["stdin", keys]`), bounded and on the loopback. It waits for each question
before typing its answer, as a clinician would, so an answer is never typed into a
screen that is not there yet. At the end the store is read back: every visit must be one
session holding exactly the answers typed, numbered 1..N, nothing lost or duplicated.

    python bench/serve_load.py --store postgresql://... [--hosts 2] [--visits 3]
        [--answers 8] [--store-seconds 3]

Prints one JSON object: visits per host, sessions found, events lost or duplicated, the
memory of each visit's process, and the answers per second the store takes from four
writers at once (each its own connection, as each visit is a process).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage import transcript  # noqa: E402
from triage.dialog.loader import default_dialog_path, load_dialog  # noqa: E402
from triage.store import Event, Location, location, open_store  # noqa: E402

# The page's output stripped of terminal sequences, and a free port, as the serve probe
# reads and finds them.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_probe import ANSI, free_port  # noqa: E402

SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"
START = "A new interview: Enter"
WIDTH, HEIGHT = 200, 50  # wide enough that no question's opening words wrap


def script(count: int) -> list[tuple[str, str]]:
    """The seed case's first `count` answers as steps: (what is typed, the opening words
    to wait for next). The first steps type nothing but Enter: they wait for the start
    screen, then for the first question."""
    dialog = load_dialog(default_dialog_path())
    answers = transcript.load(SEED)[0].answers[: count + 1]
    prompts = [dialog.questions[a.q].prompt[:30] for a in answers]
    # A visit starts on the start screen: Enter alone is a new interview.
    return [("", START), ("", prompts[0])] + [(str(a.value), prompts[i + 1])
                                              for i, a in enumerate(answers[:count])]


async def visit(port: int, steps: list[tuple[str, str]], timeout: float,
                hold: asyncio.Barrier | None = None, user: tuple[str, str] | None = None
                ) -> float:
    """One visit: wait for each question, type its answer; returns the seconds taken.
    With `hold`, the visit stays open until every visit has answered (and the memory of
    all of them has been read). `user`: (header, name), as an authenticating proxy would
    name the visit's user."""
    import aiohttp

    screen = ""
    started = time.monotonic()
    own = f"127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session, session.ws_connect(
            f"http://{own}/ws?width={WIDTH}&height={HEIGHT}",
            headers={"Origin": f"http://{own}", **dict([user] if user else [])}) as ws:

        async def until(words: str) -> None:
            nonlocal screen
            deadline = time.monotonic() + timeout
            while words not in ANSI.sub("", screen):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {words!r} on port {port} after {timeout} s")
                try:
                    message = await ws.receive(timeout=left)
                except TimeoutError:
                    raise TimeoutError(f"no {words!r} on port {port} after {timeout} s; "
                                       f"the screen ends: {ANSI.sub('', screen)[-300:]!r}"
                                       ) from None
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    screen += message.data
                elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    raise ConnectionError(f"the visit on port {port} closed")

        await ws.send_json(["focus"])  # as the page does on load
        try:
            for i, (typed, then) in enumerate(steps):
                if i > 0:
                    screen = ""  # only what follows the keys counts
                    await ws.send_json(["stdin", typed + "\r"])
                await until(then)
        except BaseException:
            if hold is not None:
                await hold.abort()  # the others stop waiting for this one
            raise
        took = time.monotonic() - started
        if hold is not None:
            await hold.wait()  # every visit has answered
            await hold.wait()  # their memory has been read
    return took


def _visit_rss_kb(servers: list[int]) -> list[int]:
    """The resident memory of each visit's process (a child of one of the servers)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if b"--served" not in (proc / "cmdline").read_bytes().split(b"\0"):
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["PPid"]) in servers:
            found.append(int(fields["VmRSS"].split()[0]))
    return found


async def _resume_elsewhere(where: Location, before: set[str], ports: list[int],
                            answers: int, timeout: float, user_header: str | None) -> None:
    """Each new session resumed, all at once, on a host other than its own (named in its
    author, "nurse H.V"; else the next host in turn)."""
    store = open_store(where)
    made = [s for s in store.sessions() if s.id not in before]
    origins = [store.events(s.id)[0].author or "" for s in made]
    store.close()
    tasks = []
    for i, (session, author) in enumerate(zip(made, origins, strict=True)):
        host = int(author.split()[1].split(".")[0]) - 1 if author.startswith("nurse ") else i
        other = (host + 1) % len(ports)
        user = (user_header, f"nurse {other + 1}.resumed") if user_header else None
        tasks.append(visit(ports[other], resume_steps(session.id, answers), timeout, None, user))
    await asyncio.gather(*tasks)


def store_rate(where: Location, seconds: float, writers: int = 4) -> float:
    """Answers per second the store takes from `writers` connections at once."""
    counts = [0] * writers
    stop = time.monotonic() + seconds

    def write(i: int) -> None:
        store = open_store(where)
        sid = store.create(dt.date(2026, 12, 5), ("bench", "0", "bench"), f"load {i}")
        while time.monotonic() < stop:
            store.append(sid, Event("answer", "q", None, "no"))
            counts[i] += 1
        store.delete(sid)
        store.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def resume_steps(sid: str, count: int) -> list[tuple[str, str]]:
    """A visit that finds session `sid` on the start screen by its id, goes on with it,
    and gives the seed case's next answer (the session holds the first `count`)."""
    dialog = load_dialog(default_dialog_path())
    following = transcript.load(SEED)[0].answers[count: count + 2]
    prompts = [dialog.questions[a.q].prompt[:30] for a in following]
    return [("", START), (sid, "1 found."), ("", prompts[0]),
            (str(following[0].value), prompts[1])]


def run(where: Location, hosts: int, visits: int, answers: int, timeout: float,
        user_header: str | None = None, resume: bool = False) -> dict[str, Any]:
    """Start the hosts, run the visits, read the store back. With `resume`, each session
    is then found and resumed in a visit to another host, which gives one more answer."""
    steps = script(answers)
    ports = [free_port() for _ in range(hosts)]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("TRIAGE_STORE", None)
    first = open_store(where)
    before = {s.id for s in first.sessions()}
    first.close()
    with tempfile.TemporaryDirectory() as tmp:
        servers = [subprocess.Popen(
            # Room for the resuming visits while the first ones are still closing.
            [sys.executable, "-m", "triage", "serve", "--port", str(port), "--max-visits",
             str(2 * visits), "--store", str(where),
             *(["--user-header", user_header] if user_header else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp, env=env)
            for port in ports]
        try:
            deadline = time.monotonic() + 30
            for port in ports:
                while True:
                    with socket.socket() as s:
                        if s.connect_ex(("127.0.0.1", port)) == 0:
                            break
                    if time.monotonic() > deadline:
                        raise SystemExit(f"no server on port {port} after 30 s")
                    time.sleep(0.1)

            async def load() -> tuple[list[float], list[int]]:
                hold = asyncio.Barrier(hosts * visits + 1)
                tasks = [asyncio.create_task(visit(
                    port, steps, timeout, hold,
                    (user_header, f"nurse {h + 1}.{v + 1}") if user_header else None))
                    for h, port in enumerate(ports) for v in range(visits)]
                await asyncio.wait_for(hold.wait(), timeout * (len(steps) + 1))
                rss = _visit_rss_kb([s.pid for s in servers])  # all open, all answered
                await hold.wait()
                return list(await asyncio.gather(*tasks)), rss

            started = time.monotonic()
            seconds, rss = asyncio.run(load())
            elapsed = time.monotonic() - started
            if resume:
                asyncio.run(_resume_elsewhere(where, before, ports, answers, timeout,
                                              user_header))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    server.kill()
    store = open_store(where)
    made = [s for s in store.sessions() if s.id not in before]
    typed = [(a.q, str(a.value))
             for a in transcript.load(SEED)[0].answers[:answers + (1 if resume else 0)]]
    lost = duplicated = 0
    for s in made:
        events = store.events(s.id)
        got = [(e.question, e.value) for e in events if e.kind == "answer"]
        numbers = [e.seq for e in events]
        lost += sum(1 for pair in typed if pair not in got)
        duplicated += len(got) - len(set(got)) + (numbers != list(range(1, len(events) + 1)))
    events_kept = sum(len(store.events(s.id)) for s in made)
    # Each session's author, as its events record it (one per session: one user a visit).
    authors = sorted({"; ".join(sorted({str(e.author) for e in store.events(s.id)}))
                      for s in made})
    store.close()
    return {
        "hosts": hosts,
        "visits_per_host": visits,
        "answers_per_session": len(typed),
        "sessions": len(made),
        "sessions_expected": hosts * visits,
        "events": events_kept,
        "lost": lost,
        "duplicated": duplicated,
        "seconds": round(elapsed, 1),
        "visit_seconds_median": round(statistics.median(seconds), 1),
        "visit_rss_mb": [round(kb / 1024, 1) for kb in sorted(rss)],
        "authors": authors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="the shared store (postgresql://...)")
    parser.add_argument("--hosts", type=int, default=2)
    parser.add_argument("--visits", type=int, default=3, help="concurrent visits per host")
    parser.add_argument("--answers", type=int, default=8, help="answers typed per visit")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per question")
    parser.add_argument("--resume", action="store_true",
                        help="then resume each session on another host, one more answer")
    parser.add_argument("--user-header", metavar="NAME",
                        help="name each visit's user in this header, as a proxy would")
    parser.add_argument("--store-seconds", type=float, default=0.0,
                        help="also measure the store's answers per second for this long")
    args = parser.parse_args()
    where = location(args.store)
    figures = run(where, args.hosts, args.visits, args.answers, args.timeout,
                  args.user_header, args.resume)
    if args.store_seconds > 0:
        figures["store_answers_per_second"] = round(store_rate(where, args.store_seconds))
    print(json.dumps(figures))
    return 0 if figures["sessions"] == figures["sessions_expected"] and not (
        figures["lost"] or figures["duplicated"]) else 1


if __name__ == "__main__":
    sys.exit(main())
