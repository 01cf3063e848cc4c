"""Scaffolding: guess a factory for a table from its columns (``seedspec new factory``).

Pure: a SQLAlchemy ``Table`` in, a ``FactoryDraft`` out. Nothing here reads files or connects, so
``seedspec init --from-database`` can reuse the guesses; ``scaffold_text`` writes drafts as text.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seedspec import suggest
from seedspec.database.tables import column_kind
from seedspec.errors import Diagnostic

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
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


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftField:
    """One field of a drafted factory; ``commented_out`` ones are written as comments."""

    name: str
    generator: Any
    comment: str = ""
    commented_out: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FactoryDraft:
    """A guessed factory: what ``seedspec new factory`` appends to a spec.

    ``missing`` lists ``(factory, table)`` for refs to factories the spec does not have yet;
    ``left_out`` the columns the database fills (autoincrement keys, defaults, computed);
    ``notes`` are written as comments under the factory's name.
    """

    name: str
    table: str
    key: tuple[str, ...] = ()
    fields: tuple[DraftField, ...] = ()
    left_out: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    def mapping(self) -> dict[str, Any]:
        """The factory as spec data (commented-out fields left out)."""
        result: dict[str, Any] = {"table": self.table}
        if self.key:
            result["key"] = list(self.key)
        result["fields"] = {f.name: f.generator for f in self.fields if not f.commented_out}
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class Scaffolded:
    """What ``new_factory`` did: the draft, the text block added, and whether it was written."""

    path: Path
    draft: FactoryDraft
    block: str
    written: bool


# --- names -----------------------------------------------------------------------------------


def snake_case(name: str) -> str:
    """``BillingPostalCode`` -> ``billing_postal_code``; ``Order Details`` -> ``order_details``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def singular(word: str) -> str:
    """A plain-English singular: ``categories`` -> ``category``, ``users`` -> ``user``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def factory_name(table: str) -> str:
    """The factory name ``seedspec new factory`` uses for a table: singular snake case."""
    words = snake_case(table).split("_")
    name = "_".join([*words[:-1], singular(words[-1])]) if words and words[-1] else "row"
    return name if IDENTIFIER.match(name) else f"t_{name}"


def _matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether a snake-case column name is, or ends with, one of the patterns."""
    return any(name == p or name.endswith("_" + p) for p in patterns)


def check_name(name: str, taken: Iterable[str]) -> Diagnostic | None:
    """Why ``name`` cannot name a new factory (E803 not an identifier, E804 taken), or None."""
    if not IDENTIFIER.match(name):
        return Diagnostic(
            code="E803",
            message=f"'{name}' cannot name a factory",
            hint="a factory name is a letter or '_', then letters, digits or '_' (for example blog_post)",
        )
    if name in set(taken):
        return Diagnostic(
            code="E804",
            message=f"the spec already has a factory '{name}'",
            pointer=f"/factories/{name}",
            hint="choose another name (seedspec new factory OTHER_NAME --table ...), "
            "or edit the existing factory",
        )
    return None


def unknown_table(table: str, known: Iterable[str], source: str) -> Diagnostic:
    """E805: ``table`` is not among the ``known`` tables of ``source``."""
    names = sorted(known)
    match = suggest.closest(table, names) or next((n for n in names if n.lower() == table.lower()), None)
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    guess = f"did you mean '{match}'? " if match else ""
    return Diagnostic(
        code="E805",
        message=f"there is no table '{table}' in {source}",
        hint=f"{guess}known tables: {shown}",
    )


# --- guesses for one column -------------------------------------------------------------------


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
    (("url", "website", "homepage", "web_site", "link"), "url", 40),
    (("slug",), "slug", 20),
    (("job", "job_title", "position", "occupation"), "job", 60),
    (("uuid", "guid"), "uuid4", 36),
    (("color", "colour"), "color_name", 20),
    (("ip", "ip_address"), "ipv4", 15),
    (("currency", "currency_code"), "currency_code", 3),
    (("password", "password_hash", "passwd"), "password", 10),
    (("full_name", "display_name", "contact_name", "author", "composer", "reviewer", "owner"), "name", 30),
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
        if _matches(name, patterns):
            return _fit(_faker(method), longest, length)
    if _matches(name, ("country", "country_name")):
        return _code_or("country_code", "country", 55, length)
    if _matches(name, ("state", "province", "region")):
        return _code_or("state_abbr", "state", 15, length)
    if _matches(name, ("title",)):
        if table_words & _PERSON:
            return _fit(_faker("job"), 60, length)
        return _fit(_faker("sentence", nb_words=4), 55, length)
    if name == "name" or name.endswith("_name"):
        return _name_guess(name, table_words, length)
    if _matches(name, _TEXT_WORDS):
        return _free_text(length)
    if _matches(name, _WHEN_WORDS) and (length is None or length >= 19):
        return _faker("date_time_between", start_date="-1y")
    return _free_text(length)


