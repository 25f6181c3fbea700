"""Write one scenario view into ``datasets/``: files with their documentation and answer keys.

Every file a view writes is documented as it is written (``doc`` and ``columns``), so
``datasets/README.md`` can never fall behind the data. Answers go into salted keys only.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> w = DatasetWriter(out, seed=7)
    >>> w.section("demo", "A demo view")
    >>> _ = w.write_json("demo/facts.json", {"a": 1}, doc="Some facts")
    >>> sorted(w.files)
    ['demo/facts.json']
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import grading


@dataclass
class FileDoc:
    path: str
    doc: str
    columns: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    module: str = ""


class DatasetWriter:
    """Collects files, documentation and answer keys of all views for one seed."""

    def __init__(self, root: Path, seed: int, grading_salt=None):
        self.root = Path(root)
        self.seed = seed
        #: qid -> salt of the trainer's grading key (None: no grading keys are made)
        self.grading_salt = grading_salt
        self.grading_keys: dict[str, dict] = {}
        self.files: dict[str, FileDoc] = {}
        self.sections: dict[str, str] = {}
        self.keys: dict[str, dict] = {}
        self._section = ""

    # -- documentation ---------------------------------------------------------------------
    def section(self, name: str, intro: str) -> None:
        """Start the README section of a view (``name`` is usually its folder)."""
        self._section = name
        self.sections[name] = intro

    def _target(self, rel: str) -> Path:
        rel_path = PurePosixPath(rel)
        if rel_path.is_absolute() or ".." in rel_path.parts:
            raise ValueError(f"dataset path {rel!r} must be relative and inside datasets/")
        if rel in self.files:
            raise ValueError(f"dataset file {rel!r} written twice")
        target = self.root.joinpath(*rel_path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _register(self, rel, doc, columns=None, types=None):
        self.files[rel] = FileDoc(rel, doc, dict(columns or {}), dict(types or {}), self._section)

    # -- files ------------------------------------------------------------------------------
    def write_bytes(self, rel: str, data: bytes, doc: str) -> Path:
        target = self._target(rel)
        target.write_bytes(data)
        self._register(rel, doc)
        return target

    def write_text(self, rel: str, text: str, doc: str) -> Path:
        return self.write_bytes(rel, text.encode("utf-8"), doc)

    def write_json(self, rel: str, obj, doc: str, columns: dict[str, str] | None = None) -> Path:
        text = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        target = self.write_bytes(rel, text.encode("utf-8"), doc)
        self.files[rel].columns = dict(columns or {})
        return target

    def write_csv(
        self,
        rel: str,
        rows: list[dict],
        columns: dict[str, str],
        doc: str,
        types: dict[str, str] | None = None,
    ) -> Path:
        """Write ``rows`` with exactly the documented ``columns`` (name -> meaning).

        ``types`` maps a column to ``int``, ``float``, ``bool``, ``datetime_utc`` or ``str``
        (default), so :func:`osintlab.data.load` reads it back with the right dtype.
        """
        names = list(columns)
        buf = io.StringIO(newline="")
        out = csv.DictWriter(buf, fieldnames=names, lineterminator="\n", extrasaction="raise")
        out.writeheader()
        for row in rows:
            missing = set(names) - set(row)
            if missing:
                raise ValueError(f"{rel}: row lacks documented columns {sorted(missing)}")
            out.writerow({k: "" if row[k] is None else row[k] for k in names})
        target = self.write_bytes(rel, buf.getvalue().encode("utf-8"), doc)
        self.files[rel].columns = dict(columns)
        self.files[rel].types = dict(types or {})
        return target

    def document(
        self,
        rel: str,
        doc: str,
        columns: dict[str, str] | None = None,
        types: dict[str, str] | None = None,
    ) -> None:
        """Document a file a view wrote itself (e.g. an SQLite database or an image folder)."""
        if not self.root.joinpath(*PurePosixPath(rel).parts).exists():
            raise FileNotFoundError(f"cannot document {rel!r}: it was not written")
        self._register(rel, doc, columns, types)

    @contextmanager
    def sqlite(self, rel: str, doc: str, columns: dict[str, str] | None = None):
        """Create an SQLite database at ``rel``; yields a connection, then makes it reproducible.

        The file is VACUUMed and the "last written by SQLite version" header field is fixed, so
        the same seed gives the same bytes whatever SQLite version built it.
        """
        target = self._target(rel)
        con = sqlite3.connect(target)
        try:
            yield con
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        blob = bytearray(target.read_bytes())
        blob[96:100] = (3040001).to_bytes(4, "big")
        target.write_bytes(bytes(blob))
        self._register(rel, doc, columns)

    # -- answer keys --------------------------------------------------------------------------
    def add_key(self, qid: str, value, kind: str = "value", **options) -> None:
        """Record the expected answer of question ``qid`` as a salted key (see grading)."""
        if qid in self.keys:
            raise ValueError(f"answer key {qid!r} defined twice")
        self.keys[qid] = grading.make_key(qid, value, kind=kind, seed=self.seed, **options)
        if self.grading_salt is not None:
            self.grading_keys[qid] = grading.make_key(
                qid, value, kind=kind, salt=self.grading_salt(qid), **options
            )
