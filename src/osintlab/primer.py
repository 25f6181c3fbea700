"""Practice checks for the Python primer (``course/00-start-here-2.ipynb``).

A trainee answers a small question on the case's briefing data and runs ``check``: it prints
a tick, or a cross with what is wrong, and never the expected answer. The expected answers are
computed here from the datasets in use when the check runs, so they follow a fresh scenario
(``osintlab data build --seed N``) and nothing is stored in the notebook.

What a trainee does -> which function:
- check a practice answer -> :func:`check`
- list the practice questions -> :func:`questions`

    >>> questions()[:2]
    ['place_count', 'wallet_complaints']
    >>> check("place_count", None)
    ✘ place_count: replace None with your code, then run the cell again
    >>> check("place_count", 24)              # doctest: +SKIP
    ✔ place_count: right
    >>> is_right("place_count", ...)           # the placeholder a cell starts with
    False

The checks never raise on a wrong answer (a lesson runs top to bottom even when a trainee has
not answered yet) and return nothing, so the cell shows only the tick or the cross;
:func:`is_right` gives the verdict as ``True`` or ``False`` for tests.
"""

from __future__ import annotations

__all__ = ["check", "is_right", "questions"]


def _complaints():
    from . import data

    return data.load("briefing/complaints.csv")


def _places():
    from . import data

    return data.load("briefing/places.csv")


def _timeline():
    from . import data

    return data.load("briefing/timeline.csv")


def _wallet_complaints():
    c = _complaints()
    return c.loc[c["fee_method"] == "mobile_wallet", "complaint_id"].tolist()


def _young_pakistanis():
    c = _complaints()
    return c.loc[(c["home_country"] == "PK") & (c["victim_age"] < 21), "victim_name"].tolist()


def _data_entry_victims():
    c = _complaints()
    return c.loc[c["job_promised"].str.contains("data entry", case=False), "victim_name"].tolist()


def _complaints_per_place():
    return {k: int(v) for k, v in _complaints()["home_place"].value_counts().items()}


def _youngest_by_country():
    return {k: int(v) for k, v in _complaints().groupby("home_country")["victim_age"].min().items()}


def _north_of_32():
    both = _complaints().merge(_places(), left_on="home_place", right_on="name")
    return both.loc[both["lat"] > 32, "complaint_id"].tolist()


def _first_departure_dhaka():
    from . import timeutil

    t = _timeline()
    first = t[t["kind"] == "departure"].sort_values("event_utc").iloc[0]
    return first["event_utc"].astimezone(timeutil.resolve_zone("Asia/Dhaka")).strftime("%H:%M")


def _last_complaint_utc():
    from . import timeutil

    c = _complaints()
    times = [timeutil.to_utc(t, z) for t, z in zip(c["reported_local"], c["reported_tz"])]
    return timeutil.utc_iso(max(times))


def _currencies():
    return sorted(set(_complaints()["fee_currency"]))


# question -> (kind of key, how to compute the expected answer from the data, hint)
_QUESTIONS = {
    "place_count": ("value", lambda: len(_places()), "count the rows of the places table"),
    "wallet_complaints": ("set", _wallet_complaints, "the complaint ids, not the names"),
    "young_pakistanis": ("set", _young_pakistanis, "two conditions joined with &, each in ( )"),
    "data_entry_victims": ("set", _data_entry_victims, "case=False finds 'Data entry' too"),
    "complaints_per_place": ("mapping", _complaints_per_place, "place name -> number"),
    "youngest_by_country": ("mapping", _youngest_by_country, "country code -> youngest age"),
    "north_of_32": ("set", _north_of_32, "join the places first, then filter on lat"),
    "first_departure_dhaka": ("value", _first_departure_dhaka, "text like '07:45', Dhaka time"),
    "last_complaint_utc": ("value", _last_complaint_utc, "each complaint's own zone, then max"),
    "currencies": ("list", _currencies, "sorted, each currency once"),
}


def questions() -> list[str]:
    """The names of the practice questions, in the order the primer asks them."""
    return list(_QUESTIONS)


def _verdict(question: str, answer):
    from . import grading

    if question not in _QUESTIONS:
        raise ValueError(f"no practice question {question!r}; the questions are {questions()}")
    if answer is None or answer is Ellipsis:
        return grading.Verdict(False, "replace None with your code, then run the cell again")
    kind, expected, hint = _QUESTIONS[question]
    key = grading.make_key(f"primer.{question}", expected(), kind=kind)
    verdict = grading.compare(key, answer)
    return verdict if verdict.ok else grading.Verdict(False, f"{verdict.message}. Hint: {hint}")


def is_right(question: str, answer) -> bool:
    """Whether ``answer`` to practice ``question`` is right (nothing printed)."""
    return _verdict(question, answer).ok


def check(question: str, answer) -> None:
    """Print ✔ if ``answer`` is right, or ✘ and what is wrong (never the expected answer)."""
    verdict = _verdict(question, answer)
    print(f"\u2714 {question}: right" if verdict.ok else f"\u2718 {question}: {verdict.message}")
