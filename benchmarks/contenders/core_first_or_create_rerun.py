"""Contender: the hand-written Core first-or-create again, on the database it has just filled.

Every row exists: the same values are generated and looked up, and nothing is inserted. The
harness runs it right after ``core_first_or_create``, on the same database.
"""

from __future__ import annotations

from core_first_or_create import main

if __name__ == "__main__":
    main()
