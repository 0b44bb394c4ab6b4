"""`python -m triage` runs the command line."""

from triage.cli import entry

entry()
