"""Social-media investigation: selectors, indicator triage, fees and routes, link analysis.

What traffickers and smugglers must make public to find customers — phone numbers, handles,
wallets, prices, routes — is what an officer can pivot on. This module turns platform exports
(plain pandas tables) into those pivots, and explains every result so that the triage can be
defended in a report.

    >>> [s.value for s in extract_selectors("WhatsApp 0300-5551234, fee 4.5 lakh")]
    ['+923005551234']
    >>> r = score_post("Free visa + ticket! No interview. Processing fee 4 lakh. WhatsApp only")
    >>> r.recruitment, sorted(h.indicator for h in r.hits if h.list == "recruitment")[:3]
    (5, ['advance_fee', 'free_perks', 'messaging_only'])
    >>> [(a.value, a.currency) for a in parse_amounts("Rs 25 lakh, half now")]
    [(2500000.0, 'PKR')]
    >>> route_countries("Gujrat ➡️ Quetta ➡️ 🇮🇷 ➡️ 🇹🇷 ➡️ Greece")
    ['PK', 'IR', 'TR', 'GR']

Check a licence on a register (its status, not only whether it is listed) ->
:func:`read_register`.

Nothing here touches the network. Heavy libraries (pandas, networkx, phonenumbers, matplotlib,
ipywidgets) are imported inside the functions that need them.

A note on inference, which the lesson stresses: a shared selector is a *lead*. Two accounts
that show the same phone number may be one person, two people sharing an office phone, or one
account quoting the other. :func:`merge_actors` therefore records the reason for every merge so
that a human can accept or reject it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .reference.phones import parse_phone, phone_region
from .reference.platforms import PLATFORM_HOSTS

__all__ = [
    "SocialError",
    "shorten_ids",
    "chart_tips",
    "Selector",
    "Skipped",
    "extract_selectors",
    "selectors_table",
    "normalise_phone",
    "is_valid_crypto_address",
    "MOBILE_WALLETS",
    "INDICATORS",
    "indicator_lexicon",
    "false_positive_rate",
    "Hit",
    "Triage",
    "score_post",
    "score_posts",
    "Amount",
    "parse_amounts",
    "to_currency",
    "RATES",
    "RATES_AS_OF",
    "amounts_table",
    "PLACE_NAMES",
    "extract_route",
    "route_countries",
    "read_register",
    "REGISTER_STATUSES",
    "find_backup_accounts",
    "resolve_handle",
    "group_fingerprints",
    "links_table",
    "build_graph",
    "merge_actors",
    "central_accounts",
    "account_communities",
    "parse_times",
    "network_picture",
    "actor_chart",
    "route_picture",
    "posting_timeline",
    "account_age",
    "ids_in_page_source",
    "parse_invite_link",
    "invite_links_table",
    "read_directory",
    "LINK_KINDS",
    "INVITE_HOSTS",
    "post_explorer",
]


class SocialError(ValueError):
    """Bad input to a social-media helper; the message names the input."""


# ---------------------------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------------------------

#: Urdu (Extended Arabic-Indic), Arabic-Indic and Bengali digits -> ASCII digits.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩০১২৩৪৫৬৭৮৯", "0123456789" * 3)


def _norm(text) -> str:
    """ASCII digits, NFC, and a guard against non-text input."""
    if text is None:
        return ""
    if isinstance(text, float) and text != text:  # NaN from pandas
        return ""
    if not isinstance(text, str):
        raise SocialError(f"expected post text (str), got {type(text).__name__}: {text!r:.60}")
    return unicodedata.normalize("NFC", text).translate(_DIGITS)


# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selector:
    """Something an investigator can pivot on, in canonical form.

    ``kind``: phone, email, url, handle, telegram, whatsapp_group, invite (a private
    Telegram-style invite link, canonical, code case kept: :func:`parse_invite_link`), crypto,
    licence,
    mobile_wallet (a JazzCash, Easypaisa, bKash or Nagad account: ``bkash:+8801…``; its number
    is also given as a phone).
    ``value``: canonical value (E.164 phone, lower-case e-mail, ``platform:handle`` ...).
    ``raw``: the text as written. ``detail``: country, chain or where it came from.
    """

    kind: str
    value: str
    raw: str
    detail: str = ""


@dataclass(frozen=True)
class Skipped:
    """Something that looked like a selector but was not accepted, and why."""

    kind: str
    raw: str
    reason: str


_URL_RE = re.compile(
    r"(?:https?://|www\.|(?<![@\w.])(?:[a-z0-9-]+\.)+[a-z]{2,}/)[^\s<>\"'()]*", re.I
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_HANDLE_RE = re.compile(r"@(?<![\w@.]@)([A-Za-z0-9_][A-Za-z0-9_.]{1,40}[A-Za-z0-9_])")
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \-.()]{5,18}\d(?:[xX*#]{1,4})?(?!\w)")
_TRON_RE = re.compile(r"T(?<![A-Za-z0-9]T)[1-9A-HJ-NP-Za-km-z]{25,40}(?![A-Za-z0-9])")
_BTC58_RE = re.compile(r"[13](?<![A-Za-z0-9][13])[1-9A-HJ-NP-Za-km-z]{24,40}(?![A-Za-z0-9])")
_BECH32_RE = re.compile(r"(?<![A-Za-z0-9])(?:bc1|tb1)[02-9ac-hj-np-z]{8,87}(?![A-Za-z0-9])", re.I)
_LICENCE_PK_RE = re.compile(r"(?<![\d/])(\d{4,5})\s?/\s?(LHR|RWP|ISB|FSD|GRW|KHI|PEW|MUX|SKT)\b")
_LICENCE_BD_RE = re.compile(r"\bRL\s?[-–]?\s?(?:No\.?\s?)?(\d{3,5})\b", re.I)

_DIGIT_RUN = re.compile(r"\d\d\d")


def is_valid_crypto_address(address: str) -> str | None:
    """The chain of ``address`` (``'tron'`` or ``'btc'``) if its checksum is valid, else None.

    TRON: Base58Check with version byte 0x41. Bitcoin: Base58Check or bech32/bech32m
    (BIP-173/350), checked by :func:`osintlab.crypto.address_type`. A typo in one character
    breaks the checksum.

    >>> is_valid_crypto_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
    'btc'
    >>> is_valid_crypto_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3") is None
    True
    """
    if not isinstance(address, str):
        raise SocialError(f"crypto address must be text, got {type(address).__name__}")
    from .crypto import address_type

    kind = address_type(address.strip())
    if kind is None:
        return None
    return "tron" if kind == "tron" else "btc"


def _parse_phone(raw: str, regions: tuple[str, ...]) -> tuple[str | None, str]:
    # Ads are public claims: only a number the country's plan assigns is a selector.
    return parse_phone(raw, regions, strict=True)


def normalise_phone(raw: str, regions=("PK", "BD")) -> str:
    """``raw`` as an E.164 number, trying ``regions`` for numbers written without ``+``/``00``.

    Raises :class:`SocialError` with the reason when the number is malformed or partial.

    >>> normalise_phone("0300-5551234")
    '+923005551234'
    >>> normalise_phone("01755-512345")
    '+8801755512345'
    """
    if not isinstance(raw, str) or not raw.strip():
        raise SocialError(f"phone number must be non-empty text, got {raw!r}")
    e164, why = _parse_phone(_norm(raw).strip(), tuple(regions))
    if e164 is None:
        raise SocialError(f"phone number {raw!r}: {why}")
    return e164


def _url_selector(url: str) -> Selector | None:
    raw = url.rstrip(".,;:!?")
    u = raw if "://" in raw else "https://" + raw
    m = re.match(r"https?://([^/?#]+)([^?#]*)(\?[^#]*)?", u, re.I)
    if not m:
        return None
    host, path, query = m.group(1).lower(), m.group(2), m.group(3) or ""
    host = host[4:] if host.startswith("www.") else host
    path = path.rstrip("/")
    if host in INVITE_HOSTS:
        try:
            r = parse_invite_link(raw)
        except SocialError:
            r = None
        if r and r["kind"] in ("private_invite", "legacy_invite"):
            return Selector("invite", r["link"], raw, r["kind"].replace("_", " "))
        if r and r["kind"] in ("public", "public_post"):
            if r["service"] == "telegram":
                return Selector("telegram", r["name"], raw, "t.me link")
            return Selector("handle", f"paigham:{r['name']}", raw, "paigham")
        if r and r["kind"] == "phone_link":
            e164, _ = _parse_phone(r["name"], ("PK", "BD"))
            if e164:
                return Selector("phone", e164, raw, "t.me phone link")
    if host in PLATFORM_HOSTS:
        h = path.strip("/").split("/")[0].lstrip("@").lower()
        if h:
            return Selector("handle", f"{PLATFORM_HOSTS[host]}:{h}", raw, PLATFORM_HOSTS[host])
    if host == "t.me":
        h = path.strip("/").split("/")[0].lstrip("@").lower()
        if h:
            return Selector("telegram", h, raw, "t.me link")
    if host == "chat.whatsapp.com":
        code = path.strip("/")
        if code:
            return Selector("whatsapp_group", code, raw, "group invite link")
    return Selector("url", f"https://{host}{path}" + (query if query else ""), raw, host)


def _phones_in(raw: str, regions, out: list, skipped: list) -> None:
    """Read one phone-like run of digits; if it is not one valid number, try its
    space-separated pieces (two numbers written side by side), reporting what fails."""
    if re.search(r"[xX*#]", raw):
        skipped.append(Skipped("phone", raw, "digits masked (x, *, #): a partial number"))
        return
    e164, why = (
        (None, "too many digits for a phone number")
        if len(re.sub(r"\D", "", raw)) > 15
        else _parse_phone(raw, regions)
    )
    if e164:
        out.append(Selector("phone", e164, raw, phone_region(e164)))
        return
    tokens = raw.split()
    if len(tokens) == 1:
        skipped.append(Skipped("phone", raw, why))
        return
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            piece = " ".join(tokens[i:j]).strip(" -.")
            if len(re.sub(r"\D", "", piece)) < 7 or len(re.sub(r"\D", "", piece)) > 15:
                continue
            e164, _ = _parse_phone(piece, regions)
            if e164:
                out.append(Selector("phone", e164, piece, phone_region(e164)))
                i = j
                break
        else:
            piece = tokens[i].strip(" -.")
            if len(re.sub(r"\D", "", piece)) >= 4:
                skipped.append(
                    Skipped(
                        "phone",
                        piece,
                        _parse_phone(piece, regions)[1]
                        if len(re.sub(r"\D", "", piece)) >= 7
                        else "too few digits: a partial number",
                    )
                )
            i += 1


def extract_selectors(text: str, *, regions=("PK", "BD"), with_skipped: bool = False):
    """All selectors in ``text``: phones (E.164, with country), WhatsApp/Telegram links and
    platform handles, e-mails, URLs, checksum-valid crypto addresses and licence numbers.

    Urdu and Bengali digits are read as digits. Numbers written without a country code are
    tried in ``regions`` in order. With ``with_skipped=True`` returns ``(selectors, skipped)``
    where ``skipped`` lists look-alikes that were refused, each with the reason (a partial
    phone number, a wallet address whose checksum fails ...).

    >>> [(s.kind, s.value) for s in extract_selectors("wa.me/923005551234 @dunki_raja")]
    [('phone', '+923005551234'), ('handle', 'dunki_raja')]
    >>> extract_selectors("call 0300-555123", with_skipped=True)[1][0].reason
    'not a valid number in any of PK, BD'
    >>> [(s.kind, s.value) for s in extract_selectors("fee by bKash 01755-512345")]
    [('phone', '+8801755512345'), ('mobile_wallet', 'bkash:+8801755512345')]
    """
    t = _norm(text)
    out: list[Selector] = []
    skipped: list[Skipped] = []
    if not t.strip():
        return (out, skipped) if with_skipped else out
    spans: list[tuple[int, int]] = []

    def taken(a, b):
        return any(a < y and x < b for x, y in spans)

    regions = tuple(regions)
    has_at = "@" in t
    has_digits = _DIGIT_RUN.search(t) is not None
    for m in _URL_RE.finditer(t) if ("/" in t or "www." in t) else ():
        raw = m.group(0).rstrip(".,;:!?")
        spans.append((m.start(), m.start() + len(raw)))
        low = raw.lower()
        wa = re.search(r"(?:wa\.me/|api\.whatsapp\.com/send\?phone=)\+?(\d{6,15})", low)
        if wa:
            e164, why = _parse_phone("+" + wa.group(1), regions)
            if e164:
                out.append(Selector("phone", e164, raw, "wa.me link"))
            else:
                skipped.append(Skipped("phone", raw, why))
            continue
        sel = _url_selector(raw)
        if sel:
            out.append(sel)
    for m in _EMAIL_RE.finditer(t) if has_at else ():
        if taken(m.start(), m.end()):
            continue
        spans.append(m.span())
        out.append(Selector("email", m.group(0).lower(), m.group(0), m.group(0).split("@")[1]))
    crypto = [(_TRON_RE, "tron"), (_BTC58_RE, "btc")]
    if "bc1" in t or "tb1" in t or "BC1" in t:
        crypto.insert(0, (_BECH32_RE, "btc"))
    for rx, chain in crypto:
        for m in rx.finditer(t):
            if taken(m.start(), m.end()):
                continue
            spans.append(m.span())
            addr = m.group(0)
            got = is_valid_crypto_address(addr)
            if got:
                out.append(
                    Selector(
                        "crypto",
                        addr.lower() if got == "btc" and addr[:3].lower() == "bc1" else addr,
                        addr,
                        got,
                    )
                )
            elif len(addr) >= 26:
                skipped.append(
                    Skipped(
                        "crypto",
                        addr,
                        f"looks like a {chain} address but the checksum fails (typo or altered)",
                    )
                )
    for m in _LICENCE_PK_RE.finditer(t) if "/" in t else ():
        spans.append(m.span())
        out.append(Selector("licence", f"{m.group(1)}/{m.group(2)}", m.group(0), "PK OEP"))
    for m in _LICENCE_BD_RE.finditer(t) if ("RL" in t or "rl" in t or "Rl" in t) else ():
        spans.append(m.span())
        out.append(Selector("licence", f"RL-{m.group(1)}", m.group(0), "BD RL"))
    for m in _HANDLE_RE.finditer(t) if has_at else ():
        if taken(m.start(), m.end()):
            continue
        out.append(Selector("handle", m.group(1).lower().rstrip("."), m.group(0), "mention"))
    for m in _PHONE_RE.finditer(t) if has_digits else ():
        if taken(m.start(), m.end()):
            continue
        raw = m.group(0).strip(" -.")
        if len(re.sub(r"\D", "", raw)) < 7:
            continue
        if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", raw) or re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", raw
        ):
            continue  # a date, not a phone number
        _phones_in(raw, regions, out, skipped)
    if _WALLET_BRAND_RE.search(t):
        out += _mobile_wallets(t, out)
    order = {id(s): i for i, s in enumerate(out)}
    out.sort(key=lambda s: (t.find(s.raw) if s.raw in t else 10**9, order[id(s)]))
    return (out, skipped) if with_skipped else out


#: Mobile-money brands of Pakistan and Bangladesh: written form -> (selector prefix, label).
MOBILE_WALLETS = {
    "jazzcash": ("jazzcash", "JazzCash (PK mobile wallet)"),
    "jazz cash": ("jazzcash", "JazzCash (PK mobile wallet)"),
    "easypaisa": ("easypaisa", "Easypaisa (PK mobile wallet)"),
    "easy paisa": ("easypaisa", "Easypaisa (PK mobile wallet)"),
    "bkash": ("bkash", "bKash (BD mobile wallet)"),
    "বিকাশ": ("bkash", "bKash (BD mobile wallet)"),
    "nagad": ("nagad", "Nagad (BD mobile wallet)"),
    "নগদ": ("nagad", "Nagad (BD mobile wallet)"),
}
_WALLET_BRAND_RE = re.compile(
    "|".join(re.escape(b) for b in sorted(MOBILE_WALLETS, key=len, reverse=True)), re.I
)


def _mobile_wallets(t: str, found: list) -> list:
    """A phone number written right after a wallet brand ("bKash 01…", "JazzCash no.
    0300…") is a mobile-wallet account: a payment selector as well as a phone."""
    extra = []
    for s in [x for x in found if x.kind == "phone"]:
        at = t.find(s.raw)
        if at < 0:
            continue
        before = t[max(0, at - 28) : at]
        brands = list(_WALLET_BRAND_RE.finditer(before))
        if not brands:
            continue
        gap = before[brands[-1].end() :]
        if re.search(r"\d{3}", gap) or len(gap) > 18:
            continue  # another number, or too far from the brand name
        prefix, label = MOBILE_WALLETS[brands[-1].group(0).lower()]
        extra.append(Selector("mobile_wallet", f"{prefix}:{s.value}", s.raw, label))
    return extra


def _jobs(n_rows: int, n_jobs) -> int:
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
        raise SocialError(f"n_jobs must be a positive whole number or None, got {n_jobs!r}")
    return n_jobs


def _run_chunks(func, items: list, n_jobs: int, *args) -> list:
    """``func(chunk, *args)`` over ``items`` split into ``n_jobs`` chunks, results in order."""
    if n_jobs <= 1 or len(items) < 2:
        return func(items, *args)
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(items) // n_jobs)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        parts = list(pool.map(func, chunks, *[[a] * len(chunks) for a in args]))
    return [row for part in parts for row in part]


def _selector_rows(texts: list, regions, include_skipped: bool) -> list:
    rows = []
    for i, text in enumerate(texts):
        sels, skipped = extract_selectors(text, regions=regions, with_skipped=True)
        rows += [(i, s.kind, s.value, s.raw, s.detail) for s in sels]
        if include_skipped:
            rows += [(i, f"skipped:{s.kind}", "", s.raw, s.reason) for s in skipped]
    return rows


def _selector_rows_offset(blocks: list, regions, include_skipped: bool) -> list:
    out = []
    for start, texts in blocks:
        out += [(start + i, *rest) for i, *rest in _selector_rows(texts, regions, include_skipped)]
    return out


def selectors_table(
    posts,
    *,
    text_col: str = "text",
    id_col: str = "post_id",
    extra_cols=("account_id",),
    regions=("PK", "BD"),
    include_skipped: bool = False,
    n_jobs: int | None = None,
):
    """One row per selector found in a table of posts (or accounts' bios).

    Columns: ``id_col``, the ``extra_cols`` present in ``posts``, ``kind``, ``value``, ``raw``,
    ``detail``. With ``include_skipped=True`` refused look-alikes are added with
    ``kind='skipped:<kind>'`` and the reason in ``detail``, so nothing disappears silently.
    ``n_jobs`` > 1 splits a big table over that many worker processes (default: one process;
    on a shared or busy machine workers rarely pay off — measure first, see benchmarks/).
    """
    import pandas as pd

    _require_columns(posts, [text_col, id_col], "posts")
    extras = [c for c in extra_cols if c in posts.columns]
    texts = posts[text_col].tolist()
    jobs = _jobs(len(texts), n_jobs)
    if jobs > 1:
        size = -(-len(texts) // jobs)
        blocks = [(i, texts[i : i + size]) for i in range(0, len(texts), size)]
        found = _run_chunks(_selector_rows_offset, blocks, jobs, tuple(regions), include_skipped)
    else:
        found = _selector_rows(texts, tuple(regions), include_skipped)
    keys = list(zip(*(posts[c].tolist() for c in [id_col, *extras])))
    rows = [(*keys[i], kind, value, raw, detail) for i, kind, value, raw, detail in found]
    return pd.DataFrame(rows, columns=[id_col, *extras, "kind", "value", "raw", "detail"])


def _require_columns(df, cols, what):
    if not hasattr(df, "columns"):
        raise SocialError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise SocialError(f"{what} lacks column(s) {missing}; it has {list(df.columns)}")


# ---------------------------------------------------------------------------------------------
# Indicator triage
# ---------------------------------------------------------------------------------------------


LEXICON_FILE = "resources/indicators.csv"
_LEXICON_COLUMNS = ("list", "indicator", "label", "source", "language", "pattern", "unless")


def _read_lexicon_rows(path=None) -> list[dict]:
    import csv

    where = path or LEXICON_FILE
    if path is None:
        from importlib import resources

        with resources.files("osintlab").joinpath(LEXICON_FILE).open("r", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    else:
        from pathlib import Path

        with Path(path).open("r", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    if not rows:
        raise SocialError(f"indicator lexicon {where}: no rows")
    missing = [c for c in _LEXICON_COLUMNS if c not in rows[0]]
    if missing:
        raise SocialError(f"indicator lexicon {where}: missing columns {missing}")
    for i, row in enumerate(rows, start=2):
        if row["list"] not in ("recruitment", "smuggling"):
            raise SocialError(
                f"indicator lexicon {where} line {i}: list must be 'recruitment' or "
                f"'smuggling', got {row['list']!r}"
            )
        if not row["indicator"] or not row["source"]:
            raise SocialError(f"indicator lexicon {where} line {i}: indicator and source needed")
        for col in ("pattern", "unless"):
            try:
                re.compile(row[col] or "")
            except re.error as e:
                raise SocialError(
                    f"indicator lexicon {where} line {i}: bad {col} {row[col]!r} ({e})"
                ) from None
    return rows


def indicator_lexicon(path=None):
    """The indicator lexicon as a table a trainer can read and extend: one row per pattern,
    with ``list`` (recruitment or smuggling), ``indicator``, ``label``, ``source`` (where the
    indicator comes from), ``language``, ``pattern`` (a regular expression matched on the
    lower-cased post), ``unless`` (a regular expression: when the post also matches it, this
    pattern does not count — cricket words cancel "game" and "by road") and ``note``.

    The course's lexicon is ``osintlab/resources/indicators.csv``; give ``path`` to read your
    own copy (add rows for new slang, then pass the table to :func:`score_post` or
    :func:`score_posts` as ``lexicon=``). A bad row raises an error naming the file and line.

    >>> lex = indicator_lexicon()
    >>> sorted(lex["list"].unique())
    ['recruitment', 'smuggling']
    >>> bool((lex["source"] != "").all())
    True
    """
    import pandas as pd

    return pd.DataFrame(_read_lexicon_rows(path)).fillna("")


def _lexicon_dict(rows) -> dict:
    out: dict[str, dict[str, tuple[str, str, list]]] = {}
    for row in rows:
        inds = out.setdefault(row["list"], {})
        _label, _source, pats = inds.setdefault(row["indicator"], (row["label"], row["source"], []))
        if row.get("pattern"):
            pats.append((row["pattern"], row.get("unless") or ""))
    return out


#: Indicator lists, read from the lexicon file: list -> indicator -> (label, source,
#: [(pattern, unless), ...]). Patterns are regular expressions matched on lower-cased text.
INDICATORS: dict[str, dict[str, tuple[str, str, list]]] = _lexicon_dict(_read_lexicon_rows())


@dataclass(frozen=True)
class Hit:
    """One indicator found in a post: which list, which indicator, and the words that matched."""

    list: str
    indicator: str
    label: str
    words: tuple[str, ...]

    def __str__(self):
        return f"[{self.list}] {self.label}: " + ", ".join(repr(w) for w in self.words)


@dataclass
class Triage:
    """The result of scoring one post: a score per list (distinct indicators hit) and the hits."""

    recruitment: int = 0
    smuggling: int = 0
    hits: list[Hit] = field(default_factory=list)

    def explain(self) -> str:
        """One line per hit, for a report: why this post was flagged."""
        if not self.hits:
            return "no indicator found"
        return "\n".join(str(h) for h in self.hits)


def _literal_first(pattern: str) -> str:
    r"""``\bword`` -> ``w(?<!\ww)ord``: same matches, but the pattern starts with a literal,
    which lets the regex engine skip positions quickly (2-3x faster on long alternations)."""
    m = re.match(r"\\b([a-z0-9])", pattern)
    if m:
        c = m.group(1)
        return f"{c}(?<![\\w]{c}){pattern[3:]}"
    return pattern


_META = set("\\()[].^$*+?{|")


def _freeze(lexicon) -> tuple:
    """A hashable form of a lexicon (the course's when ``lexicon`` is None)."""
    if lexicon is None:
        d = INDICATORS
    elif isinstance(lexicon, dict):
        d = lexicon
    else:  # a table from indicator_lexicon(), possibly extended by the trainer
        cols = list(lexicon.columns)
        missing = [c for c in ("list", "indicator", "label", "source", "pattern") if c not in cols]
        if missing:
            raise SocialError(f"lexicon table is missing columns {missing}")
        rows = lexicon.fillna("").astype(str).to_dict("records")
        d = _lexicon_dict(rows)
    return tuple(
        (
            lst,
            tuple(
                (ind, label, tuple(tuple(p) for p in pats))
                for ind, (label, _s, pats) in inds.items()
            ),
        )
        for lst, inds in d.items()
    )


@lru_cache(maxsize=8)
def _compiled(frozen: tuple):
    """One regex per list. Every pattern starts with a literal character, and the patterns are
    grouped by it (``f(?:...)|v(?:...)``), so the engine can skip positions that cannot start
    a match; each pattern keeps its own named group to tell which indicator matched, and its
    ``unless`` expression (compiled once) cancels the hit when the post matches it."""
    out = {}
    for lst, inds in frozen:
        by_first: dict[str, list[str]] = {}
        names = {}
        for i, (ind, _label, pats) in enumerate(inds):
            for k, (pat, unless) in enumerate(pats):
                pat = _literal_first(pat)
                if pat[0] in _META:
                    raise SocialError(f"indicator pattern {pat!r} must start with a literal")
                name = f"g{i}_{k}"
                names[name] = (ind, re.compile(unless) if unless else None)
                by_first.setdefault(pat[0], []).append(f"(?P<{name}>{pat[1:]})")
        alts = [f"{re.escape(c)}(?:{'|'.join(v)})" for c, v in by_first.items()]
        labels = {ind: label for ind, label, _p in inds}
        out[lst] = (re.compile("|".join(alts)), names, labels)  # text is lower-cased first
    return out


_RECRUIT_CONTEXT = re.compile(r"job|visa|salary|naukri|nokri|ملازمت|نوکری|চাকরি|hiring|vacanc", re.I)
# Arabic-keyboard letters folded to the Urdu ones the lexicon uses (ي -> ی, ك -> ک, ى -> ی).
_ARABIC_TO_URDU = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"})


def score_post(text: str, *, lexicon=None) -> Triage:
    """Score ``text`` against the recruitment and smuggling indicator lists.

    Each distinct indicator counts one point on its list; every hit keeps the words that
    matched so the score can be explained. A pattern with an ``unless`` expression does not
    count when the post also matches it (a cricket post that says "game on" and "by road" is
    not a smuggling ad). ``no_licence`` counts only for posts that look like a job ad (a
    job/visa word and at least one other recruitment hit) and carry no licence number. Urdu
    typed on an Arabic keyboard (ي, ك) is folded to the Urdu letters first. Empty text scores
    0. A score is a reason to look closer, never a finding. ``lexicon``: a table from
    :func:`indicator_lexicon` (extended as you like); the course's lexicon by default.

    >>> print(score_post("Visit visa, no interview, WhatsApp only").explain())
    [recruitment] No interview or trivial test; no experience needed: 'no interview'
    [recruitment] Visit, tourist or 'azad' visa offered for work: 'visit visa'
    [recruitment] Contact only through WhatsApp/Telegram/inbox: 'whatsapp only'
    [recruitment] No licence number in a recruitment ad: '(no licence number found)'
    [smuggling] Moves clients to messaging apps: 'whatsapp'
    >>> score_post("Game on tonight! Pakistan vs India, we go by road to the stadium. Inbox me").smuggling
    1
    """
    return _score(text, _default_frozen() if lexicon is None else _freeze(lexicon))


@lru_cache(maxsize=1)
def _default_frozen() -> tuple:
    return _freeze(None)


def _score(text, frozen: tuple) -> Triage:
    t = _norm(text).lower().translate(_ARABIC_TO_URDU)
    res = Triage()
    if not t.strip():
        return res
    for lst, (rx, names, labels) in _compiled(frozen).items():
        found: dict[str, list[str]] = {}
        for m in rx.finditer(t):
            ind, unless = names[m.lastgroup]
            if unless is not None and unless.search(t):
                continue
            words = found.setdefault(ind, [])
            if m.group(0) not in words:
                words.append(m.group(0))
        if (
            lst == "recruitment"
            and "no_licence" in labels
            and found
            and _RECRUIT_CONTEXT.search(t)
            and not (_LICENCE_PK_RE.search(_norm(text)) or _LICENCE_BD_RE.search(t))
        ):
            found["no_licence"] = ["(no licence number found)"]
        for ind, label in labels.items():
            if ind in found:
                res.hits.append(Hit(lst, ind, label, tuple(found[ind])))
        setattr(res, lst, len(found))
    return res


def _score_rows(texts: list, lexicon=None) -> list:
    rows = []
    frozen = _default_frozen() if lexicon is None else _freeze(lexicon)
    for text in texts:
        r = _score(text, frozen)
        rows.append(
            (
                r.recruitment,
                r.smuggling,
                ";".join(h.indicator for h in r.hits if h.list == "recruitment"),
                ";".join(h.indicator for h in r.hits if h.list == "smuggling"),
                r.explain() if r.hits else "",
            )
        )
    return rows


def score_posts(
    posts,
    *,
    text_col: str = "text",
    id_col: str = "post_id",
    n_jobs: int | None = None,
    lexicon=None,
):
    """Score every post; returns a DataFrame with ``id_col``, ``recruitment_score``,
    ``smuggling_score``, ``recruitment_hits`` and ``smuggling_hits`` (indicator ids joined by
    ``;``) and ``explanation`` (one line per hit). ``n_jobs`` as in :func:`selectors_table`;
    ``lexicon`` as in :func:`score_post`."""
    import pandas as pd

    _require_columns(posts, [text_col, id_col], "posts")
    texts = posts[text_col].tolist()
    lex = None if lexicon is None else _lexicon_dict_from(lexicon)
    scored = _run_chunks(_score_rows, texts, _jobs(len(texts), n_jobs), lex)
    rows = [(key, *r) for key, r in zip(posts[id_col].tolist(), scored)]
    return pd.DataFrame(
        rows,
        columns=[
            id_col,
            "recruitment_score",
            "smuggling_score",
            "recruitment_hits",
            "smuggling_hits",
            "explanation",
        ],
    )


def _lexicon_dict_from(lexicon) -> dict:
    if isinstance(lexicon, dict):
        return lexicon
    return _lexicon_dict(lexicon.fillna("").astype(str).to_dict("records"))


def false_positive_rate(scores, labels, *, list_name: str, threshold: int = 3, id_col="post_id"):
    """How often a list flags posts that a person labelled benign, and how many real ads it
    catches. ``scores``: from :func:`score_posts`; ``labels``: a table with ``id_col`` and
    ``label`` (``benign`` or the kind of ad, e.g. ``smuggling_ad``). Returns a dict with
    ``benign`` (how many benign posts), ``false_positives`` (benign posts scoring
    ``>= threshold``), ``false_positive_rate``, ``ads``, ``caught`` and ``recall`` (share of
    the ads of that list that score ``>= threshold``).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"post_id": ["a", "b", "c"], "smuggling_score": [4, 1, 3]})
    >>> lab = pd.DataFrame({"post_id": ["a", "b", "c"], "label": ["smuggling_ad", "benign", "benign"]})
    >>> false_positive_rate(s, lab, list_name="smuggling")["false_positive_rate"]
    0.5
    """
    col = f"{list_name}_score"
    _require_columns(scores, [id_col, col], "scores")
    _require_columns(labels, [id_col, "label"], "labels")
    df = labels[[id_col, "label"]].merge(scores[[id_col, col]], on=id_col, how="left")
    df[col] = df[col].fillna(0)
    benign = df[df["label"] == "benign"]
    ads = df[df["label"] == f"{list_name}_ad"]
    fp = int((benign[col] >= threshold).sum())
    caught = int((ads[col] >= threshold).sum())
    return {
        "benign": len(benign),
        "false_positives": fp,
        "false_positive_rate": round(fp / len(benign), 3) if len(benign) else 0.0,
        "ads": len(ads),
        "caught": caught,
        "recall": round(caught / len(ads), 3) if len(ads) else 0.0,
    }


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------

#: Course exchange rates: units of each currency per 1 USD. Fixed for the exercises so that
#: everyone gets the same figures; a real report states the rate, its source and its date.
RATES = {
    "USD": 1.0,
    "USDT": 1.0,
    "PKR": 280.0,
    "BDT": 120.0,
    "AED": 3.6725,
    "EUR": 0.92,
    "THB": 36.0,
    "LYD": 4.85,
    "IRR": 42000.0,
    "TRY": 32.0,
}
RATES_AS_OF = "2026-01-01 (course rates, rounded; not live market rates)"

_CURRENCY_WORDS = {
    "PKR": ["pkr", "rs.", "rs", "rupees", "rupay", "rupaye", "روپے", "روپیہ"],
    "BDT": ["bdt", "tk.", "tk", "taka", "টাকা", "৳"],
    "USD": ["usd", "us$", "$", "dollars", "dollar", "ڈالر", "ডলার"],
    "USDT": ["usdt", "tether"],
    "AED": ["aed", "dirhams", "dirham", "درہم"],
    "EUR": ["eur", "€", "euros", "euro", "یورو"],
    "THB": ["thb", "baht", "฿"],
    "LYD": ["lyd", "dinar"],
}
_UNITS = {
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "لاکھ": 1e5,
    "লাখ": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "کروڑ": 1e7,
    "কোটি": 1e7,
    "k": 1e3,
    "thousand": 1e3,
    "hazar": 1e3,
    "ہزار": 1e3,
    "হাজার": 1e3,
    "million": 1e6,
    "m": 1e6,
}
_CUR_ALT = "|".join(
    sorted((re.escape(w) for ws in _CURRENCY_WORDS.values() for w in ws), key=len, reverse=True)
)
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_AMOUNT_RE = re.compile(
    rf"(?:(?P<cur1>{_CUR_ALT})\s?)?(?P<num>\d{{1,3}}(?:,\d{{2,3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:\s?(?P<unit>{_UNIT_ALT})(?![a-z]))?(?:\s?(?P<cur2>{_CUR_ALT})(?![a-z]))?",
    re.I,
)
_WORD_TO_CUR = {w: c for c, ws in _CURRENCY_WORDS.items() for w in ws}
#: ISO 4217 codes written in capitals that the parser recognises but the course has no word
#: list for: reported as "unknown currency" instead of being dropped as bare numbers.
_OTHER_CODES_RE = re.compile(
    r"(?<![A-Za-z])(GBP|SAR|QAR|OMR|KWD|BHD|INR|MYR|CNY|JPY|IRR|TRY|CAD|AUD|CHF|RUB|LKR|NPR|"
    r"AFN|MMK)\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(lakh|lac|crore|k)\b)?"
)


@dataclass(frozen=True)
class Amount:
    """A money amount found in text. ``currency`` is None when the text does not say."""

    value: float
    currency: str | None
    raw: str
    unit: str = ""


def parse_amounts(text: str, *, default_currency: str | None = None, with_skipped: bool = False):
    """Money amounts in ``text``, local units expanded (lakh = 100,000; crore = 10,000,000;
    k = 1,000). Bare numbers without a currency or a unit are ignored (they are usually not
    money). An amount with a unit but no currency gets ``default_currency`` if you give one
    (say why in your report); otherwise it is skipped — with ``with_skipped=True`` the
    function returns ``(amounts, skipped)`` so you can see what was left out.

    >>> [(a.value, a.currency) for a in parse_amounts("Fee 4.5 lakh rupay or 1,500 USDT")]
    [(450000.0, 'PKR'), (1500.0, 'USDT')]
    >>> parse_amounts("25 lakh total", with_skipped=True)[1][0].reason
    'amount without a currency (pass default_currency= if you know it)'
    """
    if default_currency is not None and default_currency not in RATES:
        raise SocialError(
            f"unknown default_currency {default_currency!r}; known: {', '.join(RATES)}"
        )
    t = _norm(text)
    out, skipped = [], []
    for m in _AMOUNT_RE.finditer(t):
        cur_word = (m.group("cur1") or m.group("cur2") or "").lower()
        unit = (m.group("unit") or "").lower()
        if not cur_word and not unit:
            continue
        num = float(m.group("num").replace(",", ""))
        if unit in ("k", "m") and not cur_word:
            continue  # "5k followers", "2m" are not money
        value = num * _UNITS.get(unit, 1.0)
        currency = _WORD_TO_CUR.get(cur_word) if cur_word else None
        raw = m.group(0).strip()
        if currency is None:
            if default_currency:
                currency = default_currency
            else:
                skipped.append(
                    Skipped(
                        "amount",
                        raw,
                        "amount without a currency (pass default_currency= if you know it)",
                    )
                )
                continue
        out.append(Amount(value, currency, raw, unit))
    for m in _OTHER_CODES_RE.finditer(t):
        skipped.append(
            Skipped(
                "amount",
                m.group(0),
                f"currency {m.group(1)!r} is not in the "
                "course's currency list; convert it "
                "yourself and state the rate",
            )
        )
    return (out, skipped) if with_skipped else out


def to_currency(
    value: float, currency: str, target: str = "USD", rates: dict | None = None
) -> float:
    """Convert ``value`` from ``currency`` to ``target`` at ``rates`` (units per USD).

    >>> to_currency(2_800_000, "PKR")
    10000.0
    """
    rates = RATES if rates is None else rates
    for c in (currency, target):
        if c not in rates:
            raise SocialError(
                f"unknown currency {c!r}; rates are known for {', '.join(sorted(rates))}"
            )
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SocialError(f"amount {value!r} is not a number") from None
    return v / rates[currency] * rates[target]


def amounts_table(
    posts,
    *,
    text_col: str = "text",
    id_col: str = "post_id",
    target="USD",
    default_currency=None,
    rates=None,
    include_skipped: bool = False,
):
    """Every amount in a table of posts, with its value in ``target`` currency.

    Columns: ``id_col``, ``raw``, ``value``, ``currency``, ``unit``, ``value_<target>``, and
    (with ``include_skipped``) ``skipped_reason`` for amounts that could not be converted.
    """
    import pandas as pd

    _require_columns(posts, [text_col, id_col], "posts")
    rows = []
    for key, text in posts[[id_col, text_col]].itertuples(index=False, name=None):
        found, skipped = parse_amounts(text, default_currency=default_currency, with_skipped=True)
        for a in found:
            try:
                conv, why = round(to_currency(a.value, a.currency, target, rates), 2), ""
            except SocialError as exc:
                conv, why = None, str(exc)
            if why and not include_skipped:
                continue
            rows.append((key, a.raw, a.value, a.currency, a.unit, conv, why))
        if include_skipped:
            rows += [(key, s.raw, None, None, "", None, s.reason) for s in skipped]
    df = pd.DataFrame(
        rows,
        columns=[
            id_col,
            "raw",
            "value",
            "currency",
            "unit",
            f"value_{target.lower()}",
            "skipped_reason",
        ],
    )
    return df if include_skipped else df.drop(columns="skipped_reason")


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------

#: Place names as written in ads (English, Roman Urdu, Urdu, Bengali, flag emoji) ->
#: (place name, ISO country). Country-level names map to the country itself.
PLACE_NAMES: dict[str, tuple[str, str]] = {}


#: Place names that are also everyday words ("a van"): not read as places.
_AMBIGUOUS_PLACE_WORDS = {"van"}


def _add_places():
    from .reference.gazetteer import PLACES

    for p in PLACES.values():
        for n in {p.name, p.name.split(" (")[0], p.name_ur, p.name_bn} - {""}:
            if n.lower() not in _AMBIGUOUS_PLACE_WORDS:
                PLACE_NAMES[n.lower()] = (p.name.split(" (")[0], p.country)
    countries = {
        "PK": ["pakistan", "پاکستان", "পাকিস্তান", "🇵🇰"],
        "BD": ["bangladesh", "بنگلہ دیش", "বাংলাদেশ", "🇧🇩"],
        "AE": ["uae", "dubai", "دبئی", "দুবাই", "🇦🇪"],
        "TH": ["thailand", "bangkok", "تھائی لینڈ", "بنکاک", "থাইল্যান্ড", "ব্যাংকক", "🇹🇭"],
        "MM": ["myanmar", "burma", "میانمار", "মিয়ানমার", "🇲🇲"],
        "IR": ["iran", "ایران", "ইরান", "🇮🇷"],
        "TR": ["turkey", "türkiye", "turkiye", "ترکی", "তুরস্ক", "🇹🇷"],
        "GR": ["greece", "yunan", "یونان", "গ্রিস", "🇬🇷"],
        "LY": ["libya", "لیبیا", "লিবিয়া", "🇱🇾"],
        "IT": ["italy", "itly", "اٹلی", "ইতালি", "🇮🇹"],
    }
    names = {
        "PK": "Pakistan",
        "BD": "Bangladesh",
        "AE": "United Arab Emirates",
        "TH": "Thailand",
        "MM": "Myanmar",
        "IR": "Iran",
        "TR": "Turkey",
        "GR": "Greece",
        "LY": "Libya",
        "IT": "Italy",
    }
    for cc, words in countries.items():
        for w in words:
            PLACE_NAMES.setdefault(w.lower(), (names[cc], cc))


@lru_cache(maxsize=1)
def _place_re():
    if not PLACE_NAMES:
        _add_places()
    alts = sorted(PLACE_NAMES, key=len, reverse=True)
    return re.compile(
        "|".join(
            rf"(?<![\w]){re.escape(a)}(?![\w])" if a[0].isalpha() and a.isascii() else re.escape(a)
            for a in alts
        ),
        re.I,
    )


def extract_route(text: str) -> list[tuple[str, str]]:
    """Places named in ``text`` in the order written, as ``(place, country)``; a place repeated
    straight after itself is kept once. Flags count as countries.

    >>> extract_route("Lahore se Dubai, phir Benghazi 🇱🇾 aur Italy")
    [('Lahore', 'PK'), ('Dubai', 'AE'), ('Benghazi', 'LY'), ('Libya', 'LY'), ('Italy', 'IT')]
    """
    t = _norm(text)
    out: list[tuple[str, str]] = []
    for m in _place_re().finditer(t):
        p = PLACE_NAMES[m.group(0).lower()]
        if not out or out[-1] != p:
            out.append(p)
    return out


def route_countries(text: str) -> list[str]:
    """The countries of :func:`extract_route`, consecutive repeats merged.

    >>> route_countries("Quetta → Taftan → Zahedan → Istanbul → Izmir → Lesvos")
    ['PK', 'IR', 'TR', 'GR']
    """
    out: list[str] = []
    for _, cc in extract_route(text):
        if not out or out[-1] != cc:
            out.append(cc)
    return out


# ---------------------------------------------------------------------------------------------
# Accounts, handles and the link graph
# ---------------------------------------------------------------------------------------------

#: What a licence register says about an entry. Only ``valid`` allows recruiting today; a
#: ``cancelled`` licence is the common trap: the number is on the register, the agency may not
#: recruit.
REGISTER_STATUSES = ("valid", "expired", "suspended", "cancelled")


def read_register(text: str):
    """The entries of a licence register page as a table: licence, name, city, status.

    A register lists one entry a line as ``licence | name | city | status``; other lines are
    skipped. A line with an unknown status raises :class:`SocialError` naming the line, since a
    misread status would turn a cancelled licence into a valid one.

    >>> reg = read_register("RL-9001 | Padma Overseas | Dhaka | valid\\nRL-9002 | Old Ltd | Sylhet | cancelled")
    >>> reg.set_index("licence").loc["RL-9002", "status"]
    'cancelled'
    """
    import pandas as pd

    rows = []
    for n, line in enumerate(str(text).splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4 or not re.search(r"\d", parts[0]):
            continue
        status = parts[3].lower()
        if status not in REGISTER_STATUSES:
            raise SocialError(
                f"register line {n} ({line.strip()!r}): unknown status "
                f"{parts[3]!r}; expected one of {REGISTER_STATUSES}"
            )
        rows.append({"licence": parts[0], "name": parts[1], "city": parts[2], "status": status})
    return pd.DataFrame(rows, columns=["licence", "name", "city", "status"])


def _stem(handle: str) -> str:
    return re.sub(r"[._\-]*\d+$", "", str(handle).lower())


def find_backup_accounts(accounts):
    """Accounts whose handle is another account's handle plus a number (``name`` ->
    ``name2``, ``name_01``): the back-up pattern smugglers and fronts use after takedowns.

    Returns a DataFrame ``account_id, handle, backup_of, backup_of_handle, reason``; a pair is
    listed only if the handles match after removing the numeric suffix, and the reason notes
    any shared display-name word or phone in the bio as corroboration.
    """
    import pandas as pd

    _require_columns(accounts, ["account_id", "handle"], "accounts")
    by_handle = {
        str(h).lower(): (a, r)
        for a, h, r in zip(accounts["account_id"], accounts["handle"], accounts.to_dict("records"))
    }
    rows = []
    for acc, handle, rec in zip(
        accounts["account_id"], accounts["handle"], accounts.to_dict("records")
    ):
        h = str(handle).lower()
        stem = _stem(h)
        if stem == h or stem not in by_handle:
            continue
        main_id, main = by_handle[stem]
        why = [f"handle '{h}' is '{stem}' plus a number"]
        if "platform" in rec and rec.get("platform") == main.get("platform"):
            why.append(f"same platform ({rec['platform']})")
        if "display_name" in rec:
            common = set(str(rec["display_name"]).lower().split()) & set(
                str(main.get("display_name", "")).lower().split()
            )
            if common:
                why.append("display names share " + ", ".join(sorted(common)))
        if "bio" in rec:
            p1 = {s.value for s in extract_selectors(rec.get("bio", "")) if s.kind == "phone"}
            p2 = {s.value for s in extract_selectors(main.get("bio", "")) if s.kind == "phone"}
            if p1 & p2:
                why.append("bios show the same phone " + ", ".join(sorted(p1 & p2)))
        rows.append((acc, handle, main_id, main["handle"], "; ".join(why)))
    return pd.DataFrame(
        rows, columns=["account_id", "handle", "backup_of", "backup_of_handle", "reason"]
    )


def resolve_handle(handle: str, accounts, history=None) -> str:
    """The ``account_id`` that uses or used ``handle`` (``@`` and case ignored).

    ``history`` is the platform's handle-history table (``account_id, old_handle``). Raises
    :class:`SocialError` if no account or more than one matches.
    """
    if not isinstance(handle, str) or not handle.strip("@ "):
        raise SocialError(f"handle must be non-empty text, got {handle!r}")
    h = handle.strip().lstrip("@").lower()
    if ":" in h:
        h = h.split(":", 1)[1]
    _require_columns(accounts, ["account_id", "handle"], "accounts")
    hits = set(accounts.loc[accounts["handle"].str.lower() == h, "account_id"])
    if history is not None:
        _require_columns(history, ["account_id", "old_handle"], "history")
        hits |= set(history.loc[history["old_handle"].str.lower() == h, "account_id"])
    if not hits:
        raise SocialError(f"no account uses or used the handle {handle!r}")
    if len(hits) > 1:
        raise SocialError(f"handle {handle!r} matches several accounts: {sorted(hits)}")
    return hits.pop()


def group_fingerprints(fingerprints, max_bits: int = 6) -> dict:
    """Group picture fingerprints (hex strings of a perceptual hash) that differ in at most
    ``max_bits`` bits: re-encoded or resized copies of one picture. Returns a dict
    fingerprint -> the group's first fingerprint (in sorted order), to use as an ``image``
    selector. Bad values raise :class:`SocialError` naming them.

    >>> g = group_fingerprints(["ff00ff00ff00ff00", "ff00ff00ff00ff01", "0123456789abcdef"])
    >>> g["ff00ff00ff00ff01"], g["0123456789abcdef"]
    ('ff00ff00ff00ff00', '0123456789abcdef')
    """
    if not isinstance(max_bits, int) or max_bits < 0:
        raise SocialError(f"max_bits must be a whole number >= 0, got {max_bits!r}")
    values = sorted({str(f).strip().lower() for f in fingerprints})
    ints = {}
    for v in values:
        try:
            ints[v] = int(v, 16)
        except ValueError:
            raise SocialError(f"fingerprint {v!r} is not hexadecimal") from None
    reps: list[str] = []
    out = {}
    for v in values:
        for r in reps:
            if bin(ints[v] ^ ints[r]).count("1") <= max_bits:
                out[v] = r
                break
        else:
            reps.append(v)
            out[v] = v
    return out


STRONG_KINDS = (
    "phone",
    "email",
    "crypto",
    "url",
    "image",
    "camera_serial",
    "telegram",
    "whatsapp_group",
)


def links_table(
    post_selectors, accounts, media=None, *, profile_weight: int = 2, max_bits: int = 6
):
    """Everything each account shows, as one table (``account_id``, ``kind``, ``value``) for
    :func:`build_graph`: the selectors of its posts (skipped look-alikes left out), those of its
    profile (bio) — each profile entry counted ``profile_weight`` times, since a profile is what
    the account presents as its own — and, from ``media``, its pictures (kind ``image``: copies
    within ``max_bits`` of one fingerprint are one picture) and camera body serials
    (``camera_serial``, where the EXIF was kept).

    >>> import pandas as pd
    >>> acc = pd.DataFrame({"account_id": ["1"], "bio": ["call 0300-5551234"]})
    >>> links_table(pd.DataFrame(columns=["account_id", "kind", "value"]), acc)["kind"].tolist()
    ['phone', 'phone']
    """
    import pandas as pd

    _require_columns(post_selectors, ["account_id", "kind", "value"], "post_selectors")
    _require_columns(accounts, ["account_id", "bio"], "accounts")
    cols = ["account_id", "kind", "value"]
    posts = post_selectors[~post_selectors["kind"].astype(str).str.startswith("skipped")][cols]
    bio = selectors_table(accounts, text_col="bio", id_col="account_id", extra_cols=())[cols]
    parts = [posts, *([bio] * int(profile_weight))]
    if media is not None:
        _require_columns(media, ["account_id", "fingerprint", "camera_serial"], "media")
        same = group_fingerprints(media["fingerprint"], max_bits=max_bits)
        parts.append(media.assign(kind="image", value=media["fingerprint"].map(same))[cols])
        cams = media[media["camera_serial"].astype(str) != ""]
        parts.append(cams.assign(kind="camera_serial", value=cams["camera_serial"])[cols])
    return pd.concat(parts, ignore_index=True)


def build_graph(selectors, accounts=None, *, id_col: str = "account_id"):
    """A graph of accounts and the selectors they show (networkx ``Graph``).

    ``selectors`` is a table with ``account_id``, ``kind``, ``value`` (from
    :func:`selectors_table`, plus any rows you add, e.g. ``kind='image'`` for a photo
    fingerprint). Nodes are ``acct:<id>`` (attribute ``type='account'``, plus the columns of
    ``accounts`` if given) and ``<kind>:<value>`` (``type='selector'``). An edge's ``weight``
    is how many times the account showed the selector.
    """
    import networkx as nx

    _require_columns(selectors, [id_col, "kind", "value"], "selectors")
    sel = selectors[~selectors["kind"].astype(str).str.startswith("skipped")]
    sel = sel[sel["value"].astype(str) != ""]
    counts = sel.groupby([id_col, "kind", "value"], sort=True).size()
    g = nx.Graph()
    if accounts is not None:
        _require_columns(accounts, [id_col], "accounts")
        for rec in accounts.to_dict("records"):
            g.add_node(
                f"acct:{rec[id_col]}",
                type="account",
                **{k: v for k, v in rec.items() if k != "type"},
            )
    edges = []
    for (acc, kind, value), n in counts.items():
        a, s = f"acct:{acc}", f"{kind}:{value}"
        if a not in g:
            g.add_node(a, type="account", account_id=acc)
        if s not in g:
            g.add_node(s, type="selector", kind=kind, value=value)
        edges.append((a, s, {"weight": int(n)}))
    g.add_edges_from(edges)
    return g


def merge_actors(graph, *, kinds=STRONG_KINDS, min_weight: int = 2):
    """Group accounts into candidate actors: accounts joined by a shared selector of one of
    ``kinds`` that each of them showed at least ``min_weight`` times (or in its profile, where
    you give that edge a high weight). A one-off mention — a news report quoting an ad, a user
    asking "is this number genuine?" — does not merge.

    Returns ``(actors, merges)``: ``actors`` maps ``account_id`` to an actor label
    (``actor-01`` ...; the biggest group first), ``merges`` is a DataFrame
    ``account_a, account_b, kind, value, reason`` — one row per link used, so each merge can be
    defended or rejected. A merge is a hypothesis: a shared office phone joins two people.
    """
    import pandas as pd

    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows = []
    accounts = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == "account")
    for a in accounts:
        find(a)
    for s, d in sorted(graph.nodes(data=True)):
        if d.get("type") != "selector" or d.get("kind") not in kinds:
            continue
        owners = sorted(a for a in graph[s] if graph[s][a].get("weight", 1) >= min_weight)
        for other in owners[1:]:
            rows.append(
                (
                    owners[0][5:],
                    other[5:],
                    d["kind"],
                    d["value"],
                    f"both show {d['kind']} {d['value']} (x{graph[s][owners[0]]['weight']}"
                    f" and x{graph[s][other]['weight']})",
                )
            )
            ra, rb = find(owners[0]), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for a in accounts:
        groups.setdefault(find(a), []).append(a[5:])
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    actors = {acc: f"actor-{i:02d}" for i, grp in enumerate(ordered, start=1) for acc in grp}
    merges = pd.DataFrame(rows, columns=["account_a", "account_b", "kind", "value", "reason"])
    return actors, merges


def _account_projection(graph, kinds=STRONG_KINDS, min_weight: int = 1):
    import networkx as nx

    g = nx.Graph()
    for n, d in graph.nodes(data=True):
        if d.get("type") == "account":
            g.add_node(n[5:])
    for s, d in graph.nodes(data=True):
        if d.get("type") != "selector" or d.get("kind") not in kinds:
            continue
        owners = sorted(a[5:] for a in graph[s] if graph[s][a].get("weight", 1) >= min_weight)
        for i, a in enumerate(owners):
            for b in owners[i + 1 :]:
                w = g[a][b]["weight"] + 1 if g.has_edge(a, b) else 1
                g.add_edge(a, b, weight=w)
    return g


def central_accounts(graph, top: int = 10, *, kinds=STRONG_KINDS, min_weight: int = 2):
    """Accounts ranked by how central they are among accounts linked by shared selectors.

    Columns: ``account_id``, ``degree`` (accounts it shares a selector with), ``betweenness``
    (how often it lies on the shortest path between two others — brokers and core members
    score high), ``selectors`` (how many selectors it shows). Sorted by betweenness, then
    degree. Isolated accounts are left out. As in :func:`merge_actors`, a selector counts for an
    account only if it showed it at least ``min_weight`` times.
    """
    import networkx as nx
    import pandas as pd

    if not isinstance(top, int) or top < 1:
        raise SocialError(f"top must be a positive whole number, got {top!r}")
    p = _account_projection(graph, kinds, min_weight)
    p.remove_nodes_from([n for n in list(p) if p.degree(n) == 0])
    if p.number_of_nodes() == 0:
        return pd.DataFrame(columns=["account_id", "degree", "betweenness", "selectors"])
    bc = nx.betweenness_centrality(p)
    rows = [(n, p.degree(n), round(bc[n], 4), graph.degree(f"acct:{n}")) for n in p]
    df = pd.DataFrame(rows, columns=["account_id", "degree", "betweenness", "selectors"])
    return (
        df.sort_values(["betweenness", "degree", "account_id"], ascending=[False, False, True])
        .head(top)
        .reset_index(drop=True)
    )


def account_communities(graph, *, kinds=STRONG_KINDS, min_weight: int = 2, seed: int = 7):
    """Communities of linked accounts (Louvain on the account projection, fixed ``seed``).

    Returns a list of sorted account-id lists, largest first; isolated accounts are left out.
    """
    import networkx as nx

    p = _account_projection(graph, kinds, min_weight)
    p.remove_nodes_from([n for n in list(p) if p.degree(n) == 0])
    if p.number_of_nodes() == 0:
        return []
    comms = nx.community.louvain_communities(p, weight="weight", seed=seed)
    return sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))


# ---------------------------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------------------------


def parse_times(values, *, tz: str | None = None):
    """Parse export time stamps (ISO 8601 with offset or ``Z``, or Unix epoch seconds) to UTC.

    Returns ``(times, problems)``: a UTC ``Series`` with ``NaT`` where a value could not be
    read, and a DataFrame ``position, value, reason`` listing those values. A time without an
    offset is read in ``tz`` if you give one, and otherwise reported (never guessed).
    """
    import pandas as pd

    from .timeutil import TimeZoneError, to_utc

    out, problems = [], []
    for i, v in enumerate(list(values)):
        s = "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
        try:
            if not s:
                raise SocialError("empty time stamp")
            if re.fullmatch(r"\d{9,11}(?:\.\d+)?", s):
                out.append(pd.Timestamp(float(s), unit="s", tz="UTC"))
                continue
            out.append(pd.Timestamp(to_utc(s, tz)))
        except (SocialError, TimeZoneError, ValueError) as exc:
            out.append(pd.NaT)
            problems.append((i, s, str(exc)))
    return (
        pd.Series(pd.to_datetime(out, utc=True), dtype="datetime64[ns, UTC]"),
        pd.DataFrame(problems, columns=["position", "value", "reason"]),
    )


# ---------------------------------------------------------------------------------------------
# Pictures and the explorer widget
# ---------------------------------------------------------------------------------------------

_KIND_COLOURS = {
    "phone": "#d62728",
    "email": "#9467bd",
    "crypto": "#ff7f0e",
    "url": "#8c564b",
    "image": "#2ca02c",
    "camera_serial": "#17becf",
    "telegram": "#e377c2",
    "handle": "#7f7f7f",
    "licence": "#bcbd22",
}


def network_picture(
    graph,
    *,
    accounts_label=None,
    title="Accounts and shared selectors",
    min_accounts: int = 2,
    ax=None,
):
    """Draw accounts (blue) and the selectors shared by at least ``min_accounts`` of them
    (coloured by kind); selectors only one account shows are left out to keep it readable."""
    from .charts import network_chart

    keep = set()
    for n, d in graph.nodes(data=True):
        if d.get("type") == "selector" and graph.degree(n) >= min_accounts:
            keep.add(n)
            keep.update(graph[n])
    if not keep:
        raise SocialError(
            f"network_picture: no selector is shared by {min_accounts} or more accounts"
        )
    sub = graph.subgraph(keep)
    label = accounts_label or (lambda d: d.get("handle") or d.get("account_id", ""))

    def colour(d):
        return (
            "#4c72b0" if d.get("type") == "account" else _KIND_COLOURS.get(d.get("kind"), "#333333")
        )

    def text(d):
        if d.get("type") == "account":
            return str(label(d))
        v = str(d.get("value", ""))
        return v if len(v) <= 16 else v[:6] + "…" + v[-4:]

    return network_chart(sub, node_colour=colour, node_label=text, title=title, ax=ax)


def _selector_label(kind: str, value: str, picture_no: dict) -> str:
    """A short name a reader can say aloud: 'phone …0942', 'wallet TJFR…71W', 'picture 2'."""
    v = str(value)
    if kind == "phone":
        return f"phone \u2026{v[-4:]}"
    if kind == "crypto":
        return f"wallet {v[:4]}\u2026{v[-3:]}"
    if kind == "image":
        picture_no.setdefault(v, len(picture_no) + 1)
        return f"picture {picture_no[v]}"
    if kind == "camera_serial":
        return f"camera \u2026{v[-4:]}"
    if kind == "url":
        host = v.split("//")[-1].split("/")[0]
        return f"site {host if len(host) <= 30 else host[:27] + '...'}"
    if kind == "email":
        return f"e-mail {v if len(v) <= 24 else v[:21] + '...'}"
    label = kind.replace("_", " ")
    return f"{label} {v if len(v) <= 14 else v[:11] + '...'}"


def actor_chart(
    graph,
    actors: dict,
    actor: str,
    *,
    kinds=STRONG_KINDS,
    min_weight: int = 2,
    only=None,
    title=None,
    ax=None,
):
    """Link chart of one actor from :func:`merge_actors`: its accounts (left, coloured by
    platform, labelled by handle) and the selectors that joined them (right, coloured by kind,
    labelled by kind and the last characters, e.g. 'phone …0942'), a line for each account
    that showed a selector at least ``min_weight`` times, thicker the more often.

    ``only``: draw only these account ids of the actor (e.g. one organisation's accounts)
    and the selectors that join at least two of them.

    Two columns keep every label clear of the others. Returns ``(fig, ax, key)``: ``key`` is
    the table beside the chart, one row per label (``label``, ``what``, ``account_id`` or full
    selector ``value``, ``platform``, ``display_name``), so ids and full values can be quoted.
    """
    import math

    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.lines import Line2D

    keep = None if only is None else {str(a) for a in only}
    members = sorted(
        f"acct:{a}" for a, g in actors.items() if g == actor and (keep is None or str(a) in keep)
    )
    if not members:
        raise SocialError(f"actor_chart: no account belongs to {actor!r}")
    links = {}
    for s, d in graph.nodes(data=True):
        if d.get("type") != "selector" or d.get("kind") not in kinds:
            continue
        owners = [
            a for a in graph[s] if a in members and graph[s][a].get("weight", 1) >= min_weight
        ]
        if len(owners) >= 2:
            links[s] = {a: graph[s][a].get("weight", 1) for a in owners}
    selectors = sorted(links, key=lambda s: (graph.nodes[s]["kind"], str(graph.nodes[s]["value"])))
    # order both columns by the mean position of their partners (fewer crossing lines)
    acc_pos = {a: i for i, a in enumerate(members)}
    sel_pos = {s: i for i, s in enumerate(selectors)}
    for _ in range(4):
        sel_pos = {s: sum(acc_pos[a] for a in links[s]) / len(links[s]) for s in selectors}
        selectors.sort(key=lambda s: sel_pos[s])
        sel_pos = {s: i for i, s in enumerate(selectors)}
        mine = {a: [sel_pos[s] for s in selectors if a in links[s]] for a in members}
        members.sort(key=lambda a: sum(mine[a]) / len(mine[a]) if mine[a] else len(selectors))
        acc_pos = {a: i for i, a in enumerate(members)}
    rows = max(len(members), len(selectors), 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 1.2 + 0.34 * rows))
    else:
        fig = ax.figure

    def y_of(i, n):
        return rows - 1 - (i * (rows - 1) / (n - 1) if n > 1 else (rows - 1) / 2)

    platforms = sorted({str(graph.nodes[a].get("platform", "")) for a in members})
    plat_colour = {
        p: c
        for p, c in zip(
            platforms, ["#4c72b0", "#55a868", "#8172b2", "#64b5cd", "#937860", "#da8bc3"]
        )
    }
    for s in selectors:
        for a, w in links[s].items():
            ax.plot(
                [0, 1],
                [y_of(acc_pos[a], len(members)), y_of(sel_pos[s], len(selectors))],
                "-",
                color="#888",
                alpha=0.6,
                linewidth=0.8 + 1.2 * math.log10(w),
                zorder=1,
            )
    key, picture_no = [], {}
    for i, a in enumerate(members):
        d = graph.nodes[a]
        label = f"@{d.get('handle', a[5:])}" if d.get("handle") else a[5:]
        y = y_of(i, len(members))
        ax.plot(0, y, "o", markersize=9, color=plat_colour[str(d.get("platform", ""))], zorder=3)
        ax.text(-0.06, y, label, ha="right", va="center", fontsize=8)
        key.append(
            {
                "label": label,
                "what": "account",
                "id or value": a[5:],
                "platform": d.get("platform", ""),
                "display_name": d.get("display_name", ""),
            }
        )
    kinds_seen = {}
    for i, s in enumerate(selectors):
        d = graph.nodes[s]
        label = _selector_label(d["kind"], d["value"], picture_no)
        colour = _KIND_COLOURS.get(d["kind"], "#333333")
        kinds_seen[d["kind"]] = colour
        y = y_of(i, len(selectors))
        ax.plot(1, y, "s", markersize=8, color=colour, zorder=3)
        ax.text(1.06, y, label, ha="left", va="center", fontsize=8)
        key.append(
            {
                "label": label,
                "what": d["kind"].replace("_", " "),
                "id or value": str(d["value"]),
                "platform": "",
                "display_name": f"shown by {len(links[s])} accounts",
            }
        )
    ax.set_xlim(-1.1, 2.1)
    ax.set_ylim(-0.8, rows - 0.2)
    ax.set_axis_off()
    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, markersize=8, label=f"account on {p}")
        for p, c in plat_colour.items()
    ]
    names = {
        "url": "web site",
        "image": "picture (same photo)",
        "crypto": "wallet",
        "camera_serial": "camera serial",
        "email": "e-mail",
    }
    handles += [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            color=c,
            markersize=7,
            label=names.get(k, k.replace("_", " ")),
        )
        for k, c in kinds_seen.items()
    ]
    handles += [
        Line2D([], [], color="#888", linewidth=w, label=f"shown {n}x")
        for n, w in ((2, 0.8 + 1.2 * math.log10(2)), (20, 0.8 + 1.2 * math.log10(20)))
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(4, len(handles)),
        fontsize=7,
        frameon=False,
    )
    ax.set_title(
        title or f"{actor}: {len(members)} accounts joined by {len(selectors)} shared selectors",
        fontsize=10,
    )
    return fig, ax, pd.DataFrame(key)


