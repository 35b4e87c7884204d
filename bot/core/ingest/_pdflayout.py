"""From a PDF's glyphs to the essay's parts, deciding each from the type itself.

The text path has to guess from blank lines and word repetition what the PDF shows
plainly. Here each decision rests on evidence the glyphs carry:

- **lines**: glyphs drawn one after another on one baseline, with a space wherever
  the gap between two glyphs is wider than letter spacing (some producers draw no
  space glyphs at all);
- **running heads, footers, page numbers**: lines whose text (digits aside) recurs on
  other pages at the same height, and lone numbers at a page's top or bottom;
- **front matter**: the first page's lines above the columns; the largest type is
  the title, a line starting "by" (or else the last line) the author;
- **columns**: the horizontal bands the body type covers, read left to right;
- **pull quotes**: a type style other than the body's whose blocks repeat the body's
  words; **headings**: another style's short blocks that do not; **drop caps**: one
  or two letters in type far larger than the body's, joined to the line beside them;
- **paragraphs**: a line starts one after a heading, beside a drop cap, when it is
  indented, after extra space, or when the line before it stopped short of the
  column's edge (allowing for the pull quotes and drop caps the text wraps around).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bot.core.ingest._pdfread import Glyph, Page, is_bold, is_italic
from bot.core.ingest._textflow import author_name, cap_joined, looks_like_name

#: Wider than this (in ems) between two glyphs: a word space.
_WORD_GAP = 0.15
#: Wider than this: not the same line (a gutter, or a figure between).
_RUN_GAP = 1.2
#: A capital this much smaller than the line's largest type is a small capital.
_SMALL_CAPS = 0.9
#: Sizes within this ratio of the body's are body type.
_SIZE_TOLERANCE = 0.08
#: A drop cap is at least this many times the body size.
_DROP_CAP_RATIO = 1.7
_COLUMN_SHARE = 0.25
_INDENT = 0.6
#: How far (in leadings) the text around a pull quote may keep from its type (a line
#: that far and clear of its side was set beside it; one across its side was not).
_WRAP_PADDING = 3.0
#: Text is justified when this share of its lines end at the column's edge.
_JUSTIFIED = 0.75
#: Two lines ending within this many points of each other end at the same edge.
_SAME_EDGE = 0.5
#: A block of another style is a pull quote when this share of its pieces (of
#: ``_PIECE`` letters) stands in the body too, and it has ``_MIN_PULL_CHARS`` letters.
_PULL_REPEAT = 0.5
_PIECE = 20
_MIN_PULL_CHARS = 30
#: A heading set in its own type can run to a few lines in a narrow column.
_HEADING_MAX_LINES = 5
_HEADING_MAX_CHARS = 150
_TERMINAL = re.compile(r"[.?!…][”’\"')\]]*$")
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_FOLIO = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)


@dataclass(slots=True)
class Run:
    """One line's worth of glyphs (or a piece of one), as read."""

    page: int
    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    italic: bool
    first_word_width: float

    @property
    def top(self) -> float:
        return self.y + 0.75 * self.size

    @property
    def bottom(self) -> float:
        return self.y - 0.25 * self.size

    @property
    def style(self) -> tuple[float, bool, bool]:
        return (round(self.size * 2) / 2, self.bold, self.italic)


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    x1: float
    bottom: float
    top: float


@dataclass(slots=True)
class FlowLine:
    """A line of running text, with whether it starts a paragraph."""

    text: str
    starts_paragraph: bool


@dataclass(slots=True)
class Laid:
    """What the PDF's layout says, before words are joined across lines."""

    title: list[str]
    subtitle: list[str]
    author: str
    #: The running text: headings (``str``) and body lines, in reading order.
    flow: list[str | FlowLine]
    pull_quotes: list[list[str]]
    furniture: list[str] = field(default_factory=list)


# --- glyphs into runs ------------------------------------------------------------


def _runs(page: Page) -> list[Run]:
    runs: list[Run] = []
    current: list[Glyph] = []
    for glyph in page.glyphs:
        if current and not _continues(current[-1], glyph):
            runs.extend(_make_run(page.number, current))
            current = []
        if glyph.text.isspace() and not current:
            continue
        current.append(glyph)
    runs.extend(_make_run(page.number, current))
    return runs


