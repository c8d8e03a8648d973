"""gaitguard: running dynamics and calf-strain risk indicators from runners' wearable data.

Indicators, not diagnoses. Every function runs the gaitguard engine (Rust) with the command
line's own options and validation; keyword arguments are the options (``speed_mps=3.2`` is
``--speed-mps 3.2``, ``prior_calf_strain=True`` is ``--prior-calf-strain``, a list or tuple
repeats the option, ``None`` and ``False`` leave it out).
"""

from __future__ import annotations

import io
import json
import os
from typing import Any, Iterable, Union

from . import _native
from ._native import GaitguardError, UsageError

__all__ = ["analyze", "steps", "block", "GaitguardError", "UsageError", "__version__"]
__version__ = _native.__version__

PathLike = Union[str, "os.PathLike[str]"]


def _option_args(options: dict) -> list:
    args: list = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                args.extend([flag, str(v)])
        else:
            args.extend([flag, str(value)])
    return args


def analyze(path: PathLike, **options: Any) -> dict:
    """Analyse one recording; returns the session document (``gaitguard.session/1``), or,
    for a raw recording of free-living wear (longer than 6 hours, or ``wear=True``), the wear
    document (``gaitguard.wear/1``: days, bouts, and one session document per run)."""
    args = [os.fspath(path), *_option_args(options)]
    return json.loads(_native.analyze_json(args))


def steps(path: PathLike, **options: Any):
    """One row per detected step of a raw sensor file, as a ``pyarrow.Table`` with the
    ``gaitguard.steps/1`` schema (units in the column names, the schema version in the
    table's metadata under ``gaitguard.schema``); for free-living wear the steps of every
    run, ``gaitguard.wear_steps/1`` (a leading ``session`` column)."""
    import pyarrow.parquet as pq

    data = _native.steps_parquet([os.fspath(path), *_option_args(options)])
    parquet = pq.ParquetFile(io.BytesIO(data))
    table = parquet.read()
    # gaitguard's keys (schema version, input file) from the file's metadata.
    ours = {k: v for k, v in (parquet.metadata.metadata or {}).items() if k.startswith(b"gaitguard.")}
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **ours})


def block(paths: Union[PathLike, Iterable[PathLike]], **options: Any) -> dict:
    """Analyse a training block (folders, files, archives); returns ``gaitguard.block/1``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    args = [os.fspath(p) for p in paths]
    options.setdefault("quiet", True)
    return json.loads(_native.block_json([*args, *_option_args(options)]))
