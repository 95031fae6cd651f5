"""Use cases, one module per feature. Each takes plain ids and values and raises a FayeError to refuse."""
