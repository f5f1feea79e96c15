"""``planaudit init``: a plan skeleton in the structure the research recommends."""
from __future__ import annotations

__all__: list[str] = []
