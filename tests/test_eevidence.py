"""Unit tests for osintlab.eevidence: providers, request validation, deadlines, attribution,
rendering — including bad input."""

import dataclasses
import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from osintlab import data
from osintlab import eevidence as ee
from osintlab.timeutil import TimeZoneError


def good_request(**over):
    base = dict(
        kind="voluntary",
        provider="tiktok",
        addressee="TikTok Pte. Ltd.",
        user_country="PK",
        authority="Anti-Human Trafficking Circle, Lahore",
        officer="SI A. Rauf, badge 4471",
        contact_email="ahtc.lahore@fia-gov.example",
        contact_phone="+923005550100",
        timezone="Asia/Karachi",
        case_ref="SR-2026-0001",
        offence="Trafficking in persons and fraudulent recruitment",
        facts="A recruitment front advertises jobs abroad, takes fees and sends recruits to a "
        "scam compound where their passports are taken.",
        identifiers=[("username", "baba.crescentway")],
        data=["subscriber"],
        date_from="2026-02-01T00:00:00+05:00",
        date_to="2026-04-01T00:00:00+05:00",
        link_to_offence="The account posted the fraudulent job adverts seen by victims.",
        necessity="The holder of the account is unknown and collected the victims' fees.",
        legal_basis="Prevention of Electronic Crimes Act 2016 s. 31 (notice through the NCCIA)",
        legal_process="Court order of the Judicial Magistrate, Lahore, dated 1 April 2026 "
        "(attached, with English translation)",
        data_items=["Registration name, e-mail and phone", "Account creation date and IP"],
        non_disclosure=True,
    )
    base.update(over)
    return ee.Request(**base)


# -- providers -------------------------------------------------------------------------------


def test_every_real_provider_fact_has_source_and_date():
    for p in ee.PROVIDERS.values():
        assert p.real
        for row in p.facts():
            assert row["source"] and row["as_of"], (p.provider_id, row["fact"])
            assert row["status"] in {
                "primary",
                "secondary (verify)",
                "course assumption",
                "not verified",
                "primary (US statute)",
            }


def test_addressee_by_user_location():
    assert ee.addressee("tiktok", "PK") == "TikTok Pte. Ltd."
    assert ee.addressee("tiktok", "bd") == "TikTok Pte. Ltd."
    assert ee.addressee("tiktok", "US") == "TikTok USDS Joint Venture LLC"
    assert ee.addressee("tiktok", "IT") == "TikTok Technology Limited"
    assert ee.addressee("tiktok", "GB") == "TikTok Information Technologies UK Limited"
    assert ee.addressee("meta", "DE") == "Meta Platforms Ireland Limited"
    assert ee.addressee("meta", "PK") == "Meta Platforms, Inc."


@pytest.mark.parametrize("bad", ["Pakistan", "", "P", 92, None])
def test_addressee_bad_country(bad):
    with pytest.raises(ee.ProviderError) as e:
        ee.addressee("tiktok", bad)
    assert e.value.field == "user_country"


def test_unknown_provider_and_platform():
    with pytest.raises(ee.ProviderError, match="unknown provider 'myspace'"):
        ee.provider("myspace")
    with pytest.raises(ee.ProviderError):
        ee.provider("")
    with pytest.raises(ee.ProviderError) as e:
        ee.provider_for_platform("orkut")
    assert e.value.field == "platform"
    assert ee.provider_for_platform("jhalak").provider_id == "tiktok"
    assert ee.provider_for_platform("paigham").provider_id == "telegram"
    assert ee.provider("TikTok").provider_id == "tiktok"


def test_check_identifier():
    assert ee.check_identifier("whatsapp", "phone", "+923005551234") is None
    assert "international form" in ee.check_identifier("whatsapp", "phone", "0300-5551234")
    assert "does not accept" in ee.check_identifier("whatsapp", "username", "abc")
    assert "does not accept a display_name" in ee.check_identifier("meta", "display_name", "X Y")
    assert ee.check_identifier("meta", "url", "https://chaupal.example/crescent.jobs") is None
    assert "not a profile link" in ee.check_identifier("meta", "url", "https://evil.example/x")
    assert "unknown" in ee.check_identifier("meta", "shoe_size", "42")
    assert ee.check_identifier("meta", "user_id", "12ab") is not None
    assert "empty" in ee.check_identifier("meta", "user_id", "  ")


