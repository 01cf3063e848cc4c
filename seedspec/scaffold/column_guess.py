"""Guesses for one column (pure): a generator from the column's type and name (Faker for
strings, ranges for numbers), and a distinct value for a key column."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import column_kind, fixed_width
from seedspec.scaffold.names import factory_name, name_matches, snake_case

MAX_TEXT = 200  # characters of generated free text when the column does not say

# Table words that say what a bare ``name`` column holds.
_PERSON = frozenset(
    {
        "user", "customer", "employee", "person", "people", "author", "artist", "member", "contact",
        "staff", "student", "teacher", "patient", "client", "actor", "player", "account", "profile",
        "owner", "driver", "agent", "admin", "manager", "guest", "subscriber", "worker", "writer",
        "composer",
    }
)  # fmt: skip
_ORGANISATION = frozenset(
    {
        "company", "supplier", "vendor", "organization", "organisation", "publisher", "brand",
        "shipper", "manufacturer", "merchant", "firm", "partner", "store", "shop",
    }
)  # fmt: skip


def _faker(method: str, **args: Any) -> dict[str, Any]:
    return {"faker": method, "args": args} if args else {"faker": method}


# (patterns, Faker method, longest output seen in en_US, rounded up)
_STRING_RULES: tuple[tuple[tuple[str, ...], str, int], ...] = (
    (("email", "email_address", "e_mail", "mail"), "email", 40),
    (("first_name", "firstname", "given_name", "forename"), "first_name", 12),
    (("last_name", "lastname", "surname", "family_name"), "last_name", 12),
    (("username", "user_name", "login", "handle", "nickname", "screen_name"), "user_name", 20),
    (("company", "company_name", "organization", "organisation", "employer"), "company", 40),
    (
        ("phone", "phone_number", "phonenumber", "fax", "mobile", "telephone", "tel", "cell"),
        "phone_number",
        22,
    ),
    (("city", "town"), "city", 25),
    (("country_code",), "country_code", 2),
    (("zip", "zipcode", "zip_code", "postcode", "post_code", "postal_code", "postalcode"), "postcode", 5),
    (("address", "street", "street_address", "address_line", "address1", "address_1"), "street_address", 40),
    (("address_line1", "address_line_1", "line1", "line_1"), "street_address", 40),
    (("address2", "address_2", "address_line2", "address_line_2", "line2"), "secondary_address", 10),
    (("timezone", "time_zone", "tz", "tz_name"), "timezone", 30),
    (("url", "website", "homepage", "web_site", "link"), "url", 40),
    (("slug",), "slug", 20),
    (("job", "job_title", "position", "occupation"), "job", 60),
    (("uuid", "guid"), "uuid4", 36),
    (("color", "colour"), "color_name", 20),
    (("ip", "ip_address"), "ipv4", 15),
    (("currency", "currency_code"), "currency_code", 3),
    (("password", "password_hash", "passwd"), "password", 10),
    (("full_name", "display_name", "contact_name", "author", "composer", "reviewer", "owner"), "name", 30),
    (("passenger_name", "customer_name", "person_name", "guest_name", "client_name"), "name", 30),
)
_JSON_WORDS = (
    "json", "meta", "metadata", "payload", "settings", "preferences", "prefs", "config", "options",
    "attributes", "properties", "extra",
)  # fmt: skip
_TEXT_WORDS = (
    "description", "text", "body", "content", "bio", "biography", "notes", "note", "summary",
    "comment", "comments", "message", "about", "details", "remarks",
)  # fmt: skip
_WHEN_WORDS = ("at", "date", "time", "timestamp", "created", "updated", "modified", "deleted")
_MONEY_WORDS = (
    "price", "amount", "total", "cost", "fee", "balance", "salary", "subtotal", "tax", "freight",
    "payment", "revenue", "budget",
)  # fmt: skip


def _fit(gen: dict[str, Any], longest: int, length: int | None) -> Any:
    """Cut a Faker value to the column's length, with a template, when it may not fit."""
    if length is None or longest <= length:
        return gen
    call = ", ".join(f"{k}={v!r}" for k, v in gen.get("args", {}).items())
    return f"{{{{ fake.{gen['faker']}({call})[:{length}] }}}}"


