"""From a provider's IP log to a subscriber: time-zone normalisation and ISP correlation.

Providers log in UTC; a domestic ISP often keeps its address-assignment records in local time,
on a server clock that may drift; behind carrier-grade NAT (CGNAT) one public address serves
hundreds of subscribers at once, told apart only by the **source port**. Each of these turns a
right IP into the wrong house. :func:`correlate` therefore reports every ambiguity instead of
picking a candidate.

    >>> import pandas as pd
    >>> log = pd.DataFrame({"log_id": ["L1"], "timestamp_utc": ["2026-03-01T10:00:00Z"],
    ...                     "ip": ["203.0.113.9"], "source_port": [40123]})
    >>> isp = pd.DataFrame({"subscriber_id": ["PN-1001", "PN-1002"],
    ...     "public_ip": ["203.0.113.9"] * 2, "port_start": [40000, 41000],
    ...     "port_end": [40999, 41999], "session_start": ["2026-03-01 14:00:00"] * 2,
    ...     "session_end": ["2026-03-01 16:00:00"] * 2})
    >>> correlate(log, isp, isp_tz="Asia/Karachi")[["log_id", "status", "subscriber_id"]].values.tolist()
    [['L1', 'identified', 'PN-1001']]
"""

from __future__ import annotations

import bisect
import ipaddress
from datetime import timedelta

from ..timeutil import TimeZoneError, parse_timestamp, resolve_zone, to_utc, utc_iso

__all__ = ["normalise_times", "correlate", "AttributionError", "STATUSES"]

STATUSES = {
    "identified": "exactly one subscriber held this address (and port) at that moment",
    "ambiguous_no_port": "several subscribers shared this CGNAT address at that moment and the "
    "provider gave no source port",
    "ambiguous_clock": "the match depends on the clock offset / tolerance: the moment lies "
    "within the uncertainty of a session boundary",
    "no_match": "no assignment record of this ISP covers this address at that moment",
}


