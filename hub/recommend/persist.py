"""Keeping the model on disk: joblib for the model, a small JSON state file beside it.

Both are written to a temporary file and renamed into place, so a reader sees the old file or
the new one, never half of one. The model is written first: a crash in between leaves a state
file that is merely out of date, which the next check corrects.
The model file is a pickle: only ever load one this hub wrote into its own instance folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import joblib

from hub.recommend.model import MODEL_VERSION, RelatedModel
from hub.recommend.vectorize import settings_key

MODEL_FILE = "model.joblib"
STATE_FILE = "state.json"


def save(model: RelatedModel, folder: Path) -> None:
    """Write the model and its state file atomically into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    _atomic(folder / MODEL_FILE, lambda f: joblib.dump(model, f, compress=0))
    save_state(model, folder)


def save_state(model: RelatedModel, folder: Path) -> None:
    """Write only the state file (when it fell behind a model already on disk)."""
    _atomic(folder / STATE_FILE, lambda f: f.write(json.dumps(state_of(model)).encode()))


def state_of(model: RelatedModel) -> dict:
    """What the state file says about a model: enough to know whether it is current."""
    return {"version": model.version, "signature": model.signature, "items": len(model),
            "fits": model.fits, "updates": model.updates}


def read_state(folder: Path) -> dict | None:
    """The state file's contents, or None when there is no usable model in folder."""
    try:
        state = json.loads((folder / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not (folder / MODEL_FILE).is_file() or state.get("version") != MODEL_VERSION:
        return None
    return state


def load(folder: Path) -> RelatedModel | None:
    """The persisted model, or None when it is missing, unreadable or of another version."""
    try:
        model = joblib.load(folder / MODEL_FILE)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign file is rebuilt, not fatal
        return None
    if not isinstance(model, RelatedModel) or model.version != MODEL_VERSION:
        return None
    if getattr(model, "settings", None) != settings_key():
        return None  # fitted with other stop words or weights: its vectors no longer compare
    return model


def stamp(folder: Path) -> tuple[int, int] | None:
    """The model file's (mtime, size): changes whenever a new model is written."""
    try:
        info = (folder / MODEL_FILE).stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _atomic(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
