"""Investigate photos: metadata, device links, anomalies, near-duplicates, sun and shadows.

Everything a photo file can tell an investigator, and how far to trust it:

* :func:`read_metadata` — one file's EXIF as a :class:`PhotoMetadata` record (exifread first,
  Pillow as the fallback for WebP and for what exifread cannot parse). GPS is decoded here, not
  with ``exifread.utils.get_gps_coords``: hemisphere refs in any case, ``0/0`` "no fix"
  rationals, single-value coordinates and missing refs are handled and explained.
* :func:`extract_folder` — a whole folder into a DataFrame, one row per file and a ``status``
  per file (``ok``, ``no_exif``, ``corrupt_exif``, ``truncated``, ``not_an_image``,
  ``unreadable``); a bad file never stops the batch.
* :func:`link_devices`, :func:`find_anomalies`, :func:`camera_clock_offset` — attribution and
  consistency checks.
* :func:`perceptual_hashes`, :func:`hash_distance`, :func:`find_near_duplicates`,
  :func:`cluster_duplicates` — re-posts that were resized, recompressed, cropped, watermarked,
  mirrored or rotated.
* :func:`build_image_index`, :func:`reverse_search` — an offline reverse-image index: every
  collected copy with the date it was first seen, so "where else, and where first?" is one
  look-up; a file that cannot be decoded is listed in ``index.problems`` by name.
* :func:`sun_position`, :func:`sun_elevation_from_shadow`, :func:`shadow_length`,
  :func:`times_for_sun_elevation` — chronolocation (astral, zone-aware times only).
* :func:`nearest_place`, :func:`distance_km`, :func:`places_near`, :func:`photo_map`,
  :func:`metadata_explorer`, :func:`error_level_analysis`.
* :func:`read_content_credentials`, :func:`content_credentials_demo` — C2PA manifests read with
  the optional ``c2pa`` library (``pip install 'osintlab[c2pa]'``), offline.
* Lesson helpers, one call each in a notebook: :func:`mask_serials`, :func:`show_photo`,
  :func:`show_copies`, :func:`compare_thumbnail`, :func:`what_survived`,
  :func:`compare_readers`, :func:`exiftool_check`, :func:`wall_time_readings`,
  :func:`sun_curve`, :func:`sun_times_table`, :func:`shadow_explorer`.

    >>> from osintlab import images, data                         # doctest: +SKIP
    >>> table = images.extract_folder(data.path("images/posted"))  # doctest: +SKIP
    >>> table[["file", "status", "make", "serial", "latitude"]].head()  # doctest: +SKIP

Heavy libraries (exifread, Pillow, pandas, imagehash, astral) load on first use.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

__all__ = [
    "ImageError",
    "PhotoMetadata",
    "read_metadata",
    "extract_folder",
    "dms_to_decimal",
    "parse_exif_datetime",
    "link_devices",
    "camera_clock_offset",
    "find_anomalies",
    "thumbnail",
    "thumbnail_mismatch",
    "perceptual_hashes",
    "hash_distance",
    "find_near_duplicates",
    "cluster_duplicates",
    "ImageIndex",
    "build_image_index",
    "reverse_search",
    "sun_position",
    "sun_elevation_from_shadow",
    "shadow_length",
    "times_for_sun_elevation",
    "distance_km",
    "nearest_place",
    "photo_map",
    "metadata_explorer",
    "error_level_analysis",
    "mask_serial",
    "mask_serials",
    "show_photo",
    "show_copies",
    "compare_thumbnail",
    "sun_curve",
    "sun_times_table",
    "places_near",
    "C2PA_SAMPLES",
    "c2pa_available",
    "read_content_credentials",
    "content_credentials_demo",
    "what_survived",
    "compare_readers",
    "exiftool_check",
    "wall_time_readings",
    "shadow_explorer",
    "IMAGE_SUFFIXES",
    "EDITING_SOFTWARE",
]

#: Share of changed pixels above which a thumbnail "does not match" (re-encoding gives ~0).
THUMBNAIL_THRESHOLD = 0.01

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}

#: Software tag values that point to an image editor (a phone's firmware version is normal).
EDITING_SOFTWARE = (
    "photoshop",
    "gimp",
    "lightroom",
    "snapseed",
    "picsart",
    "canva",
    "affinity",
    "pixelmator",
    "paint.net",
    "photopea",
    "facetune",
)

STATUSES = {
    "ok": "metadata read",
    "no_exif": "a valid image without EXIF (stripped, screenshot or re-encoded)",
    "corrupt_exif": "the image has an EXIF block that cannot be parsed",
    "truncated": "the file ends early (interrupted download or partial copy)",
    "not_an_image": "the content is not an image, whatever the file name says",
    "unreadable": "the file could not be read",
}


class ImageError(ValueError):
    """Bad input to an image function; the message names the input."""


# ---------------------------------------------------------------------------------------------
# The record
# ---------------------------------------------------------------------------------------------


@dataclass
class PhotoMetadata:
    """What one photo file says about itself.

    ``taken_at`` is the camera's DateTimeOriginal: time-zone aware when the file carries
    OffsetTimeOriginal, otherwise naive (a wall time on an unknown clock — never assume UTC).
    ``gps_time`` (from GPSDateStamp/GPSTimeStamp) is always UTC. Coordinates are signed decimal
    degrees (south and west negative), ``altitude`` signed metres (below sea level negative).
    """

    path: str
    file: str
    status: str = "ok"
    note: str = ""
    reader: str | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    make: str | None = None
    model: str | None = None
    serial: str | None = None
    software: str | None = None
    taken_local: str | None = None  # DateTimeOriginal exactly as written
    offset: str | None = None  # OffsetTimeOriginal, e.g. "+05:00"
    taken_at: datetime | None = None
    modified_local: str | None = None  # IFD0 DateTime (last written by software)
    gps_time: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    has_thumbnail: bool = False
    tags: dict = field(default_factory=dict, repr=False)

    @property
    def has_gps(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def taken_utc(self) -> datetime | None:
        """``taken_at`` in UTC when the file says which offset its clock used, else None."""
        if self.taken_at is None or self.taken_at.tzinfo is None:
            return None
        return self.taken_at.astimezone(UTC)

    def to_dict(self, with_tags: bool = False) -> dict:
        d = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "tags"}
        if with_tags:
            d["tags"] = dict(self.tags)
        d["has_gps"] = self.has_gps
        d["taken_utc"] = self.taken_utc
        return d


# ---------------------------------------------------------------------------------------------
# Decoding helpers
# ---------------------------------------------------------------------------------------------


def _ratio(value) -> float | None:
    """A rational from exifread (Ratio/Fraction), Pillow (IFDRational) or a number → float.

    ``0/0`` ("no fix") and NaN give None.
    """
    if value is None:
        return None
    num = getattr(value, "num", getattr(value, "numerator", None))
    den = getattr(value, "den", getattr(value, "denominator", None))
    if num is not None and den is not None:
        try:
            num, den = int(num), int(den)
        except (TypeError, ValueError):
            return None
        if den == 0:
            return None
        return num / den
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _seq(values) -> list:
    if values is None:
        return []
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]


def dms_to_decimal(values, ref: str | None, *, kind: str = "lat") -> float | None:
    """Degrees/minutes/seconds plus hemisphere ref → signed decimal degrees.

    ``values`` may be three rationals (the standard), one value (decimal degrees in one
    rational — non-standard but seen), or two (degrees, decimal minutes). ``ref`` is ``N``/``S``
    (``kind="lat"``) or ``E``/``W`` (``kind="lon"``) in any case. Returns None when the values
    are "no fix" (``0/0``), when the ref is missing (the hemisphere is then unknown) or when the
    result is impossible.

    >>> dms_to_decimal([12, 2, 47.04], "s")
    -12.0464
    >>> dms_to_decimal([31.5], "N")
    31.5
    >>> dms_to_decimal([0, 0, 0], None) is None
    True
    """
    nums = [_ratio(v) for v in _seq(values)]
    if not nums or any(n is None for n in nums) or len(nums) > 3:
        return None
    value = (
        nums[0] + (nums[1] / 60 if len(nums) > 1 else 0) + (nums[2] / 3600 if len(nums) > 2 else 0)
    )
    if ref is None:
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    ref = str(ref).strip().strip("\x00").upper()[:1]
    allowed = ("N", "S") if kind == "lat" else ("E", "W")
    if ref not in allowed:
        return None
    signed = -value if ref in ("S", "W") else value
    limit = 90 if kind == "lat" else 180
    if abs(signed) > limit:
        return None
    return round(signed, 8)


_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


def parse_exif_datetime(text: str | None, offset: str | None = None) -> datetime | None:
    """``"2026:02:01 10:00:00"`` (+ optional ``"+05:00"``) → datetime, aware when an offset is
    given. Blank, zero (``0000:00:00 00:00:00``) or malformed values give None.

    >>> parse_exif_datetime("2026:02:01 10:00:00", "+05:00").isoformat()
    '2026-02-01T10:00:00+05:00'
    """
    if not text:
        return None
    text = str(text).strip().strip("\x00").strip()
    m = re.match(r"^(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})", text)
    if not m:
        return None
    try:
        moment = datetime(*map(int, m.groups()))
    except ValueError:
        return None
    if offset:
        om = _OFFSET.match(str(offset).strip("\x00"))
        if om:
            sign = -1 if om.group(1) == "-" else 1
            delta = timedelta(hours=int(om.group(2)), minutes=int(om.group(3)))
            moment = moment.replace(tzinfo=timezone(sign * delta))
    return moment


def _gps_datetime(datestamp, timestamp) -> datetime | None:
    if not datestamp or timestamp is None:
        return None
    parts = [_ratio(v) for v in _seq(timestamp)]
    if len(parts) != 3 or any(p is None for p in parts):
        return None
    m = re.match(r"^(\d{4})[:\-](\d{2})[:\-](\d{2})", str(datestamp).strip("\x00").strip())
    if not m:
        return None
    try:
        day = date(*map(int, m.groups()))
    except ValueError:
        return None
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
    return datetime.combine(day, time(0), UTC) + timedelta(seconds=round(seconds))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        for enc in ("utf-8", "latin-1"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    text = str(value).replace("\x00", "").strip()
    return text or None


# ---------------------------------------------------------------------------------------------
# Reading one file
# ---------------------------------------------------------------------------------------------


def _sniff(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[4:8] == b"ftyp":
        return "HEIF"
    return None


def _truncated(fmt: str, blob: bytes) -> bool:
    tail = blob[-4096:]
    if fmt == "JPEG":
        return b"\xff\xd9" not in tail
    if fmt == "PNG":
        return b"IEND" not in blob[-32:]
    if fmt == "WEBP":
        return len(blob) < int.from_bytes(blob[4:8], "little") + 8
    return False


# exifread key → our field (keys are "IFD TagName"; the GPS date tag is "GPSDate" in exifread,
# "GPSDateStamp" elsewhere).
_ER = {
    "make": "Image Make",
    "model": "Image Model",
    "software": "Image Software",
    "modified": "Image DateTime",
    "dto": "EXIF DateTimeOriginal",
    "offset": "EXIF OffsetTimeOriginal",
    "serial": "EXIF BodySerialNumber",
    "lat": "GPS GPSLatitude",
    "lat_ref": "GPS GPSLatitudeRef",
    "lon": "GPS GPSLongitude",
    "lon_ref": "GPS GPSLongitudeRef",
    "alt": "GPS GPSAltitude",
    "alt_ref": "GPS GPSAltitudeRef",
    "gps_date": "GPS GPSDate",
    "gps_time": "GPS GPSTimeStamp",
}


def _from_exifread(blob: bytes) -> tuple[dict, dict] | None:
    """(fields, raw tags) via exifread, or None when exifread finds nothing."""
    import logging

    import exifread

    logging.getLogger("exifread").setLevel(logging.CRITICAL)
    tags = exifread.process_file(io.BytesIO(blob), details=False, extract_thumbnail=False)
    if not tags:
        return None
    fields = {}
    for name, key in _ER.items():
        tag = tags.get(key)
        if tag is None:
            continue
        values = tag.values
        if name in ("lat", "lon", "gps_time"):
            fields[name] = list(values) if isinstance(values, (list, tuple)) else [values]
        elif name in ("alt", "alt_ref"):
            v = values[0] if isinstance(values, (list, tuple)) and values else values
            fields[name] = v
        else:
            fields[name] = values
    fields["thumb"] = "Thumbnail JPEGInterchangeFormat" in tags
    raw = {k: _printable(v) for k, v in tags.items() if k != "JPEGThumbnail"}
    return fields, raw


def _printable(tag) -> str:
    try:
        return str(tag.printable)[:200]
    except Exception:  # noqa: BLE001 - a raw dump must never fail
        return repr(tag)[:200]


def _from_pillow_exif(exif) -> tuple[dict, dict]:
    from PIL import ExifTags

    B, G, IFD = ExifTags.Base, ExifTags.GPS, ExifTags.IFD
    sub = exif.get_ifd(IFD.Exif) or {}
    gps = exif.get_ifd(IFD.GPSInfo) or {}
    fields = {
        "make": exif.get(B.Make),
        "model": exif.get(B.Model),
        "software": exif.get(B.Software),
        "modified": exif.get(B.DateTime),
        "dto": sub.get(B.DateTimeOriginal),
        "offset": sub.get(B.OffsetTimeOriginal),
        "serial": sub.get(B.BodySerialNumber),
        "lat": gps.get(G.GPSLatitude),
        "lat_ref": gps.get(G.GPSLatitudeRef),
        "lon": gps.get(G.GPSLongitude),
        "lon_ref": gps.get(G.GPSLongitudeRef),
        "alt": gps.get(G.GPSAltitude),
        "alt_ref": gps.get(G.GPSAltitudeRef),
        "gps_date": gps.get(G.GPSDateStamp),
        "gps_time": gps.get(G.GPSTimeStamp),
    }
    try:
        fields["thumb"] = bool(exif.get_ifd(IFD.IFD1))
    except Exception:  # noqa: BLE001
        fields["thumb"] = False
    raw = {}
    for group, table, names in (
        ("Image", exif, ExifTags.TAGS),
        ("EXIF", sub, ExifTags.TAGS),
        ("GPS", gps, ExifTags.GPSTAGS),
    ):
        for tag, value in table.items():
            if group == "Image" and tag in (IFD.Exif, IFD.GPSInfo):
                continue
            raw[f"{group} {names.get(tag, hex(tag))}"] = str(value)[:200]
    return {k: v for k, v in fields.items() if v is not None}, raw


def _fill(rec: PhotoMetadata, f: dict) -> None:
    rec.make = _text(f.get("make"))
    rec.model = _text(f.get("model"))
    rec.serial = _text(f.get("serial"))
    rec.software = _text(f.get("software"))
    rec.taken_local = _text(f.get("dto"))
    rec.offset = _text(f.get("offset"))
    rec.modified_local = _text(f.get("modified"))
    rec.taken_at = parse_exif_datetime(rec.taken_local, rec.offset)
    rec.gps_time = _gps_datetime(_text(f.get("gps_date")), f.get("gps_time"))
    rec.has_thumbnail = bool(f.get("thumb"))
    notes = []
    if "lat" in f or "lon" in f:
        lat_ref, lon_ref = _text(f.get("lat_ref")), _text(f.get("lon_ref"))
        rec.latitude = dms_to_decimal(f.get("lat"), lat_ref, kind="lat")
        rec.longitude = dms_to_decimal(f.get("lon"), lon_ref, kind="lon")
        raw_lat = dms_to_decimal(f.get("lat"), "N", kind="lat")
        if raw_lat is None and f.get("lat") is not None:
            notes.append("GPS 'no fix' (0/0 values): no position")
        elif lat_ref is None or lon_ref is None:
            notes.append("GPS hemisphere refs missing: sign unknown, position not used")
        elif lat_ref != lat_ref.upper() or lon_ref != lon_ref.upper():
            notes.append("lower-case GPS refs (decoded; some tools get the sign wrong)")
        if len(_seq(f.get("lat"))) == 1:
            notes.append("single-value GPS latitude (non-standard)")
        if rec.latitude is None or rec.longitude is None:
            rec.latitude = rec.longitude = None
    alt = _ratio(f.get("alt")) if f.get("alt") is not None else None
    if alt is not None:
        ref = f.get("alt_ref")
        if isinstance(ref, bytes):
            ref = ref[:1] == b"\x01"
        else:
            try:
                ref = int(_ratio(ref) or 0) == 1
            except (TypeError, ValueError):
                ref = False
        rec.altitude = round(-alt if ref else alt, 3)
    if notes:
        rec.note = "; ".join(notes)


def read_metadata(path: str | os.PathLike) -> PhotoMetadata:
    """Read one photo's metadata; bad content gives a record with a ``status``, not an error.

    Raises :class:`ImageError` only when ``path`` is not an existing file.

    >>> rec = read_metadata(data.path("images/posted/..."))   # doctest: +SKIP
    >>> rec.make, rec.serial, rec.latitude, rec.taken_at      # doctest: +SKIP
    """
    p = Path(path)
    if not p.exists():
        raise ImageError(f"{path}: no such file")
    if not p.is_file():
        raise ImageError(f"{path}: is a folder, not a photo file")
    rec = PhotoMetadata(path=str(p), file=p.name)
    try:
        blob = p.read_bytes()
    except OSError as exc:
        rec.status, rec.note = "unreadable", f"cannot read: {exc.strerror or exc}"
        return rec
    return _read_blob(rec, blob)


def _quick_size(fmt: str, blob: bytes) -> tuple[int, int] | None:
    """Width and height from the JPEG SOF marker or the PNG IHDR chunk, without decoding."""
    import struct

    try:
        if fmt == "PNG" and blob[12:16] == b"IHDR":
            return struct.unpack(">II", blob[16:24])
        if fmt == "JPEG":
            i = 2
            while i + 9 < len(blob):
                if blob[i] != 0xFF:
                    return None
                marker = blob[i + 1]
                if marker == 0xFF:
                    i += 1
                    continue
                length = int.from_bytes(blob[i + 2 : i + 4], "big")
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", blob[i + 5 : i + 9])
                    return (w, h) if w and h else None
                if marker in (0xD9, 0xDA) or length < 2:
                    return None
                i += 2 + length
    except struct.error:
        return None
    return None


def _read_blob(rec: PhotoMetadata, blob: bytes) -> PhotoMetadata:
    fmt = _sniff(blob[:16])
    if fmt is None:
        rec.status = "not_an_image"
        kind = "text/HTML" if blob[:200].lstrip()[:1] in (b"<", b"{") else "unknown bytes"
        rec.note = f"content is {kind}, not an image, despite the name {rec.file!r}"
        return rec
    rec.format = fmt
    if fmt == "HEIF":
        rec.note = "HEIF/HEIC: read with exifread only (Pillow needs the pillow-heif plugin)"
    truncated = _truncated(fmt, blob)
    with _quiet():
        from PIL import Image, UnidentifiedImageError

        im = None
        # Fast path: JPEG and PNG sizes come from their headers; Pillow opens the file only
        # when it is needed (WebP, TIFF, an unreadable header, or as the EXIF fallback).
        size = _quick_size(fmt, blob)

        def pillow():
            return Image.open(io.BytesIO(blob))

        if size is None:
            try:
                im = pillow()
                size = im.size
            except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
                if fmt != "HEIF":
                    rec.status = "truncated" if truncated else "not_an_image"
                    rec.note = f"{fmt} header cannot be decoded ({type(exc).__name__})"
                    return rec
        if size is not None:
            rec.width, rec.height = int(size[0]), int(size[1])
        got, exif_problem = None, None
        if fmt != "WEBP":  # exifread 3.5.1 misses standard WebP EXIF
            try:
                got = _from_exifread(blob)
                if got:
                    rec.reader = "exifread"
            except Exception as exc:  # noqa: BLE001 - any parser failure is a status
                exif_problem = f"exifread: {type(exc).__name__}"
        has_exif_block = _has_exif_block(fmt, blob)
        if got is None and fmt != "HEIF" and (has_exif_block or exif_problem):
            try:
                im = im or pillow()
                exif = im.getexif()
                if len(exif):
                    got = _from_pillow_exif(exif)
                    rec.reader = "pillow"
            except Exception as exc:  # noqa: BLE001
                exif_problem = (
                    exif_problem + "; " if exif_problem else ""
                ) + f"Pillow: {type(exc).__name__}"
    if got is None:
        if truncated:
            rec.status, rec.note = "truncated", f"{fmt} file ends early; no metadata read"
        elif has_exif_block or exif_problem:
            rec.status = "corrupt_exif"
            rec.note = "EXIF block present but unreadable" + (
                f" ({exif_problem})" if exif_problem else ""
            )
        else:
            rec.status, rec.note = "no_exif", "no EXIF metadata (stripped or never written)"
        return rec
    fields, raw = got
    rec.tags = raw
    _fill(rec, fields)
    if truncated:
        rec.status = "truncated"
        rec.note = (
            rec.note + "; " if rec.note else ""
        ) + f"{fmt} file ends early (metadata read, pixels incomplete)"
    return rec


class _quiet(warnings.catch_warnings):
    """Silence Pillow's warnings (e.g. "Corrupt EXIF data"): notebooks' test cells must not
    write to stderr, and a damaged file is reported through its status instead."""

    def __enter__(self):
        out = super().__enter__()
        warnings.simplefilter("ignore")
        return out


def _has_exif_block(fmt, blob) -> bool:
    """Does the container hold an EXIF block at all (readable or not)?"""
    if fmt == "JPEG":
        head = blob[: 64 * 1024]
        return b"\xff\xe1" in head and b"Exif\x00\x00" in head
    if fmt == "PNG":
        return b"eXIf" in blob
    if fmt == "WEBP":
        return b"EXIF" in blob[:64] or b"EXIF" in blob[-65536:]
    if fmt == "TIFF":
        return True  # TIFF tags *are* the metadata structure
    return False


# ---------------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------------

COLUMNS = [
    "file",
    "status",
    "note",
    "format",
    "width",
    "height",
    "make",
    "model",
    "serial",
    "software",
    "taken_local",
    "offset",
    "taken_utc",
    "gps_time",
    "latitude",
    "longitude",
    "altitude",
    "has_gps",
    "has_thumbnail",
    "modified_local",
    "reader",
    "path",
]


def _list_files(folder: Path, pattern: str, all_files: bool) -> list[Path]:
    files = sorted(p for p in folder.rglob(pattern) if p.is_file())
    if not all_files:
        files = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES | {".heic", ".heif"}]
    return files


def extract_folder(
    folder: str | os.PathLike,
    pattern: str = "*",
    *,
    progress: bool = True,
    all_files: bool = False,
    workers: int = 1,
):
    """Read every photo under ``folder`` into a DataFrame (one row per file, columns
    :data:`COLUMNS`), with a progress bar. A bad file gets a ``status`` and a ``note``; the
    batch never stops.

    Files are chosen by ``pattern`` (glob, recursive) and an image suffix; ``all_files=True``
    reads every file whatever its name. ``workers > 1`` reads in parallel processes.

    >>> table = extract_folder(data.path("images/posted"))        # doctest: +SKIP
    >>> table["status"].value_counts()                            # doctest: +SKIP
    """
    import pandas as pd

    root = Path(folder)
    if not root.is_dir():
        raise ImageError(f"{folder}: not a folder")
    files = _list_files(root, pattern, all_files)
    if workers and workers > 1 and len(files) > 200:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [files[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_read_many, chunks))
        rows = sorted((r for part in parts for r in part), key=lambda r: r["path"])
    else:
        it = files
        if progress and files:
            from tqdm.auto import tqdm

            it = tqdm(files, desc="reading metadata", unit="file", leave=False)
        rows = [_row(read_metadata(p)) for p in it]
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("taken_utc", "gps_time"):
        df[col] = pd.to_datetime(df[col], utc=True)
    return df


def _row(rec: PhotoMetadata) -> dict:
    return {c: getattr(rec, c) for c in COLUMNS}


def _read_many(paths: list[Path]) -> list[dict]:
    return [_row(read_metadata(p)) for p in paths]


def _as_table(meta):
    import pandas as pd

    if isinstance(meta, pd.DataFrame):
        missing = {"file", "status"} - set(meta.columns)
        if missing:
            raise ImageError(
                f"metadata table lacks columns {sorted(missing)}; use extract_folder()"
            )
        return meta
    if isinstance(meta, (str, os.PathLike)) and Path(meta).is_dir():
        return extract_folder(meta, progress=False)
    raise ImageError(
        f"expected a metadata table from extract_folder() or a folder, got {type(meta).__name__}"
    )


# ---------------------------------------------------------------------------------------------
# Attribution and consistency
# ---------------------------------------------------------------------------------------------


def link_devices(meta, posts=None, *, on: str = "file", by: str = "serial"):
    """Group photos by the device that took them.

    ``by="serial"`` groups by (make, model, serial) — the body serial number identifies one
    camera; ``by="model"`` groups by (make, model) only, which lumps different bodies of the
    same model together (a lead, not a link). With ``posts`` (a table with a ``file`` column and
    e.g. ``posted_by``), the accounts that published each device's photos are listed too.

    Returns one row per device: make, model, serial, n_photos, files, and for every other
    column of ``posts`` the sorted distinct values.
    """
    import pandas as pd

    df = _as_table(meta)
    if by not in ("serial", "model"):
        raise ImageError(f"by={by!r}: use 'serial' or 'model'")
    keys = ["make", "model", "serial"] if by == "serial" else ["make", "model"]
    df = df.dropna(subset=["serial"] if by == "serial" else ["model"])
    if posts is not None:
        if on not in posts.columns:
            raise ImageError(f"posts table has no {on!r} column to join on")
        df = df.merge(posts, left_on="file", right_on=on, how="left", suffixes=("", "_post"))
    extra = [
        c
        for c in (posts.columns if posts is not None else [])
        if c not in df.columns or c in posts.columns
    ]
    extra = [c for c in extra if c not in keys + ["file", on]]
    rows = []
    for key, group in df.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row["n_photos"] = len(group)
        row["files"] = sorted(group["file"])
        for c in extra:
            row[c] = sorted({str(v) for v in group[c].dropna() if str(v)})
        rows.append(row)
    out = pd.DataFrame(rows, columns=keys + ["n_photos", "files"] + extra)
    return out.sort_values("n_photos", ascending=False, kind="stable").reset_index(drop=True)


def camera_clock_offset(meta, *, round_to: int = 15):
    """What UTC offset each device's clock was set to: DateTimeOriginal minus GPS time.

    Only photos with both a DateTimeOriginal and a GPS time count. Returns one row per (make,
    model, serial) with n_photos and ``clock_offset_hours`` (the median, rounded to
    ``round_to`` minutes), ``offset_written`` (OffsetTimeOriginal values, if any) and the
    spread in seconds (clock drift or inconsistency).
    """
    import pandas as pd

    df = _as_table(meta).copy()
    if round_to <= 0:
        raise ImageError(f"round_to={round_to}: give a positive number of minutes")
    rows = []
    df = df[df["taken_local"].notna() & df["gps_time"].notna()]
    for key, group in df.groupby(["make", "model", "serial"], dropna=False, sort=True):
        diffs = []
        for _, r in group.iterrows():
            naive = parse_exif_datetime(r["taken_local"])
            if naive is None:
                continue
            gps = pd.Timestamp(r["gps_time"]).to_pydatetime().replace(tzinfo=None)
            diffs.append((naive - gps).total_seconds())
        if not diffs:
            continue
        diffs.sort()
        median = diffs[len(diffs) // 2]
        step = round_to * 60
        rows.append(
            {
                "make": key[0],
                "model": key[1],
                "serial": key[2],
                "n_photos": len(diffs),
                "clock_offset_hours": round(median / step) * step / 3600,
                "spread_seconds": diffs[-1] - diffs[0],
                "offset_written": sorted({o for o in group["offset"].dropna()}),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "make",
            "model",
            "serial",
            "n_photos",
            "clock_offset_hours",
            "spread_seconds",
            "offset_written",
        ],
    )


def find_anomalies(
    meta,
    *,
    folder: str | os.PathLike | None = None,
    tolerance_minutes: float = 2.0,
    check_thumbnails: bool = True,
):
    """Things in the metadata that do not add up, one row per finding.

    Kinds: ``offset_vs_gps`` (DateTimeOriginal with its offset ≠ GPS time), ``clock_offset``
    (no offset written; the camera clock reads UTC±hh:mm by its GPS time), ``editing_software``
    (the Software tag names an editor), ``modified_after_taken`` (IFD0 DateTime later than
    DateTimeOriginal), ``thumbnail_mismatch`` (the embedded thumbnail shows something else),
    ``gps_problem`` (no-fix, missing or lower-case refs) and ``file_problem`` (status not ok).
    Findings are leads to verify, not conclusions.
    """
    import pandas as pd

    df = _as_table(meta)
    out = []

    def add(r, kind, detail):
        out.append({"file": r["file"], "kind": kind, "detail": detail})

    for _, r in df.iterrows():
        if r["status"] not in ("ok", "no_exif"):
            add(r, "file_problem", f"{r['status']}: {r['note']}")
        taken = parse_exif_datetime(r.get("taken_local"), r.get("offset"))
        gps = r.get("gps_time")
        gps = None if gps is None or pd.isna(gps) else pd.Timestamp(gps).to_pydatetime()
        if taken is not None and gps is not None:
            if taken.tzinfo is not None:
                gap = (taken - gps).total_seconds() / 60
                if abs(gap) > tolerance_minutes:
                    add(
                        r,
                        "offset_vs_gps",
                        f"DateTimeOriginal {r['taken_local']} "
                        f"{r['offset']} is {gap:+.0f} min from GPS time {gps:%Y-%m-%d %H:%M:%S}Z",
                    )
            else:
                diff = (taken - gps.replace(tzinfo=None)).total_seconds()
                q = round(diff / 900) * 900
                sign = "+" if q >= 0 else "-"
                hh, mm = divmod(abs(int(q)) // 60, 60)
                add(
                    r,
                    "clock_offset",
                    f"no offset written; the clock reads UTC{sign}{hh:02d}:"
                    f"{mm:02d} compared with GPS time",
                )
        sw = r.get("software")
        if isinstance(sw, str) and any(e in sw.lower() for e in EDITING_SOFTWARE):
            add(r, "editing_software", f"Software tag: {sw}")
        mod = parse_exif_datetime(r.get("modified_local"))
        naive_taken = parse_exif_datetime(r.get("taken_local"))
        if (
            mod is not None
            and naive_taken is not None
            and mod - naive_taken > timedelta(minutes=tolerance_minutes)
        ):
            add(r, "modified_after_taken", f"written {mod - naive_taken} after it was taken")
        note = r.get("note") or ""
        if isinstance(note, str) and "GPS" in note:
            add(r, "gps_problem", note)
        if check_thumbnails and bool(r.get("has_thumbnail")):
            path = Path(folder) / r["file"] if folder is not None else Path(r["path"])
            try:
                score = thumbnail_mismatch(path)
            except ImageError:
                score = None
            if score is not None and score > THUMBNAIL_THRESHOLD:
                add(
                    r,
                    "thumbnail_mismatch",
                    f"embedded thumbnail differs from the image "
                    f"({score:.0%} of the picture changed)",
                )
    return pd.DataFrame(out, columns=["file", "kind", "detail"])


# ---------------------------------------------------------------------------------------------
# Thumbnails
# ---------------------------------------------------------------------------------------------


def _raw_exif(blob: bytes) -> bytes | None:
    """The TIFF structure of a JPEG's APP1 Exif segment."""
    if blob[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(blob) and blob[i] == 0xFF:
        marker = blob[i + 1]
        if marker in (0xD9, 0xDA):
            break
        length = int.from_bytes(blob[i + 2 : i + 4], "big")
        seg = blob[i + 4 : i + 2 + length]
        if marker == 0xE1 and seg.startswith(b"Exif\x00\x00"):
            return seg[6:]
        i += 2 + length
    return None


def thumbnail(path: str | os.PathLike):
    """The JPEG thumbnail embedded in a photo's EXIF (IFD1) as a PIL image, or None."""
    import struct

    p = Path(path)
    if not p.is_file():
        raise ImageError(f"{path}: no such file")
    tiff = _raw_exif(p.read_bytes())
    if not tiff or tiff[:2] not in (b"II", b"MM"):
        return None
    e = "<" if tiff[:2] == b"II" else ">"
    try:
        ifd0 = struct.unpack(e + "I", tiff[4:8])[0]
        n = struct.unpack(e + "H", tiff[ifd0 : ifd0 + 2])[0]
        ifd1 = struct.unpack(e + "I", tiff[ifd0 + 2 + 12 * n : ifd0 + 6 + 12 * n])[0]
        if not ifd1:
            return None
        m = struct.unpack(e + "H", tiff[ifd1 : ifd1 + 2])[0]
        off = length = None
        for k in range(m):
            tag, typ, cnt, val = struct.unpack(
                e + "HHII", tiff[ifd1 + 2 + 12 * k : ifd1 + 14 + 12 * k]
            )
            if tag == 0x0201:
                off = val
            elif tag == 0x0202:
                length = val
        if off is None or not length:
            return None
        from PIL import Image

        with _quiet():
            im = Image.open(io.BytesIO(tiff[off : off + length]))
            im.load()
        return im
    except (struct.error, OSError, ValueError):
        return None


def thumbnail_mismatch(path: str | os.PathLike) -> float | None:
    """Share (0–1) of the picture where the embedded thumbnail and the image differ clearly.

    Both are reduced to 64×48 grey pixels; a pixel counts as changed when it differs by more
    than 40 of 255. Re-encoding and resizing stay near 0; a pasted face or edited text shows up
    as a few percent or more. Returns None without a thumbnail.
    """
    from PIL import Image, ImageOps

    thumb = thumbnail(path)
    if thumb is None:
        return None
    try:
        with _quiet(), Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            a = im.convert("L").resize((64, 48), Image.Resampling.BOX)
    except (OSError, ValueError) as exc:
        raise ImageError(f"{path}: the image cannot be decoded ({exc})") from None
    b = thumb.convert("L").resize((64, 48), Image.Resampling.BOX)
    changed = sum(1 for x, y in zip(a.tobytes(), b.tobytes()) if abs(x - y) > 40)
    return changed / (64 * 48)


# ---------------------------------------------------------------------------------------------
# Near-duplicates
# ---------------------------------------------------------------------------------------------

_VARIANTS = (
    "identity",
    "mirror",
    "rot90",
    "rot180",
    "rot270",
    "mirror_rot90",
    "mirror_rot180",
    "mirror_rot270",
)


def _variants(img):
    from PIL import Image

    T = Image.Transpose
    m = img.transpose(T.FLIP_LEFT_RIGHT)
    return {
        "identity": img,
        "mirror": m,
        "rot90": img.transpose(T.ROTATE_90),
        "rot180": img.transpose(T.ROTATE_180),
        "rot270": img.transpose(T.ROTATE_270),
        "mirror_rot90": m.transpose(T.ROTATE_90),
        "mirror_rot180": m.transpose(T.ROTATE_180),
        "mirror_rot270": m.transpose(T.ROTATE_270),
    }


def perceptual_hashes(image, *, method: str = "phash", variants: bool = True) -> dict:
    """Perceptual hashes of a photo (path or PIL image) after applying its EXIF orientation,
    and of its mirror and rotations (``variants=True``): ``{variant: ImageHash}``.

    ``method`` is ``phash`` (default), ``dhash``, ``ahash`` or ``whash``. Hashes survive
    resizing and recompression; comparing against the variants also catches mirrored and
    rotated re-posts.
    """
    from PIL import Image, ImageOps

    if method not in ("phash", "dhash", "ahash", "whash"):
        raise ImageError(f"method={method!r}: use one of ['ahash', 'dhash', 'phash', 'whash']")
    if isinstance(image, (str, os.PathLike)):
        p = Path(image)
        if not p.is_file():
            raise ImageError(f"{image}: no such file")
        try:
            with _quiet(), Image.open(p) as im:
                img = ImageOps.exif_transpose(im).convert("RGB")
        except (OSError, ValueError) as exc:
            raise ImageError(
                f"{p.name}: cannot be decoded as an image ({type(exc).__name__}: {exc})"
            ) from None
    elif hasattr(image, "convert"):
        img = ImageOps.exif_transpose(image).convert("RGB")
    else:
        raise ImageError(f"expected a path or a PIL image, got {type(image).__name__}")
    if method == "phash":
        return _phash_variants(img, variants)
    import imagehash

    funcs = {"dhash": imagehash.dhash, "ahash": imagehash.average_hash, "whash": imagehash.whash}
    img = img.convert("L").resize((128, 128), Image.Resampling.LANCZOS)
    items = _variants(img) if variants else {"identity": img}
    return {k: funcs[method](v) for k, v in items.items()}


_DCT = None


def _phash_variants(img, variants: bool) -> dict:
    """pHash as imagehash computes it (32×32 grey, 2-D DCT-II, 8×8 low frequencies against
    their median), for the image and its 7 mirror/rotation variants from one resize: flipping
    or turning the 32×32 pixels is exact and 8× cheaper than re-hashing each variant."""
    import numpy as np
    from imagehash import ImageHash
    from PIL import Image

    global _DCT
    if _DCT is None:
        n = np.arange(32)
        _DCT = 2 * np.cos(np.pi * np.outer(n, 2 * n + 1) / 64)
    px = np.asarray(img.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=float)
    m = np.fliplr(px)
    arrays = {
        "identity": px,
        "mirror": m,
        "rot90": np.rot90(px, 1),
        "rot180": np.rot90(px, 2),
        "rot270": np.rot90(px, 3),
        "mirror_rot90": np.rot90(m, 1),
        "mirror_rot180": np.rot90(m, 2),
        "mirror_rot270": np.rot90(m, 3),
    }
    if not variants:
        arrays = {"identity": px}
    out = {}
    for k, a in arrays.items():
        low = (_DCT @ a @ _DCT.T)[:8, :8]
        out[k] = ImageHash(low > np.median(low))
    return out


def hash_distance(a, b) -> tuple[int, str]:
    """Smallest Hamming distance (of 64 bits) between ``a``'s plain hash and any variant of
    ``b``, with the variant's name — the transform that turns ``b`` back into ``a``:
    ``(0, "mirror")`` means b is a's mirror image; ``"rot270"`` undoes a 90° left turn (PIL's
    rotation direction is counter-clockwise).

    ``a`` and ``b`` are paths, PIL images or results of :func:`perceptual_hashes`.
    """
    ha = a if isinstance(a, dict) else perceptual_hashes(a, variants=False)
    hb = b if isinstance(b, dict) else perceptual_hashes(b)
    base = ha["identity"]
    best = min(((base - h, k) for k, h in hb.items()), key=lambda x: (x[0], _VARIANTS.index(x[1])))
    return int(best[0]), best[1]


def _hash_files(paths, progress, method):
    hashes, problems = {}, {}
    it = paths
    if progress and paths:
        from tqdm.auto import tqdm

        it = tqdm(paths, desc="hashing", unit="file", leave=False)
    for p in it:
        try:
            hashes[Path(p).name] = perceptual_hashes(p, method=method)
        except ImageError as exc:
            problems[Path(p).name] = str(exc)
    return hashes, problems


def _paths(files) -> list[Path]:
    if isinstance(files, (str, os.PathLike)):
        root = Path(files)
        if not root.is_dir():
            raise ImageError(f"{files}: not a folder")
        return _list_files(root, "*", False)
    paths = [Path(f) for f in files]
    if not paths:
        raise ImageError("no files given")
    return paths


def find_near_duplicates(
    files, *, threshold: int = 10, method: str = "phash", progress: bool = False
):
    """Pairs of photos that are copies of each other (resized, recompressed, cropped a little,
    watermarked, mirrored or rotated).

    ``files`` is a folder or a list of paths. Returns a DataFrame (file_a, file_b, distance,
    transform) for every pair within ``threshold`` bits (of 64), closest first. Files that are
    not images are skipped.
    """
    if not 0 <= threshold <= 64:
        raise ImageError(f"threshold={threshold}: give 0..64 bits")
    hashes, _ = _hash_files(_paths(files), progress, method)
    return _pairs(hashes, threshold)


def _pairs(hashes: dict, threshold: int):
    import pandas as pd

    names = sorted(hashes)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            d, how = hash_distance(hashes[a], hashes[b])
            if d <= threshold:
                rows.append({"file_a": a, "file_b": b, "distance": d, "transform": how})
    df = pd.DataFrame(rows, columns=["file_a", "file_b", "distance", "transform"])
    return df.sort_values(["distance", "file_a", "file_b"]).reset_index(drop=True)


def cluster_duplicates(files, *, threshold: int = 10, method: str = "phash"):
    """Group copies of the same picture: one row per image file with its ``cluster`` number
    (1 = the largest group) and ``size``. Singletons get their own cluster."""
    import pandas as pd

    if not 0 <= threshold <= 64:
        raise ImageError(f"threshold={threshold}: give 0..64 bits")
    hashes, _ = _hash_files(_paths(files), False, method)
    pairs = _pairs(hashes, threshold) if len(hashes) > 1 else None
    parent = {n: n for n in hashes}

    def root(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    if pairs is not None:
        for a, b in zip(pairs["file_a"], pairs["file_b"]):
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for n in sorted(hashes):
        groups.setdefault(root(n), []).append(n)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    rows = [
        {"file": n, "cluster": i, "size": len(g)} for i, g in enumerate(ordered, start=1) for n in g
    ]
    return pd.DataFrame(rows, columns=["file", "cluster", "size"])


# ---------------------------------------------------------------------------------------------
# An offline reverse-image index
# ---------------------------------------------------------------------------------------------


@dataclass
class ImageIndex:
    """Perceptual hashes of many collected copies, each with where and when it was first seen.

    ``files`` (names), ``hashes`` (one 64-bit pHash per file, a numpy ``uint64`` array),
    ``seen`` (file → first-seen time, ISO text or ``None``), ``where`` (file → who published
    it) and ``problems`` (file → why it could not be indexed).
    """

    files: list = field(default_factory=list)
    hashes: object = None
    seen: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.files)


def _hash_int(h) -> int:
    return int("".join("1" if b else "0" for b in h.hash.flatten()), 2)


def _popcount(x):
    import numpy as np

    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x)
    b = x.view(np.uint8).reshape(-1, 8)
    return np.unpackbits(b, axis=1).sum(axis=1)


