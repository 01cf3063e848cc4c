"""The sandboxed Jinja2 environment: markers, slugify, free names, strictness, the sandbox."""

from __future__ import annotations

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from seedspec.language import templates


def render(source: str, **context: object) -> str:
    return templates.environment().from_string(source).render(**context)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ name }}", True),
        ("{% if x %}y{% endif %}", True),
        ("plain", False),
        ("{ single }", False),
        ("50% off", False),
        ("{# comment only #}", False),
        ("", False),
    ],
)
def test_is_template(text: str, expected: bool) -> None:
    assert templates.is_template(text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Hello, World!", "hello-world"),
        ("  Leading and trailing  ", "leading-and-trailing"),
        ("Crème brûlée à la carte", "creme-brulee-a-la-carte"),
        ("Ærøskøbing Straße", "aeroskobing-strasse"),
        ("multiple---dashes___and   spaces", "multiple-dashes-and-spaces"),
        ("C++ & Python 3.11", "c-python-3-11"),
        ("Привет мир", "privet-mir"),
        ("Καλημέρα κόσμε", "kalemera-kosme"),
        ("你好世界", "ni-hao-shi-jie"),
        ("", ""),
        (42, "42"),
        ("already-a-slug", "already-a-slug"),
    ],
)
def test_slugify(value: object, expected: str) -> None:
    assert templates.slugify(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ærøskøbing Straße", "rskbing-strae"), ("Crème brûlée", "creme-brulee"), ("日本語", "")],
)
def test_slugify_version_1_drops_letters_it_cannot_strip_of_accents(value: str, expected: str) -> None:
    assert templates.slugify(value, version=1) == expected
    assert templates.environment(1).from_string("{{ v | slugify }}").render(v=value) == expected


def test_slugify_is_a_filter() -> None:
    assert render("{{ title | slugify }}-{{ n }}", title="My First Post!", n=3) == "my-first-post-3"


def test_the_environment_is_shared_and_sandboxed() -> None:
    env = templates.environment()
    assert env is templates.environment()
    assert isinstance(env, SandboxedEnvironment)


def test_output_is_not_html_escaped() -> None:
    assert render("{{ x }}", x="<b>&</b>") == "<b>&</b>"


def test_trailing_newline_is_kept() -> None:
    assert render("{{ x }}\n", x=1) == "1\n"


def test_undefined_names_are_errors() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        render("{{ user.nope }}", user={})


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x.__globals__ }}",
        "{{ x.__code__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ (1).__class__.__base__ }}",
    ],
)
def test_the_sandbox_blocks_attribute_escapes(source: str) -> None:
    with pytest.raises((jinja2.exceptions.SecurityError, jinja2.UndefinedError)):
        render(source, x=render)


def test_the_sandbox_blocks_format_string_escapes() -> None:
    env = templates.environment()
    assert not env.is_safe_attribute("", "__class__", "".__class__)
    with pytest.raises(jinja2.exceptions.SecurityError):
        render("{{ '{0.__class__.__mro__}'.format(x) }}", x=1)


def test_the_sandbox_still_allows_plain_string_methods() -> None:
    assert render("{{ email.split('@')[0] | upper }}", email="ann@example.com") == "ANN"


def test_parse_raises_syntax_errors_with_their_line() -> None:
    with pytest.raises(jinja2.TemplateSyntaxError) as info:
        templates.parse("line one\n{{ broken }")
    assert info.value.lineno == 2


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("{{ a }} {{ b.c }} {{ d | slugify }}", {"a", "b", "d"}),
        ("{% for i in items %}{{ i }}{% endfor %}", {"items"}),
        ("{% set x = 1 %}{{ x }}{{ y }}", {"y"}),
        ("{{ fake.name() }}-{{ n }}", {"fake", "n"}),
        ("no names", set()),
    ],
)
def test_referenced_names(source: str, names: set[str]) -> None:
    assert templates.referenced_names(source) == frozenset(names)


def test_row_globals() -> None:
    assert frozenset({"n", "n_in_parent", "n_in_step", "fake", "params"}) == templates.ROW_GLOBALS


def test_render_sees_only_its_context() -> None:
    assert templates.render("{{ params.n * 2 }}", params={"n": 21}) == "42"
    with pytest.raises(templates.TemplateError):
        templates.render("{{ missing }}")


def test_the_jinja2_errors_are_re_exported() -> None:
    assert templates.TemplateSyntaxError is jinja2.TemplateSyntaxError
    assert issubclass(templates.TemplateSyntaxError, templates.TemplateError)


def test_attributes_read_from_one_variable_not_its_methods() -> None:
    source = "{{ params.a }} {{ params['b'] }} {{ params.get('c') }} {{ other.d }} {{ params[x] }}"
    assert templates.attributes_read(source, "params") == {"a", "b"}
    assert templates.attributes_read(source, "other") == {"d"}
    with pytest.raises(templates.TemplateSyntaxError):
        templates.attributes_read("{{ params.a", "params")


def test_static_text_is_the_text_around_the_expressions() -> None:
    assert templates.static_text('{"a": {{ x }}{# note #}, "b": "{{ y }}"}') == ['{"a": ', ', "b": "', '"}']
    assert templates.static_text("plain") == ["plain"]
    assert templates.static_text("{% if x %}y{% endif %}") is None


def test_the_sandbox_is_immutable_a_template_cannot_grow_its_own_list() -> None:
    with pytest.raises(jinja2.exceptions.SecurityError):
        templates.render("{% set l = [1] %}{% for x in l %}{{ l.append(x) }}{% endfor %}")


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for c in 'x' * 1000 %}{% for d in 'y' * 1000 %}{% endfor %}{% endfor %}",
        "{{ 'x' * 1000000000 }}",
        "{{ [1] * 1000000000 }}",
        "{{ 10 ** 1000000000 }}",
        "{% for i in range(99999) %}{{ 'x' * 100 }}{% endfor %}",
    ],
)
def test_loops_sizes_and_powers_are_bounded(source: str) -> None:
    with pytest.raises(templates.TemplateError, match=r"limit|more than|over"):
        templates.render(source)


def test_bounded_templates_still_loop_and_multiply() -> None:
    assert (
        templates.render("{% for i in range(3) %}{{ i }}{% endfor %}{{ 'ab' * 2 }}{{ 2 ** 10 }}")
        == "012abab1024"
    )
    assert templates.render("{{ 3 * 4 }}{{ 2.5 * 2 }}") == "125.0"


def test_the_budget_is_per_render() -> None:
    source = "{% for i in range(60000) %}{% endfor %}ok"
    assert templates.render(source) == "ok"
    assert templates.render(source) == "ok"


@pytest.mark.parametrize(
    "source", ["{{ 1 / 0 }}", "{{ 'a' + 1 }}", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"]
)
def test_what_a_templates_own_arithmetic_raises_is_a_template_error(source: str) -> None:
    with pytest.raises(templates.TemplateError):
        templates.render(source)


def test_record_reads_are_the_attributes_read_further() -> None:
    from seedspec.language.templates import record_reads

    assert record_reads("{{ user.admin.email }} {{ user.email }} {{ other.x.y }}", "user") == {"admin"}
    assert record_reads("{{ user.email }}", "user") == set()
