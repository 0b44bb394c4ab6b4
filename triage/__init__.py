"""triage: guided triage of suspected severe cutaneous adverse drug reactions."""

__version__ = "0.1.0"