def test_wallet_identifiers_are_checksummed():
    provs = ee.load_providers()
    w = data.load("eevidence/needs.csv")
    wallet = w.loc[w["identifier_kind"] == "wallet", "identifier"].iloc[0]
    assert ee.check_identifier("kestrel", "wallet", wallet, provs) is None
    broken = wallet[:-1] + ("A" if wallet[-1] != "A" else "B")
    assert "not a valid" in ee.check_identifier("kestrel", "wallet", broken, provs)


def test_load_providers_round_trip():
    provs = ee.load_providers()
    assert {
        "meta",
        "whatsapp",
        "tiktok",
        "telegram",
        "google",
        "kestrel",
        "tigris",
        "punjabnet",
    } <= set(provs)
    assert provs["tiktok"].as_dict() == ee.PROVIDERS["tiktok"].as_dict()
    assert not provs["kestrel"].real
    table = ee.provider_table(provs)
    assert len(table) == len(provs) and "preservation_status" in table


# -- request model and validation ---------------------------------------------------------------


def test_good_request_has_no_defects():
    assert good_request().validate() == []
    assert good_request().is_valid


@pytest.mark.parametrize(
    "basis",
    [
        "Prevention of Trafficking in Persons Act 2018 s. 3",
        "PTPA 2018 s. 3 (court order attached)",
        "Prevention of Smuggling of Migrants Act 2018 section 3",
        "Emigration Ordinance 1979 s. 18",
        "PECA 2016 s. 22",
        "Pakistan Penal Code s. 420",
        "Prevention and Suppression of Human Trafficking Act 2012 s. 6",
    ],
)
def test_an_offence_section_is_rejected_as_legal_basis(basis):
    """Issue 17 item 6: the legal basis is the procedural power, never the offence."""
    req = dataclasses.replace(good_request(), legal_basis=basis)
    defects = [d for d in req.validate() if d.code == "legal_basis_no_power"]
    assert defects and "is an offence" in str(defects[0]), basis
    assert ee.offence_as_legal_basis(basis) == basis


@pytest.mark.parametrize(
    "basis",
    [
        "Prevention of Electronic Crimes Act 2016 s. 31 (notice through the NCCIA)",
        "PECA 2016 s. 34 warrant, in a PTPA 2018 s. 3 case",
        "Mutual Legal Assistance (Criminal Matters) Act 2020 s. 7",
        "Mutual Assistance in Criminal Matters Act 2012 s. 9",
        "Code of Criminal Procedure 1898 s. 94",
    ],
)
def test_a_procedural_power_is_accepted_as_legal_basis(basis):
    req = dataclasses.replace(good_request(), legal_basis=basis)
    assert "legal_basis_no_power" not in req.defect_codes(), basis
    assert ee.offence_as_legal_basis(basis) == ""


def test_empty_request_names_every_element():
    codes = set(ee.Request(kind="emergency", provider="meta").defect_codes())
    for code in [
        "addressee_missing",
        "user_country_missing",
        "authority_missing",
        "officer_missing",
        "contact_email_missing",
        "contact_phone_missing",
        "timezone_missing",
        "case_ref_missing",
        "offence_missing",
        "facts_missing",
        "identifier_missing",
        "data_missing",
        "date_range_missing",
        "link_missing",
        "necessity_missing",
        "legal_basis_missing",
        "emergency_justification_missing",
    ]:
        assert code in codes, code


