"""Pop-up screens of the assistant."""
