"""osintlab.search: query language, exact Boolean semantics, ranking, translation, log, usernames,
spelling variants — on a tiny hand-made web and on the scenario's offline web."""

import re
import sqlite3

import pytest

from osintlab import search as S
from osintlab.scenario.views.v01_web import create_web_db
from osintlab.scenario.webpages import _page

# ---------------------------------------------------------------------------------------------
# A tiny web whose answers we know by heart
# ---------------------------------------------------------------------------------------------

TINY = [
    _page(
        "https://jobs.a.example/1",
        "Free visa jobs in Dubai",
        ["Free visa and air ticket. Call 0300-5551234.", "No interview needed."],
        "2026-01-10",
    ),
    _page(
        "https://a.example/apply",
        "Apply now",
        ["Data entry operator, Bangkok. Free ticket."],
        "2026-02-01",
    ),
    _page(
        "https://b.example/news/2", "Donkey for sale", ["Healthy donkey, livestock."], "2025-12-31"
    ),
    _page(
        "https://c.example/x.pdf",
        "Circular",
        ["Visa rules for Dubai workers."],
        "2026-03-05",
        filetype="pdf",
    ),
    _page(
        "https://notab.example/z",
        "Jobs",
        ["Dunki route Iran Turkey Greece, fee 25 lakh."],
        "2026-01-20",
        language="ur-Latn",
    ),
    _page("https://d.example/bn", "দুবাই চাকরি", ["ভিসা ফ্রি, যোগাযোগ করুন"], "2026-01-05", language="bn"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    db = tmp_path_factory.mktemp("tinyweb") / "pages.sqlite"
    con = sqlite3.connect(db)
    create_web_db(con, sorted(TINY, key=lambda p: p["url"]))
    con.commit()
    con.close()
    eng = S.Engine(db)
    yield eng
    eng.close()


def urls(eng, q):
    return {eng.meta.urls[d] for d in eng.ids(q)}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("visa", {"https://jobs.a.example/1", "https://c.example/x.pdf"}),
        ("VISA dubai", {"https://jobs.a.example/1", "https://c.example/x.pdf"}),
        ('"free visa"', {"https://jobs.a.example/1"}),
        ('"visa free"', set()),
        ("free -visa", {"https://a.example/apply"}),
        ("donkey OR dunki", {"https://b.example/news/2", "https://notab.example/z"}),
        ("donkey | dunki", {"https://b.example/news/2", "https://notab.example/z"}),
        ("(donkey OR dunki) -livestock", {"https://notab.example/z"}),
        ("free ticket OR donkey", {"https://jobs.a.example/1", "https://a.example/apply"}),
        ("site:a.example", {"https://jobs.a.example/1", "https://a.example/apply"}),
        ("site:jobs.a.example", {"https://jobs.a.example/1"}),
        ("site:example -site:a.example filetype:pdf", {"https://c.example/x.pdf"}),
        ("site:b.example/news", {"https://b.example/news/2"}),
        ("site:b.example/new", set()),
        ("inurl:apply", {"https://a.example/apply"}),
        ("inurl:a.example", {"https://jobs.a.example/1", "https://a.example/apply"}),
        ("inurl:TAB", {"https://notab.example/z"}),
        ("intitle:visa", {"https://jobs.a.example/1"}),
        ("intext:visa", {"https://jobs.a.example/1", "https://c.example/x.pdf"}),
        ('intitle:"free visa"', {"https://jobs.a.example/1"}),
        ("filetype:pdf", {"https://c.example/x.pdf"}),
        ("ext:PDF", {"https://c.example/x.pdf"}),
        ("before:2026-01-10", {"https://b.example/news/2", "https://d.example/bn"}),
        ("after:2026-01-20", {"https://a.example/apply", "https://c.example/x.pdf"}),
        ('"free * ticket"', set()),
        ('"and * ticket"', {"https://jobs.a.example/1"}),
        ('"free * * ticket"', set()),
        ('"free * * * ticket"', {"https://jobs.a.example/1"}),
        ('"operator * free"', {"https://a.example/apply"}),
        ('"free visa and * ticket"', {"https://jobs.a.example/1"}),
        ("visa AROUND(2) ticket", {"https://jobs.a.example/1"}),
        ("free AROUND(0) ticket", {"https://a.example/apply"}),
        ("rules AROUND(0) dubai", set()),
        ("free AROUND(3) free", set()),
        ('"free visa" AROUND(2) visa', set()),
        ("visa AROUND(8) visa", set()),
        ("free AROUND(5) free OR intitle:circular", {"https://c.example/x.pdf"}),
        ('"0300-5551234"', {"https://jobs.a.example/1"}),
        ("0300-5551234", {"https://jobs.a.example/1"}),
        ("5551234", {"https://jobs.a.example/1"}),
        ("555", set()),
        ("চাকরি", {"https://d.example/bn"}),
        ('"ভিসা ফ্রি"', {"https://d.example/bn"}),
        (
            "-visa -free",
            {"https://b.example/news/2", "https://notab.example/z", "https://d.example/bn"},
        ),
        ("visa AND dubai", {"https://jobs.a.example/1", "https://c.example/x.pdf"}),
    ],
)
def test_exact_result_sets_on_a_tiny_web(tiny, query, expected):
    assert urls(tiny, query) == expected