@pytest.mark.parametrize(
    "over, code, field",
    [
        ({"addressee": "TikTok Inc."}, "addressee_wrong", "addressee"),
        (
            {"contact_email": "boss@fiasco-traders.example"},
            "contact_email_not_official",
            "contact_email",
        ),
        (
            {"contact_email": "ahtc@courtyardhotel.com"},
            "contact_email_not_official",
            "contact_email",
        ),
        (
            {"legal_basis": "Prevention of Trafficking in Persons Act, 2018"},
            "legal_basis_no_power",
            "legal_basis",
        ),
        ({"legal_process": ""}, "legal_process_missing", "legal_process"),
        ({"non_disclosure": False}, "non_disclosure_missing", "non_disclosure"),
        ({"data_items": []}, "data_items_missing", "data_items"),
        ({"date_from": "2020-01-01T00:00:00Z"}, "period_too_long", "date_from"),
        (
            {
                "provider": "telegram",
                "addressee": "Telegram",
                "identifiers": [("username", "abc_1")],
                "data": ["traffic"],
            },
            "data_not_available",
            "data",
        ),
        ({"contact_email": "rauf@mailbox.example"}, "contact_email_not_official", "contact_email"),
        (
            {"contact_email": "someone@company.example"},
            "contact_email_not_official",
            "contact_email",
        ),
        ({"timezone": "BST"}, "timezone_invalid", "timezone"),
        ({"timezone": "Mars/Olympus"}, "timezone_invalid", "timezone"),
        (
            {"identifiers": [("display_name", "Baba Crescent")]},
            "identifier_not_accepted",
            "identifiers",
        ),
        ({"identifiers": [("phone", "0300-5551234")]}, "identifier_malformed", "identifiers"),
        ({"data": ["content"]}, "content_needs_mla", "data"),
        ({"data": ["everything"]}, "data_category_unknown", "data"),
        ({"date_from": "2026-02-01 00:00"}, "date_range_no_offset", "date_from"),
        ({"date_to": "yesterday"}, "date_range_no_offset", "date_to"),
        ({"date_from": "2026-05-01T00:00:00Z"}, "date_range_impossible", "date_to"),
        ({"provider": "myspace"}, "provider_unknown", "provider"),
        ({"facts": "fraud"}, "facts_missing", "facts"),
    ],
)
def test_each_defect_is_named(over, code, field):
    defects = good_request(**over).validate()
    hit = [d for d in defects if d.code == code]
    assert hit, [str(d) for d in defects]
    assert hit[0].field == field and hit[0].message


def test_kind_specific_elements():
    pres = good_request(kind="preservation")
    assert "follow_up_missing" in pres.defect_codes()
    assert good_request(
        kind="preservation",
        formal_request_will_follow=True,
        contact_24_7="Duty officer +923005550199",
    ).is_valid
    emer = good_request(kind="emergency", emergency_justification="urgent")
    assert "emergency_justification_missing" in emer.defect_codes()
    ok = good_request(
        kind="emergency",
        contact_24_7="Duty officer +923005550199",
        date_from="2026-03-28T00:00:00Z",
        emergency_justification=(
            "The victim reports beatings and will be moved tomorrow; his life is in danger and the "
            "login location is the only lead to find him."
        ),
    )
    assert ok.is_valid, ok.defect_codes()
    assert (
        "contact_24_7_missing"
        in good_request(kind="preservation", formal_request_will_follow=True).defect_codes()
    )
    stuffed = ok.as_dict() | {"emergency_justification": "There is a danger to life. " * 6 + "lol"}
    assert "emergency_justification_missing" in ee.Request.from_dict(stuffed).defect_codes()
    long = ee.Request.from_dict(ok.as_dict() | {"date_from": "2026-03-01T00:00:00Z"})
    assert "period_too_long" in long.defect_codes()
    content = ee.Request.from_dict(ok.as_dict() | {"data": ["subscriber", "content"]})
    assert "content_in_emergency" in content.defect_codes()
    mla = good_request(kind="mla", data=["content"], date_from="2020-01-01T00:00:00Z")
    assert {"earlier_ticket_missing", "period_too_long"} <= set(mla.defect_codes())
    otc = good_request(provider="tigris", addressee="x", identifiers=[])
    assert "no_direct_channel" in otc.defect_codes(ee.load_providers())
    wa = good_request(
        provider="whatsapp",
        addressee="WhatsApp LLC",
        identifiers=[("phone", "+923005551234")],
        data=["content"],
        kind="mla",
    )
    assert "data_not_available" in wa.defect_codes()


