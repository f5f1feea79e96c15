"""The Norwegian language layer on its own: time, money, targets, responsibility, language,
section roles, and goals/measures read from the shapes plans are written in."""
from __future__ import annotations

import hashlib

import pytest

from planaudit.extract import detect_language, extract_plan, find_money, find_timing, plan_period, roles_of_heading
from planaudit.extract.responsibility import classify_responsible, find_responsible
from planaudit.extract.targets import find_horizon, find_target
from planaudit.ingest import MarkdownReader, Source


def _plan(text: str):
    data = text.encode("utf-8")
    document = MarkdownReader().read(Source("plan.md", data))
    return extract_plan(document)


@pytest.mark.parametrize(("text", "kind"), [
    ("innen utgangen av 2025", "year"),
    ("1. kvartal 2026", "quarter"),
    ("høsten 2025", "season"),
    ("hausten 2025", "season"),
    ("2024–2027", "period"),
    ("innan 2026", "year"),
    ("12.06.2025", "date"),
    ("årlig", "recurring"),
    ("kvart år", "recurring"),
    ("løpende", "vague"),
    ("fortløpande", "vague"),
    ("i planperioden", "vague"),
])
def test_time_expressions(text: str, kind: str) -> None:
    found = find_timing(f"Tiltaket gjennomføres {text}.")
    assert found is not None and found.kind == kind


def test_no_time_in_plain_text() -> None:
    assert find_timing("Kommunen skal styrke samarbeidet.") is None


@pytest.mark.parametrize(("text", "kind"), [
    ("kr 2,5 mill.", "amount"),
    ("500 000 kroner", "amount"),
    ("1,2 MNOK", "amount"),
    ("innenfor eksisterende rammer", "frame"),
    ("innanfor eksisterande rammer", "frame"),
    ("tilskot frå Husbanken", "grant"),
    ("tilskudd fra Husbanken", "grant"),
    ("vil kreve økte ressurser", "generic"),
])
def test_money(text: str, kind: str) -> None:
    found = find_money(f"Kostnad: {text}")
    assert found is not None and found.kind == kind


def test_plan_period_and_two_digit_end() -> None:
    assert plan_period("Boligsosial handlingsplan 2024–2028") == (2024, 2028)
    assert plan_period("Plan 2023-27") == (2023, 2027)
    assert plan_period("Rapport 2019 og 2024") is None


@pytest.mark.parametrize(("goal", "target", "horizon"), [
    ("Bygge 20 boliger for ungdom innen 2026", True, True),
    ("Antall bostedsløse skal reduseres fra 25 til 10 innen 2027", True, True),
    ("Ventetid for kommunal bolig under 3 måneder", True, False),
    ("Alle skal bo godt og trygt", False, False),
    ("Styrke samarbeidet på sikt", False, False),
])
def test_targets_and_horizons(goal: str, target: bool, horizon: bool) -> None:
    assert bool(find_target(goal)) is target
    assert bool(find_horizon(goal)) is horizon


@pytest.mark.parametrize(("text", "kind"), [
    ("NAV og Tildelingskontoret", "specific"),
    ("einingsleiar bu og aktivitet", "specific"),
    ("kommunalsjef helse og omsorg", "specific"),
    ("kommunen", "generic"),
    ("alle enheter", "generic"),
])
def test_responsible_units(text: str, kind: str) -> None:
    assert classify_responsible(text) == kind


def test_responsible_from_label_subject_and_parenthesis() -> None:
    assert find_responsible("Etablere boligsosialt team. Ansvar: NAV og Tildelingskontoret") == "NAV og Tildelingskontoret"
    assert find_responsible("NAV skal gi økonomisk rådgivning") == "NAV"
    assert find_responsible("Kartlegge behovet (Eiendomsavdelingen)") == "Eiendomsavdelingen"
    assert find_responsible("Kartlegge behovet for boliger") is None


def test_language_bokmaal_nynorsk_danish() -> None:
    nb = "Kommunen skal sørge for at flere innbyggere kan eie sin egen bolig, og det er ikke nok boliger. " * 3
    nn = "Kommunen skal syte for at fleire innbyggjarar kan eige sin eigen bustad, og det er ikkje nok bustader. " * 3
    da = "Kommunen vil sikre at flere beboere får hjælp, og indsatsen i afdelingen bliver styrket gennem helhedsplanen. " * 3
    assert detect_language(nb) == "nb"
    assert detect_language(nn) == "nn"
    assert detect_language(da) == "da"
    sv = "Kommunen ska se till att fler invånare får en egen bostad, och arbetet med bostäder är inte klart än. " * 3
    assert detect_language(sv) == "sv"
    en = "The municipality will make sure that more residents can own their home, and this plan is the first step. " * 3
    assert detect_language(en) == "en"
    assert detect_language("Kort.") is None