def _integer_guess(name: str, type_: sa.types.TypeEngine[Any]) -> Any:
    """An integer column's range, from its name and size."""
    visit = type_.__visit_name__.upper()
    if _matches(name, ("age",)):
        return {"range": [18, 90]}
    if _matches(name, ("year",)) or visit == "YEAR":
        return {"range": [1970, 2025]}
    if name.startswith(("is_", "has_")) or getattr(type_, "display_width", None) == 1:
        return {"range": [0, 1]}
    if _matches(name, ("rating", "score", "stars")):
        return {"range": [1, 5]}
    if _matches(name, ("quantity", "qty", "stock", "count")):
        return {"range": [1, 10]}
    if _matches(name, _MONEY_WORDS):
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
    if _matches(name, ("latitude", "lat")):
        low, high = -min(90.0, high), min(90.0, high)
    elif _matches(name, ("longitude", "lng", "lon", "long")):
        low, high = -min(180.0, high), min(180.0, high)
    elif _matches(name, ("rating", "score")):
        low, high = min(1.0, high), min(5.0, high)
    elif _matches(name, ("discount", "rate", "ratio", "percent", "percentage")):
        low, high = 0.0, min(1.0, high)
    else:
        low = min(1.0, high) if _matches(name, _MONEY_WORDS) else 0.0
    if decimals == 0:
        return {"range": [int(low), int(high)]}
    return {"range": [low, high], "decimals": decimals}


def _time_guess(name: str, kind: str) -> Any:
    """A date, datetime or time column: recent, or an adult's birth date."""
    if kind == "time":
        return _faker("time_object")
    method = "date_between" if kind == "date" else "date_time_between"
    if _matches(name, ("birth", "birthday", "birth_date", "birthdate", "dob", "born")):
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
    if _mariadb_json(type_) or (column_kind(type_) == "str" and _matches(name, _JSON_WORDS)):
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


# --- guesses for a table ----------------------------------------------------------------------


def filled_by_database(column: sa.Column[Any]) -> bool:
    """Whether the database fills the column when an insert leaves it out."""
    table = column.table
    return (
        (column.server_default is not None and not _null_default(column.server_default))
        or column.default is not None
        or column.computed is not None
        or column.identity is not None
        or column is table.autoincrement_column
    )


def _null_default(default: sa.schema.FetchedValue) -> bool:
    """``DEFAULT NULL``: a nullable column's default, which fills nothing."""
    text = str(getattr(default, "arg", "")).strip().strip("()").strip()
    return text.upper() == "NULL"


def unique_sets(table: sa.Table) -> tuple[tuple[str, ...], ...]:
    """The column sets of the table's unique constraints and unique indexes, in name order."""
    constraints = [k for k in table.constraints if isinstance(k, sa.UniqueConstraint)]
    indexes = [i for i in table.indexes if i.unique]
    found = [tuple(c.name for c in k.columns) for k in sorted(constraints, key=lambda k: str(k.name))]
    found += [tuple(c.name for c in i.columns) for i in sorted(indexes, key=lambda i: str(i.name))]
    found += [(c.name,) for c in table.columns if c.unique]
    return tuple(dict.fromkeys(cols for cols in found if cols))


def _target_table(fk: sa.ForeignKeyConstraint) -> str:
    # by name, not the resolved column: a model may point at a table defined elsewhere
    return fk.elements[0].target_fullname.split(".")[-2]


