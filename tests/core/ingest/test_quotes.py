"""Who said what: speakers are learnt from the text, pronouns and surnames resolved."""

from __future__ import annotations

from bot.core.ingest._quotes import Mention, find_quotations
from bot.core.text import sentence_spans


def quotations(*paragraphs: str) -> list[Mention]:
    starts = [[a for a, _ in sentence_spans(p)] for p in paragraphs]
    return find_quotations(list(paragraphs), starts)


def speakers(*paragraphs: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.speaker) for m in quotations(*paragraphs)]


def test_named_speaker_with_a_verb_of_saying() -> None:
    assert speakers(
        "Long ago, Maria Vonn famously said, “The river keeps its own time.” Then."
    ) == [("The river keeps its own time.", "Maria Vonn")]


def test_title_then_name_and_later_surname_resolve_to_the_full_name() -> None:
    got = speakers(
        "Foreign Minister Karel Dvorak declared that “we stand firm.” Later, Dvorak again: "
        "“We stand with them.”"
    )
    assert got == [("we stand firm.", "Karel Dvorak"), ("We stand with them.", "Karel Dvorak")]


def test_pronoun_resolves_to_the_person_last_named() -> None:
    # Two people are named before "he": the pronoun is the one named last.
    got = speakers(
        "Minister Anna Berg said little. Before the vote, President Piet Hals appeared to "
        "indicate otherwise. In April, he had "
        "announced that “no deal will be signed. Not this year.” A month later he said "
        "that “there is a cause and an effect here.”"
    )
    assert got == [
        ("no deal will be signed. Not this year.", "Piet Hals"),
        ("there is a cause and an effect here.", "Piet Hals"),
    ]


def test_shared_surnames_resolve_by_the_nearest_mention() -> None:
    got = speakers(
        "The motto was used by Anna Berg and Olaf Berg. Olaf Berg described it as “a bridge.”",
        "Anna Berg stated that “the bridge holds.”",
    )
    assert got == [("a bridge.", "Olaf Berg"), ("the bridge holds.", "Anna Berg")]


def test_scare_quotes_and_document_wording_have_no_speaker() -> None:
    got = speakers(
        "One could even argue that “shared memory” is less important than “shared enemy” here. "
        "The agreement called for a “peacemaking center” and both sides pledged support "
        "“using all possibilities” in the event of “aggression” against either."
    )
    assert [speaker for _, speaker in got] == [None] * 5


def test_a_place_is_not_a_speaker() -> None:
    got = speakers("Many people live in Ruritania. Ruritania stated that “borders are open.”")
    assert got == [("borders are open.", None)]


def test_passive_attribution_in_the_next_sentence() -> None:
    got = speakers(
        "The motto “one river, two banks” is used widely. First pronounced by Ida Lund, it stuck."
    )
    assert got == [("one river, two banks", "Ida Lund")]


def test_quotation_spanning_sentences_is_one_quote() -> None:
    got = quotations("Ada Moss said that “the first. The second. The third.” And more.")
    assert len(got) == 1
    assert got[0].text == "the first. The second. The third."


def test_a_speaker_named_right_after_the_quotation() -> None:
    got = speakers(
        "“We build for our grandchildren,” declared Marta Kowalczyk, the engineer. "
        "“A river answers whatever you ask,” Samuel Okafor observed."
    )
    assert got == [
        ("We build for our grandchildren,", "Marta Kowalczyk"),
        ("A river answers whatever you ask,", "Samuel Okafor"),
    ]


def test_a_capitalised_pronoun_is_no_name_and_i_we_they_speak_for_no_one_named() -> None:
    got = speakers(
        "Minister Anna Berg stated it plainly. He said, “The bridge holds.” "
        "They said, “It does not.” We said, “Own nothing.”"
    )
    # "He" is the person last named, not someone called "He".
    assert [speaker for _, speaker in got] == ["Anna Berg", None, None]