def _iso_utc(v) -> str | None:
    """A first-seen value as ISO 8601 UTC text (``…Z``); text is kept as it is."""
    if v is None or v != v:  # None or NaN/NaT
        return None
    if hasattr(v, "astimezone"):
        if getattr(v, "tzinfo", None) is None:
            raise ImageError(f"first-seen time {v!r} has no time zone: give UTC times")
        return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(v)


def build_image_index(
    files,
    sources=None,
    *,
    seen_col: str = "posted_utc",
    where_col: str = "posted_by",
    progress: bool = False,
) -> ImageIndex:
    """Index photos for reverse search: a folder or list of paths, and optionally a table
    (``file`` plus ``seen_col`` / ``where_col``) saying when and where each copy appeared.

    A file that cannot be decoded (not an image, cut short, broken pixel data) is not indexed:
    its name and the reason go to ``index.problems`` and the rest of the batch goes on.

    >>> len(build_image_index([]))
    0
    """
    import numpy as np

    paths = _paths(files) if not (isinstance(files, list) and not files) else []
    hashes, problems = _hash_files(paths, progress, "phash")
    index = ImageIndex(problems=problems)
    index.files = sorted(hashes)
    index.hashes = np.array(
        [_hash_int(hashes[f]["identity"]) for f in index.files], dtype=np.uint64
    )
    if sources is not None:
        for rec in sources.to_dict("records"):
            if rec.get("file") in hashes:
                index.seen[rec["file"]] = _iso_utc(rec.get(seen_col))
                index.where[rec["file"]] = rec.get(where_col)
    return index