def test_future_range_caught_with_now():
    r = good_request(date_to="2026-12-31T00:00:00Z")
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert "date_range_impossible" in r.defect_codes(now=now)


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"kind": "subpoena"}, "kind"),
        ({"data": "subscriber"}, "data"),
        ({"identifiers": ["baba"]}, "identifiers"),
        ({"formal_request_will_follow": "yes"}, "formal_request_will_follow"),
        ({"officer": 5}, "officer"),
    ],
)
def test_request_bad_types(kw, field):
    with pytest.raises(ee.RequestError) as e:
        good_request(**kw)
    assert e.value.field == field


def test_from_dict_round_trip_and_errors():
    r = good_request()
    assert ee.Request.from_dict(json.loads(json.dumps(r.as_dict()))) == r
    with pytest.raises(ee.RequestError, match="unknown request field"):
        ee.Request.from_dict({**r.as_dict(), "colour": "red"})
    with pytest.raises(ee.RequestError):
        ee.Request.from_dict({"kind": "mla"})
    with pytest.raises(ee.RequestError):
        ee.Request.from_dict(["kind", "mla"])


def test_choose_channel_rules():
    assert ee.choose_channel(["subscriber"], "meta", risk_to_life=True) == "emergency"
    assert ee.choose_channel(["subscriber"], "meta", deletion_risk=True) == "preservation"
    assert (
        ee.choose_channel(["subscriber"], "meta", deletion_risk=True, already_preserved=True)
        == "voluntary"
    )
    assert ee.choose_channel(["subscriber", "content"], "meta") == "preservation"
    assert (
        ee.choose_channel(["subscriber", "content"], "meta", already_preserved=True) == "voluntary"
    )
    assert ee.choose_channel(["content"], "meta", already_preserved=True) == "mla"
    assert ee.choose_channel("subscriber", "telegram") == "voluntary"
    provs = ee.load_providers()
    assert ee.choose_channel(["identification"], "punjabnet", providers=provs) == "domestic"
    assert ee.choose_channel(["traffic"], "kestrel", providers=provs) == "voluntary"
    assert ee.choose_channel(["subscriber"], "tigris", providers=provs) == "mla"


def test_plan_requests_is_a_sequence_with_reasons():
    plan = ee.plan_requests(["subscriber", "content"], "meta")
    assert [s.channel for s in plan] == ["preservation", "voluntary", "mla"]
    assert all(s.why and s.route and s.typical_time for s in plan)
    assert "voluntary policy" in plan[0].why and "2702(c)(6)" in plan[1].why
    assert "end-to-end" in plan[2].why
    emer = ee.plan_requests(["subscriber"], "whatsapp", risk_to_life=True)
    assert emer[0].channel == "emergency" and "alert the emergency route first" in emer[0].why
    assert [s.channel for s in ee.plan_requests(["content"], "whatsapp")] == ["device"]
    assert [s.channel for s in ee.plan_requests(["traffic"], "telegram")] == ["device"]


def test_official_email_is_a_word_not_a_substring():
    assert ee.is_official_email("ahtc.lahore@fia-gov.example")
    assert ee.is_official_email("duty@nccia.gov.pk")
    assert not ee.is_official_email("boss@fiasco-traders.example")
    assert not ee.is_official_email("ahtc@courtyardhotel.com")
    assert not ee.is_official_email("rauf@gmail.com") and not ee.is_official_email("a@b@gov.pk")