def test_he_is_the_last_person_named_as_a_subject_not_as_an_object() -> None:
    got = speakers(
        "Minister Anna Berg spoke first. Bishop Piet Hals stated the rule. He looked at "
        "Anna Berg across the table. Then he said, “No one will sit here.”"
    )
    assert got[-1] == ("No one will sit here.", "Piet Hals")


def test_a_first_name_alone_is_the_one_full_name_the_text_gave_it() -> None:
    one = speakers("Henry Harris and John Lund were tied. “I won’t!” said Henry, firmly.")
    assert one == [("I won’t!", "Henry Harris")]
    two = speakers("Henry Harris and Henry Lund were tied. “I won’t!” said Henry, firmly.")
    assert two == [("I won’t!", None)]


def test_a_body_of_people_is_no_speaker() -> None:
    got = speakers("The Confederation declared that “the war goes on.”")
    assert got == [("the war goes on.", None)]


def test_the_second_half_of_a_split_quotation_has_the_same_speaker() -> None:
    got = speakers(
        "“We hold,” wrote Minister Anna Berg, late that year; “and we will hold.” "
        "“Never,” cried Piet Hals, “never again.”"
    )
    assert [s for _, s in got] == ["Anna Berg", "Anna Berg", "Piet Hals", "Piet Hals"]


def test_a_list_of_quotations_shares_its_speaker_unless_the_next_names_its_own() -> None:
    listed = speakers("Minister Anna Berg called it “late,” “costly,” and “unwise.”")
    assert [s for _, s in listed] == ["Anna Berg"] * 3
    own = speakers("“Of course,” Piet Hals said, “we can—” and “No,” added the crowd softly.")
    assert [s for _, s in own] == ["Piet Hals", "Piet Hals", None]


def test_said_he_after_the_quotation_is_the_pronoun() -> None:
    got = speakers("Piet Hals stated the rule. “Well,” said he, “that is so.”")
    assert [s for _, s in got] == ["Piet Hals", "Piet Hals"]


def test_words_in_quotation_marks_are_not_learnt_as_a_name() -> None:
    got = speakers(
        "Piet Hals stated it. Then came news. “We are lost!” “Well,” said he, “not yet.”"
    )
    assert [s for _, s in got] == [None, "Piet Hals", "Piet Hals"]


def test_a_verb_coordinated_with_the_sentence_subject_takes_that_subject() -> None:
    got = speakers("Bishop Piet Hals stated the rule. He smiled and said, “The gate is rusty.”")
    assert got == [("The gate is rusty.", "Piet Hals")]


def test_the_person_a_passive_names_as_the_agent_of_a_characterisation() -> None:
    got = speakers(
        "The bill was vetoed by President Ada Moss as “unwise,” and “late.” "
        "It was described by the committee as “sound.”"
    )
    assert [s for _, s in got] == ["Ada Moss", "Ada Moss", None]


def test_a_chain_of_pronouns_carries_the_person_back_but_a_page_of_nobody_does_not() -> None:
    walk = "He walked on and on through the long grey rain of the valley. " * 12
    chained = speakers("Bishop Piet Hals stated the rule. " + walk + "At last he said, “Rust.”")
    assert chained == [("Rust.", "Piet Hals")]
    rain = "The rain fell on and on through the long grey hours of the day. " * 12
    cut = speakers("Bishop Piet Hals stated the rule. " + rain + "At last he said, “Rust.”")
    assert cut == [("Rust.", None)]


def test_a_first_name_two_people_share_stops_a_pronoun_reaching_past_it() -> None:
    got = speakers(
        "Henry Harris and Henry Lund were tied. Piet Hals stated the rule. "
        "“No,” said Henry. “I won’t,” he said. The Theological Seminary said, “Never.”"
    )
    assert [s for _, s in got] == [None, None, None]


def test_a_quotation_that_is_its_own_sentence_takes_the_introducing_sentence_subject() -> None:
    got = speakers(
        "Professor Ada Moss, in her “Memoir of the River,” insists on one point. "
        "“The river keeps its own time.” Then came news. “Nothing is lost.”"
    )
    assert [s for _, s in got] == [None, "Ada Moss", None]