def reverse_search(index: ImageIndex, image, *, threshold: int = 10):
    """Every indexed copy of ``image`` (path, PIL image or its :func:`perceptual_hashes`),
    mirrored and rotated copies
    included: a DataFrame (file, distance, transform, first_seen, where), **earliest first** —
    the first row is the earliest copy the index knows, not necessarily the original (the
    index only knows what was collected).

    A copy's ``first_seen`` is when *it* was published; a later copy can carry older EXIF.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(index, ImageIndex):
        raise ImageError(
            f"expected an ImageIndex from build_image_index, got {type(index).__name__}"
        )
    if not 0 <= threshold <= 64:
        raise ImageError(f"threshold={threshold}: give 0..64 bits")
    cols = ["file", "distance", "transform", "first_seen", "where"]
    if not len(index):
        return pd.DataFrame(columns=cols)
    variants = image if isinstance(image, dict) else perceptual_hashes(image)
    best = np.full(len(index.files), 65, dtype=np.int64)
    how = np.zeros(len(index.files), dtype=np.int64)
    for i, name in enumerate(_VARIANTS):
        d = _popcount(index.hashes ^ np.uint64(_hash_int(variants[name]))).astype(np.int64)
        better = d < best
        best[better], how[better] = d[better], i
    hit = np.nonzero(best <= threshold)[0]
    rows = [
        {
            "file": index.files[i],
            "distance": int(best[i]),
            "transform": _VARIANTS[how[i]],
            "first_seen": index.seen.get(index.files[i]),
            "where": index.where.get(index.files[i]),
        }
        for i in hit
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["_k"] = df["first_seen"].fillna("9999")
    return df.sort_values(["_k", "distance", "file"]).drop(columns="_k").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Sun and shadows
# ---------------------------------------------------------------------------------------------


def _check_latlon(lat, lon):
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ImageError(f"coordinates ({lat!r}, {lon!r}) are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ImageError(f"impossible coordinates ({lat}, {lon})")
    return lat, lon


def sun_position(lat: float, lon: float, when: datetime) -> tuple[float, float]:
    """Sun ``(elevation, azimuth)`` in degrees at a place and a **time-zone-aware** moment.

    Elevation is above the horizon (refraction included), azimuth clockwise from north. A naive
    datetime is refused: astral would silently take it as UTC, the classic chronolocation error.

    >>> from datetime import datetime, timezone
    >>> e, a = sun_position(31.5, 74.3, datetime(2026, 6, 21, 7, 0, tzinfo=timezone.utc))
    >>> round(e), round(a)
    (82, 173)
    """
    lat, lon = _check_latlon(lat, lon)
    if not isinstance(when, datetime):
        raise ImageError(f"when={when!r}: give a datetime")
    if when.tzinfo is None or when.utcoffset() is None:
        raise ImageError(
            f"when={when!r} has no time zone; attach one (a camera's local time is not UTC)"
        )
    from astral import Observer
    from astral.sun import azimuth, elevation

    obs = Observer(latitude=lat, longitude=lon)
    return float(elevation(obs, when)), float(azimuth(obs, when))


def sun_elevation_from_shadow(object_height: float, shadow_length: float) -> float:
    """Sun elevation in degrees from a vertical object's height and its shadow on level
    ground (same units, e.g. pixels measured at the same distance, or metres).

    >>> round(sun_elevation_from_shadow(2.0, 2.0), 1)
    45.0
    """
    try:
        h, s = float(object_height), float(shadow_length)
    except (TypeError, ValueError):
        raise ImageError(
            f"object_height={object_height!r}, shadow_length={shadow_length!r}: give numbers"
        ) from None
    if not (h > 0 and s > 0) or math.isinf(h) or math.isinf(s):
        raise ImageError(
            f"object_height={object_height!r} and shadow_length={shadow_length!r} must be positive"
        )
    return math.degrees(math.atan2(h, s))


def shadow_length(object_height: float, elevation: float) -> float:
    """Length of the shadow of a vertical object of ``object_height`` for a sun ``elevation``
    (degrees above the horizon).

    >>> round(shadow_length(1.0, 45), 3)
    1.0
    """
    if not 0 < float(elevation) <= 90:
        raise ImageError(f"elevation={elevation!r}: the sun must be above the horizon (0–90°)")
    if not float(object_height) > 0:
        raise ImageError(f"object_height={object_height!r} must be positive")
    return float(object_height) / math.tan(math.radians(float(elevation)))


def times_for_sun_elevation(
    lat: float, lon: float, day: date, elevation: float, tz: str = "UTC"
) -> list[tuple[datetime, float]]:
    """The moments on local ``day`` (in zone ``tz``) when the sun stands at ``elevation``:
    usually two, one in the morning and one in the afternoon, each with the sun's azimuth.

    Use the shadow's direction to choose: the shadow points away from the sun (sun azimuth +
    180°). Accurate to a few seconds.
    """
    from zoneinfo import ZoneInfo

    lat, lon = _check_latlon(lat, lon)
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ImageError(f"day={day!r}: give a datetime.date")
    if not -5 < float(elevation) < 90:
        raise ImageError(f"elevation={elevation!r}: give degrees between -5 and 90")
    try:
        zone = ZoneInfo(tz)
    except Exception:  # noqa: BLE001
        raise ImageError(f"tz={tz!r}: not an IANA time zone such as 'Asia/Yangon'") from None
    start = datetime.combine(day, time(0), zone)
    step = timedelta(minutes=10)
    f = lambda t: sun_position(lat, lon, t)[0] - elevation  # noqa: E731
    out = []
    t0, v0 = start, f(start)
    for i in range(1, 24 * 6 + 1):
        t1 = start + i * step
        v1 = f(t1)
        if (v0 < 0) != (v1 < 0):
            a, b, fa = t0, t1, v0
            for _ in range(20):
                mid = a + (b - a) / 2
                fm = f(mid)
                if (fa < 0) != (fm < 0):
                    b = mid
                else:
                    a, fa = mid, fm
            moment = (a + (b - a) / 2).replace(microsecond=0)
            out.append((moment, sun_position(lat, lon, moment)[1]))
        t0, v0 = t1, v1
    return out


# ---------------------------------------------------------------------------------------------
# Places and maps
# ---------------------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).

    >>> round(distance_km(31.55, 74.34, 25.20, 55.27))
    1991
    """
    lat1, lon1 = _check_latlon(lat1, lon1)
    lat2, lon2 = _check_latlon(lat2, lon2)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearest_place(
    lat: float, lon: float, places: dict | None = None, *, max_km: float | None = None
) -> tuple[str | None, float]:
    """The nearest scenario place (name, distance in km) — a coarse reverse geocoder that works
    offline. ``places`` maps name → (lat, lon); default: the scenario's gazetteer.

    The gazetteer holds only the case's places, so "nearest" can be thousands of km away: give
    ``max_km`` and a farther place comes back as ``(None, distance)`` — *no place near*, never
    a misleading name. Always read the distance.

    >>> nearest_place(31.56, 74.33)[0]
    'Lahore'
    >>> nearest_place(-33.45, -70.67, max_km=50)[0] is None    # Santiago de Chile
    True
    """
    lat, lon = _check_latlon(lat, lon)
    if places is None:
        from .reference.gazetteer import PLACES

        places = {p.name: (p.lat, p.lon) for p in PLACES.values()}
    if not places:
        raise ImageError("no places to compare with")
    name = min(places, key=lambda n: distance_km(lat, lon, *places[n]))
    km = distance_km(lat, lon, *places[name])
    if max_km is not None and km > max_km:
        return None, km
    return name, km


