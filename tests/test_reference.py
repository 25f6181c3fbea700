"""The base layer: one phone reader with a strict flag, the platform registry, hashing."""

import pytest

from osintlab.reference import hashing, phones, platforms


def test_strict_needs_a_valid_number_lenient_a_possible_one():
    # +92 200 ... is the right length for Pakistan but no plan assigns it.
    assert phones.parse_phone("+92 200 1234567")[0] is None
    assert phones.parse_phone("+92 200 1234567", strict=False)[0] == "+922001234567"
    assert phones.normalise_phone("0300-5551234") == "+923005551234"
    with pytest.raises(phones.PhoneError, match="'0300-555'"):
        phones.normalise_phone("0300-555")


def test_only_separators_are_ignored():
    assert phones.parse_phone("00 92 (300) 555.1234")[0] == "+923005551234"
    assert phones.parse_phone("2026-03-18 01:24", strict=False)[0] is None  # a time stamp
    with pytest.raises(phones.PhoneError, match="must be text"):
        phones.parse_phone(3005551234)


def test_tried_in_each_region():
    assert phones.parse_phone("01755-512345", ("PK", "BD"))[0] == "+8801755512345"
    assert phones.parse_phone("01755-512", ("PK", "BD"))[1] == "not a valid number in any of PK, BD"


def test_written_forms_and_regions():
    e164 = "+8801755512345"
    assert phones.format_phone_local(e164) == "01755-512345"
    assert phones.format_phone_local(e164, "compact") == "008801755512345"
    with pytest.raises(ValueError, match="style"):
        phones.format_phone_local(e164, "fancy")
    assert phones.phone_region(e164) == "BD" and phones.is_e164(e164)


def test_platform_registry_is_consistent():
    for key, p in platforms.PLATFORMS.items():
        assert platforms.PLATFORM_HOSTS[p["domain"]] == key
        assert platforms.profile_url(key, "x").startswith(f"https://{p['domain']}/")
        assert platforms.PLATFORM_NAMES[key] == p["name"]
    assert set(platforms.PROFILE_URLS) == set(platforms.PLATFORM_NAMES)
    with pytest.raises(ValueError, match="unknown platform"):
        platforms.profile_url("myspace", "x")


def test_hashing_names_the_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such"):
        hashing.sha256_file(tmp_path / "no-such")
    with pytest.raises(TypeError, match="encode text first"):
        hashing.sha256_bytes("text")