class AttributionError(ValueError):
    """Bad input to attribution; ``field`` names the column or argument."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _need(df, cols, name):
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise AttributionError(f"{name} must be a pandas DataFrame, not {type(df).__name__}", name)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AttributionError(f"{name} lacks column(s) {missing}", missing[0])


def normalise_times(df, column: str, tz=None, *, out: str | None = None):
    """Return a copy of ``df`` with ``column`` converted to UTC ISO text (``...Z``) in ``out``
    (default ``<column>_utc``).

    Times that state their own offset keep it; naive local times need ``tz`` (IANA name or
    offset), and a naive time without ``tz`` raises an error naming the row.
    """
    _need(df, [column], "df")
    out = out or f"{column}_utc"
    zone = resolve_zone(tz) if tz is not None else None
    values = []
    for i, v in zip(df.index, df[column]):
        try:
            moment = parse_timestamp(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v)
            aware = moment.tzinfo is not None and moment.utcoffset() is not None
            values.append(utc_iso(to_utc(moment, None if aware else zone)))
        except TimeZoneError as e:
            raise AttributionError(f"row {i}, column {column!r}: {e}", column) from None
    res = df.copy()
    res[out] = values
    return res


def _port(v):
    if v is None:
        return None
    try:
        if v != v:  # NaN
            return None
    except TypeError:
        pass
    if isinstance(v, str):
        v = v.strip()
        if not v:
            return None
    try:
        p = int(float(v))
    except (TypeError, ValueError):
        raise AttributionError(f"source port {v!r} is not a number", "source_port") from None
    if not 0 <= p <= 65535:
        raise AttributionError(f"source port {p} is outside 0..65535", "source_port")
    return p


def correlate(
    provider_log,
    isp_records,
    *,
    isp_tz,
    isp_clock_offset_s: float = 0.0,
    tolerance_s: float = 0.0,
    time_col: str = "timestamp_utc",
):
    """Match each provider log row to the ISP's assignment records.

    ``provider_log`` needs ``log_id``, ``timestamp_utc`` (ISO with ``Z``/offset, or aware),
    ``ip`` and optionally ``source_port``. ``isp_records`` needs ``subscriber_id``,
    ``public_ip``, ``port_start``, ``port_end`` (empty for a dedicated address),
    ``session_start`` and ``session_end`` as the ISP wrote them — local wall time in
    ``isp_tz``. ``isp_clock_offset_s`` is how far the ISP's logging clock ran *ahead* of true
    time (it is subtracted); ``tolerance_s`` widens each session to cover residual clock
    uncertainty, and any match that needs it is reported as ``ambiguous_clock``.

    Returns one row per log entry: ``status`` (see :data:`STATUSES`), ``subscriber_id`` (only
    when identified), ``candidates`` (``;``-joined) and a plain-language ``reason``.
    """
    import pandas as pd

    _need(provider_log, ["log_id", time_col, "ip"], "provider_log")
    _need(
        isp_records,
        ["subscriber_id", "public_ip", "port_start", "port_end", "session_start", "session_end"],
        "isp_records",
    )
    try:
        zone = resolve_zone(isp_tz)
    except TimeZoneError as e:
        raise AttributionError(f"isp_tz: {e}", "isp_tz") from None
    for name, v in (("isp_clock_offset_s", isp_clock_offset_s), ("tolerance_s", tolerance_s)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            raise AttributionError(f"{name} must be a number of seconds, not {v!r}", name)
    if tolerance_s < 0:
        raise AttributionError("tolerance_s cannot be negative", "tolerance_s")
    shift = timedelta(seconds=float(isp_clock_offset_s))
    tol = timedelta(seconds=float(tolerance_s))

    # Index the ISP records by address, sorted by start.
    starts, ends = (
        _local_to_utc(isp_records, "session_start", zone, shift),
        _local_to_utc(isp_records, "session_end", zone, shift),
    )
    sessions: dict[str, list] = {}
    ip_cache: dict = {}
    for start, end, ip_raw, p0, p1, sub in zip(
        starts,
        ends,
        isp_records["public_ip"],
        isp_records["port_start"],
        isp_records["port_end"],
        isp_records["subscriber_id"],
    ):
        if end < start:
            raise AttributionError(
                f"ISP record {sub}: session ends before it starts", "session_end"
            )
        ip = ip_cache.get(ip_raw)
        if ip is None:
            ip = ip_cache[ip_raw] = _ip(ip_raw, "public_ip")
        sessions.setdefault(ip, []).append((start, end, _port(p0), _port(p1), str(sub)))
    index = {}
    for ip, rows in sessions.items():
        rows.sort(key=lambda r: r[0])
        longest = max((r[1] - r[0] for r in rows), default=timedelta(0))
        index[ip] = ([r[0] for r in rows], rows, longest)

    has_port = "source_port" in provider_log.columns
    out = []
    for row in provider_log.itertuples(index=False):
        rid = row.log_id
        raw = getattr(row, time_col)
        try:
            t = to_utc(raw.to_pydatetime() if hasattr(raw, "to_pydatetime") else raw)
        except TimeZoneError as e:
            raise AttributionError(
                f"log {rid}: {e} (provider logs must state UTC)", time_col
            ) from None
        ip = _ip(row.ip, "ip")
        port = _port(row.source_port) if has_port else None
        strict, loose = [], []
        if ip in index:
            starts, rows, longest = index[ip]
            lo = bisect.bisect_left(starts, t - longest - tol)
            hi = bisect.bisect_right(starts, t + tol)
            for start, end, p0, p1, sub in rows[lo:hi]:
                if not (start - tol <= t <= end + tol):
                    continue
                if port is not None and p0 is not None and not (p0 <= port <= (p1 or p0)):
                    continue
                (strict if start <= t <= end else loose).append((sub, p0))
        subs = sorted({s for s, _ in strict + loose})
        nat = any(p0 is not None for _, p0 in strict + loose)
        if not subs:
            status, reason = (
                "no_match",
                (
                    f"{ip} is not in this ISP's records at {utc_iso(t)}"
                    if ip in index
                    else f"{ip} is not an address of this ISP"
                ),
            )
        elif len(subs) == 1 and strict and not loose:
            status, reason = (
                "identified",
                "one subscriber"
                + (f", port {port} in its block" if port is not None and nat else ""),
            )
        elif loose:
            status, reason = (
                "ambiguous_clock",
                (f"{len(subs)} candidate(s); at least one only matches within the clock tolerance"),
            )
        elif port is None and nat:
            status, reason = (
                "ambiguous_no_port",
                (f"{len(subs)} subscribers shared {ip}; ask the provider for the source port"),
            )
        else:
            status, reason = "ambiguous_clock", f"{len(subs)} overlapping sessions"
        out.append(
            {
                "log_id": rid,
                "timestamp_utc": utc_iso(t),
                "ip": ip,
                "source_port": port,
                "status": status,
                "subscriber_id": subs[0] if status == "identified" else None,
                "candidates": ";".join(subs),
                "reason": reason,
            }
        )
    res = pd.DataFrame(
        out,
        columns=[
            "log_id",
            "timestamp_utc",
            "ip",
            "source_port",
            "status",
            "subscriber_id",
            "candidates",
            "reason",
        ],
    )
    res["source_port"] = res["source_port"].astype("Int64")
    return res


def _local_to_utc(df, column, zone, shift) -> list:
    """Column of naive local wall times -> aware UTC datetimes (vectorised when the column is
    plain 'YYYY-MM-DD HH:MM:SS'; otherwise row by row with timeutil's checks)."""
    import pandas as pd

    col = df[column].astype(str)
    try:
        naive = pd.to_datetime(col, format="%Y-%m-%d %H:%M:%S")
        local = naive.dt.tz_localize(zone, ambiguous="raise", nonexistent="raise")
    except (ValueError, TypeError, OverflowError):
        out = []
        for i, v in zip(df.index, col):
            try:
                out.append(to_utc(v, zone) - shift)
            except TimeZoneError as e:
                raise AttributionError(f"ISP record at row {i}: {e}", column) from None
        return out
    return [t.to_pydatetime() - shift for t in local.dt.tz_convert("UTC")]


def _ip(value, name: str) -> str:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        raise AttributionError(f"{name} {value!r} is not an IP address", name) from None
