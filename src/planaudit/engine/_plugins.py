"""Finding and loading plugins, one entry point at a time, and what they register."""
from __future__ import annotations

import importlib.metadata as metadata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pluggy

from ..errors import PluginError
from ..ingest import Reader
from . import hookspecs
from ._profiles import Profile
from ._reporting import Reporter
from .rule import Rule, RuleInfo

__all__ = ["ENTRY_POINT_GROUP", "LoadFailure", "LoadedPlugin", "Registry", "load_registry"]

ENTRY_POINT_GROUP = "planaudit"


class LoadedPlugin(NamedTuple):
    name: str
    distribution: str
    version: str


class LoadFailure(NamedTuple):
    name: str
    distribution: str
    error: str

    def message(self, lang: str = "nb") -> str:
        if lang == "en":
            return f"plugin {self.name!r} from {self.distribution} failed to load: {self.error}"
        return f"tillegget {self.name!r} fra {self.distribution} kunne ikke lastes: {self.error}"


@dataclass
class Registry:
    """Everything the loaded plugins register, checked for clashes."""

    manager: pluggy.PluginManager
    plugins: list[LoadedPlugin] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    rules: dict[str, type[Rule]] = field(default_factory=dict)
    rule_plugin: dict[str, str] = field(default_factory=dict)
    readers: list[Reader] = field(default_factory=list)
    reporters: dict[str, Reporter] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    check_types: dict[str, Any] = field(default_factory=dict)
    config_keys: dict[str, str] = field(default_factory=dict)

    def rule_infos(self) -> list[RuleInfo]:
        return [self.rules[rid].info(self.rule_plugin[rid]) for rid in sorted(self.rules)]

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise PluginError("--profile", f"ukjent profil {name!r} (finnes: {known})",
                              f"unknown profile {name!r} (known: {known})") from None

    def reporter(self, name: str) -> Reporter:
        try:
            return self.reporters[name]
        except KeyError:
            known = ", ".join(sorted(self.reporters))
            raise PluginError("--format", f"ukjent format {name!r} (finnes: {known})",
                              f"unknown format {name!r} (known: {known})") from None


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.dist.name if ep.dist else "", ep.name))


def _load_entry_points(manager: pluggy.PluginManager, registry: Registry) -> None:
    for entry in _entry_points():
        dist = entry.dist.name if entry.dist else "?"
        version = entry.dist.version if entry.dist else "?"
        try:
            plugin = entry.load()
            if not manager.is_registered(plugin):
                manager.register(plugin, name=f"{dist}:{entry.name}")
        except Exception as err:  # a broken plugin must never stop the others
            registry.failures.append(LoadFailure(entry.name, dist, f"{type(err).__name__}: {err}"))
            continue
        registry.plugins.append(LoadedPlugin(entry.name, dist, version))


def _results(manager: pluggy.PluginManager, hook: str) -> list[tuple[str, Any]]:
    """Each plugin's answer to a registration hook; one that raises is named in the error."""
    answers = []
    for impl in getattr(manager.hook, hook).get_hookimpls():
        try:
            answers.append((impl.plugin_name, impl.function() or []))
        except Exception as err:
            raise PluginError(impl.plugin_name, f"{hook} feilet: {type(err).__name__}: {err}",
                              f"{hook} failed: {type(err).__name__}: {err}") from None
    return answers


def _collect(manager: pluggy.PluginManager, registry: Registry) -> None:
    for plugin, rules in _results(manager, "planaudit_register_rules"):
        for rule in rules:
            if rule.id in registry.rules:
                raise PluginError(
                    plugin,
                    f"regel-ID {rule.id} er allerede registrert av {registry.rule_plugin[rule.id]}",
                    f"rule id {rule.id} is already registered by {registry.rule_plugin[rule.id]}",
                )
            registry.rules[rule.id] = rule
            registry.rule_plugin[rule.id] = plugin
    for _, readers in _results(manager, "planaudit_register_readers"):
        registry.readers.extend(readers)
    for _, reporters in _results(manager, "planaudit_register_reporters"):
        for reporter in reporters:
            registry.reporters.setdefault(reporter.name, reporter)
    for _, profiles in _results(manager, "planaudit_register_profiles"):
        for profile in profiles:
            registry.profiles.setdefault(profile.name, profile)
    for _, check_types in _results(manager, "planaudit_register_check_types"):
        registry.check_types.update(check_types)
    for _, keys in _results(manager, "planaudit_config_keys"):
        registry.config_keys.update(keys)


def _plugin_name(plugin: object) -> str:
    """A readable name for a plugin given as an object: its module or class name."""
    name = getattr(plugin, "__name__", None) or type(plugin).__qualname__
    return f"{getattr(plugin, '__module__', '') or ''}:{name}".lstrip(":")


def load_registry(extra_plugins: tuple[object, ...] = ()) -> Registry:
    """Load every plugin of the entry-point group, plus any given objects (for tests)."""
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)
    _load_entry_points(manager, registry)
    for plugin in extra_plugins:
        manager.register(plugin, name=_plugin_name(plugin))
    _collect(manager, registry)
    registry.readers.sort(key=lambda reader: reader.name)
    return registry
