"""Finding and loading plugins, one entry point at a time, and what they register."""
from __future__ import annotations

import dataclasses
import importlib.metadata as metadata
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NamedTuple

import pluggy

from ..errors import ConfigError, PluginError
from ..ingest import Reader
from ..model import CRITERIA, PackCriterion
from . import hookspecs
from ._criteria import criterion_titles
from ._packs import LoadedPack, load_pack
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
    packs: list[LoadedPack] = field(default_factory=list)
    criteria: dict[str, PackCriterion] = field(default_factory=dict)

    def add_rule(self, rule: type[Rule], owner: str) -> None:
        """Register a rule class; an id another plugin or pack registered is an error naming both."""
        if rule.id in self.rules:
            raise PluginError(
                owner,
                f"regel-ID {rule.id} er allerede registrert av {self.rule_plugin[rule.id]}",
                f"rule id {rule.id} is already registered by {self.rule_plugin[rule.id]}",
            )
        self.rules[rule.id] = rule
        self.rule_plugin[rule.id] = owner

    def add_pack(self, source: str | Path | Traversable, owner: str) -> LoadedPack:
        """Load a rule pack, register its criteria and rules, and remember it."""
        loaded = load_pack(source, self.check_types, (*CRITERIA, *self.criteria))
        for rule in loaded.rules:
            self.add_rule(rule, owner)
        self.criteria.update((criterion.id, criterion) for criterion in loaded.pack.criteria)
        self.packs.append(loaded)
        return loaded

    def with_packs(self, sources: Iterable[str | Path]) -> Registry:
        """A copy of this registry with the user's own packs (``--rules``, ``rule_packs``) added."""
        sources = list(sources)
        if not sources:
            return self
        copy = dataclasses.replace(
            self, rules=dict(self.rules), rule_plugin=dict(self.rule_plugin), packs=list(self.packs),
            criteria=dict(self.criteria))
        for source in sources:
            if not Path(source).is_file():
                raise ConfigError(str(source), "regelpakken finnes ikke (eller er ingen fil)",
                                  "the rule pack does not exist (or is no file)")
            copy.add_pack(source, str(source))
        return copy

    def without_packs(self, sources: Iterable[str | Path]) -> Registry:
        """A copy without the packs loaded from these files (to check a pack that is also
        installed, e.g. a built-in one being edited, without clashing with itself)."""
        dropped = {Path(source).resolve() for source in sources}
        keep = [loaded for loaded in self.packs if Path(str(loaded.source)).resolve() not in dropped]
        gone = {rule.id for loaded in self.packs if loaded not in keep for rule in loaded.rules}
        return dataclasses.replace(
            self, rules={rid: rule for rid, rule in self.rules.items() if rid not in gone},
            rule_plugin={rid: owner for rid, owner in self.rule_plugin.items() if rid not in gone},
            packs=keep, criteria={c.id: c for loaded in keep for c in loaded.pack.criteria})

    def criterion_titles(self, lang: str = "nb") -> dict[str, str]:
        """Titles of the built-in criteria and of those the packs declare."""
        titles = criterion_titles(lang)
        titles.update((cid, criterion.title.get(lang)) for cid, criterion in self.criteria.items())
        return titles

    def criterion_weights(self) -> dict[str, float]:
        """The weight each pack criterion has when a profile does not name it."""
        return {cid: criterion.weight for cid, criterion in self.criteria.items()}

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
            registry.add_rule(rule, plugin)
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
    for plugin, packs in _results(manager, "planaudit_register_rule_packs"):
        for pack in packs:
            try:
                registry.add_pack(pack, plugin)
            except ConfigError as err:  # a plugin's broken pack names the plugin and the pack's line
                raise PluginError(plugin, err.message("nb"), err.message("en")) from None
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
