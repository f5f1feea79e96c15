"""The plugin manager, rule runner, scoring, profiles, configuration and ``audit()``."""
from ._accept import (
    ConfigAccept,
    accept_names,
    config_accepts,
    is_unused_accept_note,
    parse_markers,
    resolve_accepts,
    unused_config_accepts,
)
from ._audit import audit, audit_with_plan, default_registry, read_plan, select_rules, version
from ._baseline import (
    Baseline,
    apply_baseline,
    finding_fingerprint,
    finding_key,
    load_baseline,
    logical_section,
)
from ._criteria import criterion_title, criterion_titles
from ._diff import Change, CriterionChange, ReportDiff, diff_reports, match_findings, saved_report
from ._plugins import ENTRY_POINT_GROUP, LoadedPlugin, LoadFailure, Registry, load_registry
from ._profiles import Profile, load_profile
from ._reporting import ReportContext, Reporter
from ._rubric import criterion_rubric
from ._settings import audit_options, load_settings, split_names
from .config import Config, find_config, load_config
from .hookspecs import hookimpl, hookspec
from .rule import Assessment, Rule, RuleContext, RuleInfo

__all__ = [
    "ENTRY_POINT_GROUP",
    "Assessment",
    "Baseline",
    "Change",
    "Config",
    "ConfigAccept",
    "CriterionChange",
    "LoadFailure",
    "LoadedPlugin",
    "Profile",
    "Registry",
    "ReportContext",
    "ReportDiff",
    "Reporter",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "accept_names",
    "apply_baseline",
    "audit",
    "audit_options",
    "audit_with_plan",
    "config_accepts",
    "criterion_rubric",
    "criterion_title",
    "criterion_titles",
    "default_registry",
    "diff_reports",
    "find_config",
    "finding_fingerprint",
    "finding_key",
    "hookimpl",
    "hookspec",
    "is_unused_accept_note",
    "load_baseline",
    "load_config",
    "load_profile",
    "load_registry",
    "load_settings",
    "logical_section",
    "match_findings",
    "parse_markers",
    "read_plan",
    "resolve_accepts",
    "saved_report",
    "select_rules",
    "split_names",
    "unused_config_accepts",
    "version",
]
