"""after_create hooks for hooks.yaml (a `python:` hook is user code that seedspec imports)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def welcome(rows: list[dict[str, Any]], connection: sa.Connection) -> None:
    """Queue one welcome mail per created user: called once per batch of new users."""
    connection.execute(
        sa.text("INSERT INTO outbox (user_id, address, subject) VALUES (:user_id, :address, :subject)"),
        [{"user_id": row["id"], "address": row["email"], "subject": "Welcome aboard"} for row in rows],
    )


def give_owner(rows: list[dict[str, Any]], connection: sa.Connection) -> None:
    """The Python form of the SQL hook in hooks.yaml: the first new user of an account owns it."""
    owners: dict[int, int] = {}
    for row in rows:
        owners.setdefault(row["account_id"], row["id"])
    connection.execute(
        sa.text("UPDATE accounts SET owner_id = :owner WHERE id = :account AND owner_id IS NULL"),
        [{"owner": owner, "account": account} for account, owner in owners.items()],
    )
