"""TOML in and out: one reader (through files, errors as one line), one test for numbers, and
one writer with escaping, used for everything bptui writes as TOML (no string formatting)."""

from __future__ import annotations

import math
import re
import sys
import tomllib

from . import files
from .errors import BptuiError, toml_error

FLOAT_MAX = sys.float_info.max


def is_number(v) -> bool:
    """A finite TOML number that fits a float (a 401-digit integer does not); not a bool."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    return math.isfinite(v) if isinstance(v, float) else -FLOAT_MAX <= v <= FLOAT_MAX


def loads(text: str, src, error=BptuiError) -> dict:
    """Parse TOML text; a syntax error names `src`, the line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(toml_error(src, text, exc)) from None
    except RecursionError:
        raise error(f"{src}: TOML nests too deeply") from None
    except ValueError:  # Python reads integers of up to 4300 digits
        raise error(
            f"{src}: an integer of more than 4300 digits; expected a number that fits a float"
        ) from None


def load(path, what: str, error=BptuiError) -> tuple[str, dict]:
    """A user's TOML file → (its text, the parsed document)."""
    text = files.read_text(path, what, error=error)
    return text, loads(text, path, error)


# ---- the writer ----------------------------------------------------------------------------
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESC = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _str(s: str) -> str:
    out = []
    for c in s:
        if c in _ESC:
            out.append(_ESC[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _key(k: str) -> str:
    return k if _BARE.fullmatch(k) else _str(k)


def _val(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"cannot write the non-finite number {v} to TOML")
        return repr(v)
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items() if x is not None) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(doc: dict) -> str:
    """A document of values and tables of values (None is left out) as TOML text."""
    lines = [f"{_key(k)} = {_val(v)}" for k, v in doc.items() if v is not None and not isinstance(v, dict)]
    for sec, table in doc.items():
        if isinstance(table, dict):
            lines += ["", f"[{_key(sec)}]"]
            lines += [f"{_key(k)} = {_val(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines).lstrip("\n") + "\n"
