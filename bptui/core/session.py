"""Save and resume a session: the scenario, the weights, the cursor, the pending ΔW and the
history, as one JSON document. Floats round-trip exactly (JSON writes repr(float)).

Saving is atomic: the document goes to a temporary file in the same folder, is flushed and
fsynced, and then renamed over the target, so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import stat
import tempfile
import time
from pathlib import Path

import numpy as np

from . import files
from . import scenario as scen
from . import sessioncheck as check
from .errors import BptuiError
from .history import JSON_FIELDS
from .limits import MAX_SESSION_BYTES
from .scenario import Scenario
from .trainer import Trainer

FORMAT = 1


def _arr(xs):
    return None if xs is None else [np.asarray(x).tolist() for x in xs]


def to_dict(sc: Scenario, tr: Trainer) -> dict:
    return {
        "bptui_session": FORMAT,
        "scenario": {
            "name": sc.name,
            "path": None if sc.path is None else str(Path(sc.path).resolve()),
            "toml": sc.text,
        },
        "state": {
            "eta": tr.eta,
            "epoch": tr.epoch,
            "i": tr.i,
            "k": tr.k,
            "diverged": tr.diverged,
            "W": _arr(tr.net.W),
            "b": _arr(tr.net.b),
            "dW": _arr(tr.dW),
            "db": _arr(tr.db),
        },
        "history": tr.history.rows(),
    }


def save(path, sc: Scenario, tr: Trainer) -> Path:
    """Write the session atomically (temp file, fsync, rename)."""
    return atomic_write(path, json.dumps(to_dict(sc, tr)))


def history_csv(tr: Trainer) -> str:
    lines = [",".join(JSON_FIELDS)]
    for r in tr.history.rows():
        lines.append(",".join([str(r[0])] + ["" if v is None else repr(v) for v in r[1:]]))
    return "\n".join(lines) + "\n"


def data_csv(tr: Trainer) -> str:
    """The records a trainer trains and tests on: `set` (train, in the order the first epoch
    walks them, then test), the point on the plane (2-D data), the input features as the
    network gets them, and the targets."""
    d = tr.data
    head = ["set"] + (["point_x1", "point_x2"] if d.points is not None else [])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head + d.feature_names + d.target_names)
    order = [tr.record_index(i) for i in range(tr.m)]
    for name, idx, X, Y, P in (
        ("train", order, d.X, d.y, d.points),
        ("test", range(len(d.X_test)), d.X_test, d.y_test, d.points_test),
    ):
        for i in idx:
            cells = ([] if P is None else list(P[i])) + list(X[i]) + list(Y[i])
            w.writerow([name] + [repr(float(v)) for v in cells])
    return out.getvalue()


def weights_json(tr: Trainer, names: dict | None = None) -> str:
    """The weights as JSON; `names` (teach.notation.Notation.export) adds every weight's name."""
    doc = {"sizes": tr.net.sizes, "epoch": tr.epoch, "weights": _arr(tr.net.W), "biases": _arr(tr.net.b)}
    return json.dumps(doc | (names or {}), ensure_ascii=False)


def atomic_write(path, data: str) -> Path:
    """Write text atomically: a temp file in the same folder, flushed, fsynced, renamed.

    A symlink is written through: its target is replaced, the link stays a link. The file keeps
    an existing file's mode; a new file gets the umask's (as open() would), not mkstemp's 0600."""
    given = Path(path)
    path = Path(os.path.realpath(given)) if os.path.islink(given) else given
    folder = path.parent if str(path.parent) else Path(".")
    if os.path.islink(path):
        raise BptuiError(f"{given}: cannot save: a symbolic link loop (a link that points back to itself)")
    if os.path.isdir(path):
        raise BptuiError(f"{given}: cannot save: is a directory")
    mode = _mode_for(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BptuiError(f"{given}: cannot save: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        try:
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass  # some filesystems cannot fsync a folder; the rename is done
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BptuiError(f"{given}: cannot save: {exc.strerror or exc}") from None
    _remove_stale_temps(folder, path.name)
    return given


def _mode_for(path: Path) -> int:
    """An existing regular file's permission bits, else 0o666 less the umask."""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


STALE_SECONDS = 600  # a temp file this old is a save that was killed, not one in progress


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Remove temp files that killed saves of `name` left behind."""
    now = time.time()
    for old in folder.glob(f".{glob.escape(name)}.*.tmp"):
        try:
            if now - old.stat().st_mtime > STALE_SECONDS:
                old.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def _no_constant(name: str):
    raise ValueError(f"it holds {name}; a saved session holds finite numbers only")


def is_session(ref: str) -> bool:
    return str(ref).endswith(".json")


def load(ref) -> tuple[Scenario, Trainer]:
    """Resume a saved session: the same numbers, the same cursor, the same history."""
    path = Path(ref)
    text = files.read_text(path, "saved session (.json)", limit=MAX_SESSION_BYTES)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise BptuiError(f"{path}: not a valid session file: it nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise BptuiError(f"{path}: line {exc.lineno}: not a valid session file: {exc.msg}") from None
    except ValueError as exc:  # NaN, Infinity, or an integer of more than 4300 digits
        raise BptuiError(f"{path}: not a valid session file: {exc}") from None
    if not isinstance(doc, dict) or doc.get("bptui_session") != FORMAT:
        raise BptuiError(f'{path}: not a bptui session (no "bptui_session": {FORMAT})')
    try:
        toml, name, orig = check.header(doc)
        orig = Path(orig) if orig else None
        try:
            sc = scen.from_text(toml, orig, name)
            tr = sc.build()
        except BptuiError as exc:  # name the session, then the scenario's own words
            msg, src = str(exc), str(orig or name)
            msg = msg[len(src) + 2 :] if msg.startswith(src + ": ") else msg
            raise BptuiError(f"{path}: its saved scenario ({src}): {msg}") from None
        st = check.state(doc, tr)
    except check.Bad as exc:
        raise BptuiError(f"{path}: {exc}") from None
    tr.eta = float(doc["state"]["eta"])
    cursor = {key: doc["state"][key] for key in ("epoch", "i", "k", "diverged")}
    tr.restore(st["W"], st["b"], st["dW"], st["db"], rows=st["rows"], **cursor)
    return sc, tr