def _continues(previous: Glyph, glyph: Glyph) -> bool:
    size = max(previous.size, glyph.size)
    if abs(glyph.y - previous.y) > 0.25 * size:
        return False
    if not 0.6 <= glyph.size / previous.size <= 1.67:
        return False
    gap = glyph.x0 - previous.x1
    return -0.3 * size <= gap <= _RUN_GAP * size


def _make_run(page: int, glyphs: list[Glyph]) -> list[Run]:
    inked = [g for g in glyphs if not g.text.isspace()]
    if not inked:
        return []
    text, first_word_end = _spell(glyphs, max(g.size for g in inked))
    x0, x1 = inked[0].x0, max(g.x1 for g in inked)
    return [
        Run(
            page,
            text,
            x0,
            x1,
            y=Counter(round(g.y, 1) for g in inked).most_common(1)[0][0],
            size=Counter(round(g.size, 1) for g in inked).most_common(1)[0][0],
            bold=sum(is_bold(g.font) for g in inked) * 2 > len(inked),
            italic=sum(is_italic(g.font) for g in inked) * 2 > len(inked),
            first_word_width=(first_word_end if first_word_end is not None else x1) - x0,
        )
    ]


def _spell(glyphs: Sequence[Glyph], largest: float) -> tuple[str, float | None]:
    """The run's text, a space wherever glyphs stand a word apart (some producers draw
    no space glyphs), and where its first word ends."""
    parts: list[str] = []
    first_word_end: float | None = None
    previous: Glyph | None = None
    for glyph in glyphs:
        if glyph.text.isspace():
            if parts and parts[-1] != " ":
                parts.append(" ")
            continue
        if previous is not None and parts[-1] != " " and _word_gap(previous, glyph):
            parts.append(" ")
        if first_word_end is None and previous is not None and parts[-1] == " ":
            first_word_end = previous.x1
        # Small capitals (after a drop cap, say) are lower-case letters set as smaller
        # capitals: the text reads "The", not "THE".
        small_cap = glyph.text.isupper() and glyph.size < _SMALL_CAPS * largest
        parts.append(glyph.text.lower() if small_cap else glyph.text)
        previous = glyph
    return re.sub(r"\s+", " ", "".join(parts)).strip(), first_word_end


def _word_gap(previous: Glyph, glyph: Glyph) -> bool:
    return glyph.x0 - previous.x1 > _WORD_GAP * max(glyph.size, previous.size)


# --- the document's type ---------------------------------------------------------


def _body_size(runs: Sequence[Run]) -> float:
    counts: Counter[float] = Counter()
    for run in runs:
        counts[round(run.size, 1)] += len(run.text)
    return counts.most_common(1)[0][0]


def _is_body_type(run: Run, body: float) -> bool:
    return abs(run.size - body) <= _SIZE_TOLERANCE * body and not run.bold


def _furniture(runs: Sequence[Run], pages: Sequence[Page], body: float) -> set[int]:
    """Indices of running heads, footers and page numbers.

    They stand at a page's top or bottom edge, above or below everything else, and
    either recur on other pages at the same height (digits aside), or are a lone
    page number or smaller type than the body's in the page's margin.
    """
    heights = {page.number: page.height for page in pages}
    by_page: defaultdict[int, list[int]] = defaultdict(list)
    for index, run in enumerate(runs):
        by_page[run.page].append(index)
    edges: list[int] = []
    for indices in by_page.values():
        top = max(runs[i].y for i in indices)
        bottom = min(runs[i].y for i in indices)
        edges.extend(i for i in indices if runs[i].y >= top - 2 or runs[i].y <= bottom + 2)
    keys = {i: re.sub(r"\d+", "#", re.sub(r"\s+", "", runs[i].text.casefold())) for i in edges}
    seen: defaultdict[str, set[tuple[int, float]]] = defaultdict(set)
    for index in edges:
        seen[keys[index]].add((runs[index].page, runs[index].y))
    out: set[int] = set()
    for index in edges:
        run = runs[index]
        pages_there = {p for p, y in seen[keys[index]] if abs(y - run.y) <= 4}
        in_margin = min(run.y, heights[run.page] - run.y) < 0.15 * heights[run.page]
        small = run.size < (1 - _SIZE_TOLERANCE) * body
        if len(pages_there) >= 2 or (in_margin and (small or _FOLIO.match(run.text.strip()))):
            out.add(index)
    return out


