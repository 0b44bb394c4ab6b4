"""Two `triage serve` hosts sharing one PostgreSQL store under a scripted load (issue 22
§4): concurrent visits on both, then every session found on the start screen of the
other host and resumed there (§3); every visit one session holding exactly the answers
typed, nothing lost or duplicated, and each answer its visit's user's (named by the
proxy's header). The load is bench/serve_load.py's, bounded and on the
loopback; bench/README.md has its figures at a larger size."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from triage import transcript
from triage.store import open_store

SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


def test_two_serve_hosts_share_one_store_under_load_and_lose_nothing(postgres_database):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve_load.py"), "--store", postgres_database,
         "--hosts", "2", "--visits", "2", "--answers", "6", "--timeout", "60",
         "--user-header", "X-Forwarded-User", "--resume"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    assert (figures["sessions"], figures["lost"], figures["duplicated"]) == (4, 0, 0)
    # Every event of a visit is its user's, as the proxy (here the load) named them (the
    # servers trust the header: the load comes from the loopback); each session was then
    # found on the start screen of the other host and went on there.
    assert figures["authors"] == ["nurse 1.1; nurse 2.resumed", "nurse 1.2; nurse 2.resumed",
                                  "nurse 1.resumed; nurse 2.1", "nurse 1.resumed; nurse 2.2"]
    # Read back here too, not only by the script: four sessions, each the seed's first six
    # answers in order and the seventh given on the other host, numbered 1..7.
    typed = [(a.q, str(a.value)) for a in transcript.load(SEED)[0].answers[:7]]
    store = open_store(postgres_database, create=False)
    sessions = store.sessions()
    assert len(sessions) == 4 and len({s.id for s in sessions}) == 4
    for s in sessions:
        events = store.events(s.id)
        assert [(e.question, e.value) for e in events] == typed
        assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6, 7]
        assert events[-1].author.endswith(".resumed") and events[0].author != events[-1].author
    store.close()
