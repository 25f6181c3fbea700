"""View: the case briefing — what lands on the investigator's desk on day one.

Only what the complaints and the first report say: families' complaints, the front's name and
website, the places on the route and the known dates. The network behind it is for the trainee
to uncover in later modules, so it is *not* listed here.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from ...reference.gazetteer import PLACES, RECRUITMENT_ROUTE, SMUGGLING_ROUTES
from ...timeutil import utc_iso
from ..world import OPERATION, PLATFORMS

RELATIONS = ["father", "mother", "elder brother", "uncle", "wife", "sister"]


def build(world, writer) -> None:
    rng = world.rng("briefing")
    writer.section(
        "briefing",
        "The case as it reaches the investigator: the first report, the "
        "families' complaints, the places on the route and the known dates "
        "(used from module 00 onwards).",
    )
    front = world.front
    complaints, timeline = [], []
    for v in world.victims:
        recruiter = world.actor(v.recruiter)
        tz = PLACES[v.place].tz
        reported = v.crossed_utc + timedelta(days=rng.randrange(6, 25), hours=rng.randrange(24))
        reported = min(reported, world.now - timedelta(hours=rng.randrange(30, 200)))
        last_contact = v.crossed_utc - timedelta(hours=rng.randrange(2, 30))
        complaints.append(
            {
                "complaint_id": f"C-{v.victim_id[1:]}",
                "reported_by": rng.choice(RELATIONS),
                "victim_name": v.name,
                "victim_age": v.age,
                "victim_gender": v.gender,
                "home_place": PLACES[v.place].name,
                "home_country": v.country,
                "reported_local": reported.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M"),
                "reported_tz": tz,
                "agent_named": f"{recruiter.alias} ({recruiter.name.split()[0]})",
                "job_promised": v.job_promised,
                "salary_promised": v.salary_promised,
                "fee_amount": v.fee_amount,
                "fee_currency": v.fee_currency,
                "fee_method": v.fee_method,
                "last_contact_utc": utc_iso(last_contact),
                "status_reported": {
                    "emergency": "missing - sent help message",
                    "in_compound": "missing",
                    "escaped": "escaped, in Thailand",
                    "returned": "returned home",
                }[v.status],
            }
        )
        timeline.append(
            {
                "event_utc": utc_iso(v.paid_utc),
                "place": PLACES[v.place].name,
                "kind": "fee_paid",
                "victim_name": v.name,
                "description": f"pays {v.fee_amount:,} {v.fee_currency} "
                f"({v.fee_method.replace('_', ' ')})",
            }
        )
        origin = "Lahore" if v.country == "PK" else "Dhaka"
        timeline.append(
            {
                "event_utc": utc_iso(v.departed_utc),
                "place": origin,
                "kind": "departure",
                "victim_name": v.name,
                "description": "flies to Dubai on a visit visa",
            }
        )
        timeline.append(
            {
                "event_utc": utc_iso(last_contact),
                "place": "unknown",
                "kind": "last_contact",
                "victim_name": v.name,
                "description": "last call with the family",
            }
        )
    help_event = next(e for e in world.events if e.kind == "help_message")
    emergency = next(v for v in world.victims if v.status == "emergency")
    timeline.append(
        {
            "event_utc": utc_iso(help_event.utc),
            "place": "unknown",
            "kind": "help_message",
            "victim_name": emergency.name,
            "description": "'help me' message with a location pin, from a borrowed phone",
        }
    )
    timeline.sort(key=lambda r: (r["event_utc"], r["kind"], r["victim_name"]))

    writer.write_csv(
        "briefing/complaints.csv",
        complaints,
        {
            "complaint_id": "Complaint reference (C-NN)",
            "reported_by": "Relation of the complainant to the missing person",
            "victim_name": "Name of the person recruited (synthetic)",
            "victim_age": "Age in years",
            "victim_gender": "m or f",
            "home_place": "Home town",
            "home_country": "PK or BD",
            "reported_local": "When the complaint was recorded, local wall time of the police "
            "station, no offset",
            "reported_tz": "IANA zone of the police station that recorded it",
            "agent_named": "The agent as the family named him (alias and first name)",
            "job_promised": "Job promised",
            "salary_promised": "Salary promised, as advertised",
            "fee_amount": "'Processing fee' the family says was paid",
            "fee_currency": "PKR, BDT or USDT",
            "fee_method": "cash, mobile_wallet or usdt",
            "last_contact_utc": "Last contact with the family (UTC, from phone records)",
            "status_reported": "What the family knows now",
        },
        "Complaints by families of people recruited by the front (one per person).",
        types={"victim_age": "int", "fee_amount": "int", "last_contact_utc": "datetime_utc"},
    )
    # Practice keys for module 00 (how checking works), not graded.
    writer.add_key("00.complaints", len(complaints))
    writer.add_key(
        "00.bd_complaints",
        sum(c["home_country"] == "BD" for c in complaints),
        hint="count the rows whose home_country is BD",
    )
    writer.write_csv(
        "briefing/timeline.csv",
        timeline,
        {
            "event_utc": "When (UTC)",
            "place": "Where, if known",
            "kind": "fee_paid, departure, last_contact or help_message",
            "victim_name": "Who",
            "description": "What happened, as reported",
        },
        "Known dates from the complaints, in UTC, oldest first.",
        types={"event_utc": "datetime_utc"},
    )
    route_places = (
        set(RECRUITMENT_ROUTE)
        | {p for r in SMUGGLING_ROUTES.values() for p in r}
        | {"sialkot", "gujranwala", "faisalabad", "sylhet", "comilla", "dhaka", "islamabad"}
    )
    places = [
        {
            "place_id": p.key,
            "name": p.name,
            "country": p.country,
            "country_name": p.country_name,
            "lat": p.lat,
            "lon": p.lon,
            "tz": p.tz,
            "role": p.role,
            "name_local": p.name_ur or p.name_bn,
        }
        for p in PLACES.values()
        if p.key in route_places
    ]
    writer.write_csv(
        "briefing/places.csv",
        places,
        {
            "place_id": "Short key",
            "name": "Place name (English)",
            "country": "ISO 3166 alpha-2",
            "country_name": "Country",
            "lat": "Latitude (WGS84, city centre, 0.01 deg)",
            "lon": "Longitude (WGS84)",
            "tz": "IANA time zone",
            "role": "Role in the case (source, transit, border town, compound area, ...)",
            "name_local": "Name in Urdu or Bengali script, where used",
        },
        "Real places on the recruitment and smuggling routes (coordinates are city centres).",
        types={"lat": "float", "lon": "float"},
    )
    routes = {"recruitment": RECRUITMENT_ROUTE, **SMUGGLING_ROUTES}
    writer.write_json(
        "briefing/case.json",
        {
            "operation": OPERATION,
            "case_ref": world.case_ref,
            "received_utc": utc_iso(world.now),
            "summary": [
                f"{len(complaints)} families in Punjab and Bangladesh report young relatives missing "
                "after they paid a 'processing fee' for jobs in Dubai and Bangkok.",
                f"All were recruited through '{front.name}', which advertises on social media and "
                f"at https://{front.domain}/ with 'free visa, no interview' offers.",
                "They flew on visit visas via Dubai to Bangkok; contact stopped near the Thai-Myanmar"
                " border. One has just sent a 'help me' message with a location.",
                "Intelligence also points to a smuggling cell offering 'dunki' routes to Europe and "
                "a vendor of forged documents linked to the same people.",
            ],
            "front": {
                "name": front.name,
                "website": f"https://{front.domain}/",
                "claimed_licence": front.claimed_licence_no,
                "office_address": front.address,
            },
            "platforms": {
                k: {
                    "name": v["name"],
                    "kind": v["kind"],
                    "domain": v["domain"],
                    "stands_for": v["modelled_on"],
                }
                for k, v in PLATFORMS.items()
            },
            "routes": routes,
            "agencies": [
                "FIA Anti-Human Trafficking Circle (Pakistan)",
                "NCCIA, National Cyber Crime Investigation Agency (Pakistan; formerly "
                "the FIA Cyber Crime Wing)",
                "Bangladesh Police CID (Human Trafficking unit)",
                "PTA (telecom regulator)",
                "CERT",
                "counterparts in UAE and Thailand",
            ],
        },
        "The first report: case reference, when it reached the unit, the summary, the front's "
        "public details, the platforms (each a fictional stand-in for a kind of real service) "
        "and the routes as lists of place_id.",
    )