def test_ranking_title_before_body_and_snippets(tiny):
    df = tiny.search("visa")
    assert list(df.columns[:5]) == ["rank", "url", "title", "snippet", "published"]
    assert df.url.iloc[0] == "https://jobs.a.example/1"  # in title and body
    assert df["rank"].tolist() == [1, 2]
    assert "**visa**" in df.snippet.iloc[0].lower()
    assert df.total == 2
    assert tiny.search("visa", limit=1).shape[0] == 1
    # Queries without words: newest first.
    assert tiny.search("site:a.example").url.tolist() == [
        "https://a.example/apply",
        "https://jobs.a.example/1",
    ]
    with pytest.raises(ValueError, match="limit"):
        tiny.search("visa", limit=0)


def test_engine_refuses_a_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError, match="no offline-web database"):
        S.Engine(tmp_path / "nope.sqlite")


# ---------------------------------------------------------------------------------------------
# Syntax errors point at the mistake
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, position, reason",
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ('visa "free ticket', 5, "unbalanced quote"),
        ("(visa OR dunki", 0, "never closed"),
        ("visa) dunki", 4, "has no '('"),
        ("visa ((a) b", 5, "never closed"),
        ("foo:bar visa", 0, "unknown operator foo:"),
        ("visa related:x.example", 5, "not supported"),
        ("before:2026-13-01", 7, "YYYY-MM-DD"),
        ("after:yesterday", 6, "YYYY-MM-DD"),
        ("after:2026-1-5", 6, "YYYY-MM-DD"),
        ("visa*", 4, "only inside quotes"),
        ("OR visa", 0, "OR needs"),
        ("visa OR", 5, "OR needs"),
        ("visa OR OR dunki", 5, "OR needs"),
        ("- visa", 0, "directly before"),
        ("visa -", 5, "directly before"),
        ("a AROUND(x) b", 2, "AROUND(n)"),
        ("AROUND(3) b", 0, "both sides"),
        ("a AROUND(3) site:x.example", 2, "both sides"),
        ('a AROUND(2) "b * c"', 2, "no *"),
        ("a AROUND(2) b AROUND(2) c", 14, "chains"),
        ("()", 0, "empty parentheses"),
        ("site: visa", 0, "needs a value"),
        ("site:!!", 5, "domain"),
        ("filetype:p.d.f", 9, "extension"),
        ("!!!", 0, "no letters"),
        ('"* *"', 0, "no letters"),
        ("AND visa", 0, "AND needs"),
        ("visa AND", 5, "AND needs"),
    ],
)
def test_syntax_errors_with_position(query, position, reason):
    with pytest.raises(S.QuerySyntaxError) as info:
        S.parse(query)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.position == position, str(err)
    assert reason in err.reason
    assert str(err).splitlines()[-1].index("^") - 4 == position