@pytest.mark.parametrize(("heading", "role"), [
    ("3.2 Mål og strategiar", "mål"),
    ("Handlingsdel", "tiltak"),
    ("Tiltaksplan 2025", "tiltak"),
    ("Oppfølging og rullering", "oppfølging"),
    ("Kunnskapsgrunnlag", "kunnskapsgrunnlag"),
    ("Medverknad", "medvirkning"),
])
def test_section_roles_bokmaal_and_nynorsk(heading: str, role: str) -> None:
    assert role in roles_of_heading(heading)


def test_measure_table_with_columns() -> None:
    plan = _plan(
        "# Plan\n\n## Mål 1: Flere unge skal eie bolig\n\n"
        "| Tiltak | Ansvarlig | Tidsfrist | Kostnad |\n|---|---|---|---|\n"
        "| Informere om startlån | NAV | 2. kvartal 2026 | kr 50 000 |\n"
        "| Leie-til-eie | Kommunen | løpende | |\n"
    )
    first, second = plan.measures
    assert (first.responsible, first.deadline, first.cost) == ("NAV", "2. kvartal 2026", "kr 50 000")
    assert first.goal and second.goal, "measures under a goal heading serve that goal"
    assert second.responsible_generic and second.deadline_vague and second.cost is None


def test_flattened_table_rows_from_pdf_conversion() -> None:
    plan = _plan(
        "# Plan\n\nTiltak\n\nAnsvarlig\n\nFrist\n\n1.1\n\nEtablere et boligsosialt team\n\n"
        "Tildelingskontoret\n\n2025\n\n1.2\n\nKartlegge bustadbehovet\n\nNAV\n\nløpende\n"
    )
    assert [m.id for m in plan.measures] == ["1.1", "1.2"]
    assert plan.measures[0].responsible == "Tildelingskontoret" and plan.measures[0].deadline == "2025"
    assert plan.measures[1].deadline_vague


def test_labelled_lines_in_nynorsk() -> None:
    plan = _plan("# Plan\n\nMål 1: Ingen skal vere heimlause innan 2027.\n\n"
                 "Tiltak 1.1: Etablere Housing First.\n\nAnsvarleg: NAV\n\nFrist: 2026\n")
    assert plan.goals[0].id == "1" and plan.goals[0].horizon
    measure = plan.measures[0]
    assert (measure.id, measure.responsible, measure.deadline) == ("1.1", "NAV", "2026")


def test_adoption_participation_and_follow_up() -> None:
    plan = _plan(
        "# Boligplan 2025–2028\n\nVedtatt i kommunestyret 12.06.2025, sak 45/25.\n\n"
        "Eldrerådet ga uttalelse til utkastet, og planen var på høring i seks uker.\n\n"
        "Planen rulleres hvert fjerde år, og status rapporteres årlig til kommunestyret.\n"
    )
    adoption = [e for e in plan.political if e.kind == "adoption"]
    assert adoption and adoption[0].case and adoption[0].date
    assert {"council", "hearing"} <= {p.kind for p in plan.participation}
    assert {"revision", "reporting"} & {f.kind for f in plan.follow_up}


def test_extraction_does_not_touch_the_document() -> None:
    data = "# Plan\n\n- Mål: Bygge 20 boliger innen 2027\n".encode()
    document = MarkdownReader().read(Source("plan.md", data))
    before = hashlib.sha256(document.model_dump_json().encode()).hexdigest()
    extract_plan(document)
    assert hashlib.sha256(document.model_dump_json().encode()).hexdigest() == before


def test_label_glued_to_the_paragraph_before_starts_a_goal_list() -> None:
    plan = _plan(
        "# 3 Mål og tiltak\n\n"
        "Skolen tilpasser undervisningen til hver elev og har tett kontakt med heimen. Mål:\n\n"
        "- Alle nykomne elevar skal ha eit norskopplæringstilbod innan to veker.\n"
        "- Foreldremøte skal vere tilrettelagde med tolk.\n\n"
        "Tiltak:\n\n"
        "- Kurse tilsette i andrespråksopplæring.\n"
        "- Lage ein rutine for tolk på foreldremøte.\n"
    )
    assert [goal.text[:20] for goal in plan.goals] == ["Alle nykomne elevar ", "Foreldremøte skal ve"]
    assert [measure.goal for measure in plan.measures] == [plan.goals[0].text[:80]] * 2