def route_picture(route, title="Advertised route", ax=None):
    """Map a route given as place names or ``(place, country)`` pairs (from
    :func:`extract_route`); places not in the gazetteer are drawn at their country's first
    known place or skipped with a note in the title."""
    from .charts import route_map
    from .reference.gazetteer import PLACES

    by_name = {p.name.split(" (")[0].lower(): p for p in PLACES.values()}
    by_country: dict[str, object] = {}
    for p in PLACES.values():
        by_country.setdefault(p.country, p)
    pts, names, missing = [], [], []
    for item in route:
        name, cc = item if isinstance(item, tuple) else (item, None)
        p = by_name.get(str(name).lower()) or (by_country.get(cc) if cc else None)
        if p is None:
            missing.append(str(name))
            continue
        label = p.name.split(" (")[0] if p.name.lower().startswith(str(name).lower()) else f"{name}"
        if names and names[-1] == label:
            continue
        pts.append((label, p.lat, p.lon, p.role))
        names.append(label)
    if not pts:
        raise SocialError(f"route_picture: none of the places {list(route)!r} is known")
    t = title + (f" (not mapped: {', '.join(missing)})" if missing else "")
    return route_map(pts, routes={"advertised": names}, title=t, ax=ax)


def posting_timeline(
    posts,
    *,
    by: str = "account_id",
    time_col: str = "posted_utc",
    top: int = 8,
    accounts=None,
    history=None,
    title="Posting timeline (UTC)",
):
    """Posts on a time axis, one lane per ``by`` value (the ``top`` most active).

    With ``by="account_id"`` (the default) a renamed account stays **one lane**: the lane is
    named by its current handle (from ``accounts``) with the handles it had before, each post
    is coloured by the handle it was posted under (``handle_at_post``), and a dashed mark shows
    each rename date (from ``history``). A legend names every colour. Lanes by
    ``handle_at_post`` would split one account into two and are what this avoids.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    _require_columns(posts, [by, time_col], "posts")
    if posts.empty:
        raise SocialError("posting_timeline: no posts to draw")
    lanes = list(posts[by].value_counts().head(top).index)
    df = posts[posts[by].isin(lanes)]
    colour_col = "handle_at_post" if "handle_at_post" in df.columns else by
    current = {}
    if accounts is not None:
        _require_columns(accounts, ["account_id", "handle"], "accounts")
        current = dict(zip(accounts["account_id"], accounts["handle"]))
    renames = pd.DataFrame(columns=["account_id", "old_handle", "changed_on"])
    if history is not None:
        _require_columns(history, ["account_id", "old_handle", "changed_on"], "history")
        renames = history[history["account_id"].isin(lanes)]
    fig, ax = plt.subplots(figsize=(11, 1.6 + 0.5 * len(lanes)))
    palette = plt.get_cmap("tab10").colors
    colours: dict[str, tuple] = {}
    names = []
    for i, lane in enumerate(lanes):
        rows = df[df[by] == lane]
        for h, part in rows.groupby(colour_col, sort=False):
            c = colours.setdefault(h, palette[len(colours) % len(palette)])
            ax.scatter(part[time_col], [i] * len(part), s=26, color=c, zorder=3, label=f"@{h}")
        name = f"@{current[lane]}" if lane in current else str(lane)
        olds = list(renames.loc[renames["account_id"] == lane, "old_handle"])
        if olds:
            name += "\n(was " + ", ".join(f"@{o}" for o in olds) + ")"
        names.append(name)
        for day in renames.loc[renames["account_id"] == lane, "changed_on"]:
            x = pd.Timestamp(day, tz="UTC")
            ax.plot([x, x], [i - 0.35, i + 0.35], "--", color="#444", linewidth=1, zorder=2)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(names, fontsize=8)
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date (UTC)")
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    if len(renames):
        from matplotlib.lines import Line2D

        uniq["rename (handle changed)"] = Line2D([], [], linestyle="--", color="#444")
    ax.legend(
        uniq.values(),
        uniq.keys(),
        title="posted under",
        fontsize=7,
        title_fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig, ax


_ID_IN_SOURCE = [
    (re.compile(r'content="[a-z]+://(?:page|profile|user)/(\d{5,20})"'), "app-link meta tag"),
    (
        re.compile(r'"(?:pageID|userID|profile_id|owner_id|id)"\s*:\s*"?(\d{5,20})"?'),
        "embedded data",
    ),
]


def ids_in_page_source(html: str):
    """Numeric account ids in a saved page's HTML source, each with where it was found and
    the text around it, so that you can tell the page's **own** id from the ids of other pages
    it shows ("related pages", comments, ads). Ids survive renames; handles do not.

    >>> src = '<meta property="al:android:url" content="chaupal://page/100004002163907">'
    >>> ids_in_page_source(src)[["id", "where"]].values.tolist()
    [['100004002163907', 'app-link meta tag']]
    """
    import pandas as pd

    if not isinstance(html, str):
        raise SocialError(
            f"ids_in_page_source: expected the page's HTML text, got {type(html).__name__}"
        )
    rows = []
    for rx, where in _ID_IN_SOURCE:
        for m in rx.finditer(html):
            a, b = max(0, m.start() - 60), min(len(html), m.end() + 40)
            rows.append({"id": m.group(1), "where": where, "at": m.start(), "context": html[a:b]})
    return pd.DataFrame(rows, columns=["id", "where", "at", "context"]).sort_values(
        "at", ignore_index=True
    )


# ---------------------------------------------------------------------------------------------
# Telegram-style links: public names, private invites, public directories
# ---------------------------------------------------------------------------------------------

#: Hosts of Telegram-style links: Telegram's own short link domains and the scenario's Paigham.
INVITE_HOSTS = {
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "paigham.example": "paigham",
}
#: The first path part of a Telegram link that is a service, not a chat.
_NOT_A_CHAT = {
    "addstickers", "addemoji", "addtheme", "addlist", "share", "proxy", "socks", "setlanguage",
    "login", "iv", "bg", "boost", "confirmphone", "invoice", "giftcode",
}  # fmt: skip
_INVITE_CODE_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
_NAME_RE = {
    "telegram": re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}"),
    "paigham": re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]{1,38}[A-Za-z0-9_]"),
}
#: What each kind of link lets an investigator see without joining, and what to ask for.
LINK_KINDS = {
    "public": (
        "a public channel, group or user: its name, picture, description and member count on "
        "the preview page; a public channel's posts in the web preview (/s/name) without "
        "joining",
        "record the name AND the numeric id behind it (names can be changed or sold, ids stay); "
        "Telegram's policy names a suspect user's IP address and phone number as what it may "
        "disclose on a court order (fact prov-telegram), and keeps metadata 12 months at most "
        "(fact prov-telegram-retention): ask soon",
    ),
    "public_post": (
        "one post of a public channel, readable without joining: capture it with its number "
        "and date",
        "quote the channel name, its id and the post number",
    ),
    "private_invite": (
        "the invite preview only: title, picture, member count (sometimes a description) — not "
        "the posts or the members. Reading more means joining: an interaction that needs "
        "written authorisation",
        "quote the code exactly (codes are case-sensitive) with the date you saw it; it points "
        "to a chat, not to a person: a request still names a suspect user (fact prov-telegram). "
        "An admin can revoke the link at any time: capture the preview and any directory "
        "listing now",
    ),
    "legacy_invite": (
        "as for a private invite (this is the older joinchat form of the same thing): the "
        "preview only; joining needs written authorisation",
        "quote the code exactly with the date seen; old links are often revoked — check "
        "whether it still opens a preview before you write it into a request",
    ),
    "private_post": (
        "nothing: a link to a post inside a private channel or group opens only for members. "
        "The number in it is the chat's internal id, and whoever shared it is a member",
        "quote the internal chat id and the post number; ask who shared the link with you",
    ),
    "phone_link": (
        "the account registered with that phone number, if its owner allows it to be found by "
        "number: a phone selector as well as a chat link",
        "treat it as a phone number: a request to the telecom operator (subscriber) and to the "
        "provider",
    ),
}


def parse_invite_link(link: str) -> dict:
    """Read a Telegram-style link (t.me, telegram.me, tg:// or the scenario's paigham.example):
    is it a public name or a private invite, and what does it let you see and request?

    Returns a plain dict: ``link`` (canonical https form), ``service`` (telegram or paigham),
    ``kind`` (public, public_post, private_invite, legacy_invite, private_post, phone_link),
    ``name`` (public name, lower case), ``code`` (invite code, case kept: codes are
    case-sensitive), ``chat_id`` and ``post`` (for post links), ``can_see`` and ``to_request``
    (see :data:`LINK_KINDS`; what a provider discloses is in the facts register, ids
    ``prov-telegram``, ``prov-telegram-route``, ``prov-telegram-retention``). A ``+`` followed
    by digits only is a phone-number link, not an invite. A malformed link raises
    :class:`SocialError` naming it.

    >>> parse_invite_link("t.me/+AbCdEfGh12_x")["kind"]
    'private_invite'
    >>> parse_invite_link("https://t.me/joinchat/AAAAAEHbAQcrB0VhXxEyHw")["code"]
    'AAAAAEHbAQcrB0VhXxEyHw'
    >>> r = parse_invite_link("https://telegram.me/s/Dunki_Raja/12")
    >>> r["kind"], r["name"], r["post"], r["link"]
    ('public_post', 'dunki_raja', 12, 'https://t.me/dunki_raja/12')
    >>> parse_invite_link("paigham.example/+Xy12AbCdEf34")["service"]
    'paigham'
    >>> parse_invite_link("t.me/+923005551234")["kind"]
    'phone_link'
    >>> parse_invite_link("t.me/+ab")
    Traceback (most recent call last):
    ...
    osintlab.social.SocialError: link 't.me/+ab': invite code 'ab' is too short (8 or more letters, digits, '_' or '-')
    """
    if not isinstance(link, str) or not link.strip():
        raise SocialError(f"expected a link as text, got {link!r:.60}")
    raw = link.strip().rstrip(".,;:!?")
    if raw.lower().startswith("tg://"):
        return _parse_tg_scheme(raw, link)
    u = raw if "://" in raw else "https://" + raw
    m = re.match(r"https?://([^/?#]+)(/[^?#]*)?(\?[^#]*)?", u, re.I)
    host = m.group(1).lower() if m else ""
    host = host[4:] if host.startswith("www.") else host
    if host not in INVITE_HOSTS:
        raise SocialError(
            f"link {link!r}: host {host or '(none)'!r} is not a Telegram-style link host "
            f"({', '.join(sorted(INVITE_HOSTS))})"
        )
    service = INVITE_HOSTS[host]
    base = "https://t.me" if service == "telegram" else "https://paigham.example"
    parts = [p for p in (m.group(2) or "").split("/") if p]
    if not parts:
        raise SocialError(f"link {link!r}: no name or invite code after the host")
    head = parts[0]

    def code_of(code):
        if not _INVITE_CODE_RE.fullmatch(code):
            why = "is too short" if len(code) < 8 else "has characters an invite code never has"
            raise SocialError(
                f"link {link!r}: invite code {code!r} {why} (8 or more letters, digits, '_' or '-')"
            )
        return code

    out = {"link": "", "service": service, "kind": "", "name": "", "code": "", "chat_id": "",
           "post": None}  # fmt: skip
    if head.startswith("+") or head.startswith("%2B"):
        code = head[1:] if head.startswith("+") else head[3:]
        if code.isdigit() and 7 <= len(code) <= 15:
            out.update(kind="phone_link", name="+" + code, link=f"{base}/+{code}")
        else:
            out.update(kind="private_invite", code=code_of(code), link=f"{base}/+{code}")
    elif head.lower() == "joinchat":
        if len(parts) < 2:
            raise SocialError(f"link {link!r}: joinchat without an invite code")
        code = code_of(parts[1])
        out.update(kind="legacy_invite", code=code, link=f"{base}/joinchat/{code}")
    elif head.lower() == "c":
        if len(parts) < 2 or not parts[1].isdigit():
            raise SocialError(f"link {link!r}: a /c/ link needs a numeric chat id")
        out.update(kind="private_post", chat_id=parts[1])
        if len(parts) > 2 and parts[2].isdigit():
            out["post"] = int(parts[2])
        out["link"] = f"{base}/c/{parts[1]}" + (f"/{out['post']}" if out["post"] else "")
    elif head.lower() in _NOT_A_CHAT:
        raise SocialError(f"link {link!r}: a /{head}/ link is a {service} service, not a chat")
    else:
        rest = parts[1:] if head.lower() == "s" else parts
        if not rest:
            raise SocialError(f"link {link!r}: /s/ without a channel name")
        name = rest[0].lstrip("@")
        if not _NAME_RE[service].fullmatch(name):
            raise SocialError(
                f"link {link!r}: {name!r} is not a valid {service} name (letters, digits, "
                "'_'; 4 to 32 characters, starting with a letter)"
            )
        out.update(kind="public", name=name.lower(), link=f"{base}/{name.lower()}")
        if len(rest) > 1 and rest[1].isdigit():
            out.update(kind="public_post", post=int(rest[1]), link=f"{out['link']}/{rest[1]}")
    out["can_see"], out["to_request"] = LINK_KINDS[out["kind"]]
    return out


def _parse_tg_scheme(raw: str, link: str) -> dict:
    """``tg://join?invite=CODE`` and ``tg://resolve?domain=NAME`` (links inside apps)."""
    m = re.match(r"tg://(join|resolve)\?(?:.*&)?(invite|domain)=([^&#]+)", raw, re.I)
    if not m:
        raise SocialError(f"link {link!r}: not a tg://join?invite=… or tg://resolve?domain=… link")
    if m.group(1).lower() == "join":
        return parse_invite_link(f"t.me/+{m.group(3)}")
    return parse_invite_link(f"t.me/{m.group(3)}")


_LINK_IN_TEXT_RE = re.compile(
    r"(?:tg://(?:join|resolve)\?[^\s<>\"']+|(?:https?://)?(?:www\.)?"
    r"(?:t\.me|telegram\.me|telegram\.dog|paigham\.example)/[^\s<>\"'()]*)",
    re.I,
)


def invite_links_table(posts, *, text_col: str = "text", id_col: str = "post_id",
                       extra_cols=("account_id", "posted_utc")):  # fmt: skip
    """Every Telegram-style link in a table of posts (or bios, or pages), read with
    :func:`parse_invite_link`: one row per link with ``id_col``, the ``extra_cols`` present,
    ``raw``, ``link``, ``service``, ``kind``, ``name``, ``code`` and ``problem``. A malformed
    link does not stop the batch: its row has an empty ``kind`` and the reason in ``problem``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"post_id": ["P1", "P2"],
    ...                    "text": ["Join t.me/+AbCdEfGh12 now", "old: t.me/joinchat/xy"]})
    >>> invite_links_table(df)[["post_id", "kind", "code", "problem"]].values.tolist()
    [['P1', 'private_invite', 'AbCdEfGh12', ''], ['P2', '', '', "link 't.me/joinchat/xy': invite code 'xy' is too short (8 or more letters, digits, '_' or '-')"]]
    """
    import pandas as pd

    _require_columns(posts, [text_col, id_col], "posts")
    extras = [c for c in extra_cols if c in posts.columns]
    cols = [id_col, *extras, "raw", "link", "service", "kind", "name", "code", "problem"]
    rows = []
    for key, text in zip(zip(*(posts[c].tolist() for c in [id_col, *extras])), posts[text_col]):
        t = _norm(text)
        if "/" not in t:
            continue
        for m in _LINK_IN_TEXT_RE.finditer(t):
            raw = m.group(0).rstrip(".,;:!?")
            try:
                r = parse_invite_link(raw)
                rows.append((*key, raw, r["link"], r["service"], r["kind"], r["name"], r["code"],
                             ""))  # fmt: skip
            except SocialError as e:
                rows.append((*key, raw, "", "", "", "", "", str(e)))
    return pd.DataFrame(rows, columns=cols)


#: Kinds of entry a channel directory lists, and the statuses it shows.
DIRECTORY_KINDS = ("channel", "group", "private channel", "private group")
DIRECTORY_STATUSES = ("active", "link expired")


def read_directory(text: str):
    """The entries of a channel-directory page (like the public catalogues of Telegram
    channels) as a table: ``listing``, ``title``, ``kind``, ``link``, ``members``, ``language``,
    ``listed``, ``status``, plus the ``name`` or ``code`` read from the link, so that links
    found in posts can be matched by code or name — never by title, which anyone can copy.

    A directory lists one entry a line as
    ``listing | title | kind | link | members | language | listed | status``; other lines
    are skipped. A line with an unknown kind or status, or a bad link, raises
    :class:`SocialError` naming the line. A directory is a third party's copy: its member
    count and "listed" date are what it saw, not the provider's record.

    >>> d = read_directory("PD-0001 | Jobs Group | private group | t.me/+AbCdEfGh12 | 1,200 | ur | 2026-01-05 | active")
    >>> d[["listing", "code", "members"]].values.tolist()
    [['PD-0001', 'AbCdEfGh12', 1200]]
    """
    import pandas as pd

    cols = ["listing", "title", "kind", "link", "members", "language", "listed", "status",
            "name", "code"]  # fmt: skip
    rows = []
    for n, line in enumerate(str(text).splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 8 or not re.fullmatch(r"[A-Z]{2,4}-\d{2,6}", parts[0]):
            continue
        listing, title, kind, link, members, lang, listed, status = parts
        where = f"directory line {n} ({listing})"
        if kind.lower() not in DIRECTORY_KINDS:
            raise SocialError(f"{where}: unknown kind {kind!r}; expected one of {DIRECTORY_KINDS}")
        if status.lower() not in DIRECTORY_STATUSES:
            raise SocialError(
                f"{where}: unknown status {status!r}; expected one of {DIRECTORY_STATUSES}"
            )
        try:
            r = parse_invite_link(link)
        except SocialError as e:
            raise SocialError(f"{where}: {e}") from None
        digits = re.sub(r"[,\s]", "", _norm(members))
        if not digits.isdigit():
            raise SocialError(f"{where}: member count {members!r} is not a number")
        rows.append((listing, title, kind.lower(), r["link"], int(digits), lang, listed,
                     status.lower(), r["name"], r["code"]))  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def account_age(accounts, *, on=None):
    """How old each account is, next to what its profile claims.

    Returns ``accounts`` with ``age_days`` (days from ``created`` to ``on``, default today in
    UTC) and ``claimed_since`` (a year the bio claims: "since 2009", "est. 2011", "serving
    since 2010", "১৯৯৮ সাল থেকে"; empty when none) and ``years_claimed_before_created`` (the
    claimed year's distance before the creation year). A page created weeks ago that claims
    fifteen years of service is a front rebuilt after a takedown — or a page that moved: a
    check, not a proof.

    >>> import pandas as pd
    >>> acc = pd.DataFrame({"account_id": ["1"], "created": ["2026-01-02"],
    ...                     "bio": ["Trusted overseas jobs, serving since 2009"]})
    >>> account_age(acc, on="2026-03-01")[["age_days", "claimed_since",
    ...                                     "years_claimed_before_created"]].iloc[0].tolist()
    [58, 2009, 17]
    """
    import pandas as pd

    _require_columns(accounts, ["created", "bio"], "accounts")
    out = accounts.copy()
    created = pd.to_datetime(out["created"], errors="coerce")
    if created.isna().any():
        bad = out.loc[created.isna(), "created"].iloc[0]
        raise SocialError(f"account_age: created date {bad!r} is not YYYY-MM-DD")
    day = pd.Timestamp(on) if on is not None else pd.Timestamp.now(tz="UTC").tz_localize(None)
    out["age_days"] = (day.normalize() - created).dt.days
    years = out["bio"].fillna("").map(lambda b: _claimed_year(_norm(b)))
    out["claimed_since"] = years.astype("Int64")
    out["years_claimed_before_created"] = (created.dt.year - out["claimed_since"]).astype("Int64")
    return out


_SINCE_RE = re.compile(
    r"(?:since|est\.?|established(?:\s+in)?|founded(?:\s+in)?|serving\s+since|from)\s+"
    r"((?:19|20)\d\d)\b|((?:19|20)\d\d)\s*(?:সাল\s*থেকে|سے)",
    re.I,
)


def _claimed_year(bio: str):
    m = _SINCE_RE.search(bio)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def post_explorer(posts, scores=None, actors: dict | None = None, rows: int = 12):
    """An ipywidgets explorer: filter posts by platform, language, indicator and actor.

    ``scores`` is the output of :func:`score_posts` (joined on ``post_id``); ``actors`` maps
    ``account_id`` to an actor label (from :func:`merge_actors`). For learning only: graded
    cells never depend on widget state.
    """
    import ipywidgets as w
    import pandas as pd
    from IPython.display import display

    _require_columns(posts, ["post_id", "platform", "language", "text"], "posts")
    df = posts.copy()
    if scores is not None:
        df = df.merge(
            scores[
                [
                    "post_id",
                    "recruitment_score",
                    "smuggling_score",
                    "recruitment_hits",
                    "smuggling_hits",
                ]
            ],
            on="post_id",
            how="left",
        )
    if actors is not None:
        df["actor"] = df["account_id"].map(actors).fillna("")
    indicators = sorted({i for lst in INDICATORS.values() for i in lst})
    platform = w.Dropdown(
        options=["(all)"] + sorted(df["platform"].unique()), description="platform"
    )
    language = w.Dropdown(
        options=["(all)"] + sorted(df["language"].unique()), description="language"
    )
    indicator = w.Dropdown(options=["(any)"] + indicators, description="indicator")
    actor = w.Dropdown(
        options=["(all)"] + (sorted(set(df["actor"]) - {""}) if "actor" in df else []),
        description="actor",
    )
    out = w.Output()

    def show(_=None):
        d = df
        if platform.value != "(all)":
            d = d[d["platform"] == platform.value]
        if language.value != "(all)":
            d = d[d["language"] == language.value]
        if indicator.value != "(any)" and "recruitment_hits" in d:
            hit = d["recruitment_hits"].str.contains(indicator.value, regex=False) | d[
                "smuggling_hits"
            ].str.contains(indicator.value, regex=False)
            d = d[hit.fillna(False)]
        if actor.value != "(all)" and "actor" in d:
            d = d[d["actor"] == actor.value]
        cols = [
            c
            for c in (
                "post_id",
                "platform",
                "handle_at_post",
                "language",
                "actor",
                "recruitment_score",
                "smuggling_score",
                "text",
            )
            if c in d
        ]
        out.clear_output()
        with out:
            print(f"{len(d)} posts match")
            with pd.option_context("display.max_colwidth", 90):
                display(d[cols].head(rows))

    for dd in (platform, language, indicator, actor):
        dd.observe(show, names="value")
    show()
    return w.VBox([w.HBox([platform, language]), w.HBox([indicator, actor]), out])


def shorten_ids(obj, ids):
    """``obj`` (text, a Series or a table) with every one of ``ids`` written short, first four
    and last three characters ('1000…907'): the lesson shows *where* an id is without handing
    over an id that an exercise asks you to find.

    >>> shorten_ids("chaupal://page/100004002163907", ["100004002163907"])
    'chaupal://page/1000…907'
    >>> import pandas as pd
    >>> shorten_ids(pd.DataFrame({"id": ["100004002163907", "42"]}), ["100004002163907"])["id"].tolist()
    ['1000…907', '42']
    """
    import pandas as pd

    ids = sorted({str(i) for i in ids if len(str(i)) > 7}, key=len, reverse=True)

    def short(value):
        if not isinstance(value, str):
            return value
        for i in ids:
            value = value.replace(i, f"{i[:4]}…{i[-3:]}")
        return value

    if isinstance(obj, pd.DataFrame):
        out = obj.copy()
        out.index = [short(str(i)) if isinstance(i, str) else i for i in out.index]
        for col in out.columns:
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = out[col].map(short)
        return out
    if isinstance(obj, pd.Series):
        return obj.map(short)
    return short(obj)


def chart_tips(key) -> dict:
    """Hover tips for :func:`osintlab.charts.hover` from the ``key`` table of
    :func:`actor_chart`: each label with what it is, its id or full value, and its platform and
    name.

    >>> import pandas as pd
    >>> chart_tips(pd.DataFrame([{"label": "@jobs", "what": "account", "id or value": "42",
    ...                           "platform": "chaupal", "display_name": "Jobs Desk"}]))
    {'@jobs': 'account 42 · chaupal · Jobs Desk'}
    """
    tips = {}
    for r in key.to_dict("records"):
        parts = [
            f"{r['what']} {r['id or value']}",
            r.get("platform", ""),
            r.get("display_name", ""),
        ]
        tips[r["label"]] = " · ".join(str(p) for p in parts if p)
    return tips