def photo_map(meta, *, label: str = "file", extent=None, title: str | None = None, ax=None):
    """Plot the photos that carry GPS on the offline basemap. Returns ``(fig, ax)``."""
    from .charts import route_map

    df = _as_table(meta)
    df = df[df["latitude"].notna() & df["longitude"].notna()]
    if df.empty:
        raise ImageError("no photo in the table has GPS coordinates")
    if label not in df.columns:
        raise ImageError(f"label={label!r} is not a column of the table")
    points = [
        (str(r[label]), float(r["latitude"]), float(r["longitude"])) for _, r in df.iterrows()
    ]
    return route_map(
        points,
        extent=extent,
        title=title or f"{len(points)} photos with GPS",
        ax=ax,
        point_kind="photo position (from GPS)",
    )


def metadata_explorer(meta, folder: str | os.PathLike | None = None):
    """An ipywidgets explorer: pick a file, see its picture, its metadata and what to check."""
    import ipywidgets as w
    from PIL import Image

    df = _as_table(meta)
    if df.empty:
        raise ImageError("the metadata table is empty")
    pick = w.Dropdown(options=list(df["file"]), description="photo", layout=w.Layout(width="60%"))
    pic = w.Image(format="png", layout=w.Layout(max_width="360px"))
    info = w.HTML()

    def show(change=None):
        r = df[df["file"] == pick.value].iloc[0]
        path = Path(folder) / r["file"] if folder else Path(r["path"])
        try:
            with _quiet(), Image.open(path) as im:
                im = im.convert("RGB")
                im.thumbnail((360, 360))
                buf = io.BytesIO()
                im.save(buf, "PNG")
                pic.value = buf.getvalue()
        except (OSError, ValueError):
            pic.value = b""
        rows = "".join(
            f"<tr><td><b>{c}</b></td><td>{r[c]}</td></tr>"
            for c in COLUMNS
            if c not in ("path",)
            and r[c] is not None
            and str(r[c]) not in ("", "nan", "NaT", "None")
        )
        info.value = f"<table>{rows}</table>"

    pick.observe(show, names="value")
    show()
    return w.VBox([pick, w.HBox([pic, info])])


