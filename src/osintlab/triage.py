"""AI-assisted screening of job ads: a transparent text classifier that ranks, never decides.

Thousands of ads appear every week; a unit can read perhaps fifty. A classifier can put the
likeliest recruitment-fraud ads at the top of a human-review queue. This module builds one with
scikit-learn (word and character n-grams, TF-IDF, logistic regression — a linear model, so every
score can be explained feature by feature), keeps training and test data apart, measures
precision and recall overall *and per language*, picks the score threshold that fits a stated
review capacity, and refuses to score ads in languages it never saw in training.

It also evaluates the model the way it will be used: split by advertiser so that no test ad
shares an agent with the training ads (:func:`group_split`), precision at the field's
prevalence rather than the corpus's (:func:`precision_at_prevalence`), Wilson intervals per
language or group (:func:`wilson_interval`, :func:`metrics_by_group`), the operating point on
the precision-recall chart (:func:`pr_chart`) and a model card for the file and for court
(:func:`model_card`).

What an investigator does -> which function:
    guess an ad's language ............................ detect_language
    train on the training ads, score, flag ............ train, score, predict
    measure on held-out ads ........................... evaluate, confusion, pr_table
    test on advertisers the model never saw ........... group_split, groups_in_both
    what precision will be in the field ............... precision_at_prevalence
    error by language / by group, with intervals ...... metrics_by_language, metrics_by_group,
                                                        wilson_interval
    fit the threshold to review capacity .............. threshold_for_capacity, pr_chart
    why this score, what it got wrong ................. explain, errors
    this week's review queue .......................... review_queue
    document the model for the file and for court ..... model_card

    >>> from osintlab import data, triage                                   # doctest: +SKIP
    >>> model = triage.train(data.load("triage/ads_train.csv"))             # doctest: +SKIP
    >>> report = triage.evaluate(model, data.load("triage/ads_test.csv"))   # doctest: +SKIP
    >>> report["precision"], report["recall"]                               # doctest: +SKIP

scikit-learn and pandas are imported inside the functions (``import osintlab`` stays fast).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .results import TableResult

__all__ = [
    "TriageError",
    "capacity_table",
    "Model",
    "detect_language",
    "build_pipeline",
    "train",
    "score",
    "predict",
    "confusion",
    "evaluate",
    "metrics_by_language",
    "pr_table",
    "threshold_for_capacity",
    "explain",
    "errors",
    "review_queue",
    "LANGUAGE_NAMES",
    "Explanation",
    "ReviewQueue",
    "group_split",
    "groups_in_both",
    "wilson_interval",
    "precision_at_prevalence",
    "metrics_by_group",
    "pr_chart",
    "model_card",
    "ModelCard",
]


class TriageError(ValueError):
    """Bad input to the screening toolkit (the message names it and says what to do)."""


LANGUAGE_NAMES = {
    "en": "English",
    "roman_ur": "Roman Urdu",
    "ur": "Urdu (Arabic script)",
    "bn": "Bengali",
    "ar": "Arabic",
    "devanagari": "Nepali or Hindi (Devanagari)",
    "th": "Thai",
    "other": "another script",
    "unknown": "no letters",
}

_URDU_LETTERS = set("ٹڈڑںےۓہھیکگ")
_ROMAN_URDU = {
    "hai",
    "ki",
    "ke",
    "ka",
    "mein",
    "aur",
    "nahi",
    "karein",
    "sirf",
    "zaroorat",
    "chahiye",
    "tankhwah",
    "rabta",
    "naukri",
    "hamare",
    "sath",
    "kaam",
    "mahana",
    "zariye",
    "koi",
    "foran",
    "rawangi",
    "hafte",
    "tajurba",
    "daftar",
    "pehle",
    "muahida",
    "raseed",
    "hukumati",
    "bhejein",
    "wahan",
    "ja",
    "kar",
    "asaan",
    "kam",
}


def _script(ch: str) -> str | None:
    o = ord(ch)
    if 0x0980 <= o <= 0x09FF:
        return "bn"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if 0x0900 <= o <= 0x097F:
        return "devanagari"
    if 0x0E00 <= o <= 0x0E7F:
        return "th"
    if ch.isascii() and ch.isalpha():
        return "latin"
    if ch.isalpha():
        return "other"
    return None


def detect_language(text) -> str:
    """A simple, explainable language guess from the script and a few marker words.

    Returns ``en``, ``roman_ur``, ``ur``, ``bn``, ``ar``, ``devanagari``, ``th``, ``other`` or
    ``unknown`` (no letters). Urdu and Arabic share a script: Urdu-only letters (ٹ ڈ ڑ ں ے ہ ی
    ک گ) decide. Roman Urdu needs at least two marker words (``mein``, ``nahi``, ...).

    >>> detect_language("Visa aur ticket free, koi interview nahi")
    'roman_ur'
    >>> detect_language("ফ্রি ভিসা ও বিমান টিকিট"), detect_language("ویزا اور ٹکٹ مفت")
    ('bn', 'ur')
    >>> detect_language("12345")
    'unknown'
    """
    if not isinstance(text, str):
        raise TriageError(f"ad text must be a string, not {type(text).__name__}")
    text = unicodedata.normalize("NFC", text)
    counts: dict[str, int] = {}
    for ch in text:
        s = _script(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return "unknown"
    # Latin letters in phone links and currency codes should not outvote another script.
    non_latin = {k: v for k, v in counts.items() if k != "latin"}
    main = (
        max(non_latin, key=non_latin.get)
        if non_latin and sum(non_latin.values()) >= 5
        else max(counts, key=counts.get)
    )
    if main == "arabic":
        return "ur" if any(c in _URDU_LETTERS for c in text) else "ar"
    if main == "latin":
        words = set(re.findall(r"[a-z]+", text.lower()))
        return "roman_ur" if len(words & _ROMAN_URDU) >= 2 else "en"
    return main


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


@dataclass
class Model:
    """A trained screening model: the scikit-learn ``pipeline``, the label counted as
    ``positive``, the ``languages`` seen in training, and the IDs of the training ads (so that
    evaluation can refuse ads the model has already seen)."""

    pipeline: object
    positive: str
    languages: set
    train_ids: set = field(default_factory=set)
    n_train: int = 0
    text_col: str = "text"

    def __repr__(self):
        langs = ", ".join(sorted(self.languages))
        return f"<triage.Model trained on {self.n_train} ads ({langs}); positive={self.positive!r}>"


def build_pipeline(C: float = 4.0, seed: int = 0):
    """The untrained scikit-learn pipeline: word 1-2-grams + character 3-4-grams (TF-IDF, so
    that Urdu, Bengali and Roman-Urdu spellings all work), then a balanced logistic regression.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    if not isinstance(C, (int, float)) or isinstance(C, bool) or not C > 0:
        raise TriageError(f"C must be a positive number, not {C!r}")
    features = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 4), min_df=3, sublinear_tf=True
                ),
            ),
        ]
    )
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def _check_frame(df, cols, what):
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TriageError(f"{what} must be a DataFrame, not {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise TriageError(f"{what} lacks columns {missing} (has {list(df.columns)})")
    if df.empty:
        raise TriageError(f"{what} has no rows")
    bad = df[cols[0]].map(lambda t: not isinstance(t, str) or not t.strip())
    if bad.any():
        raise TriageError(f"{what}: {int(bad.sum())} row(s) with empty or non-text '{cols[0]}'")


def train(
    train_df,
    *,
    text_col: str = "text",
    label_col: str = "label",
    positive: str = "fraud",
    id_col: str = "ad_id",
    C: float = 4.0,
) -> Model:
    """Fit the pipeline on ``train_df`` (training ads only) and return a :class:`Model`.

    >>> import pandas as pd
    >>> train(pd.DataFrame({"text": ["a"], "label": ["fraud"]}))
    Traceback (most recent call last):
    ...
    osintlab.triage.TriageError: training data has only one class (fraud): a classifier needs examples of both
    """
    _check_frame(train_df, [text_col, label_col], "training data")
    labels = train_df[label_col].astype(str)
    classes = sorted(labels.unique())
    if len(classes) < 2:
        raise TriageError(
            f"training data has only one class ({classes[0]}): a classifier needs examples of both"
        )
    if positive not in classes:
        raise TriageError(f"positive label {positive!r} is not among the labels {classes}")
    pipe = build_pipeline(C)
    pipe.fit(train_df[text_col].tolist(), (labels == positive).astype(int).values)
    langs = (
        set(train_df["language"])
        if "language" in train_df
        else {detect_language(t) for t in train_df[text_col]}
    )
    ids = set(train_df[id_col]) if id_col in train_df else set()
    return Model(pipe, positive, langs, ids, len(train_df), text_col)


def _model(model):
    if not isinstance(model, Model):
        raise TriageError(f"expected a Model from triage.train(), not {type(model).__name__}")
    return model


def score(model: Model, df, *, text_col: str | None = None):
    """Scores (probability-like, 0..1) for each ad, with its detected language and status.

    Returns a DataFrame aligned with ``df``: ``language`` (detected), ``score`` and ``status``
    — ``scored``, or ``unseen_language`` (score left empty: the model never learnt that
    language, and a number would be a guess).
    """
    import numpy as np
    import pandas as pd

    model = _model(model)
    col = text_col or model.text_col
    _check_frame(df, [col], "ads to score")
    langs = df[col].map(detect_language)
    known = langs.isin(model.languages)
    scores = pd.Series(np.nan, index=df.index, dtype="float64")
    if known.any():
        scores[known] = model.pipeline.predict_proba(df.loc[known, col].tolist())[:, 1]
    return pd.DataFrame(
        {
            "language": langs,
            "score": scores,
            "status": np.where(known, "scored", "unseen_language"),
        },
        index=df.index,
    )


def predict(model: Model, df, threshold: float = 0.5):
    """True where the score reaches ``threshold`` (unseen languages: ``<NA>``, not False)."""
    import pandas as pd

    _threshold(threshold)
    s = score(model, df)
    out = (s["score"] >= threshold).astype("boolean")
    out[s["score"].isna()] = pd.NA
    return out


def _threshold(t):
    if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 <= t <= 1:
        raise TriageError(f"threshold must be a number from 0 to 1, not {t!r}")


def confusion(y_true, y_pred):
    """A labelled 2x2 confusion matrix (rows: truth, columns: prediction) from booleans.

    >>> confusion([True, False, True], [True, True, False]).values.tolist()
    [[1, 1], [1, 0]]
    """
    import pandas as pd

    t, p = list(y_true), list(y_pred)
    if len(t) != len(p):
        raise TriageError(f"y_true has {len(t)} items but y_pred has {len(p)}")
    if any(x is None or x is pd.NA for x in t + p):
        raise TriageError("confusion needs True/False for every ad; drop unscored ads first")
    t, p = [bool(x) for x in t], [bool(x) for x in p]
    tp = sum(a and b for a, b in zip(t, p))
    fn = sum(a and not b for a, b in zip(t, p))
    fp = sum(b and not a for a, b in zip(t, p))
    tn = sum(not a and not b for a, b in zip(t, p))
    return pd.DataFrame(
        [[tp, fn], [fp, tn]],
        index=["truth: fraud", "truth: legit"],
        columns=["flagged", "not flagged"],
    )


def _rates(tp, fp, fn, tn):
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    fpr = fp / (fp + tn) if fp + tn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, fpr, f1


def _no_leak(model, test_df, id_col):
    if id_col in test_df and model.train_ids:
        seen = sorted(set(test_df[id_col]) & model.train_ids)
        if seen:
            raise TriageError(
                f"{len(seen)} test ad(s) were used in training (e.g. {seen[:3]}): "
                "evaluate only on held-out data"
            )


def evaluate(
    model: Model,
    test_df,
    threshold: float = 0.5,
    *,
    label_col: str = "label",
    id_col: str = "ad_id",
) -> dict:
    """Measure a trained model on held-out ads: precision, recall, F1, false-positive rate and
    the confusion matrix at ``threshold``. Ads in unseen languages are counted separately
    (``unscored``), never silently as 'not fraud'. Refuses test ads seen in training."""
    model = _model(model)
    _threshold(threshold)
    _check_frame(test_df, [model.text_col, label_col], "test data")
    _no_leak(model, test_df, id_col)
    s = score(model, test_df)
    ok = s["status"] == "scored"
    truth = (test_df.loc[ok, label_col].astype(str) == model.positive).tolist()
    pred = (s.loc[ok, "score"] >= threshold).tolist()
    cm = confusion(truth, pred)
    tp, fn, fp, tn = (
        int(cm.iloc[0, 0]),
        int(cm.iloc[0, 1]),
        int(cm.iloc[1, 0]),
        int(cm.iloc[1, 1]),
    )
    precision, recall, fpr, f1 = _rates(tp, fp, fn, tn)
    return {
        "threshold": threshold,
        "n": int(ok.sum()),
        "unscored": int((~ok).sum()),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_positive_rate": fpr,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "confusion": cm,
    }


def metrics_by_language(
    model: Model,
    test_df,
    threshold: float = 0.5,
    *,
    label_col: str = "label",
    id_col: str = "ad_id",
):
    """Error analysis by language: n, fraud ads, precision, recall, false-positive rate and
    missed fraud (false negatives) per language, with 95 % Wilson intervals for recall and
    precision. Small groups give unstable numbers: the ``fraud`` column says how many cases a
    recall figure rests on, and ``recall_low``/``recall_high`` how far it could be off."""
    model = _model(model)
    _check_frame(test_df, [model.text_col, label_col], "test data")
    lang_col = (
        test_df["language"]
        if "language" in test_df
        else test_df[model.text_col].map(detect_language)
    )
    return metrics_by_group(
        model,
        test_df.assign(language=lang_col),
        "language",
        threshold,
        label_col=label_col,
        id_col=id_col,
    )


def metrics_by_group(
    model: Model,
    test_df,
    by: str,
    threshold: float = 0.5,
    *,
    label_col: str = "label",
    id_col: str = "ad_id",
    z: float = 1.96,
):
    """Precision and recall per value of column ``by`` (a language, a platform, "new or known
    advertiser"), each with its Wilson interval (``*_low``, ``*_high``) and the counts it rests
    on. Read the interval before comparing two groups: if they overlap, the data cannot tell
    the groups apart."""
    import pandas as pd

    model = _model(model)
    _check_frame(test_df, [model.text_col, label_col], "test data")
    if by not in test_df:
        raise TriageError(f"test data has no column {by!r} to group by")
    _no_leak(model, test_df, id_col)
    rows = []
    for value in sorted(set(test_df[by].astype(str))):
        part = test_df[test_df[by].astype(str) == value]
        r = evaluate(model, part, threshold, label_col=label_col, id_col=id_col)
        fraud, flagged = r["tp"] + r["fn"], r["tp"] + r["fp"]
        r_lo, r_hi = wilson_interval(r["tp"], fraud, z)
        p_lo, p_hi = wilson_interval(r["tp"], flagged, z)
        rows.append(
            {
                by: value,
                "n": len(part),
                "fraud": fraud,
                "precision": r["precision"],
                "precision_low": p_lo,
                "precision_high": p_hi,
                "recall": r["recall"],
                "recall_low": r_lo,
                "recall_high": r_hi,
                "false_positive_rate": r["false_positive_rate"],
                "missed_fraud": r["fn"],
                "false_alarms": r["fp"],
                "unscored": r["unscored"],
            }
        )
    return pd.DataFrame(rows)


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % for ``z=1.96``) of a proportion ``successes / n``.

    Better than "p ± 2 standard errors" for small groups and for shares near 0 or 1. With no
    cases at all the proportion is unknown: ``(nan, nan)``.

    >>> [round(x, 2) for x in wilson_interval(21, 28)]
    [0.57, 0.87]
    >>> wilson_interval(0, 0)
    (nan, nan)
    """
    import math

    for name, v in (("successes", successes), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, int) and not float(v).is_integer():
            raise TriageError(f"{name} must be a whole number, not {v!r}")
    successes, n = int(successes), int(n)
    if n < 0 or not 0 <= successes <= max(n, 0):
        raise TriageError(f"need 0 <= successes <= n, not successes={successes}, n={n}")
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def precision_at_prevalence(recall: float, false_positive_rate: float, prevalence: float) -> float:
    """The precision a screen with this recall and false-positive rate will have where only
    ``prevalence`` of the ads are fraud (Bayes' rule):

        precision = recall·p / (recall·p + FPR·(1 − p))

    A test set that is a third fraud flatters precision: in the field, where perhaps one ad in
    fifty is fraud, most flags are false alarms even for a good model.

    >>> round(precision_at_prevalence(0.883, 0.035, 0.37), 2)
    0.94
    >>> round(precision_at_prevalence(0.883, 0.035, 0.01), 2)
    0.2
    """
    for name, v in (
        ("recall", recall),
        ("false_positive_rate", false_positive_rate),
        ("prevalence", prevalence),
    ):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= float(v) <= 1:
            raise TriageError(f"{name} must be a share from 0 to 1, not {v!r}")
    if not 0 < prevalence < 1:
        raise TriageError(f"prevalence must be above 0 and below 1, not {prevalence!r}")
    hits = recall * prevalence
    alarms = false_positive_rate * (1 - prevalence)
    if hits + alarms == 0:
        return float("nan")
    return hits / (hits + alarms)


def group_split(df, group_col: str, test_share: float = 0.2, seed: int = 0):
    """Split labelled ads into ``(train, test)`` so that **no group is in both** — every ad of
    one advertiser (phone number, agency) lands on the same side.

    A random split lets the model meet, in the test set, agents it already memorised in
    training (their number, their stock phrases): the score then measures memory, not what it
    will do on next week's new agents. Whole groups are drawn at random (``seed``) until about
    ``test_share`` of the ads are in the test set.

    >>> import pandas as pd
    >>> ads = pd.DataFrame({"ad_id": list("abcdef"), "advertiser": list("xxyyzw")})
    >>> tr, te = group_split(ads, "advertiser", test_share=0.34, seed=1)
    >>> groups_in_both(tr, te, "advertiser"), len(tr) + len(te)
    (set(), 6)
    """
    import random

    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TriageError(f"group_split needs a DataFrame, not {type(df).__name__}")
    if group_col not in df:
        raise TriageError(f"no column {group_col!r} to split by (has {list(df.columns)})")
    if df[group_col].isna().any():
        raise TriageError(
            f"{int(df[group_col].isna().sum())} row(s) have no {group_col!r}: "
            "give every ad its group before splitting"
        )
    if (
        isinstance(test_share, bool)
        or not isinstance(test_share, (int, float))
        or not 0 < test_share < 1
    ):
        raise TriageError(f"test_share must be between 0 and 1, not {test_share!r}")
    sizes = df[group_col].astype(str).value_counts()
    groups = sorted(sizes.index)
    random.Random(seed).shuffle(groups)
    target, taken, test_groups = test_share * len(df), 0, set()
    for g in groups:
        if taken >= target:
            break
        test_groups.add(g)
        taken += int(sizes[g])
    in_test = df[group_col].astype(str).isin(test_groups)
    return df[~in_test].copy(), df[in_test].copy()


def groups_in_both(train_df, test_df, group_col: str) -> set:
    """The groups (e.g. advertisers) that have ads in both sets: empty for a fair split.

    >>> import pandas as pd
    >>> groups_in_both(pd.DataFrame({"g": [1, 2]}), pd.DataFrame({"g": [2, 3]}), "g")
    {2}
    """
    for name, d in (("train", train_df), ("test", test_df)):
        if group_col not in d:
            raise TriageError(f"the {name} set has no column {group_col!r}")
    return set(train_df[group_col]) & set(test_df[group_col])


def pr_table(model: Model, test_df, thresholds=None, *, label_col: str = "label"):
    """Precision, recall and number flagged on the test set at several thresholds."""
    import pandas as pd

    model = _model(model)
    thresholds = thresholds if thresholds is not None else [i / 20 for i in range(1, 20)]
    s = score(model, test_df)
    ok = s["status"] == "scored"
    truth = (test_df.loc[ok, label_col].astype(str) == model.positive).values
    sc = s.loc[ok, "score"].values
    rows = []
    for t in thresholds:
        _threshold(t)
        flag = sc >= t
        tp = int((flag & truth).sum())
        fp = int((flag & ~truth).sum())
        fn = int((~flag & truth).sum())
        rows.append(
            {
                "threshold": t,
                "flagged": int(flag.sum()),
                "precision": tp / (tp + fp) if tp + fp else float("nan"),
                "recall": tp / (tp + fn) if tp + fn else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def threshold_for_capacity(scores, capacity: int) -> float:
    """The lowest threshold that flags at most ``capacity`` ads.

    Ads scoring at or above the returned threshold fill the review queue; ties at the cut-off
    are left out rather than overflowing the capacity. Empty (unscored) values are ignored.

    >>> threshold_for_capacity([0.9, 0.8, 0.8, 0.3], 2)
    0.9
    >>> threshold_for_capacity([0.9, 0.8], 5)
    0.8
    """
    import math

    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        raise TriageError(f"capacity must be a whole number of ads >= 1, not {capacity!r}")
    values = []
    for v in list(scores):
        if v is None:
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise TriageError(f"score {v!r} is not a number") from None
        if math.isnan(f):
            continue
        if not 0 <= f <= 1:
            raise TriageError(f"score {v!r} is outside 0..1")
        values.append(f)
    if not values:
        raise TriageError("no scores to choose a threshold from")
    values.sort(reverse=True)
    if len(values) <= capacity:
        return values[-1]
    cut = values[capacity - 1]
    if values[capacity] < cut:
        return cut
    above = [v for v in values if v > cut]  # a tie at the cut-off: stay within capacity
    return min(above) if above else math.nextafter(cut, 2.0)


def capacity_table(incoming_scores, test_scores, test_is_fraud, capacities=(10, 20, 40, 80, 150)):
    """What each review capacity would mean: for every capacity, the threshold that fills it on
    the *incoming* scores, and what that threshold flags on the labelled *test* ads (flagged,
    precision, recall). Two sets, two roles: the incoming ads set the threshold, the test ads
    measure it.

    >>> capacity_table([0.9, 0.7, 0.4, 0.2], [0.95, 0.8, 0.6, 0.1], [True, True, False, False], [1, 2])
       capacity  threshold  flagged  precision  recall
    0         1        0.9        1        1.0     0.5
    1         2        0.7        2        1.0     1.0
    """
    import pandas as pd

    scores = [float(v) for v in test_scores]
    truth = [bool(v) for v in test_is_fraud]
    if len(scores) != len(truth):
        raise TriageError(
            f"{len(scores)} test scores but {len(truth)} labels: give one label per test ad"
        )
    rows = []
    for cap in capacities:
        t = threshold_for_capacity(incoming_scores, cap)
        flagged = [s >= t for s in scores]
        tp = sum(f and y for f, y in zip(flagged, truth))
        n = sum(flagged)
        rows.append(
            {
                "capacity": cap,
                "threshold": round(t, 3),
                "flagged": n,
                "precision": round(tp / n, 3) if n else float("nan"),
                "recall": round(tp / max(1, sum(truth)), 3),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False, repr=False)
class Explanation(TableResult):
    """Why one ad got its score (:func:`explain`): ``table`` lists the features, largest effect
    first; ``intercept`` is the model's starting point before any feature counts."""

    intercept: float


@dataclass(frozen=True, eq=False, repr=False)
class ReviewQueue(TableResult):
    """Incoming ads routed for review (:func:`review_queue`): ``table`` has one row per ad;
    ``threshold`` is the score from which an ad goes to ``review``."""

    threshold: float


def explain(model: Model, text: str, top: int = 8) -> Explanation:
    """The features behind one ad's score: each feature's TF-IDF value times its weight.

    Positive contributions push towards fraud, negative towards legitimate. Returns an
    :class:`Explanation` whose table has feature, kind word/char, value, weight and
    contribution, largest effect first, and whose ``.intercept`` is the model's bias — what an
    analyst can show a court about *why* the ad was ranked high (and why that is not proof).
    """
    import numpy as np
    import pandas as pd

    model = _model(model)
    if not isinstance(text, str) or not text.strip():
        raise TriageError("explain needs the ad's text")
    if not isinstance(top, int) or top < 1:
        raise TriageError(f"top must be a whole number >= 1, not {top!r}")
    features = model.pipeline.named_steps["features"]
    clf = model.pipeline.named_steps["clf"]
    x = features.transform([text]).tocsr()
    names = features.get_feature_names_out()
    coef = clf.coef_[0]
    idx = x.indices
    contrib = x.data * coef[idx]
    order = np.argsort(-np.abs(contrib))[:top]
    rows = []
    for i in order:
        kind, feat = names[idx[i]].split("__", 1)
        rows.append(
            {
                "feature": feat,
                "kind": kind,
                "value": float(x.data[i]),
                "weight": float(coef[idx[i]]),
                "contribution": float(contrib[i]),
            }
        )
    df = pd.DataFrame(rows, columns=["feature", "kind", "value", "weight", "contribution"])
    return Explanation(df, intercept=float(clf.intercept_[0]))


def errors(model: Model, test_df, threshold: float = 0.5, *, label_col: str = "label"):
    """The test ads the model got wrong, with score, language and error type
    (``missed_fraud`` = false negative, ``false_alarm`` = false positive)."""
    model = _model(model)
    s = score(model, test_df)
    df = test_df.join(s[["score", "status"]].rename(columns={"status": "score_status"}))
    if "language" not in df:
        df["language"] = s["language"]
    df = df[df["score_status"] == "scored"]
    truth = df[label_col].astype(str) == model.positive
    flag = df["score"] >= threshold
    df = df.assign(error=None)
    df.loc[truth & ~flag, "error"] = "missed_fraud"
    df.loc[~truth & flag, "error"] = "false_alarm"
    return df[df["error"].notna()].sort_values("score", ascending=False)


def review_queue(
    model: Model,
    incoming,
    capacity: int,
    *,
    id_col: str = "ad_id",
    threshold: float | None = None,
    explain_top: int = 3,
) -> ReviewQueue:
    """Route incoming ads: the top ``capacity`` by score go to ``review`` (ranked), ads in
    languages the model never saw go to ``human_check_unseen_language`` (a person must read
    them — the model has nothing to say), the rest are ``not_prioritised`` (not cleared!).

    ``threshold`` defaults to :func:`threshold_for_capacity`. Returns a :class:`ReviewQueue`:
    its table (id, language, score, route, rank, reasons) is sorted by route and rank, and
    ``.threshold`` is the score used.
    """
    import pandas as pd

    model = _model(model)
    _check_frame(incoming, [model.text_col], "incoming ads")
    if id_col not in incoming:
        raise TriageError(f"incoming ads lack the id column {id_col!r}")
    s = score(model, incoming)
    scored = s["score"].dropna()
    if threshold is None:
        threshold = threshold_for_capacity(scored, capacity) if len(scored) else 1.0
    else:
        _threshold(threshold)
        if not isinstance(capacity, int) or capacity < 1:
            raise TriageError(f"capacity must be a whole number of ads >= 1, not {capacity!r}")
    route = pd.Series("not_prioritised", index=incoming.index)
    route[s["status"] == "unseen_language"] = "human_check_unseen_language"
    flagged = s["score"] >= threshold
    route[flagged] = "review"
    out = pd.DataFrame(
        {
            id_col: incoming[id_col],
            "language": s["language"],
            "score": s["score"].round(4),
            "route": route,
        }
    )
    review = out[out["route"] == "review"].sort_values("score", ascending=False)
    if len(review) > capacity:
        review = review.iloc[:capacity]
        out.loc[~out.index.isin(review.index) & (out["route"] == "review"), "route"] = (
            "not_prioritised"
        )
    out["rank"] = pd.Series(range(1, len(review) + 1), index=review.index)
    out["rank"] = out["rank"].astype("Int64")
    reasons = {}
    for i in review.index:
        ex = explain(model, incoming.at[i, model.text_col], top=explain_top)
        reasons[i] = "; ".join(
            f"{r.feature.strip()} ({r.contribution:+.2f})"
            for r in ex.table.itertuples()
            if r.contribution > 0
        )
    out["reasons"] = pd.Series(reasons, dtype="object")
    order = {"review": 0, "human_check_unseen_language": 1, "not_prioritised": 2}
    out = out.assign(_o=out["route"].map(order)).sort_values(
        ["_o", "rank", "score"], ascending=[True, True, False]
    )
    return ReviewQueue(out.drop(columns="_o").reset_index(drop=True), threshold=threshold)


def pr_chart(
    table,
    operating_point: dict | None = None,
    *,
    ax=None,
    title: str = "Precision and recall against the threshold",
):
    """Draw a :func:`pr_table` as a precision-recall curve and mark the ``operating_point``
    (a dict with ``threshold``, ``precision`` and ``recall``, e.g. from :func:`evaluate` at the
    capacity threshold) — the one point of the curve the unit actually uses. Returns the axes.
    """
    import matplotlib.pyplot as plt

    for col in ("threshold", "precision", "recall"):
        if col not in table:
            raise TriageError(f"the table lacks {col!r}: pass triage.pr_table(...)")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(table["recall"], table["precision"], marker="o", ms=3, label="threshold 0.05–0.95")
    for r in table.iloc[::4].itertuples():
        ax.annotate(
            f"{r.threshold:.2f}",
            (r.recall, r.precision),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
            color="grey",
        )
    if operating_point is not None:
        op = {k: float(operating_point[k]) for k in ("threshold", "precision", "recall")}
        ax.scatter(
            [op["recall"]],
            [op["precision"]],
            s=120,
            marker="*",
            color="#d62728",
            zorder=5,
            label=f"operating point (threshold {op['threshold']:.3f})",
        )
    ax.set_xlabel("recall (share of fraud flagged)")
    ax.set_ylabel("precision (share of flags that are fraud)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8)
    return ax


@dataclass(frozen=True)
class ModelCard:
    """A model card (:func:`model_card`): ``sections`` maps a heading to its lines; ``text``
    is the Markdown to keep in the case file and to hand to a reviewer or a court."""

    sections: dict

    @property
    def text(self) -> str:
        out = ["# Model card: job-ad screening (triage aid)"]
        for head, lines in self.sections.items():
            out += ["", f"## {head}"] + [f"- {line}" for line in lines]
        return "\n".join(out) + "\n"

    def __str__(self):
        return self.text

    def _repr_markdown_(self):
        return self.text


def _fmt(x, d=2):
    import math

    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def model_card(
    model: Model,
    *,
    data_files: dict,
    random_report: dict,
    grouped_report: dict | None = None,
    by_group=None,
    threshold: float,
    capacity: int | None = None,
    field_prevalence: float = 0.02,
    split: str = "",
    version: str = "1",
    reviewer: str = "",
) -> ModelCard:
    """Write the model card of a trained screening model from what was measured.

    ``data_files`` maps a file name to its SHA-256; ``random_report`` and ``grouped_report``
    are :func:`evaluate` results on the random split and on unseen advertisers; ``by_group`` a
    :func:`metrics_by_group` / :func:`metrics_by_language` table. The card states data,
    intended use (and what it must not be used for), the evaluation with counts and intervals,
    the precision expected at ``field_prevalence``, the operating point, the languages it will
    not score, known limits and the human-review procedure.
    """
    model = _model(model)
    for name, rep in (("random_report", random_report), ("grouped_report", grouped_report)):
        if rep is not None and not (
            isinstance(rep, dict) and {"precision", "recall", "tp", "fn"} <= set(rep)
        ):
            raise TriageError(f"{name} must be a dict from triage.evaluate(...)")
    if not isinstance(data_files, dict) or not data_files:
        raise TriageError("data_files must map each data file to its SHA-256")
    _threshold(threshold)

    def line(label, rep):
        r_lo, r_hi = wilson_interval(rep["tp"], rep["tp"] + rep["fn"])
        p_lo, p_hi = wilson_interval(rep["tp"], rep["tp"] + rep["fp"])
        return (
            f"{label}: precision {_fmt(rep['precision'])} (95 % CI {_fmt(p_lo)}–"
            f"{_fmt(p_hi)}), recall {_fmt(rep['recall'])} (95 % CI {_fmt(r_lo)}–"
            f"{_fmt(r_hi)}) on {rep['n']} ads, {rep['tp'] + rep['fn']} of them fraud "
            f"(threshold {rep['threshold']:.3f})"
        )

    field_rep = grouped_report or random_report
    field = precision_at_prevalence(
        field_rep["recall"], field_rep["false_positive_rate"], field_prevalence
    )
    corpus = (random_report["tp"] + random_report["fn"]) / random_report["n"]
    sections = {
        "Model": [
            f"linear text classifier (word 1-2-grams and character 3-4-grams, TF-IDF, "
            f"balanced logistic regression), version {version}",
            f"trained on {model.n_train} labelled ads; positive label {model.positive!r}",
        ],
        "Data": [f"{name}: SHA-256 {digest}" for name, digest in data_files.items()]
        + [
            "labels come from case outcomes and analyst review of ads that earlier "
            "screening chose: some labels are wrong, and the kinds of fraud nobody "
            "looked for are missing",
            "the ads contain personal data (phone numbers): keep them only under a "
            "legal basis and a retention rule",
        ],
        "Intended use": [
            "rank new job ads so that trained officers read the likeliest recruitment fraud first",
            "NOT for: deciding takedowns, naming or investigating a person, or "
            "clearing an ad because it scored low",
        ],
        "Evaluation": [line("random split (advertisers shared with training)", random_report)]
        + (
            [line("split by advertiser (unseen agents: the honest test)", grouped_report)]
            if grouped_report
            else []
        )
        + ([f"split method: {split}"] if split else []),
        "Field precision": [
            f"the test set is {corpus:.0%} fraud; at a field prevalence of "
            f"{field_prevalence:.0%} the expected precision is {_fmt(field)} "
            "— most flags will then be false alarms"
        ],
        "Operating point": [
            f"score threshold {threshold:.3f}"
            + (f", chosen to fill a review capacity of {capacity} ads a week" if capacity else "")
        ],
        "Groups": [],
        "Languages": [
            f"scores only: {', '.join(sorted(model.languages))}",
            "ads in any other language are never scored: a person reads them",
        ],
        "Limits": [
            "scores are not probabilities (balanced class weights shift them)",
            "it partly memorises known agents' numbers and stock phrases: new agents "
            "and copied 'licensed' wording slip through",
            "small groups give wide intervals: do not compare groups whose intervals overlap",
            "the world moves on: re-measure on recent, grouped data before each use",
        ],
        "Human review": [
            "every flagged ad is read by a trained officer before any action",
            "second reads are blind to the score (automation bias)",
            "a sample of not-prioritised ads is audited every week",
            "decisions and their reasons are recorded, not the score alone",
        ]
        + ([f"responsible reviewer: {reviewer}"] if reviewer else []),
    }
    if by_group is not None:
        key = by_group.columns[0]
        for r in by_group.to_dict("records"):
            sections["Groups"].append(
                f"{key} {r[key]}: recall {_fmt(r['recall'])} (95 % CI {_fmt(r['recall_low'])}"
                f"–{_fmt(r['recall_high'])}, {r['fraud']} fraud ads), precision "
                f"{_fmt(r['precision'])}, n={r['n']}"
            )
    else:
        sections["Groups"].append("not measured: measure per language before use")
    return ModelCard(sections)
