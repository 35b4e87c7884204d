"""Discord's documented limits, checked the way the API checks them.

Each check adds to an ``Errors`` tree keyed by the JSON path of the offending
field, which renders as Discord's own ``Invalid Form Body`` error (code 50035),
so a client that trips a limit sees the same 400 it would see from Discord.
Limits: https://discord.com/developers/docs/resources/message (content, embeds,
allowed mentions), .../interactions/message-components, .../interactions/
application-commands and .../interactions/receiving-and-responding.
"""

from __future__ import annotations

import unicodedata
from typing import Any

JSON = dict[str, Any]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
CHOICES_MAX = 25
CHOICE_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_OPTIONS_MAX = 25
COMMAND_DESCRIPTION_MAX = 100
# "the combined name, description, and value properties for each command, its
# options (including subcommands and groups), and choices" (application-commands).
COMMAND_TOTAL_MAX = 8000
COMMANDS_MAX = 100
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
SUPPRESS_NOTIFICATIONS = 1 << 12
VOICE_MESSAGE = 1 << 13
COMPONENTS_V2 = 1 << 15
# Which message flags each route lets a client set.
RESPONSE_FLAGS = (
    SUPPRESS_EMBEDS | EPHEMERAL | SUPPRESS_NOTIFICATIONS | VOICE_MESSAGE | COMPONENTS_V2
)
CREATE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | VOICE_MESSAGE | COMPONENTS_V2
EDIT_FLAGS = SUPPRESS_EMBEDS | COMPONENTS_V2
# Option types (application-commands, "Application Command Option Type").
STRING, INTEGER, BOOLEAN, CHANNEL, NUMBER = 3, 4, 5, 7, 10
_CHOICE_TYPES = {STRING: (str,), INTEGER: (int,), NUMBER: (int, float)}
ALLOWED_MENTION_TYPES = {"roles", "users", "everyone"}