def error_level_analysis(path: str | os.PathLike, quality: int = 90, scale: int = 15):
    """Error level analysis: re-save as JPEG at ``quality`` and amplify the difference.

    Areas that recompress differently *may* have a different history — but recompression,
    resizing, filters and PNG sources all blur or fake the signal. Weak, corroborating evidence
    only. Returns ``(ela_image, mean_error)``.
    """
    from PIL import Image, ImageChops

    p = Path(path)
    if not p.is_file():
        raise ImageError(f"{path}: no such file")
    if not 1 <= int(quality) <= 100:
        raise ImageError(f"quality={quality!r}: give 1..100")
    try:
        with _quiet(), Image.open(p) as im:
            original = im.convert("RGB")
    except (OSError, ValueError) as exc:
        raise ImageError(f"{path}: not a readable image ({type(exc).__name__})") from None
    buf = io.BytesIO()
    original.save(buf, "JPEG", quality=int(quality))
    buf.seek(0)
    resaved = Image.open(buf).convert("RGB")
    diff = ImageChops.difference(original, resaved)
    grey = diff.convert("L")
    values = grey.tobytes()
    mean = sum(values) / len(values)
    return diff.point(lambda v: min(255, v * scale)), mean


# -- lesson helpers: one call in the notebook, the drawing and formatting live here ---------------


