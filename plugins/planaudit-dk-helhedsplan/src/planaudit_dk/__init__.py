"""planaudit-dk-helhedsplan: Danish criteria for boligsociale helhedsplaner, as a planaudit plugin.

It registers, through the ``planaudit`` entry-point group (module :mod:`planaudit_dk.plugin`),
the Python rule DK001, the rule pack ``helhedsplan.yaml`` (DK101–DK133, criteria
``dk_coherence``, ``dk_organisation``, ``dk_documentation``, ``dk_roles``) and the scoring
profile ``landsbyggefonden``.
"""
from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("planaudit-dk-helhedsplan")
    raise AttributeError(name)
