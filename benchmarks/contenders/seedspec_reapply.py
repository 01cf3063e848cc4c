"""Contender: ``seedspec apply`` again, on the database that ``seedspec_apply`` has just filled.

Every row exists: this measures the lookups alone (nothing may be inserted). It is the same
command as the first apply; the harness runs it right after ``seedspec_apply``, on the same
database, and checks that the row counts did not change.
"""

from __future__ import annotations

from seedspec_apply import command, main

__all__ = ["command"]

if __name__ == "__main__":
    main()
