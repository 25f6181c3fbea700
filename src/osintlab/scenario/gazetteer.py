"""The gazetteer now lives in :mod:`osintlab.reference.gazetteer` (reference data every layer may
use); this name stays for the views that still import it from here."""
from ..reference.gazetteer import PLACES, RECRUITMENT_ROUTE, SMUGGLING_ROUTES, Place  # noqa: F401
