"""Finding the quotations of named people, and who said each one.

A quotation is spoken when the words before it, in its own sentence, name a speaker
with a verb of saying ("Atatürk famously said", "Çavuşoglu again:", "he had
announced that"), or when a passive in the next sentence does ("First pronounced
by ..."), or the agent of a passive earlier in its sentence ("vetoed by President X
as", "summed up by Senator X, when he moved ..."). The second half of a split
quotation (“A,” said X; “B.”), the next of a list (“A,” “B,” and “C”) and "Or,
again, “…”" keep the speaker; an answer said by "he" or "she" right after a
quotation said to someone ("I turned to X and said, “…” “…,” said he") is theirs.
A quotation that is a sentence of its own takes the person the sentence before
introduces (its subject with a verb of saying, or "I will quote X"). Names are
learnt from the text itself: a capitalised run that says something, follows a title
such as "president", stands in apposition to a role ("his successor, X,"), or is
one a relative "who" is said of. A surname or a pronoun resolves to the person the
text last named as a subject (a chain of pronouns carries it back; a first name two
people share stops it; a chain that runs back past every name ends at the person
the essay's title names, if it names one); the speaker is given by the fullest name
the essay uses for that person, as it first gives it. Quoted phrases with no
speaker (document wording, scare quotes, titles) are left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TypeAlias

_WORD_CHAR = re.compile(r"\w")
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_NAME_TOKEN = r"[^\W\d_][\w’'-]*"
_VERBS = (
    "said says stated states declared declares announced announces added adds defined "
    "defines described describes noted notes remarked remarks told tells asserted asserts "
    "claimed claims stressed stresses emphasized emphasised pronounced replied insisted "
    "warned explained wrote writes proclaimed affirmed recalled observed observes argued argues "
    "answered asked asks concluded admitted commented acknowledged maintained predicted "
    "promised complained conceded responded suggested suggests recounted reported "
    "cried exclaimed shouted whispered murmured commanded called calls sums say insists "
    "addressed summed"
).split()
_VERB = re.compile(r"\b(" + "|".join(_VERBS) + r")\b")
_VERB_SET = frozenset(_VERBS)
_PASSIVE = re.compile(
    r"\b(?:"
    + "|".join(_VERBS)
    + r"|coined|uttered)(?:\s+up)?\s+by\s+((?:"
    + _NAME_TOKEN
    + r"\s?){1,4})"
)
_PRONOUNS = frozenset({"he", "she"})
#: Pronouns that name nobody the registry could know (the author, a crowd).
_ALL_PRONOUNS = _PRONOUNS | frozenset("i we they you it one".split())
#: The subject is a pronoun that stands for no named person: no speaker, and no
#: looking elsewhere for one.
_NOBODY = "\x00nobody"
#: How far back (in characters, about a hundred words) a pronoun finds the person it
#: stands for, or another pronoun of the same person.
_PRONOUN_REACH = 600
#: The forms of each pronoun that carry a reference back.
_CHAINS = {
    "he": re.compile(r"\b(?:[Hh]e|[Hh]is|him|himself)\b"),
    "she": re.compile(r"\b(?:[Ss]he|[Hh]er|hers|herself)\b"),
}
#: Words that name a body of people or an institution, not a person.
_BODIES = frozenset(
    "congress senate government bureau committee party union confederation ministry council "
    "church army navy court department office association university company league "
    "parliament assembly commission board society institute republic kingdom empire states "
    "nation nations people press administration cabinet center centre foundation museum "
    "library hall square street avenue road school college academy airport station bridge "
    "park seminary".split()
)
#: Words before a name that make it an object, not who speaks ("looked at Crummell").
_OBJECT_MARKERS = frozenset(
    "at to with by for from of on about against toward towards between among upon into "
    "than like".split()
)
#: Words between a subject and its verb that do not break the link.
_FILLER = frozenset(
    "had has have also again later then once publicly already repeatedly even just "
    "minutes days weeks months years".split()
)
_TITLES = frozenset(
    "president presidents minister ministers premier chancellor ambassador chairman "
    "chairwoman secretary king queen prince general senator governor mayor leader spokesman "
    "spokeswoman founder foreign defense defence prime deputy vice state bishop archbishop "
    "reverend professor captain colonel major lord lady sir judge justice dean emperor duke "
    "mr mrs miss dr".split()
)
_NOT_NAMES = frozenset(
    "the a an this that these those both each every one some any all his her its their our "
    "my your in on at for to from with by of and or but as if when while after before during "
    "although though because since thus yet so first second third fourth finally "
    "nobody somebody someone everyone everybody anyone anybody none".split()
)
_LOCATIVE = frozenset("in from into within across throughout near".split())


@dataclass(slots=True)
class Person:
    full_name: str
    first_seen: int
    forms: set[str] = field(default_factory=set)

    @property
    def surname(self) -> str:
        return self.full_name.split()[-1]


@dataclass(frozen=True, slots=True)
class Mention:
    """A quotation found in a paragraph, with its speaker (or ``None``)."""

    paragraph_index: int
    start: int
    text: str
    speaker: str | None


#: A mention of someone the text does not say who is ("Henry", given to two men).
_SOMEONE = Person("", -1)


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _leading_name(text: str) -> str | None:
    """The capitalised run that starts ``text`` (a passive's agent: "by Heydar Aliyev, it")."""
    run: list[str] = []
    for token in re.findall(_NAME_TOKEN + r"|[,:;.]", text):
        if token == "." and run and run[-1].casefold() in _TITLES:
            continue  # "Mr. Ada Moss"
        if not _is_capitalised(token):
            break
        run.append(token)
    while run and (run[0].casefold() in _TITLES or run[0].casefold() in _NOT_NAMES):
        run.pop(0)
    return " ".join(run) or None


def _trailing_name(text: str) -> str | None:
    """The capitalised run that ends ``text`` (skipping fillers and commas), if any."""
    tokens: list[str] = re.findall(_NAME_TOKEN + r"|[,:;.]", text)
    while tokens and (
        tokens[-1] in {",", ":"} or tokens[-1].casefold() in _FILLER or tokens[-1].endswith("ly")
    ):
        tokens.pop()
    run: list[str] = []
    while tokens and _is_capitalised(tokens[-1]) and tokens[-1] not in {",", ";", "."}:
        run.insert(0, tokens.pop())
    while run and (run[0].casefold() in _TITLES or run[0].casefold() in _NOT_NAMES):
        run.pop(0)
    if len(run) == 1 and run[0].casefold() in _ALL_PRONOUNS:
        # "He said": a pronoun that starts its sentence, not a name.
        tokens.append(run.pop())
    if not run:
        if tokens and tokens[-1].casefold() in _ALL_PRONOUNS:
            word = tokens[-1].casefold()
            # "I", "we", "they" speak for no one the text names: no speaker.
            return word if word in _PRONOUNS else _NOBODY
        return None
    return " ".join(run)


class _Registry:
    """The people the essay names, learnt from the text, and who was named last."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.people: dict[str, Person] = {}
        #: The person the essay is about (its title names them), once the text is read.
        self.subject: str | None = None
        #: First names the text gives to two people: who is meant, it does not say.
        self.ambiguous: set[str] = set()
        self._places = self._locative_words(text)

    @staticmethod
    def _locative_words(text: str) -> set[str]:
        """Capitalised words the text puts after "in", "to", "from"...: places, not people."""
        tokens = re.findall(_NAME_TOKEN, text)
        return {
            word.split("’")[0]
            for before, word in pairwise(tokens)
            if before.casefold() in _LOCATIVE and _is_capitalised(word)
        }

    def plausible(self, name: str) -> bool:
        """Could be a person: not a pronoun, not a place the text puts things in, not a
        body of people ("Congress", "the Bureau", "the Confederation")."""
        if name in _PRONOUNS or name == _NOBODY:
            return False
        tokens = name.split()
        if any(token.casefold() in _BODIES for token in tokens):
            return False
        return not (len(tokens) == 1 and tokens[0] in self._places)

    def learn(self, name: str, position: int) -> None:
        if not self.plausible(name):
            return
        if len(name.split()) == 1 and _is_capitalised(name):
            # A first name the text also gives in full: that person (or, given to two
            # people, nobody to learn).
            fuller = self._full_names_before(name, len(self.text))
            if len(fuller) > 1:
                self.ambiguous.add(name)
                return
            if fuller and not any(p.surname == name for p in self.people.values()):
                name = fuller[0]
        surname = name.split()[-1]
        for person in self.people.values():
            if person.surname == surname and (
                len(name.split()) == 1
                or len(person.full_name.split()) == 1
                or name == person.full_name
            ):
                person.forms.add(name)
                if len(name.split()) > len(person.full_name.split()):
                    person.full_name = name
                    person.first_seen = position
                return
        self.people[name] = Person(name, position, {name})

    def named_in(self, title: str) -> str | None:
        """The one person of the text that ``title`` names ("Of Ada Moss"), if one."""
        named = {
            person.full_name
            for person in self.people.values()
            if re.search(r"(?<!\w)" + re.escape(person.surname) + r"(?!\w)", title)
        }
        return named.pop() if len(named) == 1 else None

    def only_person(self, text: str) -> str | None:
        """The one person ``text`` names, if it names exactly one ("the sentence of
        Ada Moss, which runs as follows:")."""
        named = {
            person.full_name
            for person in self.people.values()
            for form in person.forms | {person.full_name, person.surname}
            if re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text)
        }
        return named.pop() if len(named) == 1 else None

    def mentions(self) -> list[tuple[int, Person]]:
        found: list[tuple[int, Person]] = []
        for person in self.people.values():
            for form in person.forms | {person.full_name, person.surname}:
                for match in _words(re.escape(form) + r"(?!\w)", self.text):
                    found.append((match.start(), person))
        for name in self.ambiguous:
            for match in _words(re.escape(name) + r"(?!\w)", self.text):
                found.append((match.start(), _SOMEONE))
        return sorted(found, key=lambda item: item[0])

    def _full_names_before(self, first: str, position: int) -> list[str]:
        """The full name the text gave, before ``position``, to someone it now calls by a
        first name alone ("Henry Harris, John Harris" ... "said Henry")."""
        pattern = re.escape(first) + r"\s+([A-Z][\w’'-]+)"
        found = [m.group(1) for m in _words(pattern, self.text, position)]
        surnames = {s for s in found if s.casefold() not in _BODIES and s not in self._places}
        # Two Henrys named before: which one speaks, the text does not say.
        return sorted(f"{first} {surname}" for surname in surnames)

    def _object_at(self, position: int) -> bool:
        """The name at ``position`` follows a preposition: an object ("looked at Anna
        Berg", the surname's mention too), not who acts."""
        before = self.text[max(0, position - 60) : position].split()
        while before and _is_capitalised(before[-1]):
            before.pop()
        if not before or before[-1].casefold() not in _OBJECT_MARKERS:
            return False
        # "for Ada Moss to say": the subject of an infinitive acts.
        after = re.match(r"(?:[A-Z][\w’'.-]*\s+)+to\s", self.text[position : position + 60])
        return not (before[-1].casefold() == "for" and after)

    def resolve(
        self, name: str, position: int, mentions: Sequence[tuple[int, Person]]
    ) -> str | None:
        """The full name of whom ``name`` (a name, a surname, a first name, he or she)
        stands for at ``position``, or ``None`` when the text does not say."""
        if name == _NOBODY:
            return None
        if name in _PRONOUNS:
            return self._resolve_pronoun(name, position, mentions)
        surname = name.split()[-1]
        matching = [p for p in self.people.values() if p.surname == surname]
        if len(name.split()) == 1:
            full = [p for p in self.people.values() if _first_name(p) == name]
            if full:
                matching = full
            elif all(len(p.full_name.split()) == 1 for p in matching):
                return self._resolve_first_name(name, position, matching)
        if len(matching) == 1:
            return matching[0].full_name
        exact = [p for p in matching if name in p.forms or name == p.full_name]
        if len(exact) == 1:
            return exact[0].full_name
        before = [p for pos, p in mentions if pos < position and p in matching]
        return before[-1].full_name if before else None

    def _resolve_pronoun(
        self, pronoun: str, position: int, mentions: Sequence[tuple[int, Person]]
    ) -> str | None:
        """The person last named as a subject, not long before: not one named as an
        object, nor one a page back ("He says" of "the modern man"). A pronoun of the
        same person not long before carries the reference back ("Crummell went ... he
        took up ... he studied ... he cried")."""
        chain = _CHAINS[pronoun]
        start = position
        while True:
            before = [
                p
                for pos, p in mentions
                if start - _PRONOUN_REACH < pos < start and not self._object_at(pos)
            ]
            if before:
                # Named last, but by a name the text leaves ambiguous: no one.
                return before[-1].full_name or None
            low = max(0, start - _PRONOUN_REACH)
            earlier = chain.search(self.text, low, start)
            if earlier is None:
                # Past every name: the one the essay is about, if its title names one.
                return self.subject
            start = earlier.start()

    def _resolve_first_name(
        self, name: str, position: int, matching: Sequence[Person]
    ) -> str | None:
        """A first name alone ("said Henry"): the one full name the text gave it."""
        fuller = self._full_names_before(name, position)
        if fuller:
            return fuller[0] if len(fuller) == 1 else None
        return matching[0].full_name if len(matching) == 1 else None


def _words(pattern: str, text: str, endpos: int | None = None) -> Iterator[re.Match[str]]:
    r"""The matches of ``pattern`` in ``text[:endpos]`` that start a word: what a
    leading ``(?<!\w)`` says, found fast (a pattern that starts with a literal lets the
    engine skip ahead to it; one that starts with a look-behind tries every position)."""
    compiled = re.compile(pattern)
    pos, end = 0, len(text) if endpos is None else endpos
    while (match := compiled.search(text, pos, end)) is not None:
        start = match.start()
        if start and _WORD_CHAR.match(text, start - 1):
            pos = start + 1
            continue
        yield match
        pos = max(match.end(), start + 1)


def _first_name(person: Person) -> str | None:
    parts = person.full_name.split()
    return parts[0] if len(parts) > 1 else None


def find_quotations(
    paragraphs: Sequence[str], sentence_starts: Sequence[Sequence[int]], title: str = ""
) -> list[Mention]:
    """Every quotation in the paragraphs, with its speaker where the text names one.

    ``title`` is the essay's: a person it names is the one the essay is about, whom a
    "he" stands for when nobody nearer is named (a chain of pronouns that runs back
    through a digression that names no one)."""
    joined = "\n".join(paragraphs)
    bases = []
    base = 0
    for paragraph in paragraphs:
        bases.append(base)
        base += len(paragraph) + 1

    registry = _Registry(joined)
    _learn_names(registry, joined)
    registry.subject = registry.named_in(title)
    mentions = registry.mentions()

    found: list[Mention] = []
    for index, paragraph in enumerate(paragraphs):
        previous_end = 0
        previous: str | None = None
        addressee: str | None = None
        for match in _QUOTED.finditer(paragraph):
            inner = (match.group(1) or match.group(2) or "").strip()
            if previous is not None and _continues(
                paragraph[previous_end : match.start()], inner, paragraph[match.end() :]
            ):
                # The second half of a split quotation, or the next of a list of them.
                found.append(Mention(index, match.start(), inner, previous))
                previous_end = match.end()
                continue
            starts = [s for s in sentence_starts[index] if s <= match.start()]
            window_start = max(previous_end, starts[-1] if starts else 0)
            window = paragraph[window_start : match.start()]
            speaker = _reply(window, paragraph[match.end() :], addressee)
            if speaker is None:
                speaker = _speaker_before(window, registry, bases[index] + match.start(), mentions)
            if speaker is None:
                speaker = _speaker_inverted(
                    paragraph[match.end() :], registry, bases[index] + match.end(), mentions
                )
            if speaker is None:
                speaker = _speaker_after(
                    paragraph[match.end() :], registry, bases[index] + match.end(), mentions
                )
            if speaker is None and starts and starts[-1] >= previous_end and not window.strip():
                intro = _introduction(paragraphs, sentence_starts, index, len(starts))
                if intro and not _INVERTED.match(paragraph[match.end() :]):
                    speaker = _speaker_introducing(
                        intro, registry, bases[index] + match.start(), mentions
                    )
            found.append(Mention(index, match.start(), inner, speaker))
            previous_end = match.end()
            previous = speaker
            addressee = _addressee(window, registry, bases[index] + match.start(), mentions)
    return found


#: Whom a quotation is said to: "(I turned) to Ada Moss ... and said, “…”".
_TO_NAME = re.compile(r"\bto\s+((?:[A-Z][\w’'-]+\s?){1,3})")


def _addressee(
    window: str, registry: _Registry, position: int, mentions: Sequence[tuple[int, Person]]
) -> str | None:
    """The person the sentence that opens a quotation says it is said to, if any."""
    told = list(_TO_NAME.finditer(window))
    name = _leading_name(told[-1].group(1)) if told else None
    if name is None or not registry.plausible(name):
        return None
    return registry.resolve(name, position, mentions)


def _reply(window: str, rest: str, addressee: str | None) -> str | None:
    """A quotation right after one said to someone, spoken by "he" or "she": that
    person's answer (“We are betrayed!” “Well,” said he)."""
    if addressee is None or window.strip():
        return None
    return addressee if _inverted_name(rest) in _PRONOUNS else None


def _introduction(
    paragraphs: Sequence[str], sentence_starts: Sequence[Sequence[int]], index: int, count: int
) -> str | None:
    """The sentence before the one a quotation opens: in its paragraph, or the last of
    the paragraph before when the quotation opens its own (a block quotation)."""
    starts = sentence_starts[index]
    if count >= 2:
        return paragraphs[index][starts[count - 2] : starts[count - 1]]
    if index == 0 or not sentence_starts[index - 1]:
        return None
    return paragraphs[index - 1][sentence_starts[index - 1][-1] :]


#: "I will quote Ada Moss himself": the one quoted speaks next.
_QUOTING = re.compile(r"\bquot(?:e|es|ed|ing)\s+([^\n]{1,60})")


def _speaker_introducing(
    sentence: str, registry: _Registry, position: int, mentions: Sequence[tuple[int, Person]]
) -> str | None:
    """Who speaks a quotation that is a sentence of its own, from the sentence that
    introduces it: the one it quotes ("I will quote Ada Moss"), or its subject when
    that is a person and the verb one of saying ("Ada Moss, in her “Memoir,” insists
    on ... ." or "... with which Ada Moss addressed the crowd.")."""
    quoting = _QUOTING.search(sentence)
    if quoting:
        name = _leading_name(quoting.group(1))
    else:
        plain = _QUOTED.sub("x", sentence)  # quoted titles name no one
        verbs = list(_VERB.finditer(plain))
        if not verbs:
            return None
        name = _trailing_name(plain[: verbs[-1].start()]) or _sentence_subject(plain)
    if name is None or name in _PRONOUNS or not registry.plausible(name):
        return None
    return registry.resolve(name, position, mentions)


#: Between two quotations of one list: only commas and a conjunction.
_LIST_GAP = re.compile(r"^[\s,;]*(?:and|or)?\s*$")
#: A new sentence that only says the same speaker goes on: "Or, again,", "And again:".
_AGAIN = re.compile(r"^\s*(?:(?:[Aa]nd|[Oo]r|[Tt]hen)\W+)?(?:again|also)[\s,:;]*$")


def _continues(gap: str, inner: str, rest: str) -> bool:
    """The quotation after ``gap`` goes on the one before it, by the same speaker: the
    gap is the speaker clause of a split quotation (“A,” said Ada Moss; “B.”), or
    only joins a list (“A,” “B,” and “C”). Not when the sentence ends in the gap, nor
    when the quotation names its own speaker after it (“C,” added the crowd)."""
    if _AGAIN.match(gap):
        return not _INVERTED.match(rest)  # “A?” Or, again, “B?”: more of the same
    if re.search(r"[.?!]", gap) or re.match(r"\W*[A-Z]", gap):
        # A new sentence: "“The bridge holds.” They said, “It does not.”"
        return False
    if _LIST_GAP.match(gap):
        # Its own clause, unless its sentence ended inside it ("“late.” It was").
        ended = re.search(r"[.?!]$", inner) and re.match(r"\s*[A-Z]", rest)
        own = _INVERTED.match(rest) and not ended
        return not own
    # The clause of a split quotation ends in a comma or a semicolon, right before the
    # second half (not "… and Ada Moss described it as “…”", someone else's words).
    clause = _INVERTED.match(gap)
    return clause is not None and gap.rstrip().endswith((",", ";")) and '"' not in gap


#: After a quotation: ``,” said Ada Moss`` or ``,” Ada Moss said`` (or he, she).
_INVERTED = re.compile(
    r"^[,]?\s*(?:(?:" + "|".join(_VERBS) + r")\s+((?:" + _NAME_TOKEN + r"\s?){1,4})"
    r"|((?:" + _NAME_TOKEN + r"\s){1,4})(?:\w+\s){0,2}?(?:" + "|".join(_VERBS) + r")\b)"
)


def _inverted_name(rest: str) -> str | None:
    """The speaker named right after a quotation that ends in a comma, if any."""
    match = _INVERTED.match(rest)
    if not match:
        return None
    if match.group(1):
        first = match.group(1).split()[0]
        # "said he": the pronoun after its verb.
        return first if first in _PRONOUNS else _leading_name(match.group(1))
    first = match.group(2).split()[0]
    if not (_is_capitalised(first) or first in _PRONOUNS):
        return None  # “London Nights,” in which he says: a relative clause, not who speaks
    return _trailing_name(match.group(2))


def _speaker_inverted(
    rest: str, registry: _Registry, position: int, mentions: Sequence[tuple[int, Person]]
) -> str | None:
    name = _inverted_name(rest)
    if name is None or not (name in _PRONOUNS or registry.plausible(name)):
        return None
    return registry.resolve(name, position, mentions)


def _learn_names(registry: _Registry, text: str) -> None:
    """Learn every person the text names, each by the evidence of one kind of phrase."""
    for learner in _LEARNERS:
        for name, position in learner(text):
            registry.learn(name, position)


#: A name with its position in the text.
Found: TypeAlias = Iterator[tuple[str, int]]


def _after_quotations(text: str) -> Found:
    """“…,” said Ada Moss: the name after a quotation's verb."""
    for quote_end in re.finditer(r"[”\"]", text):
        name = _inverted_name(text[quote_end.end() : quote_end.end() + 80])
        if name and name not in _PRONOUNS:
            yield name, quote_end.end()


def _before_verbs(text: str) -> Found:
    """Ada Moss said: the name before a verb of saying."""
    stops = [m.start() for m in re.finditer(r'[.\n”"]', text)]
    for verb in _words_in(text, _VERB_SET):
        # From the sentence's start, or the last quotation's end: quoted words
        # (“Well,” said he) name nobody.
        before = bisect_left(stops, verb.start())
        line_start = stops[before - 1] if before else -1
        name = _trailing_name(text[line_start + 1 : verb.start()])
        if name:
            yield name, verb.start()


def _before_colons(text: str) -> Found:
    """Ada Moss: “…”: the name before a colon that opens a quotation."""
    for colon in re.finditer(r":\s*[“\"]", text):
        name = _trailing_name(text[max(0, colon.start() - 60) : colon.start()])
        if name:
            yield name, colon.start()


def _passive_agents(text: str) -> Found:
    """Said by Ada Moss: the agent of a passive verb of saying."""
    for passive in _PASSIVE.finditer(text):
        name = _leading_name(passive.group(1))
        if name:
            yield name, passive.start(1)


def _appositions(text: str) -> Found:
    """His successor, Ada Moss, saw: a name set off by commas after a person's role."""
    for match in _APPOSITION.finditer(text):
        yield match.group(1), match.start(1)


def _before_who(text: str) -> Found:
    """Ada Moss, who was near by: "who" is said of people."""
    for who in re.finditer(r",\s+who\b", text):
        run = _RUN_BEFORE_WHO.search(text, max(0, who.start() - 60), who.start())
        name = _trailing_name(run.group(0)) if run else None
        if name and name not in _PRONOUNS and name != _NOBODY:
            yield name, run.start() if run else who.start()


def _after_titles(text: str) -> Found:
    """President Ada Moss, Mr. H. G. Wells: the name after a title."""
    taken = 0  # where the last title's name ended: a title inside it is part of it
    for title in _words_in(text, _TITLES, fold=True):
        after = _AFTER_TITLE.match(text, title.end()) if title.start() >= taken else None
        if after is None:
            continue
        taken = after.end()
        tokens = _name_after_title(after.group(1))
        if tokens:
            yield " ".join(tokens), after.start(1)


def _name_after_title(run: str) -> list[str]:
    """The name's words in the capitalised run after a title, up to its owner's "’s"."""
    tokens = []
    for token in run.split():
        if not _is_capitalised(token):
            break
        if re.fullmatch(r"\w\.", token):
            tokens.append(token)  # an initial: "H. G. Wells"
            continue
        owner = re.sub(r"[’']s$", "", token)
        tokens.append(owner.rstrip(",;:."))
        if owner != token or token.endswith((",", ";", ":", ".")):
            break  # "Mr. Ada Moss’s article": the name ends with its owner
    while tokens and (tokens[0].casefold() in _TITLES or tokens[0].casefold() in _NOT_NAMES):
        tokens.pop(0)
    return tokens


#: Each kind of phrase that names a person, in the order they are learnt.
_LEARNERS: tuple[Callable[[str], Found], ...] = (
    _after_quotations,
    _before_verbs,
    _before_colons,
    _passive_agents,
    _appositions,
    _before_who,
    _after_titles,
)


#: A name set off by commas after a noun that says who they are: "his successor,
#: Ada Moss, saw" (a possessive before the noun: a person's role, not a place's).
_APPOSITION = re.compile(r"\b(?:his|her|their)\s+[a-z]+,\s+((?:[A-Z][\w’'-]+\s?){1,3}),\s+[a-z]")


#: The capitalised words (a name) right before a relative "who" is said of them.
_RUN_BEFORE_WHO = re.compile(r"(?:[A-Z][\w’'-]+\s?){1,3}$")
#: What may follow a title ("President", "Mr."): a name.
_AFTER_TITLE = re.compile(r"[,.]?\s+((?:" + _NAME_TOKEN + r"\.?\s?){1,4})", re.IGNORECASE)
_WORD_RUN = re.compile(r"\w+")


def _words_in(text: str, words: frozenset[str], *, fold: bool = False) -> Iterator[re.Match[str]]:
    """The whole words of ``text`` that are among ``words`` (with ``fold``, in any case),
    left to right. Read word by word with a set: one pattern that lists every word is
    slow to scan."""
    for match in _WORD_RUN.finditer(text):
        word = match.group()
        if (word.casefold() if fold else word) in words:
            yield match


#: A verb coordinated with the sentence's first ("He smiled and said").
_COORDINATED = re.compile(r"\band\s+(?:then\s+)?$")


#: The agent of a passive that the quotation characterises: "vetoed by President
#: Ada Moss as “…”".
_AGENT_AS = re.compile(r"\bby\s+((?:" + _NAME_TOKEN + r"\s){1,4}?)as\s*$")


#: The subject of an infinitive: "(it is vain) for him to say".
_FOR_TO = re.compile(r"\bfor\s+(him|her)\s+to\s+$")
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}