def test_parse_tree_and_precedence():
    tree = S.parse("a b OR c -d")
    assert isinstance(tree, S.And) and isinstance(tree.items[1], S.Or)
    assert isinstance(tree.items[2], S.Not)
    assert S.parse("“free visa”") == S.Match(("free", "visa"))
    assert S.parse("intitle:x") == S.Match(("x",), "title")
    with pytest.raises(S.QuerySyntaxError):
        S.parse(None)


def test_tokenize():
    assert S.tokenize("Free-VISA, 0300-5551234 wa.me/92300") == [
        "free",
        "visa",
        "0300",
        "5551234",
        "wa",
        "me",
        "92300",
    ]
    assert S.tokenize("দুবাইতে চাকরি") == ["দুবাইতে", "চাকরি"]
    assert S.tokenize("نوکری! دبئی") == ["نوکری", "دبئی"]
    with pytest.raises(TypeError):
        S.tokenize(5)


# ---------------------------------------------------------------------------------------------
# The scenario's web: >= 5,000 pages, the index agrees with a plain pandas scan
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    return S.load_corpus()


def test_load_corpus(corpus):
    assert len(corpus) >= 5000
    assert list(corpus.columns) == [
        "url",
        "site",
        "title",
        "text",
        "filetype",
        "published",
        "language",
    ]
    assert {"en", "ur", "ur-Latn", "bn"} <= set(corpus.language)
    assert {"html", "pdf", "docx", "xls"} <= set(corpus.filetype)
    assert corpus.url.is_unique


QUERIES = [
    "dunki",
    '"free visa"',
    "visa -dubai",
    "(dunki OR donkey OR ڈنکی) -livestock",
    "site:bazaar-ads.example dunki",
    'intitle:"licence" site:oep-register.example',
    "inurl:downloads filetype:pdf",
    "before:2026-01-01 after:2025-12-01 visa",
    '"visa * ticket"',
    "visa AROUND(3) ticket",
    "naukri OR nokri OR nokari",
    "চাকরি",
    "نوکری",
    "-visa -dubai -jobs",
    "intext:lakh intitle:europe",
    "site:example filetype:xls",
    '"processing fee" OR "USDT"',
    "fee AROUND(1) lakh -site:bazaar-ads.example",
]


@pytest.mark.parametrize("query", QUERIES)
def test_index_equals_pandas_scan(corpus, query):
    expected = set(corpus.loc[S.matches(query, corpus), "url"])
    got = S.search(query)
    assert set(got.url) == expected
    assert got.total == len(expected) == S.count(query)
    assert got.url.is_unique


def test_random_queries_index_equals_scan(corpus):
    import random

    rng = random.Random(2026)
    words = [
        "visa",
        "dubai",
        "free",
        "dunki",
        "donkey",
        "lakh",
        "fee",
        "ticket",
        "jobs",
        "চাকরি",
        "نوکری",
        "europe",
        "licence",
        "hotel",
    ]
    filters = [
        "site:bazaar-ads.example",
        "site:example",
        "filetype:pdf",
        "inurl:jobs",
        "before:2026-01-01",
        "after:2025-10-15",
        "intitle:jobs",
        'intext:"free visa"',
        "site:bazaar-ads.example/item",
    ]

    def atom(depth):
        r = rng.random()
        if r < 0.35:
            return rng.choice(words)
        if r < 0.5:
            return '"' + " ".join(rng.choice(words + ["*"]) for _ in range(2)) + '"'
        if r < 0.7:
            return rng.choice(filters)
        if r < 0.8:
            return f"{rng.choice(words)} AROUND({rng.randrange(4)}) {rng.choice(words)}"
        return "(" + expr(depth + 1) + ")" if depth < 2 else rng.choice(words)

    def expr(depth=0):
        parts = []
        for _ in range(rng.randrange(1, 4)):
            a = ("-" if rng.random() < 0.3 else "") + atom(depth)
            parts.append(a + (" OR " + atom(depth) if rng.random() < 0.3 else ""))
        return " ".join(parts)

    checked = 0
    for _ in range(80):
        q = expr()
        try:
            got = set(S.search(q, limit=None).url)
        except S.QuerySyntaxError:
            continue
        assert got == set(corpus.loc[S.matches(q, corpus), "url"]), q
        checked += 1
    assert checked > 40


