"""The Textual assistant: the only package that imports Textual."""