def _sentence_subject(sentence: str) -> str | None:
    """Who the sentence is about when it starts with them: a pronoun or a name."""
    words = sentence.split()
    if words and words[0].casefold() in _PRONOUNS:
        return words[0].casefold()
    return _leading_name(sentence)


def _speaker_before(
    window: str, registry: _Registry, position: int, mentions: Sequence[tuple[int, Person]]
) -> str | None:
    verbs = list(_VERB.finditer(window))
    if verbs:
        subject = _trailing_name(window[: verbs[-1].start()])
        if subject is None and _COORDINATED.search(window[: verbs[-1].start()]):
            subject = _sentence_subject(window)
        if subject is None and (infinitive := _FOR_TO.search(window[: verbs[-1].start()])):
            # "for him to say that": "him" is who says it.
            subject = _OBJECT_PRONOUNS[infinitive.group(1)]
        if subject is None and (passive := _PASSIVE.search(window)):
            # "(they were) summed up by Ada Moss, when she called it “…”": the agent.
            subject = _leading_name(passive.group(1))
    elif window.rstrip().endswith(":"):
        subject = _trailing_name(window.rstrip()[:-1]) or registry.only_person(window)
    elif agent := _AGENT_AS.search(window):
        subject = _leading_name(agent.group(1))
    else:
        return None
    if subject is None or not (subject in _PRONOUNS or registry.plausible(subject)):
        return None
    return registry.resolve(subject, position, mentions)


def _speaker_after(
    rest: str, registry: _Registry, position: int, mentions: Sequence[tuple[int, Person]]
) -> str | None:
    # Only a passive right after the quotation: in its own sentence or the next one.
    window = rest[:160]
    ends = [m.end() for m in re.finditer(r"[.?!]\s", window)]
    if len(ends) >= 2:
        window = window[: ends[1]]
    passive = _PASSIVE.search(window)
    if not passive:
        return None
    name = _leading_name(passive.group(1))
    if name is None or not registry.plausible(name):
        return None
    return registry.resolve(name, position, mentions)
