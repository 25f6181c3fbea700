import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from osintlab import data

ROOT = Path(__file__).resolve().parents[1]


def test_finds_datasets_by_walking_up_from_any_notebook_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("OSINTLAB_DATA")
    for sub in ["course", "solutions/01-foundations", "exercises/01-foundations"]:
        monkeypatch.chdir(ROOT / sub)
        assert data.datasets_dir() == ROOT / "datasets"
    deep = tmp_path / "autograded" / "alice" / "01-foundations"
    deep.mkdir(parents=True)
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    monkeypatch.chdir(deep)
    assert data.datasets_dir() == tmp_path / "datasets"


def test_falls_back_to_checkout_then_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("OSINTLAB_DATA")
    monkeypatch.chdir(tmp_path)  # a trainee's home after an exchange fetch
    assert data.datasets_dir() == ROOT / "datasets"  # editable install: the checkout


def _no_checkout(monkeypatch, tmp_path):
    """A trainee's home far from any checkout, with osintlab installed from a wheel."""
    monkeypatch.delenv("OSINTLAB_DATA")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSINTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(
        data, "_is_datasets", lambda f: (f / "manifest.json").is_file() and "cache" in str(f)
    )


def _fake_cache(version):
    folder = data.cached_datasets_dir()
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"seed": data.DEFAULT_SEED, "generator_version": version, "files": {}})
    )
    data.mark_cache_built(folder)  # as `osintlab data build` does after filling the cache
    return folder


def test_no_datasets_names_the_command_and_never_builds(monkeypatch, tmp_path):
    _no_checkout(monkeypatch, tmp_path)
    with pytest.raises(data.DatasetError, match="osintlab data build"):
        data.datasets_dir()
    assert not data.cached_datasets_dir().exists()


def test_cache_is_used_only_when_its_generator_version_matches(monkeypatch, tmp_path):
    _no_checkout(monkeypatch, tmp_path)
    folder = _fake_cache(data.GENERATOR_VERSION)
    assert data.datasets_dir() == folder
    (folder / "manifest.json").write_text(json.dumps({"generator_version": 0, "files": {}}))
    with pytest.raises(data.DatasetError, match="generator version 0.*osintlab data build"):
        data.datasets_dir()


def test_cache_built_from_other_generator_source_is_stale(monkeypatch, tmp_path):
    """An upgraded osintlab whose views write other data, with GENERATOR_VERSION not bumped:
    the cache is rebuilt, not served against the new answer keys."""
    _no_checkout(monkeypatch, tmp_path)
    folder = _fake_cache(data.GENERATOR_VERSION)
    note = folder.with_name(folder.name + ".generator")
    assert note.read_text().strip() == data.generator_fingerprint()
    assert data.stale_reason(folder) is None
    note.write_text("0" * 64)
    with pytest.raises(data.DatasetError, match="another osintlab.*does not match.*data build"):
        data.datasets_dir()
    note.unlink()  # a cache built before the note existed, or an interrupted build
    assert "is missing" in data.stale_reason(folder)
    # other datasets folders (a checkout's, OSINTLAB_DATA's) are checked by version only
    other = tmp_path / "cache" / "trainer-seed"
    other.mkdir()
    shutil.copy(folder / "manifest.json", other / "manifest.json")
    assert data.stale_reason(other) is None


def test_generator_fingerprint_follows_the_generator_source(monkeypatch, tmp_path):
    pkg = tmp_path / "osintlab"
    for rel in ("data.py", "scenario/views/v10.py", "resources/x.csv", "trainer/cohort.py"):
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(rel)
    monkeypatch.setattr(data, "__file__", str(pkg / "data.py"))

    def fingerprint():
        data.generator_fingerprint.cache_clear()
        return data.generator_fingerprint()

    try:
        first = fingerprint()
        (pkg / "trainer" / "cohort.py").write_text("changed")  # above the generator
        (pkg / "scenario" / "views" / "__pycache__").mkdir()
        (pkg / "scenario" / "views" / "__pycache__" / "v10.pyc").write_bytes(b"x")
        assert fingerprint() == first
        (pkg / "scenario" / "views" / "v10.py").write_text("a view that writes other data")
        second = fingerprint()
        (pkg / "resources" / "x.csv").write_text("other reference data")
        assert len({first, second, fingerprint()}) == 3
    finally:
        data.generator_fingerprint.cache_clear()


def test_committed_manifest_records_this_generator_version():
    assert data.manifest()["generator_version"] == data.GENERATOR_VERSION
    assert data.stale_reason(ROOT / "datasets") is None


def test_env_var_pointing_nowhere_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("OSINTLAB_DATA", str(tmp_path / "nope"))
    with pytest.raises(data.DatasetError, match="nope"):
        data.datasets_dir()


def test_load_types_columns_from_manifest():
    df = data.load("briefing/complaints.csv")
    assert str(df["last_contact_utc"].dt.tz) == "UTC"
    assert df["fee_amount"].dtype.kind == "i"
    assert isinstance(df["reported_local"].iloc[0], str)
    assert isinstance(data.load("briefing/case.json"), dict)
    con = data.load("web/pages.sqlite")
    assert con.execute("select count(*) from pages").fetchone()[0] > 5
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        con.execute("delete from pages")  # read-only


def test_missing_file_and_bad_paths_name_the_file():
    with pytest.raises(data.DatasetError, match="no/such.csv"):
        data.load("no/such.csv")
    with pytest.raises(data.DatasetError, match="inside datasets"):
        data.load("../pyproject.toml")


def _copy(tmp_path):
    dst = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", dst)
    return dst


def test_corrupt_and_truncated_files_are_detected(tmp_path, use_datasets):
    dst = _copy(tmp_path)
    use_datasets(dst)
    p = dst / "briefing" / "complaints.csv"
    p.write_bytes(p.read_bytes()[:-40])
    with pytest.raises(data.DatasetError, match="complaints.csv.*truncated"):
        data.load("briefing/complaints.csv")
    q = dst / "briefing" / "places.csv"
    blob = bytearray(q.read_bytes())
    blob[60] ^= 1
    q.write_bytes(bytes(blob))
    with pytest.raises(data.DatasetError, match="places.csv.*altered"):
        data.load("briefing/places.csv")
    problems = data.verify()
    assert len(problems) == 2


def test_corrupt_manifest_is_a_clear_error(tmp_path, use_datasets):
    dst = _copy(tmp_path)
    (dst / "manifest.json").write_text("{")
    use_datasets(dst)
    with pytest.raises(data.DatasetError, match="manifest"):
        data.load("briefing/places.csv")


def test_verify_reports_datasets_of_another_generator_version(tmp_path, use_datasets):
    dst = _copy(tmp_path)
    m = json.loads((dst / "manifest.json").read_text())
    (dst / "manifest.json").write_text(json.dumps({**m, "generator_version": 0}))
    use_datasets(dst)
    assert data.verify() == [
        f"{dst}: built by scenario generator version 0, this osintlab "
        f"reads version {data.GENERATOR_VERSION} (rebuild with "
        "'osintlab data build --force')"
    ]


def test_committed_datasets_match_their_manifest():
    assert data.verify() == []
    assert isinstance(data.load("briefing/places.csv"), pd.DataFrame)
