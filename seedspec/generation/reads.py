"""What a field reads of its row: which later fields follow a column's new value, and whether a
text is a template's output (read as JSON into a JSON column).

Split from ``rowmaker`` because these answer questions about a step's fields (pure functions of
the IR), not about drawing a row's values.
"""

from __future__ import annotations

from seedspec.ir import (
    Field,
    Generator,
    Literal,
    PythonCall,
    Ref,
    Template,
    Uuid,
    When,
    drawn_by,
    templates_in,
)


def template_text(gen: Generator) -> bool:
    """Whether every text ``gen`` can give is a template's output (read as JSON into a JSON
    column): a template, or a condition choosing between templates and NULL."""
    if isinstance(gen, When):
        return all(
            template_text(g) or g == Literal(value=None) for g in (gen.then, gen.otherwise)
        ) and not all(g == Literal(value=None) for g in (gen.then, gen.otherwise))
    return isinstance(gen, Template)


def readers(fields: tuple[Field, ...], column: str) -> list[Field]:
    """The fields after ``column`` that read it, directly or through another reader, in order
    (what ``key_closure`` counts as a read: a template's names, ``distinct_per``, a custom
    generator, which sees the whole row so far)."""
    start = next(i for i, f in enumerate(fields) if f.column == column)
    changed, found = {column}, []
    for f in fields[start + 1 :]:
        gen = f.generator
        reads = (
            any(isinstance(g, PythonCall) for g in drawn_by(gen))
            or any(not changed.isdisjoint(t.names) for t in templates_in(gen))
            or (isinstance(gen, Ref) and gen.distinct_per in changed)
            or (isinstance(gen, Ref) and gen.via is not None and gen.via[0] in changed)
            or any(isinstance(g, Uuid) and g.time in changed for g in drawn_by(gen))
        )
        if reads:
            changed.add(f.column)
            found.append(f)
    return found