@pytest.mark.parametrize(
    "args, kw, field",
    [
        (([], "meta"), {}, "categories"),
        ((["stuff"], "meta"), {}, "categories"),
        ((["subscriber"], "meta"), {"risk_to_life": "yes"}, "risk_to_life"),
    ],
)
def test_choose_channel_bad_input(args, kw, field):
    with pytest.raises(ee.RequestError) as e:
        ee.choose_channel(*args, **kw)
    assert e.value.field == field
    with pytest.raises(ee.ProviderError):
        ee.choose_channel(["subscriber"], "myspace")


def test_drafts_defects_match_key():
    from osintlab.grading import check_answer

    provs = ee.load_providers()
    index = data.load("eevidence/drafts/index.csv")
    case = data.load("briefing/case.json")
    now = datetime.fromisoformat(case["received_utc"].replace("Z", "+00:00"))
    found = {}
    for did in index["draft_id"]:
        d = json.loads(data.path(f"eevidence/drafts/{did}.json").read_text(encoding="utf-8"))
        found[did] = ee.Request.from_dict(d).defect_codes(provs, now=now)
    assert check_answer("05.draft_defects", found, quiet=True)


# -- deadlines ---------------------------------------------------------------------------------


def test_deadline_arithmetic():
    d = ee.preservation_deadline("tiktok_policy", "2026-05-04T10:30:00+05:00")
    assert d.expires_utc == datetime(2026, 8, 2, 5, 30, tzinfo=UTC)
    assert d.final_expiry_utc.date() == date(2026, 10, 31)
    assert d.applies_until == d.expires_utc
    ext = ee.preservation_deadline("tiktok_policy", "2026-05-04T10:30:00+05:00", extended=True)
    assert ext.applies_until.date() == date(2026, 10, 31)
    assert [t.date() for _, t in ext.reminders] == [date(2026, 10, 17), date(2026, 10, 24)]
    eu = ee.preservation_deadline("eu_epoc_pr", "2026-01-01T00:00:00Z", extended=True)
    assert eu.expires_utc.date() == date(2026, 3, 2) and eu.applies_until.date() == date(2026, 4, 1)
    assert ee.preservation_deadline("budapest_art29", "2026-01-01T00:00:00Z").regime.minimum
    assert d.days_left("2026-08-01T05:30:00Z") == 1
    assert d.as_dict()["applies_until_utc"] == "2026-08-02T05:30:00Z"
    snap = ee.preservation_deadline("snap_non_us", "2026-01-01T00:00:00Z", extended=True)
    assert snap.applies_until.date() == date(2027, 6, 30)


def test_regimes_say_who_may_invoke_them():
    assert "only US authorities" in ee.REGIMES["us_2703f"].who
    assert "not Pakistan or Bangladesh" in ee.REGIMES["eu_epoc_pr"].who
    assert "not Parties" in ee.REGIMES["budapest_art29"].who
    assert "voluntary" in ee.REGIMES["meta_policy"].who


def test_deadline_midnight_local_changes_utc_date():
    d = ee.preservation_deadline("meta_policy", "2026-04-28T01:10:00+06:00")
    assert d.start_utc.date() == date(2026, 4, 27)
    assert d.expires_utc.date() == date(2026, 7, 26)


@pytest.mark.parametrize(
    "args, kw, field",
    [
        (("tiktok_policy", "2026-05-04 10:30"), {}, "start"),
        (("tiktok_policy", date(2026, 5, 4)), {}, "start"),
        (("tiktok_policy", datetime(2026, 5, 4, 10, 30)), {}, "start"),
        (("tiktok_policy", "soon"), {}, "start"),
        (("us_2703", "2026-05-04T10:30:00Z"), {}, "regime"),
        (("meta_policy", "2026-05-04T10:30:00Z"), {"extended": True}, "extended"),
        (("tiktok_policy", "2026-05-04T10:30:00Z"), {"extended": "yes"}, "extended"),
        (("tiktok_policy", "2026-05-04T10:30:00Z"), {"remind_days": (0,)}, "remind_days"),
        (("eu_epoc_pr", "2026-05-04T10:30:00Z"), {"remind_days": (60,)}, "remind_days"),
    ],
)
def test_deadline_bad_input_never_silent(args, kw, field):
    with pytest.raises(ee.DeadlineError) as e:
        ee.preservation_deadline(*args, **kw)
    assert e.value.field == field
    with pytest.raises(ValueError):
        ee.preservation_deadline(*args, **kw)


