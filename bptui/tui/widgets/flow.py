"""A formula line's parts flowed into a panel's width: broken at an '=' when the next part
fits whole on a line of its own, else between its terms, a bracket deeper when a term is
still too long; every continued line indented alike."""

from __future__ import annotations

from rich.text import Text

INDENT = 4  # where a wrapped line goes on
_OPEN, _CLOSE = "([", ")]"


def terms(text: str) -> list[str]:
    """`text` cut where a line may break: after a comma or before a spaced + − ×, at the
    outermost bracket depth that has such a place (a list of pairs breaks between pairs)."""
    cuts, depth = [], 0
    for i, c in enumerate(text):
        depth += (c in _OPEN) - (c in _CLOSE)
        if c == "," and text[i + 1 : i + 2] == " ":
            cuts.append((depth, i + 2))
        elif c in "+−×-" and text[i - 1 : i] == " " and text[i + 1 : i + 2] == " ":
            cuts.append((depth, i - 1))
    if not cuts:
        return [text]
    top = min(d for d, _ in cuts)
    at = [0] + [i for d, i in cuts if d == top] + [len(text)]
    return [text[a:b] for a, b in zip(at, at[1:]) if b > a]


def flow(out: Text, col: int, width: int, parts: list, sep: str, sep_style) -> int:
    """Append `sep part sep part …` from column `col`, wrapping at `width`: a part that does
    not fit on this line but fits whole on the next starts the next; a longer one is broken
    between its terms. Continued lines start at INDENT. Returns the column reached."""
    for text, style in parts:
        whole = len(sep) + len(text)
        if col + whole > width and col > INDENT and INDENT + whole <= width:
            out.append("\n" + " " * INDENT)
            col = INDENT
        chunks = pieces(text, width - INDENT - len(sep))  # (the room after a continued ' = ')
        if col + len(sep) + len(chunks[0].rstrip()) > width and col > INDENT:
            out.append("\n" + " " * INDENT)  # not even its first piece fits: '=' goes on too
            col = INDENT
        out.append(sep, sep_style)
        col += len(sep)
        for chunk in chunks:
            if col + len(chunk.rstrip()) > width and col > INDENT + len(sep):
                chunk = chunk.lstrip()
                out.append("\n" + " " * (INDENT + 1))
                col = INDENT + 1
            out.append(chunk, style)
            col += len(chunk)
        sep = " = "
    return col


def pieces(text: str, room: int) -> list[str]:
    """`text` cut between its terms, and a term longer than `room` cut again between its
    own (one bracket deeper), so that every piece fits a continued line where it can."""
    if len(text.strip()) <= room:
        return [text]
    parts = terms(text)
    if len(parts) == 1:
        return parts  # nowhere to break: the line runs on (the view wraps it)
    return [p for part in parts for p in pieces(part, room)]
