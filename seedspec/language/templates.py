"""The sandboxed Jinja2 environment every template is parsed and rendered with."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from jinja2 import StrictUndefined, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_MARKERS = ("{{", "{%")
ROW_GLOBALS = frozenset({"n", "fake", "params"})


def is_template(text: str) -> bool:
    """Whether a string field is a Jinja2 template rather than a literal."""
    return any(marker in text for marker in TEMPLATE_MARKERS)


def slugify(value: object) -> str:
    """``"Hello, World!"`` -> ``"hello-world"``: ASCII, lowercase, words joined by ``-``."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def environment() -> SandboxedEnvironment:
    """The shared sandbox: undefined names are errors, output is not HTML-escaped."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters["slugify"] = slugify
    return env


def parse(source: str) -> nodes.Template:
    """Parse a template; raises ``jinja2.TemplateSyntaxError`` with its line."""
    return environment().parse(source)


def referenced_names(source: str) -> frozenset[str]:
    """The free variables a template reads (row fields, ``n``, ``fake``, factory names)."""
    return frozenset(find_undeclared_variables(parse(source)))
