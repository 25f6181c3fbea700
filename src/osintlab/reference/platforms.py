"""The platform registry: the scenario's fictional platforms, their domains and profile URLs.

The course invents its platforms so that handles and URLs stay on reserved domains and can never
match a real account; each stands for a kind of real service (``modelled_on``), so a lesson can
say which real provider a request would go to. The generator writes profiles at these URLs and
the toolkit reads them back (``social`` recognises platform links, ``search`` enumerates a
username across platforms), so both take them from here.

    >>> PLATFORMS["jhalak"]["modelled_on"]
    'TikTok'
    >>> profile_url("jhalak", "dunki_king")
    'https://jhalak.example/@dunki_king'
    >>> PLATFORM_HOSTS["paigham.example"]
    'paigham'
"""

from __future__ import annotations

__all__ = ["PLATFORMS", "PLATFORM_HOSTS", "PROFILE_URLS", "PLATFORM_NAMES", "profile_url"]

#: The fictional platforms of the scenario. Each stands for a kind of real service (named in
#: ``modelled_on``) so that lessons can say which real provider a request would go to, while
#: handles and URLs stay on reserved domains and can never match a real account.
PLATFORMS = {
    "chaupal": {
        "name": "Chaupal",
        "kind": "public social network",
        "domain": "chaupal.example",
        "modelled_on": "Facebook",
    },
    "jhalak": {
        "name": "Jhalak",
        "kind": "short-video platform",
        "domain": "jhalak.example",
        "modelled_on": "TikTok",
    },
    "paigham": {
        "name": "Paigham",
        "kind": "messaging channel service",
        "domain": "paigham.example",
        "modelled_on": "Telegram",
    },
}

#: Web host -> platform key, to read a profile link back as a handle.
PLATFORM_HOSTS = {p["domain"]: key for key, p in PLATFORMS.items()}

#: Where each site shows a user's profile (used by username enumeration): the three platforms
#: plus the offline web's forum and classifieds, which also have member pages.
PROFILE_URLS = {
    "chaupal": "https://chaupal.example/{handle}",
    "jhalak": "https://jhalak.example/@{handle}",
    "paigham": "https://paigham.example/s/{handle}",
    "pardes-forum": "https://pardes-forum.example/members/{handle}",
    "bazaar-ads": "https://bazaar-ads.example/user/{handle}",
}
#: Display name of each site in :data:`PROFILE_URLS`.
PLATFORM_NAMES = {
    "chaupal": "Chaupal",
    "jhalak": "Jhalak",
    "paigham": "Paigham",
    "pardes-forum": "Pardes Forum",
    "bazaar-ads": "Bazaar Ads",
}


def profile_url(platform: str, handle: str) -> str:
    """The profile URL of ``handle`` on ``platform`` (a key of :data:`PROFILE_URLS`)."""
    try:
        pattern = PROFILE_URLS[platform]
    except KeyError:
        raise ValueError(
            f"unknown platform {platform!r}; known: {', '.join(sorted(PROFILE_URLS))}"
        ) from None
    return pattern.format(handle=handle)
