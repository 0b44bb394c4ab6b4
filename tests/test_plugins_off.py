"""pydantic's plugin lookup is skipped on the command line, without its metadata import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-agep-ivig.findings.yaml"


def _python(code: str, env_value: str | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if env_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = env_value
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, check=False,
    )


def test_score_builds_its_models_without_importing_importlib_metadata() -> None:
    # If a pydantic release moves its plugin loader, this fails: the stand-in in
    # triage/plugins_off.py must then name the new module (or go, if pydantic no longer
    # imports importlib.metadata to look for plugins).
    done = _python(f"""
        import io, sys, contextlib
        from triage.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = main(["score", "{SEED}", "--format", "json"])
        assert status == 0, status
        assert '"total": 11' in out.getvalue()
        print("importlib.metadata" in sys.modules)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_stand_in_answers_no_plugins_and_models_validate() -> None:
    done = _python("""
        from triage.plugins_off import plugins_off
        assert plugins_off() is True
        assert plugins_off() is True  # a second call keeps the stand-in
        from pydantic import BaseModel, ValidationError
        class M(BaseModel):
            x: int
        assert M(x="3").x == 3
        try:
            M(x="three")
        except ValidationError as exc:
            assert exc.errors()[0]["loc"] == ("x",)
        else:
            raise AssertionError("not validated")
        from pydantic.plugin._loader import get_plugins
        print(list(get_plugins()))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_user_naming_plugins_to_leave_out_gets_pydantics_own_lookup() -> None:
    done = _python("""
        import os, sys
        from triage.plugins_off import plugins_off
        print(plugins_off(), os.environ["PYDANTIC_DISABLE_PLUGINS"])
        from pydantic import BaseModel
        class M(BaseModel):
            x: int
        print("importlib.metadata" in sys.modules)
    """, env_value="some_plugin")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "some_plugin", "True"]


def test_an_already_loaded_loader_is_left_alone() -> None:
    done = _python("""
        import pydantic.plugin._loader as real
        from triage.plugins_off import plugins_off
        import sys
        print(plugins_off(), sys.modules["pydantic.plugin._loader"] is real)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