def _free_text(length: int | None) -> Any:
    """Words that fit ``length`` characters (random letters below 5, Faker's minimum)."""
    if length is not None and length < 5:
        return _faker("pystr", max_chars=length)
    return _faker("text", max_nb_chars=min(length or MAX_TEXT, MAX_TEXT))


def _name_guess(name: str, table_words: frozenset[str], length: int | None) -> Any:
    """A bare ``name`` (or ``<x>_name``): a person's, a company's or a thing's, by the table."""
    words = set(name.split("_")[:-1]) or set(table_words)
    if words & _PERSON:
        return _fit(_faker("name"), 30, length)
    if words & _ORGANISATION:
        return _fit(_faker("company"), 40, length)
    if "city" in words:
        return _fit(_faker("city"), 25, length)
    if "country" in words:
        return _fit(_faker("country"), 55, length)
    return _fit(_faker("catch_phrase"), 60, length)


def _code_or(code: str, method: str, longest: int, length: int | None) -> Any:
    """The short code form (``US``) for a column of at most 3 characters, else the full name."""
    return _faker(code) if length is not None and length <= 3 else _fit(_faker(method), longest, length)


def _string_guess(name: str, table_words: frozenset[str], length: int | None) -> Any:
    """A string column's generator, from its snake-case name and length."""
    for patterns, method, longest in _STRING_RULES:
        if name_matches(name, patterns):
            return _fit(_faker(method), longest, length)
    if name_matches(name, ("country", "country_name")):
        return _code_or("country_code", "country", 55, length)
    if name_matches(name, ("state", "province", "region")):
        return _code_or("state_abbr", "state", 15, length)
    if name_matches(name, ("title",)):
        if table_words & _PERSON:
            return _fit(_faker("job"), 60, length)
        return _fit(_faker("sentence", nb_words=4), 55, length)
    if name == "name" or name.endswith("_name"):
        return _name_guess(name, table_words, length)
    if name_matches(name, _TEXT_WORDS):
        return _free_text(length)
    if name_matches(name, _WHEN_WORDS) and (length is None or length >= 19):
        return _faker("date_time_between", start_date="-1y")
    return _free_text(length)


def _integer_guess(name: str, type_: sa.types.TypeEngine[Any]) -> Any:
    """An integer column's range, from its name and size."""
    visit = type_.__visit_name__.upper()
    if name_matches(name, ("age",)):
        return {"range": [18, 90]}
    if name_matches(name, ("year",)) or visit == "YEAR":
        return {"range": [1970, 2025]}
    if name.startswith(("is_", "has_")) or getattr(type_, "display_width", None) == 1:
        return {"range": [0, 1]}
    if name_matches(name, ("rating", "score", "stars")):
        return {"range": [1, 5]}
    if name_matches(name, ("quantity", "qty", "stock", "count")):
        return {"range": [1, 10]}
    if name_matches(name, _MONEY_WORDS):
        return {"range": [1, 1000]}
    if visit in ("TINYINT", "SMALLINT", "SMALL_INTEGER") or isinstance(type_, sa.SmallInteger):
        return {"range": [0, 100]}
    return {"range": [0, 1000]}


def _largest(type_: sa.types.TypeEngine[Any]) -> float:
    """The largest value (at most 1000) that a NUMERIC(p, s) column holds."""
    precision, scale = getattr(type_, "precision", None), getattr(type_, "scale", None)
    if precision is None:
        return 1000.0
    digits = precision - (scale or 0)
    return min(1000.0, float(10**digits - 1)) if digits >= 1 else 0.9


