"""Plans the rules were not written on: fictional but realistic plans in fixtures/plans/realistic,
heldout and unseen, written and labelled from the rubric alone by authors who did not read
planaudit's code. The levels must agree with those labels about as well as with the real
corpus: a large gap between the two would mean the rules fit the corpus, not Norwegian plans.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from planaudit import audit
from planaudit.model import CRITERIA

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
# Floors (exact, QWK) per set, under today's figures: the realistic and held-out sets have
# been looked at while the rules improved; the unseen set was measured before any change
# was made with it in view (0.79), and improved to 0.85 by general fixes since.
FLOORS = {"realistic": (0.90, 0.90), "heldout": (0.90, 0.90), "unseen": (0.80, 0.80)}
SETS = [FIXTURES / name for name in FLOORS if (FIXTURES / name / "labels.yaml").is_file()]
MIN_CRITERION_EXACT = 0.5


def quadratic_weighted_kappa(pairs: list[tuple[int, int]], levels: int = 3) -> float:
    """Cohen's kappa with quadratic weights over levels 0..levels-1 (1.0 when all agree)."""
    if not pairs:
        return 1.0
    observed = Counter(pairs)
    gold = Counter(g for g, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    n = len(pairs)
    weight = [[(i - j) ** 2 / (levels - 1) ** 2 for j in range(levels)] for i in range(levels)]
    disagreement = sum(weight[i][j] * observed[(i, j)] for i in range(levels) for j in range(levels)) / n
    chance = sum(weight[i][j] * gold[i] * predicted[j] for i in range(levels) for j in range(levels)) / n / n
    return 1.0 if chance == 0 else 1 - disagreement / chance


def _pairs(folder: Path) -> dict[str, list[tuple[int, int]]]:
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))["plans"]
    pairs: dict[str, list[tuple[int, int]]] = {criterion: [] for criterion in CRITERIA}
    for plan in labels.values():
        report = audit(folder / plan["file"])
        for criterion, label in plan["criteria"].items():
            pairs[criterion].append((label["level"], report.criteria[criterion].level))
    return pairs


def test_kappa_of_perfect_and_reversed_agreement() -> None:
    assert quadratic_weighted_kappa([(0, 0), (1, 1), (2, 2)]) == 1.0
    assert quadratic_weighted_kappa([(0, 2), (2, 0), (1, 1)]) < 0


@pytest.mark.parametrize("folder", SETS, ids=[folder.name for folder in SETS])
def test_levels_agree_with_independent_labels(folder: Path) -> None:
    pairs = _pairs(folder)
    every = [pair for criterion_pairs in pairs.values() for pair in criterion_pairs]
    exact = sum(g == p for g, p in every) / len(every)
    qwk = quadratic_weighted_kappa(every)
    weakest = min(pairs, key=lambda c: sum(g == p for g, p in pairs[c]) / len(pairs[c]))
    weakest_exact = sum(g == p for g, p in pairs[weakest]) / len(pairs[weakest])
    misses = [f"{c}: gold {g} got {p}" for c, ps in pairs.items() for g, p in ps if g != p]
    min_exact, min_qwk = FLOORS[folder.name]
    assert exact >= min_exact and qwk >= min_qwk, f"exact {exact:.2f} qwk {qwk:.2f}; {misses}"
    assert weakest_exact >= MIN_CRITERION_EXACT, f"{weakest} exact {weakest_exact:.2f}"
