"""Start-up without pydantic's plugin lookup.

pydantic looks for plugins when it builds its first model. Its loader module imports
`importlib.metadata` at the top (email, csv and zipfile with it), even when
PYDANTIC_DISABLE_PLUGINS tells it not to look; without this stand-in `triage replay` would
miss its start-up goal (bench/README.md). triage uses
no pydantic plugin, so the command line turns the lookup off; while it is off, a stand-in
for that loader gives pydantic the answer it would compute anyway (no plugins) without the
import.

The stand-in is only put in place when pydantic's own setting says "all plugins off" and
the real loader is not loaded yet. If a later pydantic moves its loader, the stand-in is
simply never imported (tests/test_plugins_off.py says so when that happens).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable
from typing import Any

#: The module pydantic imports `get_plugins` from (pydantic/plugin/_schema_validator.py).
LOADER = "pydantic.plugin._loader"
#: pydantic's spellings of "no plugins at all" (pydantic/plugin/_loader.py).
ALL_OFF = ("__all__", "1", "true")


def _no_plugins() -> Iterable[Any]:
    return ()


def plugins_off() -> bool:
    """Turn pydantic's plugin lookup off unless the user set PYDANTIC_DISABLE_PLUGINS, and
    stand in for its loader when the lookup is off; True when the stand-in is in place."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in ALL_OFF:
        return False  # the user names plugins to leave out: pydantic must look
    if LOADER in sys.modules:
        return isinstance(sys.modules[LOADER], _StandIn)
    sys.modules[LOADER] = _StandIn(LOADER)
    return True


class _StandIn(types.ModuleType):
    """pydantic's plugin loader when every plugin is off."""

    get_plugins = staticmethod(_no_plugins)