# -- attribution --------------------------------------------------------------------------------


def _isp():
    return pd.DataFrame(
        {
            "subscriber_id": ["PN-1", "PN-2", "PN-3", "PN-4"],
            "public_ip": ["203.0.113.9"] * 3 + ["203.0.113.10"],
            "port_start": [1024, 3072, 1024, None],
            "port_end": [3071, 5119, 3071, None],
            "session_start": [
                "2026-03-01 14:00:00",
                "2026-03-01 14:00:00",
                "2026-03-01 16:00:03",
                "2026-03-01 10:00:00",
            ],
            "session_end": [
                "2026-03-01 16:00:00",
                "2026-03-01 18:00:00",
                "2026-03-01 20:00:00",
                "2026-03-01 22:00:00",
            ],
        }
    )


def _log(rows):
    return pd.DataFrame(rows, columns=["log_id", "timestamp_utc", "ip", "source_port"])


def test_correlate_statuses():
    log = _log(
        [
            ("A", "2026-03-01T10:00:00Z", "203.0.113.9", 2000),  # PN-1
            ("B", "2026-03-01T10:00:00Z", "203.0.113.9", None),  # PN-1 or PN-2
            ("C", "2026-03-01T10:00:00Z", "198.51.100.1", 2000),  # not this ISP
            ("D", "2026-03-01T11:00:01Z", "203.0.113.9", 2000),  # boundary
            ("E", "2026-03-01T08:00:00Z", "203.0.113.10", None),  # dedicated address
            ("F", "2026-03-02T10:00:00Z", "203.0.113.9", 2000),
        ]
    )  # no session then
    res = ee.correlate(log, _isp(), isp_tz="Asia/Karachi", tolerance_s=2).set_index("log_id")
    assert res.loc["A", "status"] == "identified" and res.loc["A", "subscriber_id"] == "PN-1"
    assert res.loc["B", "status"] == "ambiguous_no_port"
    assert res.loc["B", "candidates"] == "PN-1;PN-2" and pd.isna(res.loc["B", "subscriber_id"])
    assert res.loc["C", "status"] == "no_match" and "not an address" in res.loc["C", "reason"]
    assert res.loc["D", "status"] == "ambiguous_clock"
    assert res.loc["E", "subscriber_id"] == "PN-4"
    assert res.loc["F", "status"] == "no_match"


def test_correlate_clock_offset_and_zone_change_the_answer():
    log = _log([("A", "2026-03-01T11:00:01Z", "203.0.113.9", 2000)])
    right = ee.correlate(log, _isp(), isp_tz="Asia/Karachi", isp_clock_offset_s=5)
    assert right.loc[0, "subscriber_id"] == "PN-3"
    no_offset = ee.correlate(log, _isp(), isp_tz="Asia/Karachi")
    assert no_offset.loc[0, "status"] == "no_match"  # falls in the 3 s gap
    wrong_zone = ee.correlate(
        _log([("A", "2026-03-01T15:00:00Z", "203.0.113.9", 2000)]), _isp(), isp_tz="UTC"
    )
    assert wrong_zone.loc[0, "subscriber_id"] == "PN-1"  # the wrong house


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"isp_tz": "BST"}, "isp_tz"),
        ({"isp_tz": "Asia/Karachi", "tolerance_s": -1}, "tolerance_s"),
        ({"isp_tz": "Asia/Karachi", "isp_clock_offset_s": "30"}, "isp_clock_offset_s"),
    ],
)
def test_correlate_bad_arguments(kw, field):
    with pytest.raises(ee.AttributionError) as e:
        ee.correlate(_log([("A", "2026-03-01T10:00:00Z", "203.0.113.9", 2000)]), _isp(), **kw)
    assert e.value.field == field


