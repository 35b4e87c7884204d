"""Prompt behaviour: validation, duplicates, sections, linking, draws, permissions, export."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.core.errors import Forbidden, InvalidInput, NotFound
from bot.core.model import Document, Library
from bot.core.prompts import (
    BUILTIN_AUTHOR,
    BuiltinPrompt,
    BuiltinPromptError,
    PromptService,
    PromptStore,
    SimilarPrompt,
    load_builtin_prompts,
    parse_builtin_prompts,
    validate_prompt_text,
)
from bot.core.search import SearchIndex
from bot.core.text import fold
from tests.core.search.factories import document, library

ROOT = Path(__file__).resolve().parents[2]
DOC = "test-essay"
BUILTINS = (
    BuiltinPrompt(f"{DOC}/bridges", DOC, 1, "Who should maintain a bridge that two towns share?"),
    BuiltinPrompt(f"{DOC}/pipes", DOC, 2, "Does a pipeline make neighbours closer or warier?", 1),
)


def make_library() -> Library:
    """Three sections with distinct vocabularies, so each query has one right answer."""
    return library(
        document(
            [
                (
                    "Opening Remarks",
                    [
                        "Two towns share a river and a bridge built by their grandparents.",
                        "Their festivals mirror each other every summer.",
                    ],
                ),
                (
                    "Trade and Energy",
                    [
                        "A pipeline carries gas under the mountains to the coast.",
                        "The railway line opened markets for farmers in both valleys.",
                    ],
                ),
                (
                    "A Time of Trouble",
                    [
                        "Talks with a distant rival broke the old trust for a while.",
                        "Signed protocols were never ratified and the border stayed closed.",
                    ],
                ),
            ],
            doc_id=DOC,
            title="Rivers and Bridges",
        )
    )


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(make_library())


@pytest.fixture
def service(store: PromptStore, index: SearchIndex) -> PromptService:
    return PromptService(store, index, BUILTINS, rng=random.Random(5))


async def propose(
    service: PromptService,
    text: str,
    *,
    guild: str = "G1",
    author: str = "100",
    section: str | None = None,
) -> int:
    prompt, created = await service.add(
        guild=guild, channel="7", author=author, text=text, section=section
    )
    assert created
    return prompt.number


# --- what a prompt may say ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "can't be empty"),
        (" \t\n \u200b\u200d\u2060\ufeff \u202e ", "can't be empty"),
        ("Too short", "at least 10 characters (this one has 9)"),
        ("x" * 1001, "at most 1000 characters (this one has 1001)"),
        ("@everyone what do you make of the motto?", "can't mention anyone"),
        ("@\u200beveryone hidden behind a zero-width space", "can't mention anyone"),
        ("Hey @here, is trade the real glue?", "can't mention anyone"),
        ("<@123456789012345678> what do you think of this?", "can't mention anyone"),
        ("<@&123456789012345678> role ping inside a prompt", "can't mention anyone"),
        ("**__~~||``>>##**__~~||", "needs words"),
        ("1234567890 ?!", "needs words"),
    ],
)
async def test_bad_text_is_refused_with_a_clear_message_and_nothing_stored(
    service: PromptService, store: PromptStore, raw: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        await service.add(guild="G1", channel=None, author="1", text=raw)
    assert await store.count("G1", include_removed=True) == 0
    assert await store.events("G1") == []


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Ten chars!", "Ten chars!"),
        ("y" * 1000, "y" * 1000),
        ("  " + "z" * 999 + "?  ", "z" * 999 + "?"),  # trimmed to 1000: allowed
        ("Is **this** the _real_ [glue](http://example.com)?", None),  # markdown kept as typed
        ('Robert\'); DROP TABLE prompts;-- is this "safe"? 100%', None),
        ("Is\u200b the\u202e border\u2066 really   closed?\n", "Is the border really closed?"),
        ("Email me: someone@example.com about this", None),
    ],
)
async def test_acceptable_text_is_stored_exactly_as_cleaned(
    service: PromptService, store: PromptStore, raw: str, stored: str | None
) -> None:
    prompt, created = await service.add(guild="G1", channel=None, author="1", text=raw)
    assert created
    expected = stored if stored is not None else raw
    assert prompt.text == expected
    again = await store.get("G1", prompt.number)
    assert again is not None
    assert again.text == expected
    assert await store.count("G1") == 1  # the SQL in the text did nothing


def test_validation_is_the_same_function_every_front_end_uses() -> None:
    assert validate_prompt_text("  A  question\u200b with   spaces ") == "A question with spaces"


# --- duplicates --------------------------------------------------------------------------


async def test_a_duplicate_in_the_same_server_returns_the_existing_prompt(
    service: PromptService, store: PromptStore
) -> None:
    number = await propose(service, "Who owns the river between two towns?")
    again, created = await service.add(
        guild="G1", channel=None, author="200", text="  who OWNS the   river between two towns? "
    )
    assert (again.number, again.author, created) == (number, "100", False)
    assert await store.count("G1") == 1
    assert await propose(service, "Who owns the river between two towns?", guild="G2") == 1


async def test_proposing_a_built_in_prompt_points_to_it_and_stores_nothing(
    service: PromptService, store: PromptStore
) -> None:
    prompt, created = await service.add(
        guild="G1", channel=None, author="1", text=BUILTINS[0].text.upper()
    )
    assert not created
    assert prompt.builtin
    assert (prompt.number, prompt.author, prompt.section) == (0, BUILTIN_AUTHOR, 1)
    assert await store.count("G1", include_removed=True) == 0


# --- sections and linking ----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "number"), [("2", 2), ("§ 3", 3), ("§2", 2), ("trouble", 3)])
def test_sections_resolve_from_a_number_or_a_title(
    service: PromptService, typed: str, number: int
) -> None:
    assert service.resolve_section(typed) == (DOC, number)


@pytest.mark.parametrize(
    ("typed", "error", "message"),
    [
        ("9", NotFound, "no section 9; sections run from 1 to 3"),
        ("0", NotFound, "no section 0"),
        ("⁹", NotFound, "There is no section 9"),  # folded like any digit, as /section does
        ("volcanoes", NotFound, "No section matches “volcanoes”"),
    ],
)
async def test_an_unknown_section_is_refused_and_nothing_is_stored(
    service: PromptService,
    store: PromptStore,
    typed: str,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        await service.add(
            guild="G1", channel=None, author="1", text="A fine question here?", section=typed
        )
    assert await store.count("G1", include_removed=True) == 0


async def test_a_blank_section_means_no_section(service: PromptService) -> None:
    prompt, _ = await service.add(
        guild="G1",
        channel=None,
        author="1",
        text="Were the protocols ratified?",
        section=" \u200b ",
    )
    assert prompt.section == 3
    with pytest.raises(InvalidInput, match="Name a section"):
        service.resolve_section(" \u200b ")


async def test_without_a_section_a_prompt_links_to_its_best_passage(
    service: PromptService,
) -> None:
    prompt, _ = await service.add(
        guild="G1", channel=None, author="1", text="Were the protocols ever ratified, and why not?"
    )
    assert (prompt.document, prompt.section, prompt.paragraph) == (DOC, 3, 2)


async def test_with_a_section_the_link_stays_inside_it(service: PromptService) -> None:
    # Both halves quote a paragraph: the first wins overall, the second within § 2.
    text = (
        "Two towns share a river and a bridge built by their grandparents, and the railway"
        " line opened markets for farmers in both valleys: which mattered more?"
    )
    anywhere, _ = await service.add(guild="G1", channel=None, author="1", text=text)
    assert (anywhere.document, anywhere.section, anywhere.paragraph) == (DOC, 1, 1)
    inside, _ = await service.add(guild="G2", channel=None, author="1", text=text, section="2")
    assert (inside.document, inside.section, inside.paragraph) == (DOC, 2, 2)


async def test_a_prompt_that_matches_no_passage_keeps_what_is_known(
    service: PromptService,
) -> None:
    loose, _ = await service.add(
        guild="G1", channel=None, author="1", text="Quelque chose d'entièrement différent?"
    )
    assert (loose.document, loose.section, loose.paragraph) == (None, None, None)
    placed, _ = await service.add(
        guild="G1",
        channel=None,
        author="1",
        text="Nothing here matches at all, sadly?",
        section="2",
    )
    assert (placed.document, placed.section, placed.paragraph) == (DOC, 2, None)


async def test_a_long_prompt_is_linked_with_a_query_retrieval_accepts(
    service: PromptService,
) -> None:
    # The index refuses queries over 300 characters; the service must cut, not give up.
    text = "Talks with a distant rival broke the old trust for a while: why? " * 15
    assert 300 < len(text.strip()) <= 1000
    prompt, _ = await service.add(guild="G1", channel=None, author="1", text=text)
    assert (prompt.document, prompt.section, prompt.paragraph) == (DOC, 3, 1)


# --- drawing and posting -----------------------------------------------------------------


async def test_random_draws_open_prompts_of_this_server_and_built_ins_and_logs_posts(
    service: PromptService, store: PromptStore
) -> None:
    await propose(service, "What do the summer festivals say about the towns?")
    await propose(service, "A removed prompt should never be drawn, right?")
    await propose(service, "Another server's prompt must never be drawn here", guild="G2")
    await service.remove(guild="G1", number=2, actor="100", can_moderate=False)
    drawn: Counter[str] = Counter()
    for _ in range(120):
        prompt = await service.random(guild="G1", channel="9", actor="300")
        assert prompt.guild == "G1"
        drawn[prompt.text] += 1
    assert set(drawn) == {"What do the summer festivals say about the towns?"} | {
        b.text for b in BUILTINS
    }
    posts = [e for e in await store.events("G1") if e.kind == "posted"]
    assert len(posts) == 120
    assert all((e.actor, e.channel) == ("300", "9") for e in posts)
    assert {e.builtin for e in posts if e.builtin} == {b.id for b in BUILTINS}
    assert {e.number for e in posts if e.number} == {1}
    assert [e.kind for e in await store.events("G2")] == ["submitted"]


async def test_random_by_section_stays_in_that_section(service: PromptService) -> None:
    await propose(service, "Who pays when the pipeline needs repairs?", section="2")
    await propose(service, "Were the talks with the rival a mistake?", section="3")
    for _ in range(30):
        assert (await service.random(guild="G1", channel=None, actor="1", section="2")).section == 2
    third = {
        (await service.random(guild="G1", channel=None, actor="1", section="trouble")).text
        for _ in range(10)
    }
    assert third == {"Were the talks with the rival a mistake?"}


async def test_random_with_nothing_to_draw_says_so(store: PromptStore, index: SearchIndex) -> None:
    bare = PromptService(store, index)
    with pytest.raises(NotFound, match="no prompts for that section"):
        await bare.random(guild="G1", channel=None, actor="1")
    assert await store.events("G1") == []


async def test_built_in_prompts_are_linked_to_a_paragraph_of_their_section(
    service: PromptService,
) -> None:
    assert [(b.section, b.paragraph) for b in service.builtins] == [(1, 1), (2, 1)]


def test_built_ins_naming_a_missing_section_are_dropped(
    store: PromptStore, index: SearchIndex
) -> None:
    stray = BuiltinPrompt("other/x", "other", 1, "A prompt for an essay we do not have?")
    beyond = BuiltinPrompt(f"{DOC}/y", DOC, 4, "A prompt for a section that is not there?")
    kept = PromptService(store, index, (*BUILTINS, stray, beyond)).builtins
    assert [b.id for b in kept] == [b.id for b in BUILTINS]


# --- remove, restore, list ---------------------------------------------------------------


async def test_the_author_may_remove_and_restore_their_prompt(
    service: PromptService, store: PromptStore
) -> None:
    number = await propose(service, "Is a shared enemy a good basis for friendship?")
    removed = await service.remove(guild="G1", number=number, actor="100", can_moderate=False)
    assert removed.status == "removed"
    restored = await service.restore(guild="G1", number=number, actor="100", can_moderate=False)
    assert restored.status == "open"
    kinds = [(e.kind, e.actor) for e in await store.events("G1")]
    assert kinds == [("submitted", "100"), ("removed", "100"), ("restored", "100")]


async def test_others_are_refused_unless_they_moderate(
    service: PromptService, store: PromptStore
) -> None:
    number = await propose(service, "Is a shared enemy a good basis for friendship?")
    with pytest.raises(Forbidden, match="Only the author of prompt #1 or a moderator"):
        await service.remove(guild="G1", number=number, actor="999", can_moderate=False)
    prompt = await store.get("G1", number)
    assert prompt is not None
    assert prompt.status == "open"
    assert len(await store.events("G1")) == 1
    await service.remove(guild="G1", number=number, actor="999", can_moderate=True)
    with pytest.raises(Forbidden, match="can restore it"):
        await service.restore(guild="G1", number=number, actor="555", can_moderate=False)
    await service.restore(guild="G1", number=number, actor="999", can_moderate=True)


@pytest.mark.parametrize("number", [2, 0, -1, 10**12])
async def test_an_unknown_number_or_another_servers_number_is_not_found(
    service: PromptService, store: PromptStore, number: int
) -> None:
    await propose(service, "A prompt in the other server, number one", guild="G2")
    await propose(service, "Another question kept over there, the second", guild="G2")
    await propose(service, "The only prompt in this server")
    for action in (service.remove, service.restore):
        with pytest.raises(NotFound, match=f"This server has no prompt #{number}."):
            await action(guild="G1", number=number, actor="100", can_moderate=True)
    assert [p.status for p in await store.list("G2")] == ["open", "open"]
    assert len(await store.events("G1")) + len(await store.events("G2")) == 3


async def test_list_filters_by_section_and_author_newest_first(service: PromptService) -> None:
    await propose(service, "Who pays when the pipeline needs repairs?", section="2")
    await propose(service, "Are festivals enough to keep towns close?", author="200")
    await propose(service, "Does the railway help the farmers most?", section="trade")
    await service.remove(guild="G1", number=3, actor="100", can_moderate=False)
    assert [p.number for p in await service.list(guild="G1")] == [2, 1]
    assert [p.number for p in await service.list(guild="G1", include_removed=True)] == [3, 2, 1]
    assert [p.number for p in await service.list(guild="G1", section="2")] == [1]
    assert [p.number for p in await service.list(guild="G1", author="200")] == [2]
    assert [p.number for p in await service.list(guild="G1", limit=1, offset=1)] == [1]
    assert await service.count(guild="G1", section="§ 2", include_removed=True) == 2
    assert await service.list(guild="G2") == []


# --- export -------------------------------------------------------------------------------


async def test_export_has_this_servers_prompts_and_whole_log_and_nothing_else(
    service: PromptService,
) -> None:
    await propose(service, '=HYPERLINK("http://x") is a formula, not a question?')
    await propose(service, "Another server's prompt must not be exported", guild="G2")
    await service.remove(guild="G1", number=1, actor="100", can_moderate=False, channel="4")
    await service.restore(guild="G1", number=1, actor="100", can_moderate=False)
    service_rng_draws = [await service.random(guild="G1", channel="5", actor="6") for _ in range(8)]
    as_csv, as_json = await service.export(guild="G1")

    rows = list(csv.DictReader(io.StringIO(as_csv.decode("utf-8"))))
    assert [r["event"] for r in rows[:3]] == ["submitted", "removed", "restored"]
    assert len(rows) == 3 + len(service_rng_draws)
    assert rows[0]["text"].startswith("'=HYPERLINK")  # neutralised for spreadsheets
    assert rows[1]["channel"] == "4"
    assert all("other server" not in r["text"] for r in rows)
    builtin_rows = [r for r in rows if r["builtin"]]
    assert all(r["author"] == BUILTIN_AUTHOR and r["text"] for r in builtin_rows)

    data = json.loads(as_json)
    assert data["guild"] == "G1"
    (prompt,) = data["prompts"]
    assert prompt["text"].startswith("=HYPERLINK")  # JSON keeps the text exact
    assert [e["kind"] for e in prompt["events"]][:3] == ["submitted", "removed", "restored"]
    assert len(data["builtin_posts"]) == len(builtin_rows)


async def test_each_csv_row_shows_the_status_after_its_event(service: PromptService) -> None:
    """A spreadsheet of the log: read row by row, it tells the prompt's story."""
    await propose(service, "Can a shared song outlast a quarrel?")
    await service.remove(guild="G1", number=1, actor="100", can_moderate=False)
    await service.store.log_posted(guild="G1", number=1, actor="9", channel=None)
    await service.restore(guild="G1", number=1, actor="100", can_moderate=False)
    await service.store.log_posted(guild="G1", number=1, actor="9", channel=None)
    await service.remove(guild="G1", number=1, actor="100", can_moderate=False)
    as_csv, _ = await service.export(guild="G1")
    rows = list(csv.DictReader(io.StringIO(as_csv.decode("utf-8"))))
    assert [(r["event"], r["status"]) for r in rows] == [
        ("submitted", "open"),
        ("removed", "removed"),
        ("posted", "removed"),
        ("restored", "open"),
        ("posted", "open"),
        ("removed", "removed"),
    ]


