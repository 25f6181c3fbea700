"""Name pools for invented people and organisations.

People get a common first name and a common family name drawn independently, so no generated
person is anyone in particular. Organisation names are built from word pools chosen to sound like
South Asian manpower and travel businesses without copying any real one.
"""

from __future__ import annotations

import random

PK_MALE = [
    "Imran",
    "Asif",
    "Bilal",
    "Kashif",
    "Naveed",
    "Sajid",
    "Tariq",
    "Waqas",
    "Zeeshan",
    "Faisal",
    "Usman",
    "Adnan",
    "Shahid",
    "Rizwan",
    "Kamran",
    "Junaid",
    "Hamza",
    "Danish",
    "Arslan",
    "Haris",
    "Nadeem",
    "Shoaib",
    "Yasir",
    "Khurram",
    "Atif",
    "Owais",
    "Saqib",
    "Umair",
    "Waleed",
    "Fahad",
    "Noman",
    "Ahsan",
    "Talha",
    "Mohsin",
    "Qasim",
    "Rehan",
]
PK_FEMALE = [
    "Ayesha",
    "Sana",
    "Hina",
    "Sadia",
    "Rabia",
    "Nida",
    "Amna",
    "Fatima",
    "Maryam",
    "Iqra",
    "Saima",
    "Asma",
    "Bushra",
    "Mehwish",
    "Kiran",
    "Sidra",
    "Anum",
    "Zainab",
]
PK_FAMILY = [
    "Khan",
    "Butt",
    "Chaudhry",
    "Malik",
    "Qureshi",
    "Sheikh",
    "Awan",
    "Bajwa",
    "Cheema",
    "Gondal",
    "Warraich",
    "Rana",
    "Mughal",
    "Abbasi",
    "Siddiqui",
    "Javed",
    "Iqbal",
    "Aslam",
    "Akram",
    "Gill",
    "Virk",
    "Tarar",
    "Sandhu",
    "Hashmi",
    "Anjum",
    "Rafique",
]
BD_MALE = [
    "Rahim",
    "Karim",
    "Sohel",
    "Rubel",
    "Shakil",
    "Jahid",
    "Mamun",
    "Arif",
    "Habib",
    "Nasir",
    "Tanvir",
    "Sumon",
    "Rakib",
    "Shafiq",
    "Monir",
    "Masud",
    "Jewel",
    "Shamim",
    "Rashed",
    "Faruk",
    "Liton",
    "Milon",
    "Sabbir",
    "Tuhin",
]
BD_FEMALE = [
    "Nasrin",
    "Shirin",
    "Taslima",
    "Rumana",
    "Farzana",
    "Sharmin",
    "Nusrat",
    "Mitu",
    "Shapla",
    "Jesmin",
    "Rokeya",
    "Sumaiya",
]
BD_FAMILY = [
    "Hossain",
    "Rahman",
    "Islam",
    "Uddin",
    "Ahmed",
    "Chowdhury",
    "Miah",
    "Sarker",
    "Alam",
    "Haque",
    "Bhuiyan",
    "Talukder",
    "Mollah",
    "Sikder",
    "Howlader",
    "Khandaker",
]
BD_FEMALE_FAMILY = ["Akter", "Begum", "Khatun", "Sultana", "Parvin"]
OTHER_MALE = {
    "AE": ["Khalid", "Saeed", "Omar"],
    "TH": ["Somchai", "Anan", "Kittisak"],
    "MM": ["Aung", "Kyaw", "Zaw"],
    "IR": ["Reza", "Hossein", "Mehdi"],
    "TR": ["Murat", "Emre", "Serkan"],
    "LY": ["Salem", "Mabrouk", "Fathi"],
}
OTHER_FAMILY = {
    "AE": ["Al Nuaimi", "Al Hammadi"],
    "TH": ["Srisuk", "Chaiyaporn", "Wongsa"],
    "MM": ["Min Thu", "Htet Naing", "Ko Ko"],
    "IR": ["Rahimi", "Karimi", "Baluch"],
    "TR": ["Yildiz", "Kaya", "Demir"],
    "LY": ["Al Warfalli", "Ben Omran"],
}

# Nicknames smugglers and recruiters go by in ads ("Raja bhai", "Chaudhry sahib").
ALIASES = [
    "Raja",
    "Sheikh",
    "Chaudhry",
    "Bhai Jan",
    "Malik",
    "Doctor",
    "Sahib",
    "Baba",
    "Shahzada",
    "Pappu",
    "Kaka",
    "Ustad",
    "Boss",
    "Captain",
    "Sultan",
    "Haji",
]

FRONT_WORDS_A = [
    "Silver Crest",
    "Blue Horizon",
    "Star Link",
    "Golden Wing",
    "Al Noor",
    "Royal Bridge",
    "Sky Gate",
    "Crescent Way",
    "Pearl Route",
    "New Vision",
]
FRONT_WORDS_B = [
    "Overseas Employment",
    "Manpower Services",
    "Career Consultants",
    "Global Placements",
    "Jobs International",
    "HR Solutions",
]
AGENCY_WORDS = ["Sonar Bangla", "Padma", "Meghna", "Shapla", "Jamuna", "Rupsha", "Surma"]
AGENCY_SUFFIX = ["Overseas", "International", "Travels & Tours", "Manpower"]
LEGIT_WORDS = [
    "Indus Valley",
    "Margalla",
    "Ravi",
    "Chenab",
    "Karakoram",
    "Shalimar",
    "Iqbal",
    "Jinnah Avenue",
    "Crescent",
    "Mehran",
    "Khyber",
    "Bolan",
]
LEGIT_SUFFIX = [
    "Overseas Employment Promoters",
    "Manpower Exporters",
    "Human Resource Services",
    "Overseas Placement Bureau",
]
BD_LEGIT_WORDS = ["Bengal Gateway", "Lalbagh", "Karnaphuli", "Buriganga", "Sundarban", "Teesta"]
BD_LEGIT_SUFFIX = ["Recruiting Agency", "Overseas Ltd.", "Manpower Services Ltd."]
STREETS_PK = [
    "Ferozepur Road",
    "MM Alam Road",
    "GT Road",
    "Canal Bank Road",
    "Main Boulevard",
    "Jail Road",
    "Mall Road",
    "Satellite Town Road",
    "Model Town Link Road",
]
STREETS_BD = [
    "Kemal Ataturk Avenue",
    "Gulshan Avenue",
    "Mirpur Road",
    "Zindabazar Road",
    "Airport Road",
    "Green Road",
]


def person_name(rng: random.Random, country: str, gender: str) -> str:
    """An invented full name typical of ``country`` ('PK', 'BD' or another scenario country)."""
    if country == "PK":
        first = rng.choice(PK_MALE if gender == "m" else PK_FEMALE)
        return f"{first} {rng.choice(PK_FAMILY)}"
    if country == "BD":
        if gender == "m":
            return f"{rng.choice(BD_MALE)} {rng.choice(BD_FAMILY)}"
        return f"{rng.choice(BD_FEMALE)} {rng.choice(BD_FEMALE_FAMILY)}"
    return f"{rng.choice(OTHER_MALE[country])} {rng.choice(OTHER_FAMILY[country])}"


def unique_names(rng: random.Random, specs: list[tuple[str, str]]) -> list[str]:
    """One distinct name per (country, gender) spec, so that no two people share a full name."""
    seen: set[str] = set()
    out = []
    for country, gender in specs:
        for _ in range(200):
            name = person_name(rng, country, gender)
            if name not in seen:
                break
        seen.add(name)
        out.append(name)
    return out
