"""The fake's limits are Discord's documented ones: one step over each is refused, at it is not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakediscord import validate

JSON = dict[str, Any]


def message_errors(body: JSON) -> list[str]:
    errors = validate.Errors()
    validate.check_message(body, errors, ("data",))
    return errors.flat


def embed(**fields: Any) -> JSON:
    return {"embeds": [fields]}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"content": "x" * 2001}, "data.content"),
        (embed(title="x" * 257), "data.embeds.0.title"),
        (embed(description="x" * 4097), "data.embeds.0.description"),
        (embed(fields=[{"name": "n", "value": "v"}] * 26), "data.embeds.0.fields"),
        (embed(fields=[{"name": "x" * 257, "value": "v"}]), "data.embeds.0.fields.0.name"),
        (embed(fields=[{"name": "n", "value": "x" * 1025}]), "data.embeds.0.fields.0.value"),
        (embed(fields=[{"name": "n", "value": ""}]), "data.embeds.0.fields.0.value"),
        (embed(footer={"text": "x" * 2049}), "data.embeds.0.footer.text"),
        (embed(author={"name": "x" * 257}), "data.embeds.0.author.name"),
        ({"embeds": [{"title": "t"}] * 11}, "data.embeds"),
        ({"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]}, "data.embeds"),
        ({"flags": 1 << 3}, "data.flags"),
    ],
)
def test_message_limits(body: JSON, path: str) -> None:
    errors = message_errors(body)
    assert [e.split(":")[0] for e in errors] == [path]


def test_message_at_the_limits_passes() -> None:
    body = {
        "content": "x" * 2000,
        "embeds": [
            {
                "title": "t" * 256,
                "description": "d" * 4096,
                "fields": [{"name": "n", "value": "v" * 50}] * 25,
                "footer": {"text": "f" * 300},
            }
        ],
        "allowed_mentions": {"parse": [], "replied_user": False},
    }
    assert message_errors(body) == []


def button(label: str, custom_id: str | None = None, **extra: Any) -> JSON:
    data: JSON = {"type": 2, "style": 1, "label": label, **extra}
    if custom_id is not None:
        data["custom_id"] = custom_id
    return data


def rows(*row_buttons: list[JSON]) -> JSON:
    return {"content": "c", "components": [{"type": 1, "components": r} for r in row_buttons]}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (rows([button(str(n), f"b{n}") for n in range(6)]), "BASE_TYPE_BAD_LENGTH"),
        (rows(*[[button(str(n), f"b{n}")] for n in range(6)]), "BASE_TYPE_MAX_LENGTH"),
        (rows([button("a", "x" * 101)]), "BASE_TYPE_MAX_LENGTH"),
        (rows([button("x" * 81, "a")]), "BASE_TYPE_MAX_LENGTH"),
        (rows([button("a", "same"), button("b", "same")]), "COMPONENT_CUSTOM_ID_DUPLICATED"),
        (rows([button("a")]), "BASE_TYPE_REQUIRED"),
        (
            rows([button("a", "x", style=5, url="https://example.org")]),
            "COMPONENT_INVALID_CUSTOM_ID",
        ),
        ({"components": [button("a", "b")]}, "UNION_TYPE_CHOICES"),
    ],
)
def test_component_rules(body: JSON, code: str) -> None:
    errors = message_errors(body)
    assert len(errors) == 1
    assert code in errors[0]


def test_five_rows_of_five_buttons_pass() -> None:
    body = rows(*[[button(f"{r}{c}", f"{r}:{c}") for c in range(5)] for r in range(5)])
    assert message_errors(body) == []


@pytest.mark.parametrize(
    "mentions",
    [
        {"parse": ["users"], "users": ["1"]},
        {"parse": ["nobody"]},
        {"users": [str(n) for n in range(101)]},
        {"replied_user": "no"},
        ["users"],
    ],
)
def test_allowed_mentions_shape(mentions: Any) -> None:
    assert len(message_errors({"content": "c", "allowed_mentions": mentions})) == 1


def test_autocomplete_choices() -> None:
    def errors(choices: list[JSON]) -> list[str]:
        found = validate.Errors()
        validate.check_autocomplete({"choices": choices}, found, ("data",))
        return found.flat

    assert errors([{"name": "n", "value": "v"}] * 25) == []
    assert errors([{"name": "n", "value": "v"}] * 26) == [
        "data.choices: BASE_TYPE_MAX_LENGTH Must be 25 or fewer in length."
    ]
    assert len(errors([{"name": "x" * 101, "value": "v"}])) == 1
    assert len(errors([{"name": "n", "value": ""}])) == 1
    assert len(errors([{"name": "", "value": "v"}])) == 1
    assert errors([{"name": "n", "value": 3}]) == []


def command(**overrides: Any) -> JSON:
    base: JSON = {
        "name": "quote",
        "description": "Find a quote",
        "type": 1,
        "options": [{"name": "query", "description": "Words", "type": 3, "required": True}],
    }
    return base | overrides


def command_errors(commands: list[JSON]) -> list[str]:
    errors = validate.Errors()
    validate.check_commands(commands, errors)
    return errors.flat


def test_valid_commands_pass() -> None:
    group = command(
        name="prompt",
        options=[
            {"name": "add", "description": "Add", "type": 1, "options": []},
            {
                "name": "mod",
                "description": "Moderate",
                "type": 2,
                "options": [{"name": "remove", "description": "Remove", "type": 1}],
            },
        ],
    )
    assert command_errors([command(), group]) == []


@pytest.mark.parametrize(
    "bad",
    [
        command(name="Quote"),
        command(name="two words"),
        command(name="x" * 33),
        command(description=""),
        command(description="x" * 101),
        command(options=[{"name": f"o{n}", "description": "d", "type": 3} for n in range(26)]),
        command(
            options=[
                {"name": "a", "description": "d", "type": 3},
                {"name": "b", "description": "d", "type": 3, "required": True},
            ]
        ),
        command(
            options=[
                {
                    "name": "a",
                    "description": "d",
                    "type": 3,
                    "autocomplete": True,
                    "choices": [{"name": "n", "value": "v"}],
                }
            ]
        ),
        command(
            options=[
                {"name": "a", "description": "d", "type": 1},
                {"name": "b", "description": "d", "type": 3},
            ]
        ),
        command(options=[{"name": "a", "description": "x" * 101, "type": 3}]),
    ],
)
def test_invalid_command_refused(bad: JSON) -> None:
    assert command_errors([bad]) != []


def test_duplicate_and_oversized_commands_refused() -> None:
    assert any("DUPLICATE" in e for e in command_errors([command(), command()]))
    big = command(
        options=[{"name": f"o{n}", "description": "d" * 100, "type": 3} for n in range(25)],
        description="d" * 100,
    )
    with_choices = [
        o | {"choices": [{"name": "c" * 100, "value": f"v{i}"} for i in range(25)]}
        for o in big["options"]
    ]
    big["options"] = with_choices[:3]
    assert validate.command_size(big) == 8106
    assert any("TOO_LARGE" in e for e in command_errors([big]))
    big["options"] = with_choices[:2]
    assert validate.command_size(big) == 5439  # over the 4000 once assumed, within 8000
    assert command_errors([big]) == []


@pytest.mark.parametrize(
    "name", ["quote", "prompts-admin", "don't", "über", "число", "नमस्ते", "สวัสดี", "a" * 32]
)
def test_documented_command_names_pass(name: str) -> None:
    assert validate.valid_name(name)


@pytest.mark.parametrize("name", ["", "a" * 33, "Quote", "two words", "a.b", "émoji😀", "a/b"])
def test_undocumented_command_names_refused(name: str) -> None:
    assert not validate.valid_name(name)
    assert command_errors([command(name=name)]) != []


@pytest.mark.parametrize(
    "option",
    [
        {"type": 4, "min_length": 1},  # lengths are for strings
        {"type": 3, "min_value": 1},  # ranges are for numbers
        {"type": 4, "min_value": 1.5},  # an integer's range is whole
        {"type": 3, "min_length": 10, "max_length": 5},
        {"type": 4, "min_value": 10, "max_value": 5},
        {"type": 3, "max_length": 0},
        {"type": 5, "autocomplete": True},
        {"type": 6, "choices": [{"name": "n", "value": "v"}]},
        {"type": 4, "choices": [{"name": "n", "value": "v"}]},  # a string for an integer
        {"type": 3, "channel_types": [0]},
    ],
)
def test_option_rules_per_type(option: JSON) -> None:
    bad = command(options=[{"name": "a", "description": "d", **option}])
    assert command_errors([bad]) != []


def test_each_route_takes_its_own_flags() -> None:
    ephemeral = {"content": "x", "flags": validate.EPHEMERAL}
    errors = validate.Errors()
    validate.check_message(ephemeral, errors, allowed_flags=validate.RESPONSE_FLAGS)
    assert not errors
    for route in (validate.EDIT_FLAGS, validate.CREATE_FLAGS):
        errors = validate.Errors()
        validate.check_message(ephemeral, errors, allowed_flags=route)
        assert errors.flat == ["flags: MESSAGE_FLAGS_INVALID Invalid flags"]


def test_error_body_is_discords_shape() -> None:
    errors = validate.Errors()
    errors.too_long(("data", "embeds", 0, "title"), 256)
    assert errors.body() == {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "data": {
                "embeds": {
                    "0": {
                        "title": {
                            "_errors": [
                                {
                                    "code": "BASE_TYPE_MAX_LENGTH",
                                    "message": "Must be 256 or fewer in length.",
                                }
                            ]
                        }
                    }
                }
            }
        },
    }
