"""The scenario's platforms: display names and where each shows a user's profile.

Reference data for username enumeration (:func:`osintlab.search.find_username`) and for the
generator that writes the profile pages. Imports nothing else of osintlab.

    >>> PROFILE_URLS["jhalak"].format(handle="boss.alnoor75")
    'https://jhalak.example/@boss.alnoor75'
"""
from __future__ import annotations

#: Where each platform shows a user's profile (used by username enumeration).
PROFILE_URLS = {
    "chaupal": "https://chaupal.example/{handle}",
    "jhalak": "https://jhalak.example/@{handle}",
    "paigham": "https://paigham.example/s/{handle}",
    "pardes-forum": "https://pardes-forum.example/members/{handle}",
    "bazaar-ads": "https://bazaar-ads.example/user/{handle}",
}
#: Platform id -> the name people know it by.
PLATFORM_NAMES = {"chaupal": "Chaupal", "jhalak": "Jhalak", "paigham": "Paigham",
                  "pardes-forum": "Pardes Forum", "bazaar-ads": "Bazaar Ads"}