class Errors:
    """The nested ``errors`` object of a 50035 response."""

    def __init__(self) -> None:
        self.tree: JSON = {}
        self.flat: list[str] = []

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
        self.flat.append(f"{'.'.join(map(str, path))}: {code} {message}")

    def too_long(self, path: tuple[str | int, ...], limit: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def bad_length(self, path: tuple[str | int, ...], low: int, high: int) -> None:
        self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, path: tuple[str | int, ...]) -> None:
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def __bool__(self) -> bool:
        return bool(self.flat)

    def body(self) -> JSON:
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def check_message(
    body: JSON,
    errors: Errors,
    path: tuple[str | int, ...] = (),
    *,
    allowed_flags: int = RESPONSE_FLAGS,
) -> None:
    """A message create/edit body: content, embeds, components, mentions, flags.

    ``allowed_flags`` are the flags this route accepts: an edit may not set
    EPHEMERAL, a channel message may not be ephemeral at all.
    """
    content = body.get("content")
    if content is not None and len(_text(content)) > CONTENT_MAX:
        errors.too_long((*path, "content"), CONTENT_MAX)
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        errors.too_long((*path, "embeds"), EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(embed, errors, (*path, "embeds", i))
    if total > EMBED_TOTAL_MAX:
        errors.add(
            (*path, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )
    flags = body.get("flags") or 0
    if flags & ~allowed_flags:
        errors.add((*path, "flags"), "MESSAGE_FLAGS_INVALID", "Invalid flags")
    if body.get("components"):
        _check_components(body["components"], errors, (*path, "components"), flags)
    if "allowed_mentions" in body and body["allowed_mentions"] is not None:
        _check_allowed_mentions(body["allowed_mentions"], errors, (*path, "allowed_mentions"))


def _check_embed(embed: JSON, errors: Errors, path: tuple[str | int, ...]) -> int:
    size = 0
    for key, limit in EMBED_LIMITS.items():
        text = _text(embed.get(key))
        size += len(text)
        if len(text) > limit:
            errors.too_long((*path, key), limit)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        errors.too_long((*path, "fields"), FIELDS_MAX)
    for i, item in enumerate(fields):
        name, value = _text(item.get("name")), _text(item.get("value"))
        size += len(name) + len(value)
        if not name:
            errors.required((*path, "fields", i, "name"))
        elif len(name) > FIELD_NAME_MAX:
            errors.too_long((*path, "fields", i, "name"), FIELD_NAME_MAX)
        if not value:
            errors.required((*path, "fields", i, "value"))
        elif len(value) > FIELD_VALUE_MAX:
            errors.too_long((*path, "fields", i, "value"), FIELD_VALUE_MAX)
    footer = _text((embed.get("footer") or {}).get("text"))
    size += len(footer)
    if len(footer) > FOOTER_MAX:
        errors.too_long((*path, "footer", "text"), FOOTER_MAX)
    author = _text((embed.get("author") or {}).get("name"))
    size += len(author)
    if len(author) > AUTHOR_NAME_MAX:
        errors.too_long((*path, "author", "name"), AUTHOR_NAME_MAX)
    return size


def _check_components(
    rows: list[JSON], errors: Errors, path: tuple[str | int, ...], flags: int
) -> None:
    if flags & COMPONENTS_V2:
        return  # the layout components have their own rules; nothing here sends them
    if len(rows) > ROWS_MAX:
        errors.too_long(path, ROWS_MAX)
    seen: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            errors.add((*path, r, "type"), "UNION_TYPE_CHOICES", "Value must be an action row")
            continue
        children = row.get("components") or []
        buttons = [c for c in children if c.get("type") == 2]
        if not 1 <= len(children) <= ROW_BUTTONS_MAX:
            errors.bad_length((*path, r, "components"), 1, ROW_BUTTONS_MAX)
        if buttons and len(buttons) != len(children):
            errors.add(
                (*path, r, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for c, child in enumerate(children):
            _check_component(child, errors, (*path, r, "components", c), seen)


def _check_component(
    child: JSON, errors: Errors, path: tuple[str | int, ...], seen: set[str]
) -> None:
    custom_id = child.get("custom_id")
    is_link = child.get("type") == 2 and child.get("style") in (5, 6)
    if is_link:
        if child.get("style") == 5 and not child.get("url"):
            errors.required((*path, "url"))
        if custom_id is not None:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_INVALID_CUSTOM_ID",
                "A link button cannot have a custom id",
            )
    elif not custom_id:
        errors.required((*path, "custom_id"))
    if custom_id is not None:
        if len(_text(custom_id)) > CUSTOM_ID_MAX:
            errors.too_long((*path, "custom_id"), CUSTOM_ID_MAX)
        if custom_id in seen:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)
    if child.get("type") == 2:
        label = child.get("label")
        if label is not None and len(_text(label)) > LABEL_MAX:
            errors.too_long((*path, "label"), LABEL_MAX)
        if not label and not child.get("emoji"):
            errors.add(
                (*path, "label"), "BUTTON_COMPONENT_INVALID", "A button needs a label or emoji"
            )
    elif child.get("type") == 3:
        options = child.get("options") or []
        if not 1 <= len(options) <= CHOICES_MAX:
            errors.bad_length((*path, "options"), 1, CHOICES_MAX)


def _check_allowed_mentions(mentions: Any, errors: Errors, path: tuple[str | int, ...]) -> None:
    if not isinstance(mentions, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = mentions.get("parse", [])
    if not isinstance(parse, list) or not set(parse) <= ALLOWED_MENTION_TYPES:
        errors.add(
            (*path, "parse"), "BASE_TYPE_CHOICES", "Value must be one of users, roles, everyone."
        )
        parse = []
    for kind in ("users", "roles"):
        ids = mentions.get(kind)
        if ids is None:
            continue
        if not isinstance(ids, list) or len(ids) > 100:
            errors.too_long((*path, kind), 100)
            continue
        if kind in parse:
            errors.add(
                (*path, kind),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
    replied = mentions.get("replied_user")
    if replied is not None and not isinstance(replied, bool):
        errors.add((*path, "replied_user"), "BASE_TYPE_BOOLEAN", "Must be either true or false.")


def check_autocomplete(data: JSON, errors: Errors, path: tuple[str | int, ...]) -> None:
    choices = data.get("choices")
    if not isinstance(choices, list):
        errors.required((*path, "choices"))
        return
    if len(choices) > CHOICES_MAX:
        errors.too_long((*path, "choices"), CHOICES_MAX)
    for i, choice in enumerate(choices):
        _check_choice(choice, errors, (*path, "choices", i))


def _check_choice(choice: JSON, errors: Errors, path: tuple[str | int, ...]) -> None:
    name = _text(choice.get("name"))
    if not 1 <= len(name) <= CHOICE_MAX:
        errors.bad_length((*path, "name"), 1, CHOICE_MAX)
    value = choice.get("value")
    if isinstance(value, str):
        if not 1 <= len(value) <= CHOICE_MAX:
            errors.bad_length((*path, "value"), 1, CHOICE_MAX)
    elif not isinstance(value, int | float) or isinstance(value, bool):
        errors.required((*path, "value"))


def check_commands(commands: list[JSON], errors: Errors) -> None:
    """A bulk overwrite body (PUT .../commands)."""
    names: set[tuple[int, str]] = set()
    if sum(1 for c in commands if c.get("type", 1) == 1) > COMMANDS_MAX:
        errors.too_long((), COMMANDS_MAX)
    for i, command in enumerate(commands):
        check_command(command, errors, (i,))
        key = (command.get("type", 1), _text(command.get("name")))
        if key in names:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique ({key[1]})",
            )
        names.add(key)


def check_command(command: JSON, errors: Errors, path: tuple[str | int, ...]) -> None:
    kind = command.get("type", 1)
    name = _text(command.get("name"))
    description = _text(command.get("description"))
    if kind == 1:
        _check_name(name, errors, (*path, "name"))
        if not 1 <= len(description) <= COMMAND_DESCRIPTION_MAX:
            errors.bad_length((*path, "description"), 1, COMMAND_DESCRIPTION_MAX)
        options = command.get("options") or []
        _check_options(options, errors, (*path, "options"), depth=0)
        if command_size(command) > COMMAND_TOTAL_MAX:
            errors.add(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({COMMAND_TOTAL_MAX})",
            )
    elif kind in (2, 3):
        if not 1 <= len(name) <= 32:
            errors.bad_length((*path, "name"), 1, 32)
        if description:
            errors.add((*path, "description"), "BASE_TYPE_MAX_LENGTH", "Must be 0 in length.")
    else:
        errors.add((*path, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.")


def valid_name(name: str) -> bool:
    """Discord's ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lower case where it can be.

    Python's ``re`` has no ``\\p{...}``, so the classes are checked per character:
    letters and numbers of any script, Devanagari and Thai marks, ``-``, ``_`` and ``'``.
    """
    if not 1 <= len(name) <= COMMAND_NAME_MAX or name != name.lower():
        return False
    return all(_name_char(c) for c in name)


def _name_char(char: str) -> bool:
    if char in "-_'":
        return True
    if unicodedata.category(char)[0] in "LN":
        return True
    return "\u0900" <= char <= "\u097f" or "\u0e00" <= char <= "\u0e7f"  # Deva, Thai


def _check_name(name: str, errors: Errors, path: tuple[str | int, ...]) -> None:
    if not valid_name(name):
        errors.add(
            path,
            "APPLICATION_COMMAND_INVALID_NAME",
            f"Command name is invalid: {name!r}",
        )


def _check_options(
    options: list[JSON], errors: Errors, path: tuple[str | int, ...], depth: int
) -> None:
    if len(options) > COMMAND_OPTIONS_MAX:
        errors.too_long(path, COMMAND_OPTIONS_MAX)
    seen: set[str] = set()
    optional_seen = False
    kinds = {o.get("type") for o in options}
    if kinds & {1, 2} and kinds - {1, 2}:
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive"
            " to all other types",
        )
    for i, option in enumerate(options):
        where = (*path, i)
        name = _text(option.get("name"))
        _check_name(name, errors, (*where, "name"))
        if name in seen:
            errors.add(
                (*where, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        seen.add(name)
        description = _text(option.get("description"))
        if not 1 <= len(description) <= COMMAND_DESCRIPTION_MAX:
            errors.bad_length((*where, "description"), 1, COMMAND_DESCRIPTION_MAX)
        kind = option.get("type")
        if kind not in range(1, 12):
            errors.add((*where, "type"), "BASE_TYPE_CHOICES", "Value must be one of 1..11.")
        if kind in (1, 2):
            if (kind == 2 and depth > 0) or (kind == 1 and depth > 1):
                errors.add(
                    (*where, "type"),
                    "APPLICATION_COMMAND_OPTION_NESTING",
                    "Sub-commands nest at most two levels",
                )
            inner = option.get("options") or []
            if kind == 2 and any(o.get("type") != 1 for o in inner):
                errors.add(
                    (*where, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A sub-command group holds only sub-commands",
                )
            _check_options(inner, errors, (*where, "options"), depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                errors.add(
                    (*where, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            errors.add(
                (*where, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )
        if len(choices) > CHOICES_MAX:
            errors.too_long((*where, "choices"), CHOICES_MAX)
        for c, choice in enumerate(choices):
            _check_choice(choice, errors, (*where, "choices", c))
        _check_option_type_rules(option, errors, where)


def _check_option_type_rules(option: JSON, errors: Errors, where: tuple[str | int, ...]) -> None:
    """What each option type accepts: lengths for strings, ranges for numbers, and so on."""
    kind = option.get("type")

    def refuse(key: str, message: str) -> None:
        errors.add((*where, key), "APPLICATION_COMMAND_OPTION_INVALID", message)

    for key in ("min_length", "max_length"):
        if option.get(key) is None:
            continue
        if kind != STRING:
            refuse(key, f"{key} is only for string options")
        elif not (0 if key == "min_length" else 1) <= option[key] <= 6000:
            errors.add((*where, key), "NUMBER_TYPE_MAX", "int value should be <= 6000.")
    low, high = option.get("min_length"), option.get("max_length")
    if low is not None and high is not None and low > high:
        refuse("min_length", "min_length must not exceed max_length")
    for key in ("min_value", "max_value"):
        value = option.get(key)
        if value is None:
            continue
        if kind not in (INTEGER, NUMBER):
            refuse(key, f"{key} is only for integer and number options")
        elif kind == INTEGER and (not isinstance(value, int) or isinstance(value, bool)):
            refuse(key, f"{key} of an integer option must be an integer")
    low_v, high_v = option.get("min_value"), option.get("max_value")
    if low_v is not None and high_v is not None and low_v > high_v:
        refuse("min_value", "min_value must not exceed max_value")
    if option.get("autocomplete") and kind not in _CHOICE_TYPES:
        refuse("autocomplete", "autocomplete is only for string, integer and number options")
    choices = option.get("choices") or []
    wanted = _CHOICE_TYPES.get(kind) if isinstance(kind, int) else None
    if choices and wanted is None:
        refuse("choices", "choices are only for string, integer and number options")
    elif choices and wanted is not None:
        for c, choice in enumerate(choices):
            value = choice.get("value")
            if not isinstance(value, wanted) or isinstance(value, bool):
                refuse("choices", f"choice {c} has a value of the wrong type")
    if option.get("channel_types") is not None and kind != CHANNEL:
        refuse("channel_types", "channel_types is only for channel options")


def _longest(item: JSON, key: str) -> int:
    """A field's size: the longest of its default and its localisations, as Discord counts."""
    texts = [_text(item.get(key))] + [
        _text(v) for v in (item.get(f"{key}_localizations") or {}).values()
    ]
    return max(len(t) for t in texts)


def command_size(command: JSON) -> int:
    """Characters of name, description and choice values, over the command and all options."""
    size = _longest(command, "name") + _longest(command, "description")
    for option in command.get("options") or []:
        size += command_size(option)
        for choice in option.get("choices") or []:
            size += _longest(choice, "name") + len(str(choice.get("value", "")))
    return size
