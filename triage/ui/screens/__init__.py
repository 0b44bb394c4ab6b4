"""The assistant's screens: the start-up screen and the interview."""
