"""AI-assisted screening of job ads: a transparent text classifier that ranks, never decides.

Thousands of ads appear every week; a unit can read perhaps fifty. A classifier can put the
likeliest recruitment-fraud ads at the top of a human-review queue. This module builds one with
scikit-learn (word and character n-grams, TF-IDF, logistic regression — a linear model, so every
score can be explained feature by feature), keeps training and test data apart, measures
precision and recall overall *and per language*, picks the score threshold that fits a stated
review capacity, and refuses to score ads in languages it never saw in training.

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

__all__ = ["TriageError", "Model", "detect_language", "build_pipeline", "train", "score",
           "predict", "confusion", "evaluate", "metrics_by_language", "pr_table",
           "threshold_for_capacity", "explain", "errors", "review_queue", "LANGUAGE_NAMES",
           "Explanation", "ReviewQueue"]


class TriageError(ValueError):
    """Bad input to the screening toolkit (the message names it and says what to do)."""


LANGUAGE_NAMES = {"en": "English", "roman_ur": "Roman Urdu", "ur": "Urdu (Arabic script)",
                  "bn": "Bengali", "ar": "Arabic", "devanagari": "Nepali or Hindi (Devanagari)",
                  "th": "Thai", "other": "another script", "unknown": "no letters"}

_URDU_LETTERS = set("ٹڈڑںےۓہھیکگ")
_ROMAN_URDU = {"hai", "ki", "ke", "ka", "mein", "aur", "nahi", "karein", "sirf", "zaroorat",
               "chahiye", "tankhwah", "rabta", "naukri", "hamare", "sath", "kaam", "mahana",
               "zariye", "koi", "foran", "rawangi", "hafte", "tajurba", "daftar", "pehle",
               "muahida", "raseed", "hukumati", "bhejein", "wahan", "ja", "kar", "asaan", "kam"}


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
    main = max(non_latin, key=non_latin.get) if non_latin and sum(non_latin.values()) >= 5 \
        else max(counts, key=counts.get)
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
    features = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                 token_pattern=r"(?u)\b\w+\b")),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), min_df=3,
                                 sublinear_tf=True)),
    ])
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
        raise TriageError(f"{what}: {int(bad.sum())} row(s) with empty or non-text "
                          f"'{cols[0]}'")


def train(train_df, *, text_col: str = "text", label_col: str = "label",
          positive: str = "fraud", id_col: str = "ad_id", C: float = 4.0) -> Model:
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
        raise TriageError(f"training data has only one class ({classes[0]}): a classifier "
                          "needs examples of both")
    if positive not in classes:
        raise TriageError(f"positive label {positive!r} is not among the labels {classes}")
    pipe = build_pipeline(C)
    pipe.fit(train_df[text_col].tolist(), (labels == positive).astype(int).values)
    langs = set(train_df["language"]) if "language" in train_df else \
        {detect_language(t) for t in train_df[text_col]}
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
    return pd.DataFrame({"language": langs, "score": scores,
                         "status": np.where(known, "scored", "unseen_language")},
                        index=df.index)


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
    return pd.DataFrame([[tp, fn], [fp, tn]], index=["truth: fraud", "truth: legit"],
                        columns=["flagged", "not flagged"])


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
            raise TriageError(f"{len(seen)} test ad(s) were used in training (e.g. {seen[:3]}): "
                              "evaluate only on held-out data")


def evaluate(model: Model, test_df, threshold: float = 0.5, *, label_col: str = "label",
             id_col: str = "ad_id") -> dict:
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
    tp, fn, fp, tn = (int(cm.iloc[0, 0]), int(cm.iloc[0, 1]), int(cm.iloc[1, 0]),
                      int(cm.iloc[1, 1]))
    precision, recall, fpr, f1 = _rates(tp, fp, fn, tn)
    return {"threshold": threshold, "n": int(ok.sum()), "unscored": int((~ok).sum()),
            "precision": precision, "recall": recall, "f1": f1, "false_positive_rate": fpr,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "confusion": cm}


def metrics_by_language(model: Model, test_df, threshold: float = 0.5, *,
                        label_col: str = "label", id_col: str = "ad_id"):
    """Error analysis by language: n, fraud ads, precision, recall, false-positive rate and
    missed fraud (false negatives) per language. Small groups give unstable numbers: the
    ``fraud`` column says how many cases a recall figure rests on."""
    import pandas as pd
    model = _model(model)
    _check_frame(test_df, [model.text_col, label_col], "test data")
    _no_leak(model, test_df, id_col)
    lang_col = test_df["language"] if "language" in test_df else \
        test_df[model.text_col].map(detect_language)
    rows = []
    for lang in sorted(set(lang_col)):
        part = test_df[lang_col == lang]
        r = evaluate(model, part, threshold, label_col=label_col, id_col=id_col)
        rows.append({"language": lang, "n": len(part), "fraud": r["tp"] + r["fn"],
                     "precision": r["precision"], "recall": r["recall"],
                     "false_positive_rate": r["false_positive_rate"], "missed_fraud": r["fn"],
                     "false_alarms": r["fp"], "unscored": r["unscored"]})
    return pd.DataFrame(rows)


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
        rows.append({"threshold": t, "flagged": int(flag.sum()),
                     "precision": tp / (tp + fp) if tp + fp else float("nan"),
                     "recall": tp / (tp + fn) if tp + fn else float("nan")})
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
    above = [v for v in values if v > cut]          # a tie at the cut-off: stay within capacity
    return min(above) if above else math.nextafter(cut, 2.0)


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
        rows.append({"feature": feat, "kind": kind, "value": float(x.data[i]),
                     "weight": float(coef[idx[i]]), "contribution": float(contrib[i])})
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


def review_queue(model: Model, incoming, capacity: int, *, id_col: str = "ad_id",
                 threshold: float | None = None, explain_top: int = 3) -> ReviewQueue:
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
    out = pd.DataFrame({id_col: incoming[id_col], "language": s["language"],
                        "score": s["score"].round(4), "route": route})
    review = out[out["route"] == "review"].sort_values("score", ascending=False)
    if len(review) > capacity:
        review = review.iloc[:capacity]
        out.loc[~out.index.isin(review.index) & (out["route"] == "review"),
                "route"] = "not_prioritised"
    out["rank"] = pd.Series(range(1, len(review) + 1), index=review.index)
    out["rank"] = out["rank"].astype("Int64")
    reasons = {}
    for i in review.index:
        ex = explain(model, incoming.at[i, model.text_col], top=explain_top)
        reasons[i] = "; ".join(f"{r.feature.strip()} ({r.contribution:+.2f})"
                               for r in ex.table.itertuples() if r.contribution > 0)
    out["reasons"] = pd.Series(reasons, dtype="object")
    order = {"review": 0, "human_check_unseen_language": 1, "not_prioritised": 2}
    out = out.assign(_o=out["route"].map(order)).sort_values(["_o", "rank", "score"],
                                                             ascending=[True, True, False])
    return ReviewQueue(out.drop(columns="_o").reset_index(drop=True), threshold=threshold)