def test_correlate_bad_rows():
    isp = _isp()
    with pytest.raises(ee.AttributionError, match="UTC") as e:
        ee.correlate(
            _log([("A", "2026-03-01 10:00", "203.0.113.9", 1)]), isp, isp_tz="Asia/Karachi"
        )
    assert e.value.field == "timestamp_utc"
    with pytest.raises(ee.AttributionError) as e:
        ee.correlate(
            _log([("A", "2026-03-01T10:00:00Z", "999.1.1.1", 1)]), isp, isp_tz="Asia/Karachi"
        )
    assert e.value.field == "ip"
    with pytest.raises(ee.AttributionError) as e:
        ee.correlate(
            _log([("A", "2026-03-01T10:00:00Z", "203.0.113.9", 70000)]), isp, isp_tz="Asia/Karachi"
        )
    assert e.value.field == "source_port"
    with pytest.raises(ee.AttributionError) as e:
        ee.correlate(_log([]).drop(columns=["ip"]), isp, isp_tz="UTC")
    assert e.value.field == "ip"
    with pytest.raises(ee.AttributionError):
        ee.correlate("log.csv", isp, isp_tz="UTC")
    bad = isp.copy()
    bad.loc[0, "session_end"] = "2026-03-01 13:00:00"
    with pytest.raises(ee.AttributionError, match="ends before"):
        ee.correlate(_log([]), bad, isp_tz="UTC")


def test_normalise_times():
    df = pd.DataFrame({"t": ["2026-03-01 14:00:00", "2026-03-01T09:00:00Z"]})
    out = ee.normalise_times(df, "t", "Asia/Karachi")
    assert out["t_utc"].tolist() == ["2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z"]
    with pytest.raises(ee.AttributionError, match="row 0"):
        ee.normalise_times(df, "t")
    with pytest.raises(ee.AttributionError):
        ee.normalise_times(df, "missing", "UTC")
    with pytest.raises(TimeZoneError):
        ee.normalise_times(df, "t", "GST")


def test_scenario_correlation_matches_key():
    from osintlab.grading import check_answer

    letter = data.load("eevidence/returns/isp_cover_letter.json")
    log = pd.read_csv(data.path("eevidence/returns/ip_logs.csv"), dtype=str, keep_default_na=False)
    isp = pd.read_csv(data.path("eevidence/returns/isp_assignments.csv"))
    res = ee.correlate(
        log,
        isp,
        isp_tz=letter["time_zone"],
        isp_clock_offset_s=letter["clock_offset_seconds"],
        tolerance_s=letter["residual_uncertainty_seconds"],
    )
    got = {
        r.log_id: r.subscriber_id if r.status == "identified" else r.status
        for r in res.itertuples()
    }
    assert check_answer("05.attribution", got, quiet=True)
    assert set(res["status"]) == set(ee.STATUSES)


# -- rendering ---------------------------------------------------------------------------------


def test_render_markdown_html_and_checklist():
    r = good_request()
    md = ee.to_markdown(r)
    assert md.startswith("# REQUEST FOR VOLUNTARY DISCLOSURE\n") and "NOT READY" not in md
    assert "baba.crescentway" in md and "Signed:" in md
    bad = good_request(facts="<script>x</script>")
    html = ee.to_html(bad)
    assert "<script>" not in html and "&lt;script&gt;" in html and "NOT READY" in html
    table = ee.checklist(bad)
    assert not table.set_index("check").loc["facts_missing", "ok"]
    assert "follow_up_missing" not in set(table["check"])
    with pytest.raises(TypeError):
        ee.to_markdown({"kind": "mla"})


def test_render_docx(tmp_path):
    import docx

    path = ee.to_docx(good_request(kind="emergency"), tmp_path / "req.docx")
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "EMERGENCY DISCLOSURE REQUEST" in text and "NOT READY" in text
    assert "TikTok Pte. Ltd." in text
    with pytest.raises(FileExistsError):
        ee.to_docx(good_request(), path)
    with pytest.raises(ValueError, match=".docx"):
        ee.to_docx(good_request(), tmp_path / "req.pdf")