def mask_serial(value) -> str | None:
    """A serial number shortened for display: first two and last two characters.

    >>> mask_serial("CN6802123")
    'CN…23'
    >>> mask_serial(None) is None
    True
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if len(text) <= 4:
        return "…"
    return f"{text[:2]}…{text[-2:]}"


def mask_serials(table):
    """A copy of a table, dict or record with every serial-number value shortened
    (:func:`mask_serial`): columns or keys whose name contains "serial", any case.

    >>> mask_serials({"make": "Canon", "serial": "CN6802123"})
    {'make': 'Canon', 'serial': 'CN…23'}
    """
    import pandas as pd

    if isinstance(table, PhotoMetadata):
        table = table.to_dict()
    if isinstance(table, dict):
        return {k: mask_serial(v) if "serial" in str(k).lower() else v for k, v in table.items()}
    if isinstance(table, pd.Series):
        out = table.copy()
        for k in out.index:
            if "serial" in str(k).lower():
                out[k] = mask_serial(out[k])
        return out
    if isinstance(table, pd.DataFrame):
        out = table.copy()
        for c in out.columns:
            if "serial" in str(c).lower():
                out[c] = out[c].map(mask_serial)
        return out
    raise ImageError(f"mask_serials: give a DataFrame, Series or dict, not {type(table).__name__}")


def show_photo(path: str | os.PathLike, title: str | None = None, *, size=(6, 4.5)):
    """Draw one photo with its file name as the title. Returns ``(fig, ax)``."""
    import matplotlib.pyplot as plt
    from PIL import Image

    p = Path(path)
    try:
        with _quiet(), Image.open(p) as im:
            picture = im.convert("RGB")
    except (OSError, ValueError) as exc:
        raise ImageError(f"{p.name}: not a readable image ({type(exc).__name__})") from None
    fig, ax = plt.subplots(figsize=size)
    ax.imshow(picture)
    ax.set_title(title or p.name)
    ax.axis("off")
    fig.tight_layout()
    return fig, ax


def show_copies(folder: str | os.PathLike, files, *, reference: str | None = None):
    """Draw copies of one picture side by side, each titled with its hash distance (bits of 64)
    to ``reference`` (default: the first file) and the variant that matched. Returns ``(fig,
    axes)``."""
    import matplotlib.pyplot as plt
    from PIL import Image

    files = list(files)
    if not files:
        raise ImageError("show_copies: no files given")
    folder = Path(folder)
    ref = folder / (reference or files[0])
    fig, axes = plt.subplots(1, len(files), figsize=(2.6 * len(files), 2.6), squeeze=False)
    for ax, f in zip(axes[0], files):
        with _quiet(), Image.open(folder / f) as im:
            ax.imshow(im.convert("RGB"))
        d, how = hash_distance(ref, folder / f)
        ax.set_title(f"{f}\n{d} bits from {ref.name[:12]}…\n(as {how})", fontsize=7)
        ax.axis("off")
    fig.tight_layout()
    return fig, axes


def compare_thumbnail(path: str | os.PathLike, *, ela: bool = True):
    """Draw the picture, its embedded EXIF thumbnail enlarged to the same size and (optionally)
    its error level analysis, side by side. Returns ``(fig, axes)``."""
    import matplotlib.pyplot as plt
    from PIL import Image

    p = Path(path)
    thumb = thumbnail(p)
    if thumb is None:
        raise ImageError(f"{p.name}: carries no embedded thumbnail")
    with _quiet(), Image.open(p) as im:
        picture = im.convert("RGB")
    panels = [(picture, "the picture"), (thumb.resize(picture.size), "its embedded thumbnail")]
    if ela:
        diff, level = error_level_analysis(p)
        panels.append((diff, f"error level analysis (mean {level:.1f}, weak evidence)"))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False)
    for ax, (img, t) in zip(axes[0], panels):
        ax.imshow(img)
        ax.set_title(t)
        ax.axis("off")
    fig.tight_layout()
    return fig, axes


def sun_curve(lat: float, lon: float, day: date, tz: str, elevation: float | None = None):
    """Plot the sun's elevation through ``day`` at a place (local time of zone ``tz``), with the
    measured ``elevation`` as a dashed line and its two times marked. Returns ``(fig, ax)``."""
    from zoneinfo import ZoneInfo

    import matplotlib.pyplot as plt

    zone = ZoneInfo(tz)
    start = datetime(day.year, day.month, day.day, 5, 0, tzinfo=zone)
    moments = [start + timedelta(minutes=10 * i) for i in range(6 * 14)]
    hours = [t.hour + t.minute / 60 for t in moments]
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(hours, [sun_position(lat, lon, t)[0] for t in moments], label="sun elevation")
    if elevation is not None:
        ax.axhline(elevation, color="#c0392b", ls="--", label="elevation from the shadow")
        for i, (moment, _) in enumerate(times_for_sun_elevation(lat, lon, day, elevation, tz=tz)):
            ax.axvline(
                moment.hour + moment.minute / 60,
                color="#777",
                lw=0.9,
                ls=":",
                label="the two possible times" if i == 0 else None,
            )
    ax.set_xlabel(f"local time ({tz})")
    ax.set_ylabel("degrees above the horizon")
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig, ax


def sun_times_table(lat: float, lon: float, day: date, elevation: float, tz: str):
    """The two times of ``day`` when the sun stands at ``elevation`` as a table: local and UTC
    time, the sun's azimuth and the bearing a shadow then points to (azimuth + 180°)."""
    import pandas as pd

    rows = []
    for moment, az in times_for_sun_elevation(lat, lon, day, elevation, tz=tz):
        rows.append(
            {
                "local time": moment.strftime("%H:%M"),
                "UTC": moment.astimezone(UTC).strftime("%H:%M"),
                "sun azimuth (°)": round(az),
                "shadow points to (°)": round((az + 180) % 360),
            }
        )
    return pd.DataFrame(rows)


