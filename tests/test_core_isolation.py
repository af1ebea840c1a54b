import subprocess
import sys

CODE = """
import sys
import bptui.core.activations, bptui.core.losses, bptui.core.network, bptui.core.trainer
import bptui.core.data, bptui.core.patterns, bptui.core.scenario
import bptui.core.gradcheck
import bptui.teach.notation, bptui.teach.formula, bptui.teach.lines, bptui.teach.lesson
bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'plotext', 'textual_plotext'})
print(','.join(bad))
"""


def test_core_and_teach_import_no_ui_library():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"bptui.core or bptui.teach pulled in UI modules: {out.stdout}"