def test_request_builder_live_validation():
    box = ee.request_builder(good_request())
    assert box.request() == good_request()
    assert "Complete" in box.children[-1].value
    box.children[1].value = ""  # clear the addressee
    assert "addressee" in box.children[-1].value


def test_correlate_refuses_dst_ambiguous_local_times():
    isp = _isp().iloc[:1].copy()
    isp["session_start"], isp["session_end"] = "2026-10-25 03:30:00", "2026-10-25 05:00:00"
    log = _log([("A", "2026-10-25T02:00:00Z", "203.0.113.9", 2000)])
    with pytest.raises(ee.AttributionError, match="occurs twice") as e:
        ee.correlate(log, isp, isp_tz="Europe/Athens")
    assert e.value.field == "session_start"
    isp["session_start"] = "2026-03-29 03:30:00"
    with pytest.raises(ee.AttributionError, match="does not exist"):
        ee.correlate(log, isp, isp_tz="Europe/Athens")


# -- legal facts register ---------------------------------------------------------------------


def test_legal_register_loads_and_is_well_formed():
    from osintlab.eevidence import legal

    facts = ee.legal_facts()
    assert len(facts) > 50
    assert {f.status for f in facts.values()} <= set(legal.STATUSES)
    assert all(f.source and f.as_of and f.fact for f in facts.values())
    assert ee.legal_fact("us-2711-4").jurisdiction == "US"
    with pytest.raises(ee.LegalFactError, match="did you mean"):
        ee.legal_fact("us-2711")
    table = ee.facts_table(jurisdiction="PK")
    assert len(table) and set(table["jurisdiction"]) == {"PK"}
    assert "NOT VERIFIED" in ee.cite_facts(["pk-nccia-who-signs"])._repr_markdown_()


def test_legal_register_rejects_bad_rows():
    from osintlab.eevidence import legal

    head = "id,jurisdiction,topic,fact,source,as_of,status\n"
    with pytest.raises(ValueError, match="status"):
        legal._read(head + "a,PK,t,fact,src,2026,MAYBE\n")
    with pytest.raises(ValueError, match="duplicate"):
        legal._read(head + "a,PK,t,f,s,2026,PRIMARY\na,PK,t,f,s,2026,PRIMARY\n")
    with pytest.raises(ValueError, match="every column"):
        legal._read(head + "a,PK,t,,s,2026,PRIMARY\n")


def test_legal_register_docs_page_is_generated_from_the_data():
    from pathlib import Path

    from osintlab.eevidence import legal

    page = Path(__file__).resolve().parents[1] / "docs" / "legal-facts.md"
    assert page.read_text(encoding="utf-8") == legal.register_markdown(), (
        "docs/legal-facts.md is out of date: run osintlab.eevidence.legal.write_register"
    )


def test_every_cited_fact_exists():
    """Lessons and exercises cite facts as [fact <id>] or cite_facts([...]): each id exists."""
    import re
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parents[1]
    ids = set(ee.legal_facts())
    seen = set()
    for nb_path in sorted(root.glob("course/*.ipynb")) + sorted(root.glob("solutions/*/*.ipynb")):
        for cell in nbformat.read(nb_path, as_version=4).cells:
            cited = re.findall(r"\[fact ([a-z0-9.-]+)\]", cell.source)
            for call in re.findall(r"cite_facts\(\[([^\]]*)\]", cell.source):
                cited += re.findall(r"[\"']([a-z0-9.-]+)[\"']", call)
            missing = set(cited) - ids
            assert not missing, f"{nb_path.name}: unknown fact ids {sorted(missing)}"
            seen |= set(cited)
    for r in ee.REGIMES.values():
        assert r.fact_id in ids, r.key
        seen.add(r.fact_id)
    assert seen, "no lesson cites the register"
