"""Typer commands, one module per area; each is a thin wrapper over one service call."""
