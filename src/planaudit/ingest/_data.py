"""The readers' data files (``ingest/data/*.yaml``: style names, boilerplate names, font and
glyph lists), each read once per process."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["reader_data"]


@lru_cache(maxsize=None)
def reader_data(name: str) -> Any:
    """The parsed contents of ``ingest/data/<name>.yaml``."""
    text = (resources.files("planaudit.ingest") / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
