"""Question trees (YAML in `dialogs/`) and the engine that walks them, without any UI."""