@dataclass(slots=True)
class _Builder:
    """Collects a draft's fields, column by column."""

    table: sa.Table
    name: str
    factories: Mapping[str, str]
    fields: list[DraftField] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)

    def ref(self, field_name: str, fk: sa.ForeignKeyConstraint, nullable: bool) -> None:
        """A field holding a ref to the factory of the FK's target table."""
        target = _target_table(fk)
        if target == self.table.name:
            gen = {"ref": self.name}
            hint = "a self-reference: rows of earlier steps; start the tree with a record setting it to null"
            self.fields.append(DraftField(name=field_name, generator=gen, comment=hint, commented_out=True))
            return
        known = self.factories.get(target)
        if known is not None:
            self.fields.append(DraftField(name=field_name, generator={"ref": known}))
            return
        guess = factory_name(target)
        hint = f"no factory fills table {target} yet: seedspec new factory {guess} --table {target}"
        if not nullable:
            self.missing[guess] = target
        self.fields.append(
            DraftField(name=field_name, generator={"ref": guess}, comment=hint, commented_out=nullable)
        )

    def column(self, column: sa.Column[Any], unique: bool, words: frozenset[str]) -> None:
        """A field for a plain column, or a comment when there is no guess."""
        gen = _unique_guess(column) if unique or column.primary_key else None
        gen = gen if gen is not None else guess_generator(column, words)
        if gen is None:
            hint = f"no guess for type {column.type}: write a generator"
            self.fields.append(DraftField(name=column.name, generator=None, comment=hint, commented_out=True))
            return
        if unique and isinstance(gen, dict) and "faker" in gen:
            gen = {**gen, "unique": True}
        self.fields.append(DraftField(name=column.name, generator=gen))


def _unique_guess(column: sa.Column[Any]) -> Any | None:
    """A stable, distinct value for a key column: a sequence, unless the name says better."""
    kind = column_kind(column.type)
    if kind == "int":
        return {"sequence": 1}
    if kind != "str" or any(_matches(snake_case(column.name), p) for p, _, _ in _STRING_RULES):
        return None
    length = getattr(column.type, "length", None)
    prefix = snake_case(column.name)
    if prefix == "name" or prefix.endswith("_name"):  # team-0001 reads better than name-0001
        prefix = factory_name(column.table.name)
    pattern = f"{prefix}-{{n:04d}}"
    if length is not None and len(prefix) + 6 > length:  # room for 10^5 rows
        pattern = f"{{n:0{min(length, 8)}d}}"
    return {"sequence": pattern}


def guess_factory(table: sa.Table, name: str, factories: Mapping[str, str]) -> FactoryDraft:
    """A factory for ``table``: a field per column the database does not fill, refs for foreign
    keys (to the spec's factories, by table: ``factories`` maps table name -> factory name), and
    the first unique constraint (else the primary key) that the fields cover as its key."""
    builder = _Builder(table=table, name=name, factories=factories)
    words = frozenset(factory_name(table.name).split("_"))
    single_unique = {cols[0] for cols in unique_sets(table) if len(cols) == 1}
    composite = [fk for fk in table.foreign_key_constraints if len(fk.columns) > 1]
    in_composite = {c.name for fk in composite for c in fk.columns}
    singles = {fk.columns[0].name: fk for fk in table.foreign_key_constraints if len(fk.columns) == 1}
    for column in table.columns:
        if column.name in in_composite:
            continue
        if filled_by_database(column):
            builder.left_out.append(column.name)
        elif column.name in singles:
            builder.ref(column.name, singles[column.name], bool(column.nullable))
        else:
            builder.column(column, column.name in single_unique, words)
    for fk in composite:
        relation = factories.get(_target_table(fk), factory_name(_target_table(fk)))
        builder.ref(relation, fk, any(c.nullable for c in fk.columns))
    return _with_key(table, builder)


def _with_key(table: sa.Table, builder: _Builder) -> FactoryDraft:
    """The draft, keyed, with ``distinct_per`` on a key of two refs (a join table)."""
    active = {f.name for f in builder.fields if not f.commented_out}
    pk = tuple(c.name for c in table.primary_key.columns)
    candidates = (*unique_sets(table), pk) if pk else unique_sets(table)
    key = next((cols for cols in candidates if cols and set(cols) <= active), ())
    fields = builder.fields
    refs = {
        f.name: f
        for f in fields
        if not f.commented_out and isinstance(f.generator, dict) and "ref" in f.generator
    }
    if len(key) == 2 and set(key) <= set(refs):
        second = refs[key[1]]
        distinct = DraftField(name=second.name, generator={**second.generator, "distinct_per": key[0]})
        fields = [distinct if f is second else f for f in fields]
    return FactoryDraft(
        name=builder.name,
        table=table.name,
        key=key,
        fields=tuple(fields),
        left_out=tuple(builder.left_out),
        missing=tuple(builder.missing.items()),
    )
