"""The colour theme: Textual's themes by name, and the one remembered between runs in
$XDG_CONFIG_HOME/bptui/config.toml (~/.config/bptui/config.toml when that is not set)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..core.errors import BptuiError

DEFAULT = "textual-dark"


def names() -> list[str]:
    """Every theme the app offers (Textual's built-in themes)."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def check(name: str) -> str:
    """The theme name itself, or a one-line error listing the valid names."""
    valid = names()
    if name not in valid:
        raise BptuiError(f"--theme: unknown theme '{name}'; themes: {', '.join(valid)}")
    return name


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "bptui" / "config.toml"


def remembered() -> tuple[str | None, str]:
    """(the remembered theme or None, a warning if the config file could not be used)."""
    path = config_path()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, ""
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, f"{path}: ignored, cannot read it: {getattr(exc, 'strerror', None) or exc}"
    name = doc.get("theme")
    if name is None:
        return None, ""
    if not isinstance(name, str) or name not in names():
        return None, f"{path}: theme = {name!r} is not a theme, using {DEFAULT} (themes: bptui --help)"
    return name, ""


def remember(name: str) -> None:
    """Write the theme to the config file (BptuiError if it cannot be written)."""
    from ..core.session import atomic_write

    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BptuiError(f"{path.parent}: cannot create it: {exc.strerror or exc}") from None
    atomic_write(path, f'# bptui settings, written by bptui\ntheme = "{name}"\n')


def resolve(arg: str | None) -> tuple[str, str]:
    """The theme to start with: --theme if given, else the remembered one, else the default;
    and a warning to print, if any."""
    if arg is not None:
        return check(arg), ""
    name, warning = remembered()
    return name or DEFAULT, warning
