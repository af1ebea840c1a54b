"""One error type for everything a user can get wrong; its message is a single line."""


class BptuiError(Exception):
    """Bad input: the message names the file, the key or line, what is wrong and what is right.
    `prog` is the command it was given to ("bptui serve"); it leads the one line printed,
    "bptui serve: error: …", as argparse's own errors read."""

    def __init__(self, message: str = "", prog: str = "bptui"):
        super().__init__(message)
        self.prog = prog


class ScenarioError(BptuiError):
    pass


class DataError(BptuiError):
    pass


class PatternError(BptuiError):
    pass


def toml_error(src, text: str, exc) -> str:
    """A tomllib error as one line: where, what, and the line as written."""
    import re

    msg = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    if not m:
        return f"{src}: TOML syntax error: {msg}"
    line, col = int(m.group(1)), int(m.group(2))
    what = msg[: m.start()].strip()
    if what.startswith("Cannot overwrite a value") or what.startswith("Cannot declare"):
        what += " (a key or table given twice?)"
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return f"{src}: line {line}, column {col}: TOML syntax error: {what}" + (
        f"; the line reads: {shown}" if shown else ""
    )


_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": " "}


def printable(s: str, keep_newlines: bool = False) -> str:
    """`s` without terminal control characters (ESC, OSC, CSI, BEL, DEL…), safe to echo.
    Newlines are kept if asked, else shown escaped, so a message stays on one line."""
    out = []
    for c in str(s):
        o = ord(c)
        if c == "\n" and keep_newlines:
            out.append(c)
        elif c in _SHOWN:
            out.append(_SHOWN[c])
        elif o < 0x20 or 0x7F <= o < 0xA0:
            continue
        else:
            out.append(c)
    return "".join(out)
