"""The layout of each corpus PDF: varied on purpose, so no rule can lean on one of them."""

from __future__ import annotations

from tests.corpus.build.latex import TexLayout
from tests.corpus.build.typeset import SANS, STANDARD, Layout, dejavu


def reportlab_layouts() -> dict[str, tuple[Layout, str]]:
    """essay id -> (reportlab layout, a one-line description for the manifest)."""
    serif = dejavu()
    return {
        "dawn-of-freedom": (
            Layout(
                columns=2,
                fonts=STANDARD,
                size=11.0,
                leading=13.6,
                page=(432.0, 612.0),
                spacing="trailing",
                pulls=("inside", "straddle"),
                running_head="Of the Dawn of Freedom  ·  W. E. B. Du Bois",
            ),
            "2 columns, Times, small pages (ten of them); space glyphs, justified by word "
            "spacing, a trailing space on every full line; 3-line drop cap; pull quotes "
            "inside a column and straddling the gutter",
        ),
        "alexander-crummell": (
            Layout(
                columns=3,
                fonts=serif,
                size=8.6,
                leading=10.6,
                gutter=12.0,
                ligatures=True,
                pulls=("straddle", "inside"),
                paragraph_space=0.0,
                running_head="The Souls of Black Folk  |  Of Alexander Crummell",
            ),
            "3 columns, DejaVu Serif (embedded subset) with fi/ff/ffl ligature glyphs; space "
            "glyphs, justified by word spacing; no space between paragraphs (indent only); "
            "pull quotes straddling a gutter and inside a column",
        ),
        "mccabe": (
            Layout(
                columns=2,
                fonts=SANS,
                size=9.0,
                leading=11.2,
                spacing="none",
                pulls=("straddle",),
                drop_lines=2,
                running_head="HERETICS",
                heading_space=1.0,
            ),
            "2 columns, Helvetica; every word drawn on its own, no space glyphs at all; "
            "2-line drop cap; headings set tight on their text; pull quotes straddling the "
            "gutter",
        ),
        "negative-spirit": (
            Layout(
                columns=3,
                fonts=STANDARD,
                size=8.8,
                leading=10.4,
                gutter=11.0,
                spacing="none",
                pulls=("inside",),
                running_head="G. K. Chesterton  —  On the Negative Spirit",
            ),
            "3 columns, Times; no space glyphs; pull quotes inside a column",
        ),
        "whistler": (
            Layout(
                columns=2,
                fonts=serif,
                size=8.8,
                leading=11.0,
                ligatures=True,
                spacing="trailing",
                pulls=("inside", "straddle"),
                paragraph_space=0.0,
                running_head="On the Wit of Whistler",
                heading_space=1.0,
            ),
            "2 columns, DejaVu Serif with ligature glyphs; a trailing space on full lines; "
            "no space between paragraphs; headings set tight on their text; pull quotes "
            "inside a column and straddling",
        ),
        "escape": (
            Layout(
                columns=3,
                fonts=SANS,
                size=8.4,
                leading=10.2,
                gutter=12.0,
                spacing="tw",
                pulls=("straddle", "straddle", "inside"),
                running_head="Narrative of the Life of Frederick Douglass",
            ),
            "3 columns, Helvetica; space glyphs justified by word spacing; pull quotes "
            "mostly straddling a gutter",
        ),
    }


#: essay id -> LaTeX layout
LATEX: dict[str, TexLayout] = {
    "dawn-of-freedom": TexLayout(
        columns=3, pulls=("inside", "span"), running_head="The Souls of Black Folk, II"
    ),
    "alexander-crummell": TexLayout(
        columns=2, pulls=("inside",), running_head="Of Alexander Crummell", first_page=211
    ),
    "mccabe": TexLayout(
        columns=3,
        pulls=("span", "inside"),
        parskip="3pt",
        running_head="Heretics — On Mr. McCabe",
        first_page=12,
    ),
    "negative-spirit": TexLayout(
        columns=2, pulls=("span",), size="11pt", running_head="On the Negative Spirit"
    ),
    "whistler": TexLayout(
        columns=3, pulls=("inside",), running_head="Chesterton on Whistler", first_page=140
    ),
    "escape": TexLayout(
        columns=2,
        pulls=("inside", "span"),
        parskip="2pt",
        running_head="Narrative of the Life of Frederick Douglass",
        first_page=63,
    ),
}