def _columns(runs: Sequence[Run], body: float) -> list[tuple[float, float]]:
    """The horizontal bands the body type covers on one page, left to right."""
    lines = [r for r in runs if _is_body_type(r, body)]
    if not lines:
        return []
    low = int(min(r.x0 for r in lines))
    high = int(max(r.x1 for r in lines)) + 1
    cover = [0] * (high - low + 1)
    for run in lines:
        for x in range(int(run.x0) - low, int(run.x1) - low + 1):
            cover[x] += 1
    # A column holds a good share of the busiest one's lines, or at least a few (the
    # last page's short column); a stray line across the gutter does not make one.
    floor = max(2.0, min(max(cover) * _COLUMN_SHARE, 3.0))
    bands: list[tuple[float, float]] = []
    start: int | None = None
    for x, count in enumerate([*cover, 0]):
        if count >= floor and start is None:
            start = x
        elif count < floor and start is not None:
            if x - start >= 3 * body:
                bands.append((start + low, x + low))
            start = None
    return bands


def _band_of(run: Run, bands: Sequence[tuple[float, float]]) -> int | None:
    best, best_overlap = None, 0.0
    width = max(run.x1 - run.x0, 1e-6)
    for index, (left, right) in enumerate(bands):
        overlap = min(run.x1, right) - max(run.x0, left)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best is None or best_overlap < 0.6 * width:
        return None
    return best


def _leading(
    runs: Sequence[Run], bands: dict[int, list[tuple[float, float]]], body: float
) -> float:
    """The usual distance between two body lines' baselines."""
    steps: list[float] = []
    columns: defaultdict[tuple[int, int], list[float]] = defaultdict(list)
    for run in runs:
        band = _band_of(run, bands.get(run.page, []))
        if band is not None and _is_body_type(run, body):
            columns[run.page, band].append(run.y)
    for ys in columns.values():
        ordered = sorted(set(ys), reverse=True)
        steps.extend(a - b for a, b in pairwise(ordered) if 0.9 * body < a - b < 2.5 * body)
    if not steps:
        return 1.2 * body
    return Counter(round(s, 1) for s in steps).most_common(1)[0][0]


# --- blocks of other type ---------------------------------------------------------


@dataclass(slots=True)
class _Block:
    runs: list[Run]

    @property
    def box(self) -> Box:
        return Box(
            min(r.x0 for r in self.runs),
            max(r.x1 for r in self.runs),
            min(r.bottom for r in self.runs),
            max(r.top for r in self.runs),
        )

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.runs)


def _blocks(runs: Iterable[Run]) -> list[_Block]:
    """Runs of one style stacked one under another, as a block of type."""
    blocks: list[_Block] = []
    for run in sorted(runs, key=lambda r: (r.page, -r.y, r.x0)):
        for block in reversed(blocks):
            last = block.runs[-1]
            if (
                last.page == run.page
                and last.style == run.style
                and 0 <= last.y - run.y <= 1.8 * run.size
                and min(last.x1, run.x1) > max(last.x0, run.x0)
            ):
                block.runs.append(run)
                break
        else:
            blocks.append(_Block([run]))
    return blocks