def test_goals_quoted_from_national_guidance_are_borrowed() -> None:
    plan = _plan(
        "# 2 Nasjonale føringer\n\n## Mål\n\n"
        "- Alle skal ha et godt sted å bo.\n- Alle med behov for tjenester skal få hjelp.\n\n"
        "# 4 Mål for kommunen\n\n## Mål\n\n"
        "- Antall bostedsløse skal ned fra 12 til 4 innen 2027.\n"
        "- Ifølge regjeringens strategi skal ingen barn vokse opp i dårlige boforhold.\n"
    )
    borrowed = {goal.text[:12]: goal.borrowed for goal in plan.goals}
    assert borrowed == {"Alle skal ha": True, "Alle med beh": True, "Antall boste": False, "Ifølge regje": True}


FLATTENED_TABLE = """# 5 Tiltak

Tabell 4: Tiltak
Nr. Tiltak Ansvar Tidsramme Finansiering
Hovedmål 1: Flere skal eie egen bolig
1.1
Kjøpe fire små
boliger for unge
Eiendomsavdelingen
1. kvartal 2026
kr 9 mill.
+ tilskudd fra Husbanken
1.2
Informere om startlån
til alle leietakere
Tildelingskontoret
Årlig
Innenfor rammen
"""


def test_a_table_flattened_one_cell_per_line_gives_measures_with_their_cells() -> None:
    plan = _plan(FLATTENED_TABLE)
    rows = [(m.id, m.responsible, m.deadline, m.cost) for m in plan.measures]
    assert rows == [("1.1", "Eiendomsavdelingen", "1. kvartal 2026", "kr 9 mill."),
                    ("1.2", "Tildelingskontoret", "Årlig", "Innenfor rammen")]
    assert plan.measures[0].text.startswith("Kjøpe fire små boliger for unge")


def test_rows_run_together_on_one_line_each_are_measures() -> None:
    plan = _plan("# 6 Tiltak\n\nNr. Tiltak Ansvarlig Frist\n"
                 "3.1 Bygge 12 utleieboliger på Moen Eiendomsavdelingen 2026–2027\n"
                 "3.2 Kjøpe 6 boliger for barnefamilier Eiendomsavdelingen 2025\n"
                 "3.3 Digital søknad om kommunal bolig Tildelingskontoret 2025\n")
    assert [(m.id, m.responsible, m.deadline) for m in plan.measures] == [
        ("3.1", "Eiendomsavdelingen", "2026–2027"), ("3.2", "Eiendomsavdelingen", "2025"),
        ("3.3", "Tildelingskontoret", "2025")]


def test_a_flattened_goal_table_gives_goals_with_baseline_and_target() -> None:
    plan = _plan("# 4 Mål\n\nTabell 2: Mål og indikatorer\n"
                 "Mål Indikator Utgangspunkt 2024 Mål 2028\n"
                 "1.1 Færre skal være\nbostedsløse\nAntall bostedsløse\n27\n10\n"
                 "1.2 Kortere ventetid\nVentetid fra vedtak\n5 mnd\n2 mnd\n")
    assert [(g.id, g.target, g.horizon) for g in plan.goals] == [("1.1", "27 → 10", "2028"), ("1.2", "5 mnd → 2 mnd", "2028")]


def test_a_cost_table_row_completes_the_measure_it_numbers() -> None:
    plan = _plan("# 5 Tiltak\n\nTiltak 2.1: Etablere boligsosialt team. Ansvar: NAV. Frist: 2026.\n\n"
                 "# 7 Økonomi\n\nTiltak 2.1: Drift 400 000 kr per år.\n")
    assert len(plan.measures) == 1
    assert plan.measures[0].cost == "400 000 kr"


@pytest.mark.parametrize("text", [
    "Tiltak i denne planen som krever midler skal innarbeides i økonomiplanen.",
    "Mål for arbeidet er beskrevet i kapittel 4.",
])
def test_a_label_word_opening_a_sentence_is_no_label(text: str) -> None:
    plan = _plan(f"# 2 Innledning\n\n{text}\n")
    assert not plan.goals and not plan.measures


def test_numbers_that_label_things_are_no_knowledge() -> None:
    plan = _plan("# 3 Status\n\nMål 2: Eldre skal bo trygt hjemme.\n\nJf. § 5-12 i kommuneloven og St. 15.\n\n"
                 "Kommunen disponerer 214 kommunale boliger per 1.1.2025 (kilde: KOSTRA).\n")
    assert [fact.topic for fact in plan.knowledge] == ["housing_stock"]


