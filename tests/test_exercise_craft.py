"""Scenario parts behind exercise 02 Tasks 4b/10b and exercise 03 Task 11b, on the committed seed
and another one: the Bangladeshi lexicon sample has false positives an `unless` can fix without
losing an ad, the smuggler's main account posts under every handle it had, and the partner's
screenshot comes as the phone's PNG (screen size, no EXIF) and a scaled, re-encoded copy."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from osintlab import images, social

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["committed", "other"])
def datasets(request, other_seed_datasets) -> Path:
    return ROOT / "datasets" if request.param == "committed" else other_seed_datasets


def _csv(folder: Path, rel: str) -> pd.DataFrame:
    with open(folder / rel, encoding="utf-8", newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def test_bd_sample_is_held_out_and_has_fixable_false_positives(datasets):
    bd = _csv(datasets, "social/lexicon_sample_bd.csv")
    lesson = _csv(datasets, "social/lexicon_sample.csv")
    ads = set(bd.loc[bd["label"] != "benign", "post_id"])
    assert ads and not ads & set(lesson["post_id"]), "the exercise's ads are not the lesson's"
    scores = social.score_posts(bd, id_col="sample_id")
    rate = social.false_positive_rate(scores, bd, list_name="recruitment", id_col="sample_id")
    assert rate["false_positives"] >= 2 and rate["false_positive_rate"] > 0.10
    lex = social.indicator_lexicon()
    lex.loc[lex["list"] == "recruitment", "unless"] = r"warn|সতর্ক|fake|genuine\?"
    fixed = social.false_positive_rate(
        social.score_posts(bd, id_col="sample_id", lexicon=lex),
        bd,
        list_name="recruitment",
        id_col="sample_id",
    )
    assert fixed["false_positives"] < rate["false_positives"]
    assert fixed["caught"] == rate["caught"]


def test_smuggler_main_account_posts_under_each_handle(datasets):
    hist = _csv(datasets, "social/handle_history.csv")
    posts = _csv(datasets, "social/posts.csv")
    twice = hist["account_id"].value_counts()
    acc = twice.index[twice == 2]
    assert len(acc) == 1, "exactly one account renamed twice (the exercise finds it that way)"
    used = set(posts.loc[posts["account_id"] == acc[0], "handle_at_post"])
    assert len(used) == 3


def test_partner_screenshot_copies(datasets):
    rows = _csv(datasets, "images/partner_screenshots.csv")
    recs = {
        f: images.read_metadata(datasets / "images/partner_screenshots" / f) for f in rows["file"]
    }
    png = [r for r in recs.values() if r.format == "PNG"]
    jpg = [r for r in recs.values() if r.format == "JPEG"]
    assert len(png) == 1 and len(jpg) == 1
    assert all(r.status == "no_exif" for r in recs.values())
    assert (jpg[0].width, jpg[0].height) == (png[0].width // 2, png[0].height // 2)
    assert png[0].file.startswith("Screenshot_")
