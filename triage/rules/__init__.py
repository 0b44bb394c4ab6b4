"""Rules as data: the next-step recommendations (next_steps.yaml)."""