def test_search_results_shape_and_limit():
    df = S.search("dunki", limit=5)
    assert len(df) == 5 and df.total > 5
    assert df.score.is_monotonic_decreasing
    assert all("**" in s for s in df.snippet)
    with pytest.raises(ValueError):
        S.search("dunki", limit=-1)
    with pytest.raises(S.QuerySyntaxError):
        S.search('"unclosed')


def test_phone_query_finds_every_format(corpus):
    from osintlab.data import DEFAULT_SEED
    from osintlab.scenario import build_world
    from osintlab.scenario.webcorpus import corpus as make
    from osintlab.scenario.webcorpus import phone_forms

    _, truth = make(build_world(DEFAULT_SEED))
    wa = truth["wa_number"]
    with_number = {
        u for u, t in zip(corpus.url, corpus.text) if any(f in t for f in phone_forms(wa))
    }
    assert len(with_number) >= 8
    assert set(S.search(S.phone_query(wa)).url) == with_number
    with pytest.raises(ValueError, match="E.164"):
        S.phone_query("0300-5551234")


# ---------------------------------------------------------------------------------------------
# Translation, log, usernames, spelling variants
# ---------------------------------------------------------------------------------------------


def test_translate_for_each_engine():
    q = (
        '"free * ticket" (dunki OR donkey) site:x.example -livestock before:2026-03-01 '
        "intext:lakh visa AROUND(3) fee filetype:pdf intitle:jobs inurl:apply"
    )
    g, gw = S.translate(q, "google")
    assert gw == [] and "AROUND(3)" in g and "before:2026-03-01" in g
    b, bw = S.translate(q, "Bing")
    assert "inbody:lakh" in b and "before:" not in b and "AROUND" not in b
    assert any("before:" in w for w in bw) and any("AROUND" in w for w in bw)
    assert any("inurl:" in w for w in bw) and "inurl:" not in b
    d, dw = S.translate(q, "duckduckgo")
    assert "intext:" not in d and any("intext:" in w for w in dw)
    y, yw = S.translate(q, "yandex")
    assert "(dunki | donkey)" in y and "date:<20260301" in y and "mime:pdf" in y
    assert "title:jobs" in y and '"free * ticket"' in y
    assert not any("*" in w for w in yw)
    t = S.translate_all(q)
    assert t.engine.tolist() == ["Google", "Bing", "DuckDuckGo", "Yandex"]
    with pytest.raises(ValueError, match="unknown engine"):
        S.translate("visa", "altavista")
    with pytest.raises(S.QuerySyntaxError):
        S.translate("(visa", "google")


def test_search_log_records_and_verifies(tmp_path):
    log = S.SearchLog(officer="Trainee", case_ref="SR-TEST")
    hits = log.search("dunki", limit=3)
    log.search("site:bazaar-ads.example donkey")
    df = log.to_frame()
    assert df.columns.tolist() == [
        "n",
        "utc",
        "query",
        "results",
        "result_hash",
        "engine",
        "officer",
        "case_ref",
    ]
    assert df.n.tolist() == [1, 2] and df.utc.str.endswith("Z").all()
    assert df.results.iloc[0] == hits.total
    assert df.result_hash.iloc[0] == S.result_hash(S.search("dunki").url.tolist())
    assert log.verify() == []
    log.entries[0]["result_hash"] = "0" * 64
    assert log.verify() and "entry 1" in log.verify()[0]
    p = log.save(tmp_path / "log.csv")
    assert p.read_text().count("\n") == 3
    assert log.save(tmp_path / "log.jsonl").read_text().count("\n") == 2
    with pytest.raises(TypeError):
        S.result_hash([1, 2])


