"""Victims first: read reports for a risk to life, name trafficking indicators, refer safely.

What an investigator does -> which function:

- split a report into sentences so that a decision can quote its evidence -> :func:`sentences`
- find the one sentence a quoted phrase comes from (to check a quote) -> :func:`quote_sentence`
- shortlist the sentences that may describe a person in danger *now* -> :func:`danger_sentences`
  (a shortlist to read, never a decision: the officer reads every hit and every report)
- name the ILO indicators of forced labour a statement shows -> :func:`indicators_in`
- check that a referral holds what the receiving service needs, and no more -> :func:`check_referral`

    >>> text = "Subject: help message. He was beaten last year. They locked us in today, help!"
    >>> sentences(text)
    ['Subject: help message.', 'He was beaten last year.', 'They locked us in today, help!']
    >>> [s for s, cues in danger_sentences(text)]
    ['They locked us in today, help!']
    >>> quote_sentence(text, "locked  US in")
    'They locked us in today, help!'
    >>> sorted(indicators_in("They took our passports and we work 16 hours a day."))
    ['excessive overtime', 'retention of identity documents']

The cue lists are short, in English and Roman Urdu, and written for this course's reports. They
miss things: a report that matters may use none of these words. Read the reports.
"""

from __future__ import annotations

import re

__all__ = [
    "sentences",
    "quote_sentence",
    "DANGER_CUES",
    "NOW_MARKERS",
    "PAST_MARKERS",
    "danger_sentences",
    "read_for_danger",
    "ILO_INDICATORS",
    "indicators_in",
    "REFERRAL_FIELDS",
    "INVESTIGATIVE_FIELDS",
    "check_referral",
    "evidence_id",
]

