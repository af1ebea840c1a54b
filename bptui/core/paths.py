"""Find the shipped `data/`, `patterns/` and built-in scenarios, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

PKG = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Path:
    """`data` or `patterns`: inside the wheel at bptui/<name>, in a checkout beside bptui/."""
    for d in (PKG / name, PKG.parent / name):
        if d.is_dir():
            return d
    return PKG / name


def scenarios_dir() -> Path:
    return PKG / "scenarios"