def test_find_username_exact_and_variants():
    from osintlab.data import DEFAULT_SEED
    from osintlab.scenario import build_world
    from osintlab.scenario.webcorpus import corpus as make

    _, truth = make(build_world(DEFAULT_SEED))
    df = S.find_username(truth["recruiter_handle"])
    assert set(truth["enumeration_mine"]) <= set(df.url)
    assert set(truth["enumeration_decoys"]) <= set(df.url)
    assert (df.match == "exact").sum() >= 2
    assert set(df.platform) >= {"Jhalak", "Pardes Forum", "Bazaar Ads", "Paigham"}
    assert S.find_username("zz-nobody-here").empty
    with pytest.raises(ValueError, match="not a username"):
        S.find_username("bad handle!")


def test_username_variants():
    v = S.username_variants("@Raja_Jobs7")
    assert {"raja_jobs7", "raja.jobs", "rajajobs", "raja-jobs7"} <= set(v)
    with pytest.raises(ValueError):
        S.username_variants("")


def test_spelling_variants_and_expand():
    v = S.spelling_variants("Nokri")
    assert {"naukri", "nokri", "نوکری", "চাকরি"} <= set(v)
    assert "dubae" in S.spelling_variants("dubai", in_corpus=True)
    assert set(S.spelling_variants("dubai", in_corpus=True)) <= set(S.spelling_variants("dubai"))
    assert S.spelling_variants("zxqv") == ["zxqv"]
    q = S.expand("naukri dubai")
    assert q.startswith("(") and " OR " in q
    assert S.count(q) >= S.count("naukri dubai")
    with pytest.raises(ValueError):
        S.spelling_variants("two words")
    with pytest.raises(ValueError):
        S.expand([])


def test_render_html_and_widget():
    html = S.render_html(S.search("dunki", limit=3))
    assert "<mark>" in html and "page(s) match" in html
    assert "No pages" in S.render_html(S.search("zzzqqq"))
    page = S.search_page("dunki")
    assert "mark" in page.children[2].value
    page.children[0].children[0].value = '"broken'
    page.children[0].children[1].click()
    assert "unbalanced quote" in page.children[2].value


def test_import_osintlab_stays_light():
    import subprocess
    import sys

    code = "import sys, osintlab; print('pandas' in sys.modules, 'osintlab.search' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.split() == ["False", "False"]
    assert re.match(r"\d", "1")


# ---------------------------------------------------------------------------------------------
# The package split: every example runs, reference data agrees with the generator
# ---------------------------------------------------------------------------------------------


def test_reference_data_matches_the_generator():
    import random

    from osintlab.reference import platforms
    from osintlab.scenario import identifiers as ids
    from osintlab.scenario import webcorpus
    from osintlab.search import usernames

    assert platforms.PROFILE_URLS == webcorpus.PROFILE_URLS
    assert platforms.PLATFORM_NAMES == webcorpus.PLATFORM_NAMES
    rng = random.Random(3)
    for country in ids.PHONE_PLANS:
        n = ids.phone_number(rng, country)
        assert usernames._typed_forms(n) == (
            ids.format_phone_local(n, "national"),
            ids.format_phone_local(n, "spaced"),
        )


def test_search_results_carry_query_and_total(tiny):
    hits = tiny.search("visa", limit=1)
    assert isinstance(hits, S.SearchResults) and hits.query == "visa" and hits.total >= 2
    assert len(hits) == 1 and hits["url"].tolist() == hits.table["url"].tolist()
    assert "page(s) match 'visa', showing 1" in repr(hits) and "<table" in hits._repr_html_()
    assert f"{hits.total} page(s) match" in S.render_html(hits)


# ---------------------------------------------------------------------------------------------
# Scripts, code points and digits; engines' precedence and length limits (issue 20, item 4)
# ---------------------------------------------------------------------------------------------

