"""Run a step's ``after_create`` hooks on the rows it created, inside the apply's transaction.

A hook is user input (SQL) or user code (a Python function): whatever it raises becomes a located
``HookError``, so the apply rolls back and the CLI exits 1 instead of reporting an internal error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.errors import Diagnostic, SeedspecError, database_reason
from seedspec.ir import Hook, Step
from seedspec.language import usercode as custom

_Rows = list[dict[str, Any]]
ROLLED_BACK = "nothing was written: the whole apply was rolled back"


class HookError(SeedspecError):
    """An ``after_create`` hook could not be imported or failed."""


class HookRunner:
    """The hooks of one step, ready to run: SQL statements prepared, functions imported."""

    def __init__(self, step: Step, table: sa.Table, connection: Connection) -> None:
        self.step, self.table, self.conn = step, table, connection
        self.calls = [(hook, self._prepare(hook)) for hook in step.after_create]

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns hooks read from each created row: a function gets all of the table's."""
        if any(hook.kind == "python" for hook in self.step.after_create):
            return tuple(self.table.c.keys())
        return tuple(dict.fromkeys(p for hook in self.step.after_create for p in hook.params))

    def run(self, rows: _Rows) -> None:
        """Every hook, in order, on one batch of created rows (as stored)."""
        if not rows:
            return
        for hook, call in self.calls:
            try:
                call(rows)
            except sa.exc.DBAPIError as exc:
                if exc.connection_invalidated:  # the link died: a database failure, not the hook's
                    raise
                raise self._failed(hook, database_reason(exc)) from exc
            except Exception as exc:  # user SQL and user code: any failure is the user's to fix
                raise self._failed(hook, f"{exc.__class__.__name__}: {_first_line(exc)}") from exc

    def _prepare(self, hook: Hook) -> Callable[[_Rows], object]:
        if hook.kind == "sql":
            statement = sa.text(hook.text)
            return lambda rows: self.conn.execute(
                statement, [{p: r.get(p) for p in hook.params} for r in rows]
            )
        function = self._import(hook)
        return lambda rows: function([dict(r) for r in rows], self.conn)

    def _import(self, hook: Hook) -> Callable[..., object]:
        try:
            function = custom.import_object(hook.text, Path(hook.base_dir))
        except custom.ImportTargetError as exc:
            raise self._error("E509", exc.describe("after_create hook", hook.text), hook, exc.hint) from exc
        if not callable(function):
            message = f"after_create hook '{hook.text}' is not callable"
            raise self._error("E509", message, hook, "point at a function(rows, connection)")
        return function  # type: ignore[no-any-return]

    def _failed(self, hook: Hook, reason: str) -> HookError:
        what = f"'{hook.text}'" if hook.kind == "python" else "(sql)"
        message = f"the after_create hook {what} of step '{self.step.id}' (table '{self.step.table}') failed"
        return self._error("E508", f"{message}: {reason}", hook, ROLLED_BACK)

    def _error(self, code: str, message: str, hook: Hook, hint: str) -> HookError:
        return HookError(Diagnostic(code=code, message=message, pointer=hook.pointer, hint=hint))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
