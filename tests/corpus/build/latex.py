"""The second producer: the essay as LaTeX (multicol, lettrine, fancyhdr, microtype), run once.

TeX breaks lines and hyphenates by its own rules, so its breaks are read back from the
text layer afterwards (``extract.find_breaks``). Ligatures are TeX's own (fi, ff, fl)
and reach the text layer as U+FB01 etc. through ``glyphtounicode``. A pull quote is
either a large italic box dropped into the column after a line in the middle of its
paragraph (``\\vadjust``, so the sentence resumes below it), or a box across all
columns between two runs of the multicol text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.markup import Essay

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "■": r"\ensuremath{\blacksquare}",
}


@dataclass(frozen=True, slots=True)
class TexLayout:
    columns: int
    #: "inside": in the column, mid-paragraph; "span": across the columns between runs.
    pulls: tuple[str, ...] = ("inside",)
    size: str = "10pt"
    paper: tuple[str, str] = ("7in", "9.5in")
    parskip: str = "0pt"
    first_page: int = 87
    running_head: str = ""


def escape(text: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


_PREAMBLE = r"""\documentclass[%(size)s]{article}
\usepackage[paperwidth=%(width)s,paperheight=%(height)s,margin=0.55in,top=0.8in,bottom=0.7in]{geometry}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{mathptmx}
\usepackage{amssymb}
\usepackage{microtype}
\usepackage{multicol}
\usepackage{lettrine}
\usepackage{fancyhdr}
\input{glyphtounicode}
\pdfglyphtounicode{fi}{FB01}\pdfglyphtounicode{ff}{FB00}\pdfglyphtounicode{fl}{FB02}
\pdfglyphtounicode{ffi}{FB03}\pdfglyphtounicode{ffl}{FB04}
\pdfgentounicode=1
\pdfinfo{/Title (%(title)s) /Creator (essay-bot corpus, LaTeX)}
\setlength{\columnsep}{14pt}
\setlength{\parskip}{%(parskip)s}
\setlength{\parindent}{1em}
\pagestyle{fancy}
\fancyhf{}
\fancyhead[L]{\footnotesize\itshape %(head)s}
\fancyfoot[C]{\footnotesize\thepage}
\renewcommand{\headrulewidth}{0.4pt}
\newcommand{\essayhead}[1]{\par\addvspace{8pt}{\raggedright\large\bfseries #1\par}%%
  \nobreak\vspace{3pt}\noindent\ignorespaces}
\newcommand{\pullbox}[1]{\vspace{5pt}\hrule\vspace{4pt}%%
  \hbox{\parbox{\linewidth}{\raggedright\Large\itshape #1}}\vspace{4pt}\hrule\vspace{5pt}}
\newcommand{\pullin}[1]{\vadjust{\pullbox{#1}}}
\begin{document}
\setcounter{page}{%(page)d}
\thispagestyle{plain}
"""


def _title_block(essay: Essay) -> str:
    parts = [r"{\noindent\raggedright\fontsize{26}{30}\selectfont\bfseries " + escape(essay.title)]
    parts.append(r"\par}\vspace{6pt}")
    if essay.subtitle:
        parts.append(r"{\noindent\Large\itshape " + escape(essay.subtitle) + r"\par}\vspace{8pt}")
    parts.append(r"{\noindent\bfseries " + escape(essay.author) + r"\par}\vspace{14pt}")
    return "\n".join(parts)


def _drop(paragraph: str) -> str:
    """``\\lettrine{T}{he} rest``: the first letter (with an opening quote) dropped."""
    first, _, rest = paragraph.partition(" ")
    cut = next(i for i, ch in enumerate(first) if ch.isalnum()) + 1
    return (
        r"\lettrine[lines=3]{"
        + escape(first[:cut])
        + "}{"
        + escape(first[cut:])
        + "} "
        + escape(rest)
    )


def _with_pull(paragraph: str, pull: str) -> str:
    """The paragraph with the pull quote hung after the line holding its middle word."""
    words = paragraph.split()
    at = max(len(words) * 2 // 5, 8)
    if at >= len(words):
        at = len(words) // 2
    return " ".join(
        [*map(escape, words[:at]), r"\pullin{" + escape(pull) + "}", *map(escape, words[at:])]
    )


def tex_source(essay: Essay, layout: TexLayout) -> str:
    head = escape(layout.running_head)
    out = [
        _PREAMBLE
        % {
            "size": layout.size,
            "width": layout.paper[0],
            "height": layout.paper[1],
            "parskip": layout.parskip,
            "title": essay.title.replace("(", "").replace(")", ""),
            "head": head,
            "page": layout.first_page,
        }
    ]
    begin = rf"\begin{{multicols}}{{{layout.columns}}}"
    out.append(r"\newcommand{\titleblock}{" + _title_block(essay) + "}")
    out.append(begin + r"[\titleblock]")
    pulls = {(p.section, p.paragraph): (i, p.text) for i, p in enumerate(essay.pull_quotes)}
    last = (len(essay.sections), len(essay.sections[-1].paragraphs))
    for s_number, section in enumerate(essay.sections, start=1):
        if section.title is not None:
            out.append(r"\essayhead{" + escape(section.title) + "}")
        for p_number, text in enumerate(section.paragraphs, start=1):
            where = (s_number, p_number)
            pull = pulls.get(where)
            mode = layout.pulls[pull[0] % len(layout.pulls)] if pull else ""
            if pull and mode == "span":
                out.append(r"\end{multicols}")
                out.append(r"\noindent\pullbox{" + escape(pull[1]) + "}")
                out.append(begin)
            if where == (1, 1) and pull and mode == "inside":
                # The drop cap's paragraph may hold a pull quote too: set both.
                first, _, rest = text.partition(" ")
                body = _drop(first).rstrip() + " " + _with_pull(rest, pull[1])
            elif where == (1, 1):
                body = _drop(text)
            elif pull and mode == "inside":
                body = _with_pull(text, pull[1])
            else:
                body = escape(text)
            if where == last:
                body += r"~" + escape(essay.end_mark)
            out.append(body + "\n")
    out.append(r"\end{multicols}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def build_latex(essay: Essay, layout: TexLayout, folder: Path) -> None:
    """Write ``latex.tex``, run pdflatex on it, keep ``latex.pdf``."""
    source = tex_source(essay, layout)
    (folder / "latex.tex").write_text(source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(folder / "latex.tex", Path(tmp) / "latex.tex")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "FORCE_SOURCE_DATE": "1"}
        for _ in range(2):
            done = subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "latex.tex"],
                cwd=tmp,
                capture_output=True,
                env=env,
                check=False,
            )
            if done.returncode != 0:
                log = done.stdout.decode("utf-8", "replace")
                raise RuntimeError(f"pdflatex failed on {folder.name}:\n{log[-3000:]}")
        shutil.copy(Path(tmp) / "latex.pdf", folder / "latex.pdf")


def describe(layout: TexLayout) -> str:
    pulls = "/".join(dict.fromkeys(layout.pulls))
    return (
        f"LaTeX: {layout.columns} columns (multicol), Times (mathptmx, T1), microtype, "
        f"TeX hyphenation and ligatures, lettrine drop cap, fancyhdr running head, "
        f"pull quotes {pulls}"
    )
