"""Alembic environment and revisions: every schema change reaches existing players' databases."""
