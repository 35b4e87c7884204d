"""The search query sets and how an answer is judged against them.

- ``queries.toml`` and ``queries_second.toml``: keyword, name, typo and speaker
  look-ups of all three commands; both have been tuned against.
- ``questions_tuning.toml``: reader questions the ranking constants are tuned on.
- ``questions_heldout.toml``: reader questions written before tuning and never
  tuned on: only measured (``make bench``) and checked against issue 12's goals.
- ``questions_other/<essay>.toml``: reader questions on other essays of the test
  corpus, so the ranking is not fitted to one text. Tuning may look at them
  (issue 12's lexical ranking did); each file says how it was written.

Shared by the quality tests and the benchmark, which also judges the baselines
with the same rules.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.core.model import Document, Library, Paragraph, Section
from bot.core.search import PassageHit, QuoteHit, SearchIndex, SectionHit, fold
from bot.core.text import split_sentences

QUERIES = Path(__file__).with_name("queries.toml")
SECOND = Path(__file__).with_name("queries_second.toml")
QUESTIONS_TUNING = Path(__file__).with_name("questions_tuning.toml")
QUESTIONS_HELDOUT = Path(__file__).with_name("questions_heldout.toml")
# Reader questions on other essays, one file per essay of the test corpus
# (``tests/corpus/essays/<id>/truth.json``), named after it.
QUESTIONS_OTHER = Path(__file__).with_name("questions_other")
CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "essays"

Command = Literal["quote", "section", "search"]


@dataclass(frozen=True, slots=True)
class Expected:
    """What the right answer is, by citation or by the words it contains."""

    text: str | None = None
    kind: str | None = None
    section: int | None = None
    paragraph: int | None = None
    # The right answer is no answer at all (an off-topic question).
    nothing: bool = False
    # Other (section, paragraph) places that answer a question just as well.
    also: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    command: Command
    query: str
    case: str
    expect: Expected
    speaker: str | None = None

    def __str__(self) -> str:
        who = f" --speaker {self.speaker!r}" if self.speaker else ""
        return f"{self.command} {self.query!r}{who} [{self.case}]"


@dataclass(frozen=True, slots=True)
class Answer:
    """One ranked answer reduced to what ``Expected`` can check."""

    text: str | None
    kind: str | None
    section: int
    paragraph: int | None


def load_cases(path: Path = QUERIES) -> list[Case]:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Case(
            command=item["command"],
            query=item["query"],
            case=item["case"],
            speaker=item.get("speaker"),
            expect=_expected(item["expect"]),
        )
        for item in data["query"]
    ]


def _expected(table: dict[str, Any]) -> Expected:
    also = tuple((int(s), int(p)) for s, p in table.get("also", ()))
    return Expected(**{k: v for k, v in table.items() if k != "also"}, also=also)


def matches(answer: Answer, expect: Expected) -> bool:
    if (answer.section, answer.paragraph) in expect.also:
        return True
    if expect.section is not None and answer.section != expect.section:
        return False
    if expect.paragraph is not None and answer.paragraph != expect.paragraph:
        return False
    if expect.kind is not None and answer.kind != expect.kind:
        return False
    return expect.text is None or (
        answer.text is not None and fold(expect.text) in fold(answer.text)
    )


def rank(answers: Sequence[Answer], expect: Expected) -> int | None:
    """1-based rank of the first right answer, or None.

    When nothing is expected, an empty answer list counts as rank 1.
    """
    if expect.nothing:
        return None if answers else 1
    for i, answer in enumerate(answers, 1):
        if matches(answer, expect):
            return i
    return None


def answer(hit: QuoteHit | SectionHit | PassageHit) -> Answer:
    if isinstance(hit, QuoteHit):
        return Answer(hit.text, hit.kind, hit.section, hit.paragraph)
    if isinstance(hit, SectionHit):
        return Answer(hit.title, None, hit.number, None)
    return Answer(hit.text, "passage", hit.section, hit.paragraph)


def ask(index: SearchIndex, case: Case, limit: int = 3) -> list[Answer]:
    """The engine's answers, through the same calls the CLI makes."""
    hits: Sequence[QuoteHit | SectionHit | PassageHit]
    if case.command == "quote":
        hits = index.quotes(case.query, speaker=case.speaker, limit=limit)
    elif case.command == "section":
        hits = index.sections(case.query, limit=limit)
    else:
        hits = index.passages(case.query, limit=limit)
    return [answer(h) for h in hits]


@dataclass(frozen=True, slots=True)
class Accuracy:
    total: int
    top1: int
    top3: int
    misses: tuple[str, ...]
    # Mean reciprocal rank over the answers looked at (3 unless told).
    mrr: float = 0.0
    # Queries that got no answer at all.
    empty: int = 0

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total


def accuracy(cases: Sequence[Case], ranks: Sequence[int | None], empty: int = 0) -> Accuracy:
    misses = tuple(
        f"{c} -> rank {r}" for c, r in zip(cases, ranks, strict=True) if r is None or r > 1
    )
    return Accuracy(
        total=len(cases),
        top1=sum(1 for r in ranks if r == 1),
        top3=sum(1 for r in ranks if r is not None and r <= 3),
        misses=misses,
        mrr=sum(1.0 / r for r in ranks if r is not None) / max(len(cases), 1),
        empty=empty,
    )


def measure(index: SearchIndex, cases: Sequence[Case]) -> Accuracy:
    """The engine's accuracy on ``cases``, through the CLI's calls."""
    answers = [ask(index, case) for case in cases]
    ranks = [rank(a, case.expect) for a, case in zip(answers, cases, strict=True)]
    empty = sum(
        1 for a, case in zip(answers, cases, strict=True) if not a and not case.expect.nothing
    )
    return accuracy(cases, ranks, empty)


def other_essays() -> list[tuple[Library, list[Case]]]:
    """Each corpus essay that has reader questions, as a library of its own."""
    out = []
    for path in sorted(QUESTIONS_OTHER.glob("*.toml")):
        out.append((Library((corpus_essay(path.stem),)), load_cases(path)))
    return out


def corpus_essay(essay: str) -> Document:
    """A corpus essay built from its truth (sections and paragraphs as written).

    Built from the source, not from a PDF, so the questions measure search, not
    ingest; an untitled opening section takes the essay's title.
    """
    truth: dict[str, Any] = json.loads((CORPUS / essay / "truth.json").read_text("utf-8"))
    sections = tuple(
        Section(
            n,
            s["title"] or truth["title"],
            tuple(
                Paragraph(i, text, split_sentences(text))
                for i, text in enumerate(s["paragraphs"], 1)
            ),
        )
        for n, s in enumerate(truth["sections"], 1)
    )
    return Document(
        id=truth["id"],
        title=truth["title"],
        subtitle=truth.get("subtitle"),
        author=truth["author"],
        sections=sections,
        quotes=(),
    )
