"""The plugin manager, rule runner, scoring, profiles, configuration and ``audit()``."""
from ._audit import audit, audit_with_plan, default_registry, read_plan, select_rules, version
from ._criteria import criterion_title, criterion_titles
from ._plugins import ENTRY_POINT_GROUP, LoadedPlugin, LoadFailure, Registry, load_registry
from ._profiles import Profile, load_profile
from ._reporting import ReportContext, Reporter
from ._rubric import criterion_rubric
from .config import Config, find_config, load_config
from .hookspecs import hookimpl, hookspec
from .rule import Assessment, Rule, RuleContext, RuleInfo

__all__ = [
    "ENTRY_POINT_GROUP",
    "Assessment",
    "Config",
    "LoadFailure",
    "LoadedPlugin",
    "Profile",
    "Registry",
    "ReportContext",
    "Reporter",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "audit",
    "audit_with_plan",
    "criterion_rubric",
    "criterion_title",
    "criterion_titles",
    "default_registry",
    "find_config",
    "hookimpl",
    "hookspec",
    "load_config",
    "load_profile",
    "load_registry",
    "read_plan",
    "select_rules",
    "version",
]
