"""The five published scores; one module each, all built from `base`."""
