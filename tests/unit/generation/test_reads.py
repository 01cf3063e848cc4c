"""What a field reads: the fields that follow a column, templates read as JSON."""

from __future__ import annotations

from seedspec.generation.reads import template_text
from seedspec.ir import Literal, Template, When


def test_a_conditional_template_is_read_as_json_into_a_json_column() -> None:
    text = Template(source='{"a": {{ n }}}', names=("n",))
    condition = Template(source="{% if n %}1{% endif %}", names=("n",))
    null = Literal(value=None)
    assert template_text(When(expression="n", condition=condition, then=text, otherwise=null))
    assert not template_text(
        When(expression="n", condition=condition, then=text, otherwise=Literal(value="x"))
    )
    assert not template_text(When(expression="n", condition=condition, then=null, otherwise=null))


def test_the_fields_that_read_a_column_directly_or_through_another_follow_it() -> None:
    from seedspec.generation.reads import readers
    from seedspec.ir import Field

    def field(column: str, source: str, *names: str) -> Field:
        return Field(column=column, generator=Template(source=source, names=names), pointer=f"/{column}")

    fields = (
        field("email", "{{ user }}@x", "user"),  # before the column: not a reader
        field("user", "u{{ n }}", "n"),
        field("login", "{{ user }}", "user"),
        field("bio", "b"),
        field("greeting", "hi {{ login }}", "login"),
    )
    assert [f.column for f in readers(fields, "user")] == ["login", "greeting"]
