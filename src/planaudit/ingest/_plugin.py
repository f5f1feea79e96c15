"""Registers the built-in readers through the ``planaudit`` entry-point group, as a third
party would. The marker is pluggy's by project name, so this layer needs no engine import."""
from __future__ import annotations

import pluggy

from . import BUILTIN_READERS, Reader

hookimpl = pluggy.HookimplMarker("planaudit")


@hookimpl
def planaudit_register_readers() -> list[Reader]:
    return list(BUILTIN_READERS)