def _number_guess(name: str, type_: sa.types.TypeEngine[Any], kind: str) -> Any:
    """A float or decimal column's range, rounded to the column's scale."""
    high = _largest(type_)
    scale = getattr(type_, "scale", None) if kind == "decimal" else None
    decimals = 2 if scale is None else scale
    if name_matches(name, ("latitude", "lat")):
        low, high = -min(90.0, high), min(90.0, high)
    elif name_matches(name, ("longitude", "lng", "lon", "long")):
        low, high = -min(180.0, high), min(180.0, high)
    elif name_matches(name, ("rating", "score")):
        low, high = min(1.0, high), min(5.0, high)
    elif name_matches(name, ("discount", "rate", "ratio", "percent", "percentage")):
        low, high = 0.0, min(1.0, high)
    else:
        low = min(1.0, high) if name_matches(name, _MONEY_WORDS) else 0.0
    if decimals == 0:
        return {"range": [int(low), int(high)]}
    return {"range": [low, high], "decimals": decimals}


def _time_guess(name: str, kind: str) -> Any:
    """A date, datetime or time column: recent, or an adult's birth date."""
    if kind == "time":
        return _faker("time_object")
    method = "date_between" if kind == "date" else "date_time_between"
    if name_matches(name, ("birth", "birthday", "birth_date", "birthdate", "dob", "born")):
        return _faker(method, start_date="-80y", end_date="-18y")
    return _faker(method, start_date="-1y")


def guess_generator(column: sa.Column[Any], table_words: frozenset[str] = frozenset()) -> Any | None:
    """A generator for a column from its type and name (Faker for strings, ranges for numbers);
    None when there is no sensible guess (arrays of geometry, intervals and such).

    ``table_words`` are the snake-case words of the table's singular name (``customer``), which
    say whose ``name`` or ``title`` a column holds.
    """
    type_ = column.type
    name = snake_case(column.name)
    if _mariadb_json(type_) or (column_kind(type_) == "str" and name_matches(name, _JSON_WORDS)):
        return {"value": {}}
    if isinstance(type_, sa.Enum) and type_.enums:
        return {"choice": list(type_.enums)}
    if type_.__visit_name__.upper() == "SET" and getattr(type_, "values", None):  # MySQL: one member
        return {"choice": list(type_.values)}  # type: ignore[attr-defined]
    if isinstance(type_, sa.ARRAY):
        return {"value": []}
    if isinstance(type_, sa.Uuid) or _python_type(type_) is uuid.UUID:
        return _faker("uuid4")
    kind = column_kind(type_)
    length = getattr(type_, "length", None)
    if kind == "str":
        return _string_guess(name, table_words, length)
    if kind == "int" or type_.__visit_name__.upper() == "YEAR":
        return _integer_guess(name, type_)
    if kind in ("float", "decimal"):
        return _number_guess(name, type_, kind)
    if kind in ("date", "datetime", "time"):
        return _time_guess(name, kind)
    return {"bool": _faker("boolean"), "json": {"value": {}}, "bytes": _faker("binary", length=16)}.get(kind)


def _mariadb_json(type_: sa.types.TypeEngine[Any]) -> bool:
    """MariaDB's JSON is LONGTEXT with a binary collation (and a json_valid CHECK)."""
    collation = str(getattr(type_, "collation", "") or "")
    return type_.__visit_name__.upper() == "LONGTEXT" and collation.endswith("_bin")


def _python_type(type_: sa.types.TypeEngine[Any]) -> type | None:
    try:
        return type_.python_type
    except NotImplementedError:
        return None


def unique_guess(column: sa.Column[Any]) -> Any | None:
    """A stable, distinct value for a key column: a sequence, unless the name says better."""
    kind = column_kind(column.type)
    if kind == "int":
        return {"sequence": 1}
    if kind != "str" or any(name_matches(snake_case(column.name), p) for p, _, _ in _STRING_RULES):
        return None
    length = getattr(column.type, "length", None)
    prefix = snake_case(column.name)
    if prefix == "name" or prefix.endswith("_name"):  # team-0001 reads better than name-0001
        prefix = factory_name(column.table.name)
    pattern = f"{prefix}-{{n:04d}}"
    if fixed_width(column.type) and length is not None:  # char(n) pads: fill all n, or it reads back changed
        pattern = f"{{n:0{length}d}}"
    elif length is not None and len(prefix) + 6 > length:  # room for 10^5 rows
        pattern = f"{{n:0{min(length, 8)}d}}"
    return {"sequence": pattern}
