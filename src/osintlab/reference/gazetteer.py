"""Real places of the scenario: cities on the recruitment and smuggling routes, with coordinates
(WGS84, city centres rounded to 0.01 degree) and IANA time zones.

Places are real on purpose: geolocation, route and time-zone skills only transfer if the map and
the clocks are real. Every *organisation, person and address* placed in them is invented.

    >>> PLACES["lahore"].tz
    'Asia/Karachi'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    country: str  # ISO 3166 alpha-2
    country_name: str
    lat: float
    lon: float
    tz: str
    role: str  # what the place is in the scenario
    name_ur: str = ""  # Urdu (Arabic script), where the course shows it
    name_bn: str = ""  # Bengali script, where the course shows it


_P = Place
PLACES: dict[str, Place] = {
    p.key: p
    for p in [
        # Source areas: Punjab (Pakistan)
        _P("lahore", "Lahore", "PK", "Pakistan", 31.55, 74.34, "Asia/Karachi", "source", "لاہور"),
        _P(
            "gujranwala",
            "Gujranwala",
            "PK",
            "Pakistan",
            32.16,
            74.19,
            "Asia/Karachi",
            "source",
            "گوجرانوالہ",
        ),
        _P(
            "sialkot",
            "Sialkot",
            "PK",
            "Pakistan",
            32.49,
            74.53,
            "Asia/Karachi",
            "source",
            "سیالکوٹ",
        ),
        _P("gujrat", "Gujrat", "PK", "Pakistan", 32.57, 74.08, "Asia/Karachi", "source", "گجرات"),
        _P(
            "faisalabad",
            "Faisalabad",
            "PK",
            "Pakistan",
            31.42,
            73.08,
            "Asia/Karachi",
            "source",
            "فیصل آباد",
        ),
        _P(
            "mandi_bahauddin",
            "Mandi Bahauddin",
            "PK",
            "Pakistan",
            32.59,
            73.49,
            "Asia/Karachi",
            "source",
            "منڈی بہاؤالدین",
        ),
        _P(
            "rawalpindi",
            "Rawalpindi",
            "PK",
            "Pakistan",
            33.60,
            73.05,
            "Asia/Karachi",
            "source",
            "راولپنڈی",
        ),
        _P(
            "islamabad",
            "Islamabad",
            "PK",
            "Pakistan",
            33.69,
            73.05,
            "Asia/Karachi",
            "capital",
            "اسلام آباد",
        ),
        _P(
            "quetta",
            "Quetta",
            "PK",
            "Pakistan",
            30.18,
            66.99,
            "Asia/Karachi",
            "smuggling staging",
            "کوئٹہ",
        ),
        _P(
            "taftan",
            "Taftan",
            "PK",
            "Pakistan",
            28.96,
            61.59,
            "Asia/Karachi",
            "border crossing",
            "تفتان",
        ),
        # Source areas: Bangladesh
        _P(
            "dhaka", "Dhaka", "BD", "Bangladesh", 23.81, 90.41, "Asia/Dhaka", "source", name_bn="ঢাকা"
        ),
        _P(
            "sylhet",
            "Sylhet",
            "BD",
            "Bangladesh",
            24.90,
            91.87,
            "Asia/Dhaka",
            "source",
            name_bn="সিলেট",
        ),
        _P(
            "comilla",
            "Cumilla",
            "BD",
            "Bangladesh",
            23.46,
            91.18,
            "Asia/Dhaka",
            "source",
            name_bn="কুমিল্লা",
        ),
        # Transit and destination (recruitment route)
        _P("dubai", "Dubai", "AE", "United Arab Emirates", 25.20, 55.27, "Asia/Dubai", "transit"),
        _P("bangkok", "Bangkok", "TH", "Thailand", 13.75, 100.50, "Asia/Bangkok", "transit"),
        _P("mae_sot", "Mae Sot", "TH", "Thailand", 16.71, 98.57, "Asia/Bangkok", "border town"),
        _P("myawaddy", "Myawaddy", "MM", "Myanmar", 16.69, 98.51, "Asia/Yangon", "compound area"),
        # Smuggling routes
        _P("zahedan", "Zahedan", "IR", "Iran", 29.50, 60.86, "Asia/Tehran", "smuggling transit"),
        _P("tehran", "Tehran", "IR", "Iran", 35.69, 51.39, "Asia/Tehran", "smuggling transit"),
        _P("van", "Van", "TR", "Turkey", 38.50, 43.38, "Europe/Istanbul", "smuggling transit"),
        _P(
            "istanbul",
            "Istanbul",
            "TR",
            "Turkey",
            41.01,
            28.98,
            "Europe/Istanbul",
            "smuggling transit",
        ),
        _P("izmir", "Izmir", "TR", "Turkey", 38.42, 27.14, "Europe/Istanbul", "boat departure"),
        _P("lesvos", "Lesvos (Mytilene)", "GR", "Greece", 39.11, 26.55, "Europe/Athens", "arrival"),
        _P("athens", "Athens", "GR", "Greece", 37.98, 23.73, "Europe/Athens", "destination"),
        _P(
            "benghazi",
            "Benghazi",
            "LY",
            "Libya",
            32.12,
            20.09,
            "Africa/Tripoli",
            "smuggling transit",
        ),
        _P("tripoli", "Tripoli", "LY", "Libya", 32.89, 13.19, "Africa/Tripoli", "boat departure"),
        _P("lampedusa", "Lampedusa", "IT", "Italy", 35.51, 12.60, "Europe/Rome", "arrival"),
    ]
}

RECRUITMENT_ROUTE = ["lahore", "dubai", "bangkok", "mae_sot", "myawaddy"]
SMUGGLING_ROUTES = {
    "iran-turkey-greece": [
        "gujrat",
        "quetta",
        "taftan",
        "zahedan",
        "van",
        "istanbul",
        "izmir",
        "lesvos",
        "athens",
    ],
    "libya-italy": ["lahore", "dubai", "benghazi", "tripoli", "lampedusa"],
}
