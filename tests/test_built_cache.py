"""What triage builds from its own files is kept between runs, and never served stale."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from triage import built_cache
from triage.dialog.loader import from_document, load_dialog
from triage.errors import InputError
from triage.paths import default_dialog_path
from triage.yamlio import load_file


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_second_build_of_the_same_bytes_comes_from_the_cache(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert built_cache.built("thing", b"data", build) == {"n": 1}
    assert built_cache.built("thing", b"data", build) == {"n": 1}
    assert len(calls) == 1
    (entry,) = (cache / "thing").iterdir()
    assert entry.suffix == ".pickle"
    assert oct((cache / "thing").stat().st_mode & 0o777) == "0o700"


def test_other_bytes_or_another_version_is_another_entry(cache: Path) -> None:
    assert built_cache.built("thing", b"one", lambda: 1) == 1
    assert built_cache.built("thing", b"two", lambda: 2) == 2
    assert built_cache.built("thing", b"one", lambda: 3, "lib 2.0") == 3
    assert built_cache.built("thing", b"one", lambda: 4) == 1
    assert len(list((cache / "thing").iterdir())) == 3
    assert built_cache.key_of(b"one") != built_cache.key_of(b"one", "lib 2.0")


def test_a_damaged_entry_is_built_again_and_replaced(cache: Path) -> None:
    built_cache.built("thing", b"data", lambda: "first")
    (entry,) = (cache / "thing").iterdir()
    entry.write_bytes(b"\x80\x05not a pickle")
    assert built_cache.built("thing", b"data", lambda: "again") == "again"
    assert pickle.loads(entry.read_bytes()) == "again"


def test_an_unwritable_folder_builds_every_time_and_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(blocked))
    assert built_cache.built("thing", b"data", lambda: 1) == 1
    assert built_cache.built("thing", b"data", lambda: 2) == 2
    assert capsys.readouterr() == ("", "")


def test_no_half_written_entry_is_left_behind(cache: Path) -> None:
    built_cache.built("thing", b"data", lambda: list(range(1000)))
    assert [p.suffix for p in (cache / "thing").iterdir()] == [".pickle"]


def test_the_default_dialog_from_the_cache_is_the_dialog_as_read(cache: Path) -> None:
    path = default_dialog_path()
    fresh = load_dialog(path)
    assert fresh.document is not None  # read and checked: the node tree is there
    kept = load_dialog(path)
    assert kept.document is None  # from the cache
    assert kept.dialog == fresh.dialog
    assert (kept.id, kept.version, kept.hash) == (fresh.id, fresh.version, fresh.hash)
    assert kept.questions.keys() == fresh.questions.keys()
    assert kept.onset_id == fresh.onset_id
    checked = from_document(load_file(path))
    assert checked.hash == kept.hash


def test_an_edited_dialog_is_read_again_not_served_from_the_cache(
    cache: Path, tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    text = default_dialog_path().read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    before = load_dialog(path)
    load_dialog(path)
    path.write_text(text.replace("version:", "version: '9.9'\nold_version:", 1), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_dialog(path)
    assert "old_version" in str(refused.value.problems)
    path.write_text(text + "\n# a comment changes the bytes, not the dialog\n", encoding="utf-8")
    again = load_dialog(path)
    assert again.document is not None and again.hash == before.hash


def test_a_bad_dialog_is_never_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("schema: triage.dialog/1\nid: x\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError):
            load_dialog(path)
    assert not (cache / "dialog").exists() or not any((cache / "dialog").iterdir())


def test_the_drug_knowledge_from_the_cache_looks_drugs_up_the_same(cache: Path) -> None:
    from triage import knowledge as knowledge_mod

    knowledge_mod.knowledge.cache_clear()
    try:
        fresh = knowledge_mod.knowledge()
        knowledge_mod.knowledge.cache_clear()
        kept = knowledge_mod.knowledge()
        assert kept is not fresh
        for name in ("Bactrim", "co-trimoxazole", "amoxicillin", "Tylenol", "not-a-drug"):
            assert kept.lookup(name) == fresh.lookup(name)
        assert kept.lookup("Bactrim") is not None
        assert len(list((cache / "knowledge").iterdir())) == 1
    finally:
        knowledge_mod.knowledge.cache_clear()


def test_temporary_names_are_per_process(cache: Path) -> None:
    path = built_cache.path_of("thing", "k", ".pickle")
    built_cache.write(path, b"x")
    assert path.read_bytes() == b"x"
    assert not path.with_name(f"{path.name}.{os.getpid()}.tmp").exists()


def test_the_key_covers_the_source_of_the_modules_that_build_it(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    module_file = tmp_path / "builder.py"
    module_file.write_text("FIELDS = ('a', 'b')\n")
    module = types.ModuleType("builder_under_test")
    module.__file__ = str(module_file)
    monkeypatch.setitem(sys.modules, "builder_under_test", module)
    code = ("builder_under_test",)
    assert built_cache.built("thing", b"data", lambda: "old", code=code) == "old"
    assert built_cache.built("thing", b"data", lambda: "again", code=code) == "old"
    module_file.write_text("FIELDS = ('b', 'a')\n")  # the classes changed, the data did not
    assert built_cache.built("thing", b"data", lambda: "new", code=code) == "new"


def test_an_entry_others_could_have_written_is_not_unpickled(cache: Path) -> None:
    assert built_cache.built("thing", b"data", lambda: "mine") == "mine"
    (entry,) = (cache / "thing").iterdir()
    entry.chmod(0o666)  # anyone could have put a pickle of their choosing here
    assert built_cache.built("thing", b"data", lambda: "rebuilt") == "rebuilt"
    entry.chmod(0o600)
    (cache / "thing").chmod(0o777)  # or replaced it, through the folder
    assert built_cache.built("thing", b"data", lambda: "again") == "again"


def test_an_entry_owned_by_someone_else_is_not_unpickled(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_cache.built("thing", b"data", lambda: "mine")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    assert built_cache.built("thing", b"data", lambda: "rebuilt") == "rebuilt"


def test_entries_are_written_for_this_user_alone_whatever_the_umask(cache: Path) -> None:
    old = os.umask(0o002)  # user-private-group systems make files group-writable
    try:
        assert built_cache.built("thing", b"data", lambda: "first") == "first"
    finally:
        os.umask(old)
    (entry,) = (cache / "thing").iterdir()
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    assert built_cache.built("thing", b"data", lambda: "again") == "first"  # read back
