"""What triage builds from its own files, kept between runs in the cache folder.

Reading and checking the default dialog, or the drug knowledge, gives the same result every
time for the same file and the same versions; without a copy kept between runs, `triage
score` and `triage replay` would miss their start-up goals (bench/README.md). Each entry is
named by a hash of the file's bytes, of every version that shapes what was built, and of
the source of the modules whose code builds it and defines its classes: an edited file, an
upgrade, or a module edited in a checkout between versions is never served a stale entry.
Like the template cache: an optimisation only. If the folder cannot be written, or an entry
cannot be read, triage builds as it would without it and says nothing.

Entries are pickles, and unpickling runs code: an entry is read back only when this user
owns it and its folder, and neither can be written by anyone else (the folder is made
0700), as for Jinja2's compiled templates beside it. `TRIAGE_CACHE_DIR` pointing at a
shared folder therefore means building every time, not trusting another user's files.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from triage import __version__

T = TypeVar("T")


def key_of(data: bytes, *versions: str, code: Sequence[str] = ()) -> str:
    """The name of an entry built from `data`: its bytes, this triage's version, Python's,
    any other version the caller names (a library whose objects are kept), and the source
    files of the (imported) modules named in `code`."""
    digest = hashlib.sha256()
    for part in (__version__, sys.version, *versions):
        digest.update(part.encode("utf-8") + b"\0")
    for module in code:
        digest.update(Path(sys.modules[module].__file__ or module).read_bytes() + b"\0")
    digest.update(data)
    return digest.hexdigest()[:32]


def path_of(kind: str, key: str, suffix: str) -> Path:
    """Where the entry `key` of one kind lives."""
    from triage.paths import cache_dir

    return cache_dir() / kind / f"{key}{suffix}"


def write(path: Path, data: bytes) -> None:
    """Keep an entry: written whole under another name, then renamed into place, so that a
    reader never sees half of one; silent when the folder cannot be made or written."""
    try:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        # 0600 whatever the umask: an entry others could write is never read back.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        pass


def trusted(path: Path) -> bool:
    """Whether an entry and its folder are this user's alone (see the module's note)."""
    if not hasattr(os, "getuid"):
        return True  # no owners to check (Windows): the user's profile folder
    try:
        for item in (path, path.parent):
            status = os.stat(item)
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def built(
    kind: str, data: bytes, build: Callable[[], T], *versions: str, code: Sequence[str] = ()
) -> T:
    """What `build()` makes of `data`, from the cache when it was built before (`versions`
    and `code` as for key_of)."""
    import pickle  # here: the UI's first screen uses this module and no pickle

    path = path_of(kind, key_of(data, *versions, code=code), ".pickle")
    if trusted(path):  # false too when there is no entry
        try:
            return pickle.loads(path.read_bytes())  # our own entry, in the user's folder
        except Exception:  # unreadable, damaged, or of a class since renamed: build again
            pass
    value = build()
    write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
