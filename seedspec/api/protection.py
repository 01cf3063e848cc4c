"""The production guard as the API applies it: a spec's ``protect:`` patterns, then the caller's
(the CLI's come from ``SEEDSPEC_PROTECT``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from seedspec.database.guard import ENV_VARIABLE, Pattern, env_patterns, matching, refuse
from seedspec.database.session import bind_url
from seedspec.spec.loader import LoadedSpec

__all__ = ["Pattern", "environment_patterns", "protected_by", "refuse_protected"]

if TYPE_CHECKING:
    from seedspec.database.session import Bind


def environment_patterns(environ: Mapping[str, str]) -> tuple[Pattern, ...]:
    """The patterns ``SEEDSPEC_PROTECT`` in ``environ`` declares (none when it is unset)."""
    return env_patterns(environ.get(ENV_VARIABLE))


def protected_by(spec: LoadedSpec, url: str, protect: Sequence[Pattern] = ()) -> Pattern | None:
    """The first of the spec's ``protect:`` patterns, then of ``protect``, matching ``url``."""
    declared = spec.document.get("protect", [])
    texts = [declared] if isinstance(declared, str) else list(declared)
    pointers = ["/protect"] if isinstance(declared, str) else [f"/protect/{i}" for i in range(len(texts))]
    own = [
        Pattern(
            text=text,
            origin="protect: in the spec",
            location=spec.source_map.locate(ptr, value=True),
            pointer=ptr,
        )
        for text, ptr in zip(texts, pointers, strict=True)
    ]
    return matching(url, [*own, *protect])


def refuse_protected(
    spec: LoadedSpec, bind: Bind, protect: Sequence[Pattern], action: str, *, force: bool
) -> None:
    """Raise E706 when ``bind``'s database matches a protect pattern, unless ``force``."""
    url = bind_url(bind).render_as_string(hide_password=False)
    pattern = protected_by(spec, url, protect)
    if pattern is not None and not force:
        raise refuse(url, pattern, action)
