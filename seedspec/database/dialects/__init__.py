"""What each database does its own way, behind one seam: callers ask ``dialect_for`` instead of
comparing dialect names (one class per dialect, as alembic's ``ddl`` does)."""

from __future__ import annotations

from seedspec.database.dialects.base import ApplyLock, Dialect, ReservedIds, dialect_for

__all__ = ["ApplyLock", "Dialect", "ReservedIds", "dialect_for"]
