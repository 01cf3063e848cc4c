"""The sandboxed Jinja2 environment every template is parsed and rendered with."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, partial
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2 import TemplateError as TemplateError  # re-exported: callers catch them without Jinja2
from jinja2 import TemplateSyntaxError as TemplateSyntaxError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

from seedspec.ir import GENERATOR_VERSION
from seedspec.language.fakers import transliterate

TEMPLATE_MARKERS = ("{{", "{%")
ROW_GLOBALS = frozenset({"n", "fake", "params"})


def is_template(text: str) -> bool:
    """Whether a string field is a Jinja2 template rather than a literal."""
    return any(marker in text for marker in TEMPLATE_MARKERS)


def slugify(value: object, version: int = GENERATOR_VERSION) -> str:
    """``"Hello, World!"`` -> ``"hello-world"``: ASCII, lowercase, words joined by ``-``.

    Version 2 transliterates first (``"Straße"`` -> ``strasse``, ``"Привет"`` -> ``privet``);
    version 1 dropped every letter that is not ASCII once its accents are gone (``strae``, and
    ``""`` for Cyrillic, Greek or CJK text), and stays so for specs that pin it."""
    text = transliterate(str(value)) if version >= 2 else str(value)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def environment(version: int = GENERATOR_VERSION) -> SandboxedEnvironment:
    """The shared sandbox of a generator version: undefined names are errors, output is not
    HTML-escaped."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters["slugify"] = partial(slugify, version=version)
    return env


def parse(source: str) -> nodes.Template:
    """Parse a template; raises ``jinja2.TemplateSyntaxError`` with its line."""
    return environment().parse(source)


def referenced_names(source: str) -> frozenset[str]:
    """The free variables a template reads (row fields, ``n``, ``fake``, factory names)."""
    return frozenset(find_undeclared_variables(parse(source)))


def render(source: str, **context: Any) -> str:
    """``source`` rendered in the sandbox, seeing only ``context``; raises ``TemplateError``."""
    return environment().from_string(source).render(**context)


def static_text(source: str) -> list[str] | None:
    """The text around a template's ``{{ }}`` expressions (one more part than expressions), or None
    when it has ``{% %}`` blocks, whose output text cannot be told without rendering.

    Raises:
        TemplateSyntaxError: the template does not parse.
    """
    parts = [""]
    for _, kind, value in environment().lex(source):
        if kind == "block_begin":
            return None
        if kind == "data":
            parts[-1] += value
        elif kind == "variable_begin":
            parts.append("")
    return parts


def attributes_read(source: str, name: str) -> set[str]:
    """The attributes a template reads from the variable ``name``, as ``name.x`` or ``name['x']``
    (not its methods: ``name.get('x')`` reads no attribute called ``get``).

    Raises:
        TemplateSyntaxError: the template does not parse.
    """
    tree = parse(source)
    found: set[str] = set()
    called = {id(call.node) for call in tree.find_all(nodes.Call)}
    for attr in tree.find_all(nodes.Getattr):
        if isinstance(attr.node, nodes.Name) and attr.node.name == name and id(attr) not in called:
            found.add(attr.attr)
    for item in tree.find_all(nodes.Getitem):
        named = isinstance(item.node, nodes.Name) and item.node.name == name
        if named and isinstance(item.arg, nodes.Const) and isinstance(item.arg.value, str):
            found.add(item.arg.value)
    return found


def record_reads(source: str, name: str) -> set[str]:
    """The attributes of ``name`` a template reads further (``name.x.y``: ``x`` is a named
    record, not a column).

    Raises:
        TemplateSyntaxError: the template does not parse.
    """
    found: set[str] = set()
    for outer in parse(source).find_all(nodes.Getattr):
        inner = outer.node
        if (
            isinstance(inner, nodes.Getattr)
            and isinstance(inner.node, nodes.Name)
            and inner.node.name == name
        ):
            found.add(inner.attr)
    return found