def places_near(meta, *, max_km: float = 50.0):
    """For every photo with a usable GPS position: the nearest case place within ``max_km``
    (or "no case place within N km") and the distance, as columns ``place`` and ``km``."""
    df = _as_table(meta)
    df = df[df["latitude"].notna() & df["longitude"].notna()].copy()
    near = [
        nearest_place(a, b, max_km=max_km)
        for a, b in zip(df["latitude"], df["longitude"], strict=True)
    ]
    df["place"] = [p or f"no case place within {max_km:g} km" for p, _ in near]
    df["km"] = [round(k, 1) for _, k in near]
    return df


# -- content credentials (C2PA) -----------------------------------------------------------------

C2PA_SAMPLES = Path(__file__).resolve().parent / "resources" / "c2pa"


def c2pa_available() -> bool:
    """True when the optional C2PA library (``pip install osintlab[c2pa]``) is installed."""
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


def read_content_credentials(path: str | os.PathLike) -> dict:
    """Read a file's C2PA content credentials with the c2pa library, as plain data: whether a
    manifest is there, the tool that made the claim, who signed it, the recorded actions and
    IPTC digital source type, and the validation result (``valid``, ``valid, signer not on a
    trust list`` or the failure codes). Raises :class:`ImageError` when the library is missing.

    >>> read_content_credentials(C2PA_SAMPLES / "signed.jpg")["manifest"]  # doctest: +SKIP
    True
    """
    import json

    p = Path(path)
    if not p.is_file():
        raise ImageError(f"{path}: no such file")
    try:
        import c2pa
    except ImportError:
        raise ImageError(
            "the C2PA library is not installed: pip install 'osintlab[c2pa]' (or c2pa-python)"
        ) from None
    mime = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}.get(p.suffix.lower())
    if mime is None:
        raise ImageError(f"{p.name}: give a .jpg or .png file")
    out = {"file": p.name, "manifest": False, "claim_generator": None, "signed_by": None}
    out.update({"actions": None, "digital_source_type": None, "validation": "no manifest"})
    try:
        with open(p, "rb") as f, c2pa.Reader(mime, f) as reader:
            report = json.loads(reader.json())
    except Exception as exc:  # the library raises its own error when there is no manifest
        if "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower():
            return out
        raise ImageError(f"{p.name}: C2PA data cannot be read ({exc})") from None
    active = report.get("manifests", {}).get(report.get("active_manifest"), {})
    actions = [
        a
        for s in active.get("assertions", [])
        if str(s.get("label", "")).startswith("c2pa.actions")
        for a in s.get("data", {}).get("actions", [])
    ]
    gen = (active.get("claim_generator_info") or [{}])[0]
    sig = active.get("signature_info", {})
    codes = [v.get("code", "") for v in report.get("validation_status", [])]
    failures = [c for c in codes if c != "signingCredential.untrusted"]
    if failures:
        validation = "FAILED: " + ", ".join(failures)
    elif codes:
        validation = "valid, signer not on a trust list"
    else:
        validation = "valid"
    out.update(
        manifest=True,
        claim_generator=" ".join(str(gen.get(k, "")) for k in ("name", "version")).strip(),
        signed_by=sig.get("issuer"),
        actions=", ".join(str(a.get("action", "")).removeprefix("c2pa.") for a in actions),
        digital_source_type=next(
            (
                str(a["digitalSourceType"]).rsplit("/", 1)[-1]
                for a in actions
                if a.get("digitalSourceType")
            ),
            None,
        ),
        validation=validation,
    )
    return out


