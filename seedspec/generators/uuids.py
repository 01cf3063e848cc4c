"""``uuid``: a UUID derived from the row's identity, the same on every machine and in every run.

``v5`` is the name-based UUID (SHA-1) of the row's identity under a namespace of the spec seed;
``v7`` puts the row's ``time`` column in its 48-bit time part (so ids sort by that column, as
v7 ids do) and fills the other bits from the same identity. The identity (factory, step id, row
id) differs for every row of a spec, so two rows never share an id unless SHA hashes collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Uuid

VERSIONS = ("v5", "v7")
_V7_MAX_MS = 1 << 48


def check(raw: Mapping[str, Any], ptr: str, scope: CheckScope) -> Iterator[Diagnostic]:
    """``v7`` names its ``time`` column, a field of the row; ``v5`` has no time part."""
    version, time = raw["uuid"], raw.get("time")
    if version == "v7" and time is None:
        yield Diagnostic(
            code="E390",
            message="a v7 uuid needs 'time': the datetime column whose value is its time part",
            pointer=ptr,
            hint="add time: created_at (a datetime field of the row), or use uuid: v5",
        )
    elif version == "v5" and time is not None:
        yield Diagnostic(
            code="E390",
            message="a v5 uuid has no time part, so it takes no 'time'",
            pointer=ptr + "/time",
            hint="drop time:, or use uuid: v7 to order the ids by that column",
        )
    elif time is not None and time not in scope.fields:
        yield Diagnostic(
            code="E391",
            message=f"uuid time '{time}' is not a field of this factory",
            pointer=ptr + "/time",
            hint=scope.suggest(time, scope.fields),
        )


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Uuid:
    return Uuid(version=raw["uuid"], time=raw.get("time"))


def draw(gen: Uuid, maker: Maker, cell: Cell, _seed: int, attempt: int) -> uuid.UUID:
    namespace = spec_namespace(maker.plan.seed)
    step = maker.step
    name = f"{step.factory}/{step.id}/{cell.slot.local_id}" + (f"#{attempt}" if attempt else "")
    if gen.version == "v5":
        return uuid.uuid5(namespace, name)
    when = cell.row.get(gen.time or "")
    millis = _millis(when)
    if millis is None:
        raise maker.error(
            "E516",
            f"the v7 uuid of '{cell.field.column}' reads '{gen.time}', which is "
            f"{'NULL' if when is None else repr(when)}: "
            "a v7 time part is a date or datetime from 1970 on",
            cell,
            f"give '{gen.time}' a date or datetime for every row (no null_rate, no NULL), or use uuid: v5",
        )
    return v7(millis, hashlib.sha256(namespace.bytes + name.encode()).digest())


@cache
def spec_namespace(seed: object) -> uuid.UUID:
    """The namespace of a spec's ids: changing ``settings.seed`` changes every id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"seedspec:{seed}")


def v7(millis: int, random_bytes: bytes) -> uuid.UUID:
    """The version 7 UUID (RFC 9562) of a Unix time in milliseconds and 74 bits of ``random_bytes``."""
    bits = int.from_bytes(random_bytes[:10], "big")
    rand_a, rand_b = bits >> 68 & 0xFFF, bits & ((1 << 62) - 1)
    return uuid.UUID(int=millis << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b)


def _millis(value: Any) -> int | None:
    """Milliseconds since 1970 of a date or datetime (naive ones read as UTC); None otherwise."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    else:
        return None
    millis = int(moment.timestamp() * 1000)
    return millis if 0 <= millis < _V7_MAX_MS else None


def describe(gen: Uuid) -> str:
    return f"uuid {gen.version}" + (f" (time from {gen.time})" if gen.time else "") + " of the row's identity"


KIND = Kind(name="uuid", ir=Uuid, compile=compile, draw=draw, describe=describe, check=check)