def test_a_knowledge_base_kept_elsewhere_is_noted() -> None:
    plan = _plan("# 2 Kunnskapsgrunnlag\n\nKunnskapsgrunnlaget for planen er samlet i eget dokument.\n")
    assert plan.knowledge_elsewhere and not plan.knowledge


def test_one_clause_can_evaluate_and_revise() -> None:
    plan = _plan("# 8 Oppfølging\n\nPlanen evalueres i 2027, og ny plan vedtas innen utgangen av 2028.\n")
    assert sorted(item.kind for item in plan.follow_up) == ["evaluation", "revision"]


def test_a_group_whose_members_follow_as_a_list_is_described() -> None:
    plan = _plan("# 1 Arbeidet med planen\n\nPlanen er laget av ei arbeidsgruppe med disse medlemmene:\n\n"
                 "- NAV\n- Tildelingskontoret\n- Eiendomsavdelingen\n- Flyktningtjenesten\n")
    assert [(o.kind, o.members_described) for o in plan.organisation] == [("group", True)]


def test_hearings_of_regulation_plans_are_not_this_plans_participation() -> None:
    plan = _plan("# 6 Om plansystemet\n\nNår det lages reguleringsplaner, blir de lagt ut til offentlig ettersyn.\n")
    assert not plan.participation


def test_a_goal_table_in_markdown_gives_baseline_target_and_horizon() -> None:
    plan = _plan("# 5 Mål\n\n| Delmål | Indikator | Utgangspunkt 2024 | Mål 2030 |\n|---|---|---|---|\n"
                 "| 1 Tidlig utredning | Andel utredet | 58 % | 75 % |\n"
                 "| | Ventetid på utredning | 9 uker | under 4 uker |\n"
                 "| 2 Aktivitet | Plasser per uke | 16 | 30 |\n")
    assert [(g.id, g.target, g.horizon) for g in plan.goals] == [("1", "58 % → 75 %", "2030"), ("2", "16 → 30", "2030")]


def test_an_indicator_line_under_a_goal_gives_its_target() -> None:
    plan = _plan("# 5 Mål og tiltak\n\nMål 1: Fleire eldre skal bu trygt heime.\n\n"
                 "Indikator: Del av innbyggjarane over 80 år som bur heime. Målverdi: frå 86 % (2024) til 89 % innan 2030.\n")
    goal = plan.goals[0]
    assert (goal.target, goal.horizon) == ("frå 86 % (2024) til 89 %", "innan 2030")


def test_lettered_rows_and_a_cost_table_keyed_by_them() -> None:
    plan = _plan("# 6 Tiltak\n\nNr\n\nTiltak\n\nAnsvar\n\nÅr\n\nA Boliger\n\nA1\n\nBygge seks omsorgsboliger\n\n"
                 "Eiendomsavdelingen\n\n2027\n\nA2\n\nKjøpe to leiligheter\n\nTildelingskontoret\n\n2026\n\n"
                 "# 7 Økonomi\n\nNr\n\nTiltak\n\nInvestering\n\nA1\n\nOmsorgsboliger\n\n24 mill. kr\n\nA2\n\n"
                 "Leiligheter\n\nInnenfor ramme\n")
    assert [(m.id, m.goal, m.responsible, m.deadline, m.cost) for m in plan.measures] == [
        ("A1", None, "Eiendomsavdelingen", "2027", "24 mill. kr"),
        ("A2", None, "Tildelingskontoret", "2026", "Innenfor ramme")]  # a theme is no goal


def test_a_numbered_heading_closes_one_numbered_as_deep_whatever_its_markup() -> None:
    plan = _plan("2 Lovverk og nasjonale føringer\n\nLova gjeld alle kommunar.\n\n## 5 Mål\n\n"
                 "- Talet på bustadlause skal ned frå 20 til 8 innan 2027.\n")
    assert plan.goals[0].location.section == ("5 Mål",)
    assert not plan.goals[0].borrowed


def test_the_follow_up_chapter_speaks_of_the_plan() -> None:
    plan = _plan("# 8 Oppfølging\n\n## 8.1 Rapportering\n\n"
                 "Hver ansvarlig enhet rapporterer status for sine tiltak til kommunalsjefen innen 15. januar hvert år.\n")
    assert [(f.kind, f.schedule) for f in plan.follow_up] == [("reporting", "hvert år")]


def test_negated_participation_is_no_participation() -> None:
    plan = _plan("# 3 Planprosess\n\nDet er ikke gjennomført egne møter med brukere i arbeidet.\n")
    assert not plan.participation