def content_credentials_demo():
    """The course's three C2PA samples — signed, edited after signing, re-saved by a program
    that drops the manifest — read with the c2pa library as one table. Without the library it
    returns the table recorded when the samples were made (``recorded.json``), flagged."""
    import json

    import pandas as pd

    names = ["signed.jpg", "edited-after-signing.jpg", "resaved.jpg"]
    if c2pa_available():
        rows = [read_content_credentials(C2PA_SAMPLES / n) for n in names]
        return pd.DataFrame(rows).assign(read_with="c2pa library")
    rows = json.loads((C2PA_SAMPLES / "recorded.json").read_text(encoding="utf-8"))
    return pd.DataFrame(rows).assign(read_with="recorded (c2pa library not installed)")


def what_survived(table):
    """Count files by how they reached us (``delivery``) and metadata ``status``, draw it as a
    stacked bar chart with its legend outside the bars, and return the count table."""
    import matplotlib.pyplot as plt
    import pandas as pd

    df = _as_table(table)
    for col in ("delivery", "status"):
        if col not in df.columns:
            raise ImageError(f"what_survived: the table has no {col!r} column (merge the sources)")
    counts = pd.crosstab(df["delivery"], df["status"])
    fig, ax = plt.subplots(figsize=(8.5, 3))
    counts.plot.barh(stacked=True, ax=ax, colormap="tab10", edgecolor="white")
    ax.set_xlabel("files")
    ax.set_ylabel("how the file reached us")
    ax.set_title("What survived, by how the file reached us")
    ax.legend(title="metadata status", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    fig.tight_layout()
    plt.show()
    return counts


def compare_readers(path: str | os.PathLike):
    """What exifread and Pillow each find in one file, and which reader :func:`read_metadata`
    used, as a one-row table (serial shortened). Shows why the toolkit falls back to Pillow."""
    import exifread
    import pandas as pd
    from PIL import ExifTags, Image

    p = Path(path)
    blob = p.read_bytes()
    with _quiet():
        n_exifread = len(exifread.process_file(io.BytesIO(blob), details=False))
        exif = Image.open(io.BytesIO(blob)).getexif()
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    row = {
        "file": p.name,
        "exifread: tags found": n_exifread,
        "Pillow: Make": exif.get(ExifTags.Base.Make),
        "Pillow: serial": mask_serial(sub.get(ExifTags.Base.BodySerialNumber)),
        "Pillow: GPS tags": len(exif.get_ifd(ExifTags.IFD.GPSInfo)),
        "read_metadata used": read_metadata(p).reader,
    }
    return pd.DataFrame([row])


def exiftool_check(path: str | os.PathLike):
    """Compare ExifTool's signed ``Composite:GPS*`` values with :func:`read_metadata`'s, when
    ExifTool is installed (one ``exiftool -json -n -G1`` run); otherwise say how to run it."""
    import json
    import shutil
    import subprocess

    p = Path(path)
    if not shutil.which("exiftool"):
        return f"ExifTool is not installed here; on a work machine run: exiftool -json -n -G1 {p.parent.name}"
    out = subprocess.run(
        ["exiftool", "-json", "-n", "-G1", str(p)], capture_output=True, text=True, check=False
    ).stdout
    ref = json.loads(out)[0]
    rec = read_metadata(p)
    ours = {"latitude": rec.latitude, "longitude": rec.longitude, "altitude": rec.altitude}
    return {"exiftool": {k: ref[k] for k in ref if k.startswith("Composite:GPS")}, "ours": ours}


def wall_time_readings(wall_time: str, offsets: dict, gps_time=None):
    """One camera wall time (``DateTimeOriginal`` text) read on several clocks: ``offsets`` maps
    a label to a UTC offset in hours; each row gives the UTC moment that reading implies. With
    ``gps_time`` (UTC) a last row shows what the GPS block says.

    >>> wall_time_readings("2026:02:26 10:00:00", {"as if UTC": 0, "UTC+4": 4})["UTC"].tolist()
    ['2026-02-26 10:00:00', '2026-02-26 06:00:00']
    """
    import pandas as pd

    wall = parse_exif_datetime(wall_time)
    if wall is None:
        raise ImageError(f"wall_time={wall_time!r}: not an EXIF date-time")
    rows = []
    for label, hours in offsets.items():
        moment = wall.replace(tzinfo=timezone(timedelta(hours=float(hours)))).astimezone(UTC)
        rows.append({"reading": label, "UTC": f"{moment:%Y-%m-%d %H:%M:%S}"})
    if gps_time is not None and str(gps_time) not in ("NaT", "None", "nan"):
        rows.append(
            {"reading": "GPS time (UTC by definition)", "UTC": f"{gps_time:%Y-%m-%d %H:%M:%S}"}
        )
    return pd.DataFrame(rows)


def shadow_explorer(measurement):
    """An ipywidgets slider over the shadow length of a ``shadow_measurements`` row: how far a
    few pixels of error move the elevation and the two possible times."""
    import ipywidgets as w

    m = measurement
    day = date.fromisoformat(str(m["date_local"]))
    length = int(m["shadow_length_px"])

    def explore(shadow_px=length):
        e = sun_elevation_from_shadow(m["object_height_px"], shadow_px)
        found = times_for_sun_elevation(m["site_lat"], m["site_lon"], day, e, tz=m["zone"])
        print(f"elevation {e:.1f}° →", ", ".join(f"{t:%H:%M}" for t, _ in found), m["zone"])

    slider = w.IntSlider(value=length, min=int(length * 0.8), max=int(length * 1.2))
    return w.interactive(explore, shadow_px=slider)
