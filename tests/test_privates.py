"""No module reads another's private attributes: outside its own class, a name starting with
an underscore is not touched (self._x and super()._x are the class's own)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "bptui"
# Textual's App keeps the exception that ended it only as a private attribute
ALLOWED = {("cli/run.py", "app._exception")}


def test_no_module_reads_another_modules_privates():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                not isinstance(node, ast.Attribute)
                or not node.attr.startswith("_")
                or node.attr.startswith("__")
            ):
                continue
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("self", "cls"):
                continue
            if isinstance(base, ast.Call) and isinstance(base.func, ast.Name) and base.func.id == "super":
                continue
            where = (str(path.relative_to(ROOT)), ast.unparse(node))
            if where not in ALLOWED:
                found.append(f"{where[0]}:{node.lineno}: {where[1]}")
    assert found == []