SCRIPT_WEB = [
    _page("https://s.example/arabic-keyboard", "ad", ["ڈنكي لگاؤ يورپ"], "2026-01-01", "ur"),
    _page("https://s.example/diacritics", "ad", ["ڈَنْکی روٹ"], "2026-01-02", "ur"),
    _page("https://s.example/zwnj", "ad", ["ڈن\u200cکی گیم"], "2026-01-03", "ur"),
    _page("https://s.example/bengali-digits", "ad", ["ফোন: ০১৭১১-৫৫৫১২৩"], "2026-01-04", "bn"),
    _page("https://s.example/urdu-digits", "ad", ["رابطہ: ۰۳۰۰-۵۵۵۱۲۳۴"], "2026-01-05", "ur"),
]


@pytest.fixture(scope="module")
def script_web(tmp_path_factory):
    db = tmp_path_factory.mktemp("scriptweb") / "pages.sqlite"
    con = sqlite3.connect(db)
    create_web_db(con, sorted(SCRIPT_WEB, key=lambda p: p["url"]))
    con.commit()
    con.close()
    eng = S.Engine(db)
    yield eng
    eng.close()


def test_fold_text_folds_keyboards_marks_joiners_and_digits():
    assert S.fold_text("نوكري") == S.fold_text("نوکری") == S.fold_text("نَوکری")
    assert S.fold_text("ڈن\u200cکی") == "ڈنکی"
    assert S.fold_text("০১৭১১ ۰۳۰۰ ٠٣") == "01711 0300 03"
    assert S.tokenize("ফোন ০১৭১১-৫৫৫১২৩") == ["ফোন", "01711", "555123"]


def test_search_finds_every_way_of_typing_the_same_word(script_web):
    urls = {u for u in script_web.search("ڈنکی")["url"]}
    assert urls == {
        "https://s.example/arabic-keyboard",
        "https://s.example/diacritics",
        "https://s.example/zwnj",
    }
    # and the query may be typed on an Arabic keyboard too
    assert set(script_web.search("ڈنكي")["url"]) == urls


def test_phone_numbers_in_bengali_and_urdu_digits_are_found(script_web):
    assert list(script_web.search('"01711-555123"')["url"]) == ["https://s.example/bengali-digits"]
    assert list(script_web.search(S.phone_query("+923005551234"))["url"]) == [
        "https://s.example/urdu-digits"
    ]


def test_mixed_script_word_gives_a_clear_message_naming_it():
    with pytest.raises(S.QuerySyntaxError, match="naukriنوکری.*mixes Latin and Arabic"):
        S.parse("dubai naukriنوکری")
    assert S.scripts_of("نوکری") == ["Arabic"]
    S.parse("naukri OR نوکری")  # two words, two scripts: fine


def test_translate_brackets_every_or_group_and_warns_about_precedence():
    text, warns = S.translate("site:x.example dunki OR donkey -livestock", "bing")
    assert "(dunki OR donkey)" in text
    assert any("AND before OR" in w for w in warns)
    text, warns = S.translate("site:x.example dunki OR donkey", "google")
    assert "(dunki OR donkey)" in text and warns == []  # Google reads OR first, as we do


def test_translate_warns_when_an_engine_would_cut_the_query():
    q = S.expand("naukri dubai visa free")
    text, warns = S.translate(q, "bing")
    assert S.count_terms(text) > 10
    assert any("first 10 terms" in w for w in warns)
    assert not any("terms" in w for w in S.translate("visa dubai", "bing")[1])
    parts = S.split_or_query(q, "bing")
    assert len(parts) > 1 and all(S.count_terms(p) <= 10 for p in parts)
    # together the parts find what the long query finds
    long_hits = set(S.search(q)["url"])
    assert set().union(*(set(S.search(p)["url"]) for p in parts)) == long_hits


def test_partner_thread_pages_are_in_the_corpus(corpus):
    """Module 04's exercise thread exists on the default seed: Bengali and Urdu digits and
    Arabic-keyboard letters occur in the offline web."""
    assert corpus["text"].str.contains("[০-৯]", regex=True).any()
    assert corpus["text"].str.contains("[۰-۹]", regex=True).any()
    assert corpus["text"].str.contains("[يك]", regex=True).any()
