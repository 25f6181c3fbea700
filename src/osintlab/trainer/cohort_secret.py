"""A cohort's secrets, kept by the trainer and never handed to trainees: the scenario seed and
the grading salt.

A trainee's datasets hold the published self-check keys (``answer_keys.json``, salted hashes
of the answers) and a ``manifest.json``. For a secret cohort neither names the seed: the
manifest carries only the cohort's id, a fingerprint of the seed that cannot be turned back
into it. The seed has 128 bits (:func:`new_cohort`), so re-running the generator with every
seed a trainee could try reveals nothing, and the salts of the published keys (derived from the
seed) cannot be searched back to it either. The trainer's *grading keys* are salted with an HMAC
of a second secret (``grading_salt``), so the published keys cannot be turned into them; ``osintlab
grade`` checks answers against those.

Where the secrets live (one folder per trainer, never inside the course, a release or a bundle):

* ``OSINTLAB_SECRETS`` if set;
* else ``%APPDATA%\\osintlab\\secrets`` on Windows, ``$XDG_CONFIG_HOME/osintlab/secrets`` or
  ``~/.config/osintlab/secrets`` elsewhere.

In it, per cohort: ``<id>.json`` (seed, grading salt, when it was made) and
``<id>.grading-keys.json``. Back the folder up (an encrypted USB stick, the unit's password
safe): without ``<id>.json`` a cohort's datasets cannot be rebuilt, and grading falls back to
the published keys.

    >>> import tempfile, os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"OSINTLAB_SECRETS": tempfile.mkdtemp()}):
    ...     c = new_cohort()
    ...     print(c["seed"].bit_length(), load_cohort(c["cohort"])["seed"] == c["seed"])
    128 True
    >>> cohort_id(c["seed"]) == c["cohort"]
    True
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
from pathlib import Path

__all__ = [
    "SEED_BITS",
    "secrets_dir",
    "cohort_id",
    "new_cohort",
    "cohort_for_seed",
    "load_cohort",
    "grading_salt_for",
    "grading_keys_path",
    "grading_keys_for",
    "CohortSecretError",
    "build_secret_datasets",
    "build_new_cohort",
]

#: Bits of a secret cohort seed (from :mod:`secrets`): far beyond trying them all.
SEED_BITS = 128
ENV = "OSINTLAB_SECRETS"
_ID = re.compile(r"^c-[0-9a-f]{16}$")


class CohortSecretError(RuntimeError):
    """A cohort's secret is missing or unreadable (the message says where to look)."""


