"""JSON Schemas of the files triage reads, generated from the models.

    python -m triage.schemas     # rewrite schemas/*.schema.json

Editors validate a dialog, a findings file or a transcript as it is typed when the file
names its schema (e.g. `# yaml-language-server: $schema=../schemas/dialog.schema.json`).
tests/test_schemas.py fails when the committed schemas drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for every model read from a file."""
    from triage.dialog.model import Dialog
    from triage.findings import Findings
    from triage.transcript import Transcript

    out = {}
    for name, model in (("findings", Findings), ("dialog", Dialog), ("transcript", Transcript)):
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = schema
    return out


def render(schema: dict[str, Any]) -> str:
    """A schema as committed: sorted keys, two-space indent, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    folder = Path(__file__).resolve().parent.parent / "schemas"
    folder.mkdir(exist_ok=True)
    for name, schema in schemas().items():
        (folder / name).write_text(render(schema), encoding="utf-8")
        print(f"wrote schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