# --- built-in prompts file ---------------------------------------------------------------


def test_the_seed_prompts_cover_every_section_of_every_essay(essay: Document) -> None:
    prompts, problems = load_builtin_prompts(ROOT / "seeds")
    assert problems == ()
    mine = [p for p in prompts if p.document == essay.id]
    per_section = Counter(p.section for p in mine)
    assert all(per_section[s.number] >= 2 for s in essay.sections), per_section
    for prompt in mine:
        section = essay.section(prompt.section)
        assert prompt.section <= len(essay.sections)
        assert prompt.paragraph is None or prompt.paragraph <= len(section.paragraphs)


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "essay.prompts.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


GOOD_TEXT = "A perfectly fine open question?"
GOOD = {"id": "a", "section": 1, "text": GOOD_TEXT}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read"),
        ({"prompt": [GOOD]}, "expected an object"),
        ({"prompts": []}, "non-empty list"),
        ({"prompts": [GOOD, GOOD]}, "unique lowercase slug"),
        ({"prompts": [{**GOOD, "id": "Has Spaces"}]}, "unique lowercase slug"),
        ({"prompts": [{**GOOD, "section": 0}]}, "section must be a number"),
        ({"prompts": [{**GOOD, "section": True}]}, "section must be a number"),
        ({"prompts": [{**GOOD, "paragraph": "2"}]}, "paragraph must be a number"),
        ({"prompts": [{**GOOD, "text": "short"}]}, "at least 10 characters"),
        ({"prompts": [{**GOOD, "text": "Two  spaces inside it?"}]}, "stray spaces"),
        ({"prompts": [{**GOOD, "colour": "red"}]}, "expected keys"),
        ({"prompts": [GOOD, {**GOOD, "id": "b", "text": GOOD_TEXT.upper()}]}, "same text"),
    ],
)
def test_a_malformed_prompts_file_is_refused_with_the_reason(
    tmp_path: Path, content: object, message: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(BuiltinPromptError, match=re.escape(message)):
        parse_builtin_prompts(path)
    prompts, problems = load_builtin_prompts(tmp_path)
    assert prompts == ()
    assert [p.path for p in problems] == [str(path)]


def test_a_good_prompts_file_names_its_document_after_the_file(tmp_path: Path) -> None:
    (prompt,) = parse_builtin_prompts(write(tmp_path, {"note": "hi", "prompts": [GOOD]}))
    assert prompt == BuiltinPrompt("essay/a", "essay", 1, GOOD_TEXT)


# --- nearly the same as a prompt the server has ---------------------------------------------


@pytest.mark.parametrize(
    "again",
    [
        "is a shared RIVER, a reason for friendship",  # case and punctuation
        "Is a shared rivér a reason for friendship?!",  # diacritics
        "Is a shared river really a reason for friendship?",  # one word more
    ],
)
async def test_a_near_duplicate_is_refused_naming_the_one_here(
    service: PromptService, store: PromptStore, again: str
) -> None:
    await propose(service, "Tell me: who keeps the bridge?")
    first = await propose(service, "Is a shared river a reason for friendship?")
    with pytest.raises(SimilarPrompt, match=rf"^Similar to #{first}: Is a shared river") as refused:
        await service.add(guild="G1", channel=None, author="2", text=again)
    assert refused.value.similar.number == first
    assert await store.count("G1") == 2


async def test_force_adds_a_near_duplicate_and_other_servers_and_texts_are_free(
    service: PromptService, store: PromptStore
) -> None:
    await propose(service, "Is a shared river a reason for friendship?")
    again = "is a shared river a reason for friendship, really"
    prompt, created = await service.add(
        guild="G1", channel=None, author="2", text=again, force=True
    )
    assert (prompt.number, created) == (2, True)
    assert await propose(service, again, guild="G2") == 1  # another server has its own
    assert await propose(service, "What did the pipeline change for the farmers?") == 3
    # An exact repeat is not "similar": it is the prompt already there.
    same, created = await service.add(
        guild="G1", channel=None, author="3", text="IS A SHARED RIVER A REASON FOR FRIENDSHIP?"
    )
    assert (same.number, created) == (1, False)


def test_fold_drops_case_diacritics_and_punctuation() -> None:
    assert fold("Élan — “VITAL”, n'est-ce pas?") == "elan vital n est ce pas"
