"""The house style's sizes: every module of bptui/ at most ~400 lines and every function at most
~60, so a newcomer reads each in one sitting. A case that is better long goes in ALLOWED with
its reason."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "bptui"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# path relative to bptui/, or "path:function" → why it may be longer
ALLOWED: dict[str, str] = {}


def _modules():
    return sorted(ROOT.rglob("*.py"))


def _too_long():
    found = []
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and rel not in ALLOWED:
            found.append(f"{rel}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            n = node.end_lineno - node.lineno + 1
            if n > MAX_FUNCTION_LINES and f"{rel}:{node.name}" not in ALLOWED:
                found.append(f"{rel}:{node.lineno}: {node.name} is {n} lines (at most {MAX_FUNCTION_LINES})")
    return found


def test_every_module_and_function_is_short():
    assert _too_long() == []


def test_the_allow_list_names_only_what_is_still_long():
    stale = []
    for key in ALLOWED:
        rel, _, func = key.partition(":")
        path = ROOT / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if not func:
            sizes = [len(text.splitlines())]
            limit = MAX_MODULE_LINES
        else:
            sizes = [
                n.end_lineno - n.lineno + 1
                for n in ast.walk(ast.parse(text))
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == func
            ]
            limit = MAX_FUNCTION_LINES
        if max(sizes, default=0) <= limit:
            stale.append(key)
    assert stale == []
