"""Handles, spellings and phone numbers written many ways: username enumeration across the
platforms of :mod:`osintlab.reference.platforms`, spelling variants (Roman Urdu, Urdu, Bengali,
name transliterations) and a query that finds a phone number however it was typed."""

from __future__ import annotations

import re

from ..reference.phones import format_phone_local
from .engine import Engine, _engine
from .query import tokenize
from .translate import _q


def _profile_patterns():
    from ..reference.platforms import PLATFORM_NAMES, PROFILE_URLS

    return PROFILE_URLS, PLATFORM_NAMES


def _skeleton(handle: str) -> str:
    return re.sub(r"\d+$", "", re.sub(r"[._\-]", "", handle.lower()))


def username_variants(handle: str) -> list[str]:
    """Spellings of a handle people use elsewhere: other separators, no separator, with the
    trailing number removed.

    >>> username_variants("boss.alnoor75")
    ['boss-alnoor', 'boss-alnoor75', 'boss.alnoor', 'boss.alnoor75', 'boss_alnoor', 'boss_alnoor75', 'bossalnoor', 'bossalnoor75']
    """
    if not isinstance(handle, str) or not re.fullmatch(r"@?[A-Za-z0-9._\-]{2,40}", handle.strip()):
        raise ValueError(f"{handle!r} is not a username (letters, digits, . _ - only)")
    h = handle.strip().lstrip("@").lower()
    out = set()
    for base in {h, re.sub(r"\d+$", "", h) or h}:
        parts = [p for p in re.split(r"[._\-]", base) if p]
        for sep in ("", ".", "_", "-"):
            out.add(sep.join(parts))
    return sorted(out)


def find_username(handle: str):
    """Enumerate a username across the scenario's platforms (offline, like Sherlock or
    WhatsMyName do online): every profile whose handle is the same (``exact``) or the same
    letters with other separators or another trailing number (``variant``).

    A same handle is a lead, never proof: confirm with content (a phone number, a photo).
    Returns a DataFrame: platform, handle, match, url, title, published.
    """
    import pandas as pd

    h = username_variants(handle) and handle.strip().lstrip("@").lower()
    skel = _skeleton(h)
    patterns, labels = _profile_patterns()
    eng = _engine()
    rows = []
    for platform, pattern in patterns.items():
        prefix = pattern.split("{handle}")[0]
        for d, url in eng.meta.urls.items():
            if not url.startswith(prefix):
                continue
            found = url[len(prefix) :]
            if "/" in found or not found:
                continue
            if found.lower() == h:
                kind = "exact"
            elif _skeleton(found) == skel:
                kind = "variant"
            else:
                continue
            rows.append(
                {
                    "platform": labels[platform],
                    "handle": found,
                    "match": kind,
                    "url": url,
                    "docid": d,
                }
            )
    info = eng._info([r["docid"] for r in rows])
    for r in rows:
        r["title"], r["published"] = info[r["docid"]][1], info[r["docid"]][2]
        del r["docid"]
    df = pd.DataFrame(rows, columns=["platform", "handle", "match", "url", "title", "published"])
    return df.sort_values(["match", "platform", "handle"]).reset_index(drop=True)


#: Known spellings of words and names in Roman Urdu, Urdu, Bengali and English.
VARIANT_GROUPS = [
    ["naukri", "nokri", "nokari", "naukari", "nukri", "نوکری", "chakri", "chakori", "চাকরি"],
    ["dubai", "dubae", "dubbai", "dubay", "دبئی", "دبی", "দুবাই", "দুবাইতে"],
    ["visa", "veeza", "viza", "wiza", "ویزا", "ভিসা"],
    ["bangkok", "bankok", "bangkak", "بینکاک", "ব্যাংকক"],
    ["dunki", "dunky", "donki", "donkey", "dunkey", "ڈنکی", "ডাংকি"],
    ["europe", "yourap", "yorap", "urop", "یورپ", "ইউরোপ"],
    ["agent", "ejent", "ایجنٹ", "এজেন্ট"],
    ["free", "fri", "مفت", "ফ্রি"],
    ["salary", "tankhwa", "tankhwah", "tankhah", "تنخواہ", "বেতন"],
    ["zaroorat", "zarurat", "zaroorat", "ضرورت"],
    ["rabta", "raabta", "rabita", "رابطہ", "যোগাযোগ"],
    ["licence", "license", "lisens", "لائسنس", "লাইসেন্স"],
    ["fee", "fees", "fis", "فیس", "ফি"],
    ["muhammad", "mohammad", "mohammed", "muhammed", "mohamed", "mohd", "محمد", "মোহাম্মদ"],
    ["chaudhry", "chaudhary", "choudhary", "chaudhri", "choudhry", "chowdhury", "چوہدری", "চৌধুরী"],
    ["hussain", "hussein", "husain", "hossain", "hosen", "hossen", "حسین", "হোসেন"],
    ["rahman", "rehman", "rahmaan", "رحمان", "রহমান"],
    ["qureshi", "qureishi", "kureshi", "quraishi", "قریشی"],
    ["sheikh", "shaikh", "shaykh", "shekh", "شیخ", "শেখ"],
    ["ahmed", "ahmad", "ahmet", "احمد", "আহমেদ"],
    ["khan", "kan", "خان", "খান"],
]
_RULES = [
    ("aa", "a"),
    ("ee", "i"),
    ("oo", "u"),
    ("q", "k"),
    ("w", "v"),
    ("ph", "f"),
    ("au", "o"),
    ("ou", "u"),
    ("y", "i"),
    ("z", "j"),
]