_SPLIT = re.compile(r"(?<=[.!?\u0964\u06d4])\s+|\n+")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", str(text)).strip().casefold()


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (at . ! ? । ۔ followed by a space, and at line breaks).

    >>> sentences("One. Two!\\nThree")
    ['One.', 'Two!', 'Three']
    """
    return [s.strip() for s in _SPLIT.split(str(text)) if s and s.strip()]


def quote_sentence(text: str, quote: str) -> str | None:
    """Return the sentence of ``text`` that contains ``quote``, or None.

    Case and runs of white space do not matter. A quote that is not found, is empty, or runs
    across two sentences gives None: a quote is evidence only if it can be found as written.

    >>> quote_sentence("A is fine. B is not.", "b IS")
    'B is not.'
    >>> quote_sentence("A is fine. B is not.", "fine. B") is None
    True
    """
    q = _norm(quote)
    if not q:
        return None
    for s in sentences(text):
        if q in _norm(s):
            return s
    return None


#: Words that suggest harm or danger to a person (English and Roman Urdu).
DANGER_CUES = (
    "help me",
    "locked",
    "beaten",
    "beat",
    "beat us",
    "threat",
    "kill",
    "hurt",
    "no food",
    "held until",
    "held for ransom",
    "will be moved",
    "sold to",
    "madad",
    "bachao",
    "maar",
    "band kar",
)
#: Words that place an event in the present or the next hours.
NOW_MARKERS = (
    "now",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "last night",
    "this morning",
    "abhi",
    "aaj",
    "kal",
)
#: Words that place it safely in the past.
PAST_MARKERS = (
    "last year",
    "months ago",
    "returned home",
    "is now safe",
    "is safe",
    "came back",
    "back home",
)


def _has(sentence: str, words) -> list[str]:
    s = _norm(sentence)
    return [w for w in words if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", s)]


def danger_sentences(text: str) -> list[tuple[str, list[str]]]:
    """Sentences with a danger cue and a "now" marker and no "past / safe" marker, with the cues.

    A shortlist for reading, not a triage: it cannot see sarcasm, translation, or a danger
    described in other words.

    >>> danger_sentences("He was beaten last year. They will kill him tonight.")
    [('They will kill him tonight.', ['kill'])]
    """
    out = []
    for s in sentences(text):
        cues = _has(s, DANGER_CUES)
        if cues and _has(s, NOW_MARKERS) and not _has(s, PAST_MARKERS):
            out.append((s, cues))
    return out


#: The eleven ILO indicators of forced labour (ILO, *ILO Indicators of Forced Labour*, 2012)
#: with a few phrases that point to each in the course's reports (the phrases are the course's).
ILO_INDICATORS = {
    "abuse of vulnerability": ("no money to return", "illegal status", "threatened to report"),
    "deception": ("not the job", "different job", "promised", "no such job"),
    "restriction of movement": ("locked", "not allowed to leave", "guards", "cannot leave"),
    "isolation": (
        "took our phones",
        "took my phone",
        "and phone",
        "no phone",
        "cut off",
        "phone is not mine",
    ),
    "physical and sexual violence": ("beaten", "beat", "beat us", "hit us", "electric", "sexual"),
    "intimidation and threats": ("threat", "kill", "sold to", "report us to the police"),
    "retention of identity documents": (
        "took passport",
        "took our passports",
        "took my passport",
        "took his passport",
        "passport taken",
        "kept our passports",
    ),
    "withholding of wages": ("no salary", "not paid", "unpaid", "withheld"),
    "debt bondage": ("debt", "pay back", "pay off", "owe"),
    "abusive working and living conditions": ("no food", "crowded", "sleep on the floor"),
    "excessive overtime": ("16 hours", "18 hours", "no day off", "all night"),
}


def read_for_danger(text: str):
    """Every sentence of ``text`` beside what the cue list says of it: a table to read from top
    to bottom (the cue list shortlists; the reader decides).

    >>> read_for_danger("He was beaten last year. They will kill him tonight.")
                          sentence     cue list
    0     He was beaten last year.      read it
    1  They will kill him tonight.  danger now?
    """
    import pandas as pd

    flagged = {s for s, _ in danger_sentences(text)}
    rows = [(s, "danger now?" if s in flagged else "read it") for s in sentences(text)]
    return pd.DataFrame(rows, columns=["sentence", "cue list"])


def indicators_in(text: str) -> set[str]:
    """The ILO indicators whose phrases appear in ``text`` (a prompt for the interview, not proof).

    >>> sorted(indicators_in("No salary for three months; they say we owe the company."))
    ['debt bondage', 'withholding of wages']
    """
    return {name for name, phrases in ILO_INDICATORS.items() if _has(text, phrases)}


def evidence_id(report_id: str, sentence: str | None) -> str:
    """A plain text id for "this sentence of this report" (how quoted evidence is checked).

    >>> evidence_id("R03", "They  locked us in TODAY.")
    'R03|they locked us in today.'
    """
    return f"{report_id}|{_norm(sentence or '')}"


#: What a referral to a victim-support service needs (and the investigator may share).
REFERRAL_FIELDS = (
    "referral_id",
    "referring_officer",
    "contact_route",
    "language",
    "gender_of_staff_requested",
    "immediate_needs",
    "safety_risks",
    "consent",
    "indicators",
)
#: Case material a support service does not need: it stays in the case file.
INVESTIGATIVE_FIELDS = (
    "suspects",
    "selectors",
    "wallets",
    "evidence",
    "statement",
    "case_theory",
    "informant",
)


def check_referral(referral: dict) -> list[str]:
    """Problems with a referral: needed fields missing or empty, case material included.

    >>> check_referral({"referral_id": "R1", "selectors": ["+92..."]})[:2]
    ['missing: referring_officer', 'missing: contact_route']
    >>> check_referral({"selectors": []})[-1]
    'remove case material: selectors'
    """
    if not isinstance(referral, dict):
        raise TypeError(f"a referral is a dict of fields, not {type(referral).__name__}")
    problems = [
        f"missing: {f}"
        for f in REFERRAL_FIELDS
        if f not in referral or referral[f] in (None, "", [], {})
    ]
    if (
        "consent" in referral
        and referral["consent"] not in (None, "")
        and not str(referral["consent"]).strip().lower().startswith(("yes", "no"))
    ):
        problems.append("consent: record 'yes ...' or 'no ...' with how it was given")
    problems += [f"remove case material: {f}" for f in INVESTIGATIVE_FIELDS if f in referral]
    return problems
