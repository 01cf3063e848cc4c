"""The sandboxed Jinja2 environment every template is parsed and rendered with."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from functools import cache, lru_cache, partial
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateRuntimeError, nodes
from jinja2 import TemplateError as TemplateError  # re-exported: callers catch them without Jinja2
from jinja2 import TemplateSyntaxError as TemplateSyntaxError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from seedspec.ir import GENERATOR_VERSION
from seedspec.language.fakers import transliterate
from seedspec.limits import MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_POWER_BITS, MAX_TEMPLATE_STEPS

TEMPLATE_MARKERS = ("{{", "{%")
ROW_GLOBALS = frozenset({"n", "n_in_parent", "n_in_step", "fake", "params"})


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


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox (no ``list.append``: a template reads, it never mutates), with
    every loop charged to a per-render budget and ``*``/``**`` refused past a size: a template
    renders one value, and no template can hold a row for ever or fill memory."""

    intercepted_binops = frozenset({"*", "**"})

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_charged", [], [], None, None, lineno=loop.lineno)
        return super()._generate(source, name, filename, defer_init)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
            return left**right
        _check_repeat(left, right)
        return left * right


def _check_power(base: Any, exponent: Any) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0
    if ints and exponent * abs(base).bit_length() > MAX_TEMPLATE_POWER_BITS:
        raise TemplateRuntimeError(f"{base} ** {exponent} is past the template size limit")


def _check_repeat(left: Any, right: Any) -> None:
    sized, times = (left, right) if isinstance(right, int) else (right, left)
    repeated = isinstance(sized, (str, list, tuple)) and isinstance(times, int)
    if repeated and len(sized) * times > MAX_TEMPLATE_OUTPUT:
        raise TemplateRuntimeError(f"a repetition of {len(sized) * times:,} items is past the limit")


_BUDGET: ContextVar[list[int]] = ContextVar("template_budget")


def _charged(items: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each one taken from the render's budget of ``MAX_TEMPLATE_STEPS``."""
    budget = _BUDGET.get(None)
    if budget is None:  # rendered outside ``run``: a budget of its own
        budget = [MAX_TEMPLATE_STEPS]
    for item in items:
        budget[0] -= 1
        if budget[0] < 0:
            raise TemplateRuntimeError(f"the template loops more than {MAX_TEMPLATE_STEPS:,} times")
        yield item


@cache
def environment(version: int = GENERATOR_VERSION) -> SandboxedEnvironment:
    """The shared sandbox of a generator version: undefined names are errors, output is not
    HTML-escaped."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters["slugify"] = partial(slugify, version=version)
    env.filters["_charged"] = _charged
    return env


def run(template: Template, context: Mapping[str, Any]) -> str:
    """``template`` rendered with ``context`` within the limits (loops, output size); raises
    ``TemplateError``, also for what the template's own arithmetic raises (``{{ 1/0 }}``)."""
    token = _BUDGET.set([MAX_TEMPLATE_STEPS])
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_TEMPLATE_OUTPUT:
                raise TemplateRuntimeError(
                    f"the template renders more than {MAX_TEMPLATE_OUTPUT:,} characters"
                )
            parts.append(part)
        return "".join(parts)
    except TemplateError:
        raise
    except Exception as exc:  # ZeroDivisionError, OverflowError, RecursionError: the template's doing
        raise TemplateRuntimeError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _BUDGET.reset(token)


def parse(source: str) -> nodes.Template:
    """Parse a template; raises ``jinja2.TemplateSyntaxError`` with its line."""
    return environment().parse(source)


def referenced_names(source: str) -> frozenset[str]:
    """The free variables a template reads (row fields, ``n``, ``fake``, factory names)."""
    return frozenset(find_undeclared_variables(parse(source)))


def render(source: str, **context: Any) -> str:
    """``source`` rendered in the sandbox, seeing only ``context``, within the limits (``run``)."""
    return run(compiled(source), context)


@lru_cache(maxsize=4096)
def compiled(source: str, version: int = GENERATOR_VERSION) -> Template:
    """``source`` compiled once per generator version (validation has parsed it)."""
    return environment(version).from_string(source)


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


def paths_read(source: str, name: str) -> set[tuple[str, ...]]:
    """The attribute paths a template reads from the variable ``name``: ``post.user.email`` is
    ``("user", "email")``, ``post['id']`` is ``("id",)``; a path that another extends is left out,
    and so is a method called on ``name`` itself (``name.get('x')``).

    Raises:
        TemplateSyntaxError: the template does not parse.
    """
    tree = parse(source)
    called = {id(call.node) for call in tree.find_all(nodes.Call)}
    found: set[tuple[str, ...]] = set()
    for attr in tree.find_all(nodes.Getattr):
        path: list[str] = []
        node: nodes.Node = attr
        while isinstance(node, nodes.Getattr):
            path.append(node.attr)
            node = node.node
        if isinstance(node, nodes.Name) and node.name == name and not (len(path) == 1 and id(attr) in called):
            found.add(tuple(reversed(path)))
    for item in tree.find_all(nodes.Getitem):
        named = isinstance(item.node, nodes.Name) and item.node.name == name
        if named and isinstance(item.arg, nodes.Const) and isinstance(item.arg.value, str):
            found.add((item.arg.value,))
    return {p for p in found if not any(len(q) > len(p) and q[: len(p)] == p for q in found)}


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


def join_parts(source: str) -> tuple[tuple[bool, str], ...] | None:
    """A template that only joins names and literal text, as (is a name, name or text) parts in
    order; None for any other (filters, attributes, expressions, blocks).

    Raises:
        TemplateSyntaxError: the template does not parse.
    """
    body = parse(source).body
    if len(body) != 1 or not isinstance(body[0], nodes.Output):
        return None
    parts: list[tuple[bool, str]] = []
    for node in body[0].nodes:
        if isinstance(node, nodes.TemplateData):
            parts.append((False, node.data))
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            parts.append((True, node.name))
        else:
            return None
    return tuple(parts)


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
