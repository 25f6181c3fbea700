"""One nbgrader configuration: the course root, the self-test, the cohort grader and the cohort
course the formgrader opens all grade with the same settings."""

import argparse
import inspect
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from osintlab.trainer import autograde, cohort, nbgrader

ROOT = Path(__file__).resolve().parents[1]


def _load(folder: Path):
    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def _has_settings(c, timeout=nbgrader.TIMEOUT):
    for section, values in nbgrader.settings(timeout).items():
        for trait, value in values.items():
            assert c[section][trait] == value, (section, trait)


def test_course_root_config_uses_the_shared_settings():
    c = _load(ROOT)
    _has_settings(c)
    assert c.CourseDirectory.source_directory == "solutions"
    assert c.CourseDirectory.release_directory == "exercises"
    assert c.IgnorePattern.enabled and c.Execute.timeout == 120


def test_cohort_course_config_is_self_contained_and_the_same(tmp_path):
    nbgrader.write_course_config(tmp_path, timeout=45)
    text = (tmp_path / "nbgrader_config.py").read_text()
    imports = [ln for ln in text.splitlines() if ln.startswith(("import ", "from "))]
    assert imports == ["from pathlib import Path"]
    c = _load(tmp_path)
    _has_settings(c, timeout=45)
    assert c.CourseDirectory.root == str(tmp_path.resolve())


def test_in_process_configs_use_the_shared_settings(tmp_path):
    bare = nbgrader.config(tmp_path, isolated=False)
    _has_settings(bare)
    assert "autograde_preprocessors" not in bare.Autograde
    # the self-test and the cohort grader both execute isolated (issue 16)
    plain = nbgrader.config(tmp_path)
    _has_settings(plain)
    assert plain.Autograde.autograde_preprocessors[0].__name__ == "IsolatedExecute"
    assert plain.IsolatedExecute.timeout == nbgrader.TIMEOUT
    robust = nbgrader.config(tmp_path, robust=True, exchange=tmp_path / "x")
    _has_settings(robust)
    names = [p.__name__ for p in robust.Autograde.autograde_preprocessors]
    assert names[:2] == ["IsolatedExecute", "IgnorePattern"] and "TrimOutputs" in names
    old = nbgrader.config(tmp_path, robust=True, isolated=False)
    assert old.Autograde.autograde_preprocessors[0].__name__ == "RobustExecute"
    assert robust.Exchange.root == str(tmp_path / "x")


def test_self_test_and_cohort_grader_default_to_the_course_timeout():
    assert (
        inspect.signature(autograde.autograde_notebooks).parameters["timeout"].default
        == nbgrader.TIMEOUT
    )
    assert inspect.signature(cohort.grade_cohort).parameters["timeout"].default == nbgrader.TIMEOUT
    p = argparse.ArgumentParser()
    cohort.add_parser(p.add_subparsers())
    assert p.parse_args(["grade", "x", "--out", "y"]).timeout == nbgrader.TIMEOUT