_NOT_ALNUM = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _repeats_body(block: _Block, body_key: str) -> bool:
    """Most of the block's text stands in the body too (letters and digits compared,
    so line-end hyphens and punctuation do not matter; a pull quote may be trimmed)."""
    key = _key(block.text)
    pieces = [key[i : i + _PIECE] for i in range(0, len(key) - _PIECE + 1, _PIECE // 2)]
    if len(key) < _MIN_PULL_CHARS or not pieces:
        return False
    return sum(piece in body_key for piece in pieces) >= _PULL_REPEAT * len(pieces)


def _classify_blocks(
    blocks: Sequence[_Block], body_key: str
) -> tuple[list[_Block], list[_Block], list[_Block]]:
    """Pull quotes, headings and the rest (captions, bylines) among the blocks of type
    other than the body's.

    Each style plays one part: the pull quotes' style is the one whose blocks mostly
    repeat the body, the headings' the one whose blocks are mostly short titles. So a
    heading that happens to repeat the body's words ("Funny is not the opposite of
    serious") is still a heading, and a short pull quote still a pull quote.
    """
    repeats = {id(b): _repeats_body(b, body_key) for b in blocks}
    votes: defaultdict[tuple[float, bool, bool], int] = defaultdict(int)
    for block in blocks:
        if repeats[id(block)]:
            votes[block.runs[0].style] += 1
        elif _heading_shaped(block):
            votes[block.runs[0].style] -= 1
    pulls: list[_Block] = []
    headings: list[_Block] = []
    others: list[_Block] = []
    for block in blocks:
        pull_style = votes[block.runs[0].style] > 0
        if repeats[id(block)] and (pull_style or not _heading_shaped(block)):
            pulls.append(block)
        elif _heading_shaped(block) and not pull_style:
            headings.append(block)
        elif repeats[id(block)]:
            pulls.append(block)
        else:
            others.append(block)
    return pulls, headings, others


def _heading_shaped(block: _Block) -> bool:
    text = block.text.strip()
    return (
        len(block.runs) <= _HEADING_MAX_LINES
        and len(text) <= _HEADING_MAX_CHARS
        and not _TERMINAL.search(text)
        and not text.endswith((",", ";", "-"))
    )


# --- the whole layout -------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """A body line with the geometry the paragraph decisions need."""

    text: str
    page: int
    #: (page, tier, column): lines in the same slot are one column of text.
    band: tuple[int, int, int]
    x0: float
    x1: float
    y: float
    left: float
    right: float
    first_word_width: float
    drop_cap: str = ""
    #: Ends where a neighbouring line of its column ends: set to the column's measure
    #: (or to the measure beside a figure it wraps around), so not a paragraph's end.
    at_measure: bool = False
    #: Starts further in than the next line of its column (or is its column's last).
    ahead_of_next: bool = True


@dataclass(slots=True)
class _Heading:
    page: int
    band: tuple[int, int, int]
    y: float
    lines: list[str]


def lay_out(pages: Sequence[Page]) -> Laid:
    """The essay's parts, read from its pages' glyphs (see the module's docstring)."""
    runs = [run for page in pages for run in _runs(page)]
    if not runs:
        return Laid([], [], "", [], [])
    body = _body_size(runs)
    furniture = _furniture(runs, pages, body)
    kept = [run for index, run in enumerate(runs) if index not in furniture]
    bands = {page.number: _columns(_on_page(kept, page.number), body) for page in pages}
    leading = _leading(kept, bands, body)
    front, rest = _split_front(kept, bands, body, leading)
    title, subtitle, author, not_front = _front_matter(front)
    rest = not_front + rest

    body_runs = [r for r in rest if _is_body_type(r, body)]
    caps = _drop_caps(rest, body)
    styled = [r for r in rest if not _is_body_type(r, body) and r not in caps]
    body_key = "".join(_key(r.text) for r in body_runs)
    pulls, headings, others = _classify_blocks(_blocks(styled), body_key)
    obstacles = _obstacles([*pulls, *others], caps)
    cuts = _tier_cuts(pages, bands, body_runs, [*pulls, *others, *headings])
    flow = _flow(pages, bands, body_runs, headings, caps, obstacles, cuts, body, leading)
    return Laid(
        title=title,
        subtitle=subtitle,
        author=author,
        flow=flow,
        pull_quotes=[[r.text for r in b.runs] for b in pulls],
        furniture=[runs[i].text for i in sorted(furniture)] + [b.text for b in others],
    )


def _on_page(runs: Iterable[Run], page: int) -> list[Run]:
    return [run for run in runs if run.page == page]


def _drop_caps(runs: Iterable[Run], body: float) -> list[Run]:
    """One or two letters in type far larger than the body's."""
    return [
        r
        for r in runs
        if r.size >= _DROP_CAP_RATIO * body
        and len(r.text.strip()) <= 2
        and any(c.isalpha() for c in r.text)
    ]


def _obstacles(blocks: Iterable[_Block], caps: Iterable[Run]) -> dict[int, list[Box]]:
    """Per page, what the running text is set around: pull quotes, drop caps, figures."""
    out: defaultdict[int, list[Box]] = defaultdict(list)
    for block in blocks:
        out[block.runs[0].page].append(block.box)
    for cap in caps:
        out[cap.page].append(Box(cap.x0, cap.x1, cap.bottom, cap.top))
    return out


def _tier_cuts(
    pages: Sequence[Page],
    bands: dict[int, list[tuple[float, float]]],
    body_runs: Sequence[Run],
    blocks: Sequence[_Block],
) -> dict[int, list[float]]:
    return {
        page.number: _tier_breaks(
            bands[page.number],
            _on_page(body_runs, page.number),
            [b for b in blocks if b.runs[0].page == page.number],
        )
        for page in pages
    }


def _split_front(
    runs: Sequence[Run], bands: dict[int, list[tuple[float, float]]], body: float, leading: float
) -> tuple[list[Run], list[Run]]:
    """The first page's runs above its columns, and everything else."""
    first_page = min(r.page for r in runs)
    page_bands = bands.get(first_page, [])
    tops: dict[int, float] = {}
    for index in range(len(page_bands)):
        ys = sorted(
            {
                r.y
                for r in runs
                if r.page == first_page
                and _is_body_type(r, body)
                and _band_of(r, page_bands) == index
            },
            reverse=True,
        )
        stacked = [a for a, b in pairwise(ys) if a - b <= 1.3 * leading]
        if stacked:
            tops[index] = stacked[0] + 0.75 * body
    if not tops:
        return [], list(runs)
    # Above every column's first line: a heading that opens the second column is
    # running text, the title block over the columns is not.
    limit = max(tops.values())
    front = [r for r in runs if r.page == first_page and r.bottom >= limit]
    rest = [r for r in runs if not (r.page == first_page and r.bottom >= limit)]
    return front, rest


def _front_matter(front: Sequence[Run]) -> tuple[list[str], list[str], str, list[Run]]:
    """Title (the largest type), author, the subtitle between, and what follows them.

    The author is a line starting "by", or else the last line that reads as a name.
    Anything set after the author above the columns (a pull quote spanning the page)
    is no front matter: it goes back to be read with the body.
    """
    lines = sorted(front, key=lambda r: (-r.y, r.x0))
    if not lines:
        return [], [], "", []
    largest = max(r.size for r in lines)
    title_end = 0
    while title_end < len(lines) and lines[title_end].size < 0.95 * largest:
        title_end += 1
    title_start = title_end
    while title_end < len(lines) and lines[title_end].size >= 0.95 * largest:
        title_end += 1
    title = [r.text for r in lines[title_start:title_end]]
    after = lines[title_end:]
    by = next((i for i, r in enumerate(after) if _BY.match(r.text)), None)
    if by is None:
        names = [i for i, r in enumerate(after) if looks_like_name(r.text)]
        by = names[-1] if names else (len(after) - 1 if after else None)
    if by is None:
        return title, [], "", []
    author = author_name(after[by].text)
    return title, [r.text for r in after[:by]], author, list(after[by + 1 :])


def _available(
    run: Run, band: tuple[float, float], boxes: Sequence[Box], body: float, leading: float
) -> tuple[float, float]:
    """The part of the column this line could fill, beside what it wraps around.

    The text keeps its distance from a pull quote: lines up to ``_WRAP_PADDING``
    leadings above or below its type are set short too.
    """
    left, right = band
    pad = _WRAP_PADDING * leading
    for box in boxes:
        if box.top + pad <= run.bottom or box.bottom - pad >= run.top:
            continue
        if box.x1 <= left or box.x0 >= right:
            continue
        # Only a line that keeps clear of the figure's side was set beside it.
        if (box.x0 + box.x1) / 2 <= (run.x0 + run.x1) / 2:
            if run.x0 >= box.x1 - 1:
                left = max(left, box.x1)
        elif run.x1 <= box.x0 + 1:
            right = min(right, box.x0)
    return left, right


def _tier_breaks(
    bands: Sequence[tuple[float, float]], body_runs: Sequence[Run], blocks: Iterable[_Block]
) -> list[float]:
    """Heights at which a page's columns stop and start again, top to bottom.

    A pull quote or heading set across two or more columns with no running text
    beside it cuts the page in two: the columns above it are read first, left to
    right, then those below it. One the text wraps around cuts nothing.
    """
    cuts: list[float] = []
    for block in blocks:
        box = block.box
        spanned = [
            (left, right)
            for left, right in bands
            if min(box.x1, right) - max(box.x0, left) > 0.2 * (right - left)
        ]
        if len(spanned) < 2:
            continue
        beside = any(
            box.bottom < run.y < box.top
            and any(min(run.x1, r) > max(run.x0, lft) for lft, r in spanned)
            for run in body_runs
        )
        if not beside:
            cuts.append((box.top + box.bottom) / 2)
    return sorted(cuts, reverse=True)


def _slot(page: int, y: float, band: int, cuts: dict[int, list[float]]) -> tuple[int, int, int]:
    """Where a line stands in reading order: page, tier (between cuts), column."""
    return (page, sum(1 for cut in cuts.get(page, []) if cut > y), band)


@dataclass(frozen=True, slots=True)
class _Grid:
    """The pages' geometry every line is placed against."""

    bands: dict[int, list[tuple[float, float]]]
    obstacles: dict[int, list[Box]]
    cuts: dict[int, list[float]]
    body: float
    leading: float


_Columns = defaultdict[tuple[int, int, int], list["_Line | _Heading"]]


def _flow(
    pages: Sequence[Page],
    bands: dict[int, list[tuple[float, float]]],
    body_runs: Sequence[Run],
    headings: Sequence[_Block],
    caps: Sequence[Run],
    obstacles: dict[int, list[Box]],
    cuts: dict[int, list[float]],
    body: float,
    leading: float,
) -> list[str | FlowLine]:
    """The running text in reading order: each column's lines and headings, top down."""
    grid = _Grid(bands, obstacles, cuts, body, leading)
    columns: _Columns = defaultdict(list)
    _place_lines(body_runs, grid, columns)
    _place_headings(headings, grid, columns)
    for key, items in columns.items():
        items.sort(key=lambda item: -item.y)
        columns[key] = _merge_baselines(items, body)
        column_lines = [item for item in columns[key] if isinstance(item, _Line)]
        _fit_wrap_measure(column_lines)
        _mark_measure(column_lines)
    _place_drop_caps(caps, grid, columns)
    return _read_in_order(columns, grid)


def _place_lines(runs: Iterable[Run], grid: _Grid, columns: _Columns) -> None:
    for run in runs:
        band = _band_of(run, grid.bands[run.page])
        if band is None:
            continue
        left, right = _available(
            run,
            grid.bands[run.page][band],
            grid.obstacles.get(run.page, []),
            grid.body,
            grid.leading,
        )
        slot = _slot(run.page, run.y, band, grid.cuts)
        columns[slot].append(
            _Line(
                run.text, run.page, slot, run.x0, run.x1, run.y, left, right, run.first_word_width
            )
        )


def _place_headings(headings: Iterable[_Block], grid: _Grid, columns: _Columns) -> None:
    for block in headings:
        first = block.runs[0]
        band = _band_of(first, grid.bands[first.page]) or 0
        slot = _slot(first.page, first.y - 0.01, band, grid.cuts)
        columns[slot].append(_Heading(first.page, slot, first.y, [r.text for r in block.runs]))


def _place_drop_caps(caps: Iterable[Run], grid: _Grid, columns: _Columns) -> None:
    """Each drop cap before the first line set beside it."""
    for cap in caps:
        band = _band_of(cap, grid.bands[cap.page])
        if band is None:
            continue
        beside = [
            item
            for item in columns[_slot(cap.page, cap.top, band, grid.cuts)]
            if isinstance(item, _Line)
            and cap.bottom - 0.5 * grid.body <= item.y <= cap.top
            and item.x0 >= cap.x1 - 1
        ]
        if beside:
            beside[0].drop_cap = _cap_text(cap, beside, grid.body)


def _read_in_order(columns: _Columns, grid: _Grid) -> list[str | FlowLine]:
    lines = [item for items in columns.values() for item in items if isinstance(item, _Line)]
    justified = _is_justified(lines, grid.body)
    flow: list[str | FlowLine] = []
    previous: _Line | None = None
    for slot in sorted(columns):
        for item in columns[slot]:
            if isinstance(item, _Heading):
                text = " ".join(item.lines)
                if flow and isinstance(flow[-1], str):
                    # A heading the columns broke in two ("... to Run" / "Away"):
                    # no running text between, so one heading.
                    text = f"{flow.pop()} {text}"
                flow.append(text)
                previous = None
                continue
            starts = _starts_paragraph(
                previous,
                item,
                grid.obstacles.get(item.page, []),
                justified,
                grid.body,
                grid.leading,
            )
            flow.append(FlowLine(item.drop_cap + item.text, starts))
            previous = item
    return flow


def _fit_wrap_measure(lines: Sequence[_Line]) -> None:
    """Beside a pull quote the text keeps a gutter from it, of the producer's choosing:
    the measure there is where the longest of the lines beside it ends (or the
    furthest left one starts)."""
    if not lines:
        return
    widest = (min(line.left for line in lines), max(line.right for line in lines))
    for side in ("left", "right"):
        run: list[_Line] = []
        for line in [*lines, None]:
            value = getattr(line, side) if line is not None else None
            narrowed = value is not None and value != widest[side == "right"]
            if run and (not narrowed or value != getattr(run[0], side)):
                edge = min(r.x0 for r in run) if side == "left" else max(r.x1 for r in run)
                for member in run:
                    setattr(member, side, edge)
                run = []
            if narrowed and line is not None:
                run.append(line)


def _mark_measure(lines: Sequence[_Line]) -> None:
    for index, line in enumerate(lines):
        neighbours = [*lines[max(0, index - 1) : index], *lines[index + 1 : index + 2]]
        line.at_measure = any(abs(other.x1 - line.x1) < _SAME_EDGE for other in neighbours)
        following = lines[index + 1] if index + 1 < len(lines) else None
        line.ahead_of_next = following is None or line.x0 - following.x0 > _SAME_EDGE


def _merge_baselines(items: list[_Line | _Heading], body: float) -> list[_Line | _Heading]:
    """Pieces of one line (split around a figure, or by a wide gap) as one line."""
    out: list[_Line | _Heading] = []
    for item in items:
        last = out[-1] if out else None
        if (
            isinstance(item, _Line)
            and isinstance(last, _Line)
            and abs(last.y - item.y) < 0.3 * body
        ):
            first, second = (last, item) if last.x0 <= item.x0 else (item, last)
            out[-1] = _Line(
                f"{first.text} {second.text}",
                first.page,
                first.band,
                first.x0,
                second.x1,
                first.y,
                min(first.left, second.left),
                max(first.right, second.right),
                first.first_word_width,
            )
        else:
            out.append(item)
    return out


def _cap_text(cap: Run, beside: Sequence[_Line], body: float) -> str:
    """The drop cap, with a space after it when the line beside it starts a new word.

    The first line beside a drop cap starts right after it when it continues the
    word; it is set a space further in than the line below it when it does not.
    """
    text = cap.text.strip()
    if len(beside) >= 2 and beside[0].x0 - beside[1].x0 > 0.2 * body:
        return text + " "
    # Set flush, "A" and "critic" still read as two words where "Acritic" is none.
    return cap_joined(text, beside[0].text)


def _is_justified(lines: Sequence[_Line], body: float) -> bool:
    if not lines:
        return False
    # Justified text ends nearly every line at the edge; ragged text, a good many too
    # (wherever a hyphenated word fills the line), but far from all.
    flush = sum(1 for line in lines if line.right - line.x1 < 0.15 * body)
    return flush > _JUSTIFIED * len(lines)


def _starts_paragraph(
    previous: _Line | None,
    line: _Line,
    boxes: Sequence[Box],
    justified: bool,
    body: float,
    leading: float,
) -> bool:
    if previous is None or line.drop_cap:
        return True
    same_column = previous.page == line.page and previous.band == line.band
    # Further in than the column's edge (less what it wraps around), and than the
    # line after it: a wrap's padding can reach a line or two beyond the figure.
    indented = line.x0 - line.left > _INDENT * body and line.ahead_of_next
    if indented and not (same_column and abs(previous.x0 - line.x0) < 0.3 * body):
        return True
    if previous.text.endswith(("-", "—", "–")):
        return False
    free = previous.right - previous.x1
    # The next line's first word would have fitted: the line ended by choice. (Some
    # producers stretch a justified line only so far, so a short line alone is not
    # enough.)
    needed = line.first_word_width + 0.3 * body
    if free > needed and not (justified and previous.at_measure):
        return True
    if same_column and previous.y - line.y > 1.5 * leading:
        between = any(box.top > line.y and box.bottom < previous.y for box in boxes)
        return not between
    return False