def secrets_dir() -> Path:
    """The trainer's secrets folder (see the module docstring); not created here."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "osintlab" / "secrets"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "osintlab" / "secrets"


def cohort_id(seed: int) -> str:
    """The public name of a cohort: a fingerprint of its seed (it does not reveal the seed).

    >>> cohort_id(5)
    'c-ddd820eee43cee12'
    """
    return "c-" + hashlib.sha256(f"osintlab-cohort/{seed}".encode()).hexdigest()[:16]


def is_cohort_id(text: str) -> bool:
    return bool(_ID.match(text))


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.parent.chmod(0o700)
    except OSError:
        pass
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _save(record: dict) -> dict:
    _write_private(secrets_dir() / f"{record['cohort']}.json", json.dumps(record, indent=1) + "\n")
    return record


def _new_record(seed: int) -> dict:
    """A cohort record for ``seed`` with a fresh grading salt, saved in :func:`secrets_dir`."""
    return _save(
        {
            "cohort": cohort_id(seed),
            "seed": seed,
            "grading_salt": secrets.token_hex(32),
            "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    )


def new_cohort() -> dict:
    """A new secret cohort: a 128-bit seed and a grading salt, saved in :func:`secrets_dir`."""
    return _new_record(secrets.randbits(SEED_BITS) | (1 << (SEED_BITS - 1)))  # full 128 bits


def cohort_for_seed(seed: int) -> dict:
    """The stored cohort of ``seed``, or a new record for it (a trainer's own seed)."""
    try:
        return load_cohort(cohort_id(seed))
    except CohortSecretError:
        return _new_record(seed)


def load_cohort(cohort: str) -> dict:
    """The stored record of cohort ``cohort`` (``c-…``)."""
    path = secrets_dir() / f"{cohort}.json"
    if not is_cohort_id(cohort) or not path.is_file():
        raise CohortSecretError(
            f"no secret for cohort {cohort!r} in {secrets_dir()} (restore the folder from "
            f"your backup, or point {ENV} at it)"
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if cohort_id(int(record["seed"])) != cohort:
            raise ValueError("the seed does not match the cohort id")
        bytes.fromhex(record["grading_salt"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise CohortSecretError(f"{path}: unreadable cohort secret ({exc})") from None
    return record


def grading_salt_for(record: dict, qid: str) -> str:
    """The salt of question ``qid``'s grading key: an HMAC of the cohort's grading salt."""
    return hmac.new(
        bytes.fromhex(record["grading_salt"]), f"osintlab-grading/{qid}".encode(), "sha256"
    ).hexdigest()[:32]


def grading_keys_path(cohort: str) -> Path:
    return secrets_dir() / f"{cohort}.grading-keys.json"


def write_grading_keys(record: dict, keys: dict, published: Path) -> Path:
    """Save the grading keys of a build, tied to the published keys it made (``published``)."""
    path = grading_keys_path(record["cohort"])
    _write_private(path, json.dumps(dict(sorted(keys.items())), indent=1) + "\n")
    record["answer_keys_sha256"] = hashlib.sha256(published.read_bytes()).hexdigest()
    _save(record)
    return path


def build_secret_datasets(record: dict, out: Path, *, force: bool = False, progress=True):
    """Build cohort ``record``'s datasets into ``out`` (no seed written anywhere in it) and
    save its grading keys with the cohort's secret; return the manifest."""
    from ..scenario.build import build_datasets

    keys: dict = {}
    manifest = build_datasets(
        int(record["seed"]),
        out,
        force=force,
        progress=progress,
        cohort=record["cohort"],
        grading_salt=lambda qid: grading_salt_for(record, qid),
        grading_keys=keys,
    )
    write_grading_keys(record, keys, Path(out) / "answer_keys.json")
    return manifest


def build_new_cohort(out: Path, *, force: bool = False, progress=True, attempts: int = 8):
    """A new secret cohort built into ``out``: ``(record, manifest)``.

    A few seeds in a hundred give a world the generator cannot serve (it raises ValueError,
    e.g. two offline-web pages drawn at one address); such a seed is dropped, its record
    deleted, and another drawn.
    """
    last = None
    for _ in range(attempts):
        record = new_cohort()
        try:
            return record, build_secret_datasets(record, out, force=force, progress=progress)
        except ValueError as exc:
            last = exc
            (secrets_dir() / f"{record['cohort']}.json").unlink(missing_ok=True)
            grading_keys_path(record["cohort"]).unlink(missing_ok=True)
    raise ValueError(f"the generator could not serve {attempts} random seeds (last: {last})")


def grading_keys_for(datasets: Path) -> tuple[Path | None, str]:
    """The trainer's grading keys for the datasets folder ``datasets``: ``(path, note)``.

    ``path`` is None when the datasets are not a secret cohort's (the course's public seed),
    or when the secret is not on this machine, or was made for another build; ``note`` then
    says so (empty when all is well or nothing is secret).
    """
    try:
        manifest = json.loads((Path(datasets) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, ""
    cohort = manifest.get("cohort")
    if not cohort:
        return None, ""
    try:
        record = load_cohort(cohort)
    except CohortSecretError as exc:
        return None, f"{exc}; graded with the published self-check keys"
    path = grading_keys_path(cohort)
    published = Path(datasets) / "answer_keys.json"
    digest = hashlib.sha256(published.read_bytes()).hexdigest() if published.is_file() else ""
    if not path.is_file() or record.get("answer_keys_sha256") != digest:
        return None, (
            f"the grading keys of cohort {cohort} in {secrets_dir()} are missing or were made "
            f"for another build of it; rebuild with 'osintlab data build --seed {cohort} "
            "--force'; graded with the published self-check keys"
        )
    return path, ""
