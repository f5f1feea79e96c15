"""Norwegian language knowledge: from a Document to a Plan (bokmål and nynorsk)."""
from ._plan import extract_plan
from ._sentences import Sentence, sentences
from .language import detect_language
from .mentions import external_actors_in
from .money import Money, find_money
from .sections import (
    ROLES,
    classify_sections,
    contents_blocks,
    roles_of_heading,
    roles_of_path,
    roles_of_section,
)
from .terms import TermError, Terms, has_figure
from .timing import Timing, find_timing, plan_period

__all__ = [
    "ROLES",
    "Money",
    "Sentence",
    "TermError",
    "Terms",
    "Timing",
    "classify_sections",
    "contents_blocks",
    "detect_language",
    "external_actors_in",
    "extract_plan",
    "find_money",
    "find_timing",
    "has_figure",
    "plan_period",
    "roles_of_heading",
    "roles_of_path",
    "roles_of_section",
    "sentences",
]