def test_nynorsk_group_with_its_composition_listed() -> None:
    plan = _plan("# 2 Organisering\n\nArbeidsgruppa har hatt denne samansetjinga:\n\n"
                 "- leiar NAV\n- Tildelingskontoret\n- Eigedomsavdelinga\n")
    assert [(o.kind, o.members_described) for o in plan.organisation] == [("group", True)]


def test_a_short_line_above_a_bulleted_list_is_its_theme_not_a_measure() -> None:
    plan = _plan("# Boligsosial plan 2025–2028\n\n## 5 Tiltak\n\nBoliger for unge\n\n- Vurdere flere små boliger i sentrum.\n"
                 "- Informere om startlån.\n\nForebygging\n\n- Følge opp husleierestanser tidlig.\n")
    assert [m.text for m in plan.measures] == [
        "Vurdere flere små boliger i sentrum.", "Informere om startlån.", "Følge opp husleierestanser tidlig."]


TEMPLATE_TABLE = """# Handlingsplan

## 5 Tiltak

| Nr | Tiltak | Ansvarlig | Tidsfrist | Kostnad |
|---|---|---|---|---|
| 1.1 | [Beskriv tiltaket] | [Ansvarlig enhet] | [ÅÅÅÅ] | [kr] |
| 1.2 | Kartlegge behovet for tilrettelagte boliger | xx | … | TBD |
| 1.3 | Etablere boveiledertjeneste | Tildelingskontoret | 2027 | 400 000 kr |
"""


def test_template_placeholders_fill_nothing():
    """A template's "[Ansvarlig enhet]" or "xx" is not a named unit, deadline or cost."""
    measures = {m.id: m for m in _plan(TEMPLATE_TABLE).measures}
    assert "1.1" not in measures  # "[Beskriv tiltaket]" is no measure
    unfinished = measures["1.2"]
    assert (unfinished.responsible, unfinished.deadline, unfinished.cost) == (None, None, None)
    done = measures["1.3"]
    assert done.responsible == "Tildelingskontoret" and done.deadline and done.cost


def test_placeholder_goal_is_no_goal():
    plan = _plan("# Plan\n\n## Mål\n\n### Hovedmål\n\n[Hovedmål]\n\n- [Delmål 1]\n")
    assert not plan.goals


COVER_PAGE_RUN_TOGETHER = """<!-- side 1 -->
HØYRINGSUTKAST
Fjellsund kommune
BUSTADSOSIAL HANDLINGSPLAN 2026–2029
Vedteken i formannskapet 02.03.2026, sak 12/26

<!-- side 2 -->
Innhald
1 Innleiing 3
2 Kommuneplanen 4

## 1 Innleiing

Fjellsund kommune skal hjelpe dei som ikkje klarer å skaffe seg bustad på eiga hand.
"""

WEB_PAGE_FRONT = """Hopp til hovedinnhold
Søk
Hjem > Bolig > Boligstrategi

# Boligstrategi for Eidsvika 2027–2035

Eidsvika kommune vil at alle skal bo trygt.
"""


def test_cover_page_lines_run_together_give_title_and_municipality():
    """A converted cover page puts stamp, municipality, title and decision in one paragraph:
    the title is the plan's name without them, and the municipality is one name."""
    metadata = _plan(COVER_PAGE_RUN_TOGETHER).metadata
    assert metadata.title == "BUSTADSOSIAL HANDLINGSPLAN 2026–2029"
    assert metadata.municipality == "Fjellsund"
    assert metadata.period == (2026, 2029)


def test_web_page_skip_links_and_breadcrumbs_are_no_title():
    metadata = _plan(WEB_PAGE_FRONT).metadata
    assert metadata.title == "Boligstrategi for Eidsvika 2027–2035"
    assert metadata.municipality == "Eidsvika"


def _paged_with_header(header: str) -> str:
    pages = []
    for number in range(1, 6):
        body = "Vi skal gi flere innbyggere en trygg bolig, og tjenestene skal samarbeide tettere."
        pages.append(f"<!-- side {number} -->\n{header}   {number}\n\n## Kapittel {number}\n\n{body}\n")
    return "\n".join(pages)


@pytest.mark.parametrize("header, municipality, title", [
    ("Eidsvik kommune – Boligplan 2026–2030", "Eidsvik", "Boligplan 2026–2030"),
    ("Eidsvik – Boligsosial handlingsplan 2026–2029 – side", "Eidsvik", "Boligsosial handlingsplan 2026–2029"),
])
def test_running_header_names_plan_and_municipality(header, municipality, title):
    """The municipality and the plan's name often stand only in the running header, which
    is left out of the text; the metadata still has them."""
    metadata = _plan(_paged_with_header(header)).metadata
    assert (metadata.municipality, metadata.title) == (municipality, title)
