"""Victims first: the osintlab.victims reading aids, the module 01 activity log and authorisations,
and the capstone's raw report texts, on the committed seed and another one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from osintlab import grading, victims
from osintlab.scenario.views.v02_foundations import (
    ACTIONS,
    ENGAGEMENT,
    RULES,
    audit_activity,
)

ROOT = Path(__file__).resolve().parents[1]


def _rows(folder: Path, rel: str) -> list[dict]:
    with open(folder / rel, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _keys(folder: Path) -> dict:
    return grading.load_keys(folder)


@pytest.fixture(params=["committed", "other"])
def datasets(request, other_seed_datasets) -> Path:
    return ROOT / "datasets" if request.param == "committed" else other_seed_datasets


def test_sentences_and_quotes():
    text = "Subject: note\nHe is safe now. They beat him today! Tomorrow?"
    assert victims.sentences(text) == [
        "Subject: note",
        "He is safe now.",
        "They beat him today!",
        "Tomorrow?",
    ]
    assert victims.quote_sentence(text, "  BEAT him ") == "They beat him today!"
    assert victims.quote_sentence(text, "") is None
    assert victims.quote_sentence(text, "now. They") is None  # across two sentences
    assert victims.danger_sentences("He was beaten last year, now he is safe.") == []


def test_check_referral_asks_for_needs_and_refuses_case_material():
    complete = {f: "x" for f in victims.REFERRAL_FIELDS} | {"consent": "yes, verbal, via NGO"}
    assert victims.check_referral(complete) == []
    assert "remove case material: wallets" in victims.check_referral(complete | {"wallets": []})
    assert any(
        p.startswith("consent") for p in victims.check_referral(complete | {"consent": "ok"})
    )
    with pytest.raises(TypeError):
        victims.check_referral(["not", "a", "dict"])


def test_ilo_indicators_are_the_eleven():
    assert len(victims.ILO_INDICATORS) == 11
    assert "retention of identity documents" in victims.indicators_in("They took his passport.")


def test_activity_log_is_a_realistic_week_audited_against_its_authorisations(datasets):
    log = _rows(datasets, "foundations/activity_log.csv")
    auths = _rows(datasets, "foundations/authorisations.csv")
    assert len(auths) == 2 and {a["identity"] for a in auths} == {
        "research identity RI-07",
        "research identity RI-09",
    }
    for e in log:  # actions fit the kind of page they were done on
        passive, engage = ACTIONS[e["target_kind"]]
        assert e["action"] in passive + engage, e
    days = {e["time_local"][:10] for e in log}
    assert len(days) >= 6  # a week, not one night
    found = audit_activity(log, auths)
    by_rule = {r: sum(r in v for v in found.values()) for r in RULES}
    assert all(by_rule.values()), by_rule  # every rule has something to find
    assert grading.compare(_keys(datasets)["01.opsec_errors"], sorted(found)).ok
    assert grading.compare(_keys(datasets)["01.opsec_by_rule"], by_rule).ok
    # A contact with a family is always also an engagement outside scope.
    for rules in found.values():
        if "victim_contact" in rules:
            assert {"outside_scope", "unauthorised_engagement"} <= set(rules)
    # Some entries are logged on the UTC clock, and some clean ones exist on it.
    utc = [e for e in log if e["time_zone"] == "UTC"]
    assert utc and any(e["entry_id"] not in found for e in utc)
    passive_actions = {a for k in ACTIONS for a in ACTIONS[k][0]}
    assert set(ENGAGEMENT) >= {e["action"] for e in log} - passive_actions


def test_capstone_raw_texts_hold_more_emergencies_than_the_clerks_flags(datasets):
    texts = {r["report_id"]: r["text"] for r in _rows(datasets, "capstone/report_texts.csv")}
    reports = _rows(datasets, "capstone/incoming_reports.csv")
    assert set(texts) == {r["report_id"] for r in reports}
    # The clerk's table carries no life-at-risk flag: the analyst reads the texts (module 08).
    assert "life_at_risk" not in reports[0] and "in_scope" not in reports[0]
    shortlisted = {r for r, t in texts.items() if victims.danger_sentences(t)}
    keys = _keys(datasets)
    assert grading.compare(keys["08.life_first"], sorted(shortlisted)).ok
    assert len(shortlisted) >= 3  # more than the one help message
    # Each shortlisted sentence is accepted evidence; a background sentence is not.
    evidence = {
        victims.evidence_id(r, s): True
        for r, t in texts.items()
        for s, _ in victims.danger_sentences(t)
    }
    verdict = grading.compare(keys["08.life_first_evidence"], evidence)
    assert verdict.ok or "unexpected" not in verdict.message
    some = next(iter(shortlisted))
    subject = victims.sentences(texts[some])[0]
    wrong = grading.compare(
        keys["08.life_first_evidence"], {victims.evidence_id(some, subject): True}
    )
    assert not wrong.ok and "unexpected" in wrong.message
    # Decoys: danger words about the past are in the texts but not shortlisted.
    assert any("last year" in t and r not in shortlisted for r, t in texts.items())
