"""Faye: the async game service behind every front-end.

Importing the package is cheap on purpose: front-ends import the heavy parts (SQLAlchemy, the app) lazily so
that `faye --help` starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
