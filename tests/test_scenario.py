import filecmp
import json
from pathlib import Path

import pytest

from osintlab.scenario import build_world
from osintlab.scenario import identifiers as ids
from osintlab.scenario.build import build_datasets
from osintlab.scenario.safety import scan_datasets, scan_text

ROOT = Path(__file__).resolve().parents[1]


def test_world_is_deterministic_and_seed_dependent():
    a, b, c = build_world(1), build_world(1), build_world(2)
    assert a == b
    assert (a.front.name, a.case_ref) != (c.front.name, c.case_ref) or a.victims != c.victims


@pytest.mark.parametrize("seed", [-1, 2**128, "7", 1.5, True])
def test_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="bad seed"):
        build_world(seed)


def test_world_has_the_design_skeleton():
    w = build_world(11)
    roles = {a.role for a in w.actors}
    assert {
        "ringleader",
        "recruiter_pk",
        "recruiter_bd",
        "facilitator_ae",
        "handler_th",
        "smuggler",
        "document_vendor",
    } <= roles and 7 <= len(w.actors) <= 10
    assert w.front.licence_no is None and w.front.claimed_licence_no
    assert all(o.licence_no for o in w.licensed_recruiters())
    assert sum(v.status == "emergency" for v in w.victims) == 1
    assert any(a.backup_of for a in w.accounts)
    assert all(e.utc.tzinfo is not None for e in w.events)


def test_every_identifier_of_the_world_is_safe():
    for seed in (1, 2, 3):
        w = build_world(seed)
        phones = (
            [p for a in w.actors for p in a.phones]
            + [v.phone for v in w.victims]
            + [p for o in w.organisations for p in o.phones]
        )
        assert all(ids.is_safe_phone(p) for p in phones)
        emails = [e for a in w.actors for e in a.emails] + [
            e for o in w.organisations for e in o.emails
        ]
        assert all(ids.is_safe_domain(e.split("@")[1]) for e in emails)
        assert all(ids.is_safe_domain(o.domain) for o in w.organisations if o.domain)


def test_safety_scanner_catches_real_identifiers():
    assert scan_text("mail boss@gmail.com, site https://realcompany.com, ip 8.8.4.4")
    assert scan_text("call +92 300 1234567")
    assert not scan_text("x@y.example https://z.test 203.0.113.9 2001:db8::5 +923005551234")


def test_committed_datasets_are_safe_data():
    assert scan_datasets(ROOT / "datasets") == []


def test_other_seed_datasets_are_safe_and_different(other_seed_datasets):
    assert scan_datasets(other_seed_datasets) == []
    ours = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    theirs = json.loads((other_seed_datasets / "manifest.json").read_text())
    assert theirs["seed"] != ours["seed"]
    assert (
        ours["files"]["answer_keys.json"]["sha256"] != theirs["files"]["answer_keys.json"]["sha256"]
    )


def test_datasets_rebuild_identically_from_the_default_seed(tmp_path):
    from osintlab.data import DEFAULT_SEED

    out = tmp_path / "datasets"
    build_datasets(DEFAULT_SEED, out, progress=False)
    committed = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    fresh = json.loads((out / "manifest.json").read_text())
    changed = sorted(
        f
        for f in set(committed["files"]) | set(fresh["files"])
        if committed["files"].get(f) != fresh["files"].get(f)
    )
    assert changed == [], f"datasets/ is out of date; run 'osintlab data build --force': {changed}"
    assert filecmp.cmp(out / "manifest.json", ROOT / "datasets" / "manifest.json", shallow=False)


def test_build_refuses_to_overwrite_and_keeps_a_backup(tmp_path):
    out = tmp_path / "datasets"
    build_datasets(3, out, progress=False)
    with pytest.raises(FileExistsError, match="--force"):
        build_datasets(4, out, progress=False)
    build_datasets(4, out, force=True, progress=False)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 4
    backups = list(tmp_path.glob("datasets.bak-*"))
    assert len(backups) == 1 and json.loads((backups[0] / "manifest.json").read_text())["seed"] == 3


def test_bad_seed_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="bad seed"):
        build_datasets(-5, tmp_path / "d", progress=False)
    assert not (tmp_path / "d").exists()


def test_readme_documents_every_file_and_column():
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((ROOT / "datasets" / "manifest.json").read_text())
    for rel, entry in manifest["files"].items():
        if rel in ("README.md", "answer_keys.json"):
            continue
        documented = any(
            f"`{rel[:i]}`" in readme
            for i in range(len(rel), 0, -1)
            if i == len(rel) or rel[i] == "/"
        )
        assert documented, rel
        for col in entry.get("columns", []):
            assert f"`{col}`" in readme, (rel, col)


@pytest.mark.parametrize("seed", [122, 211])
def test_two_recruiters_never_share_a_web_site(seed):
    """Seeds where two licensed recruiters' names gave one domain ("Jinnah Avenue Overseas
    Employment Promoters" and "... Placement Bureau") failed to build the offline web."""
    from osintlab.scenario.views.v01_web import pages
    from osintlab.scenario.world import build_world

    world = build_world(seed)
    domains = [o.domain for o in world.organisations if o.domain]
    assert len(domains) == len(set(domains))
    assert pages(world)