def _vocabulary(eng: Engine) -> set:
    vocab = getattr(eng, "_vocab", None)
    if vocab is None:
        with eng._lock:
            con = eng.con
            con.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.osl_vocab USING "
                "fts5vocab(main, pages_fts, row)"
            )
            vocab = {t for (t,) in con.execute("SELECT term FROM temp.osl_vocab")}
        eng._vocab = vocab
    return vocab


def spelling_variants(word: str, in_corpus: bool = False) -> list[str]:
    """Other spellings of ``word``: the known group it belongs to (Roman Urdu, Urdu and Bengali
    scripts, name transliterations) plus rule-made Roman-Urdu spellings (aa/a, ee/i, oo/u, q/k,
    w/v, ...). Rule-made spellings are kept only if they occur in the offline web; with
    ``in_corpus=True`` every variant must occur there.

    >>> spelling_variants("nokri")[:4]
    ['chakori', 'chakri', 'naukari', 'naukri']
    """
    if not isinstance(word, str) or len(tokenize(word)) != 1:
        raise ValueError(f"spelling_variants needs one word, not {word!r}")
    w = tokenize(word)[0]
    out = {w}
    for group in VARIANT_GROUPS:
        if w in group:
            out |= set(group)
    try:
        vocab = _vocabulary(_engine())
    except Exception:  # no datasets: known groups only
        vocab = None
    if vocab is not None:
        made = {w}
        for a, b in _RULES:
            for v in list(made):
                made |= {v.replace(a, b), v.replace(b, a)}
        out |= {v for v in made if v in vocab}
        if in_corpus:
            out = {v for v in out if v in vocab}
    return sorted(out)


def expand(words, in_corpus: bool = True) -> str:
    """A query with every word replaced by the OR of its spelling variants.

    >>> expand(["naukri", "dubai"], in_corpus=False)  # doctest: +ELLIPSIS
    '(chakori OR chakri OR ... OR চাকরি) (dubae OR dubai OR ...)'
    """
    if isinstance(words, str):
        words = words.split()
    words = list(words)
    if not words:
        raise ValueError("expand needs at least one word")
    parts = []
    for w in words:
        vs = spelling_variants(w, in_corpus=in_corpus) or [tokenize(w)[0]]
        parts.append(vs[0] if len(vs) == 1 else "(" + " OR ".join(vs) + ")")
    return " ".join(parts)


def _typed_forms(e164: str) -> tuple[str, str]:
    """The national (``0300-5551234``) and spaced (``+92 300 5551234``) forms of a number."""
    return format_phone_local(e164), format_phone_local(e164, "spaced")


def phone_query(number: str) -> str:
    """A query that finds a phone number however it was written (``0300-5551234``,
    ``+92 300 5551234``, ``00923005551234``, ``wa.me/923005551234``, ``03005551234`` ...).

    >>> phone_query("+923005551234")
    '"0300 5551234" OR 03005551234 OR "92 300 5551234" OR 923005551234 OR 00923005551234 OR "0300 555 1234"'
    """
    if not isinstance(number, str) or not re.fullmatch(r"\+\d{8,15}", number.strip()):
        raise ValueError(
            f"phone_query needs a number in E.164 form like +923005551234, not {number!r}"
        )
    e164 = number.strip()
    nat, spaced = _typed_forms(e164)
    forms = [nat, nat.replace("-", ""), spaced, e164[1:], "00" + e164[1:]]
    local = nat.replace("-", "")
    if len(local) == 11:
        forms.append(f"{local[:4]} {local[4:7]} {local[7:]}")
    out = []
    for f in dict.fromkeys(forms):
        words = tokenize(f)
        out.append(_q(words))
    return " OR ".join(dict.fromkeys(out))