def test_a_block_quotation_after_i_will_quote_the_person() -> None:
    got = speakers(
        "Ada Moss said it once. To be fair, I will quote Mr. Moss himself.",
        "“The river keeps its own time.”",
    )
    assert got == [("The river keeps its own time.", "Ada Moss")]


def test_a_colon_after_a_sentence_that_names_one_person() -> None:
    got = speakers(
        "Ada Moss said it once. Take the single sentence of Mr. Moss, which runs as "
        "follows: “The river keeps its own time.”"
    )
    assert got == [("The river keeps its own time.", "Ada Moss")]


def test_a_title_with_a_full_stop_initials_and_a_possessive_give_the_name() -> None:
    got = speakers("Mr. H. G. Wells’s new book appeared. “Nothing stands still,” he said.")
    assert got == [("Nothing stands still,", "H. G. Wells")]


def test_a_relative_clause_after_a_quoted_title_names_no_speaker() -> None:
    got = speakers(
        "Ada Moss said little. Moss published “Nights,” in which he says that art rules."
    )
    assert got == [("Nights,", None)]


def test_or_again_goes_on_with_the_same_speaker() -> None:
    got = speakers("Ada Moss said, “Who keeps the river?” Or, again, “Who keeps the time?”")
    assert [s for _, s in got] == ["Ada Moss", "Ada Moss"]


def test_a_name_in_apposition_to_a_role_is_a_person_a_pronoun_can_stand_for() -> None:
    got = speakers(
        "The order was withdrawn, and his successor, Halvard Moss, saw it otherwise. "
        "“Hereafter,” he commanded, “no one crosses.”"
    )
    assert [s for _, s in got] == ["Halvard Moss", "Halvard Moss"]


def test_for_him_to_say_is_the_pronoun_and_for_a_name_to_is_its_subject() -> None:
    got = speakers(
        "Ada Moss said little; Piet Hals said less. It is vain for Ada Moss to claim a part. "
        "It is vain "
        "for him to say that he is “not quarrelling with anyone.”"
    )
    assert got == [("not quarrelling with anyone.", "Ada Moss")]


def test_the_agent_of_a_passive_of_saying_earlier_in_the_sentence_speaks() -> None:
    got = speakers(
        "Such attacks were summed up by Senator Ada Moss, of Ruritania, when she moved to "
        "name the act a bill “to promote strife and conflict.” The argument gathered strength."
    )
    assert got == [("to promote strife and conflict.", "Ada Moss")]


def test_the_answer_to_a_quotation_said_to_someone_is_theirs() -> None:
    # The narrator speaks to Rolf (named only as the one "who" was near); "said he" of
    # the answer is Rolf, though he was named as the one spoken to, not as a subject.
    got = speakers(
        "Early in the morning we went to the field. I turned to Rolf, who was near by, and "
        "said, “We are betrayed!” “Well,” said he, “that thought has struck me.” We said no "
        "more."
    )
    assert got == [
        ("We are betrayed!", None),
        ("Well,", "Rolf"),
        ("that thought has struck me.", "Rolf"),
    ]


def test_a_pronoun_past_every_name_is_the_person_the_title_names() -> None:
    # A digression that names no one breaks the chain of pronouns back to Ada Moss.
    digression = "The century was one of sympathy, when the world began to see its own. " * 10
    paragraphs = [
        "Ada Moss said little as a child, and grew up in the hills.",
        digression.strip(),
        "He saw them coldly, and asked, “Why should I strive at all?” Nobody answered.",
    ]
    starts = [[a for a, _ in sentence_spans(p)] for p in paragraphs]
    about = find_quotations(paragraphs, starts, title="Of Ada Moss")
    assert [(m.text, m.speaker) for m in about] == [("Why should I strive at all?", "Ada Moss")]
    # A title that names no one: the text does not say who "he" is.
    other = find_quotations(paragraphs, starts, title="Of the Hills")
    assert [m.speaker for m in other] == [None]
