"""Draw the scenario's synthetic photos with Pillow and write their EXIF (module 03).

Nothing here is a real photograph: scenes are drawn from rectangles, gradients and text, so that
every pixel is invented and the same seed gives the same bytes (Pillow is pinned). Metadata is
written the way cameras and phones write it, including the mistakes the course teaches about
(wrong camera clock, lower-case hemisphere refs, "no fix" 0/0 rationals, missing refs).

    >>> import random
    >>> img = draw_scene("office", random.Random(1), texts=["CRESCENT WAY"])
    >>> img.size
    (800, 600)
"""

from __future__ import annotations

import io
import math
import random
import struct
from datetime import datetime

from PIL import ExifTags, Image, ImageDraw, ImageFont, TiffImagePlugin

SIZE = (800, 600)
B, G, IFD = ExifTags.Base, ExifTags.GPS, ExifTags.IFD

# -- drawing ------------------------------------------------------------------------------------

_FONTS: dict[int, ImageFont.FreeTypeFont] = {}


def font(size: int):
    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size=size)
    return _FONTS[size]


def _col(rng: random.Random, lo: int = 40, hi: int = 230) -> tuple[int, int, int]:
    return tuple(rng.randrange(lo, hi) for _ in range(3))


def _gradient(img: Image.Image, box, top, bottom) -> None:
    x0, y0, x1, y1 = box
    d = ImageDraw.Draw(img)
    h = max(1, y1 - y0)
    for i in range(h):
        t = i / h
        c = tuple(int(top[k] + (bottom[k] - top[k]) * t) for k in range(3))
        d.line([(x0, y0 + i), (x1, y0 + i)], fill=c)


def _person(d: ImageDraw.ImageDraw, x: int, y: int, s: float, rng: random.Random) -> None:
    skin = rng.choice([(198, 150, 110), (170, 120, 85), (140, 95, 65), (215, 175, 140)])
    shirt = _col(rng)
    d.rectangle([x - 22 * s, y, x + 22 * s, y + 70 * s], fill=shirt)
    d.ellipse([x - 15 * s, y - 34 * s, x + 15 * s, y], fill=skin)
    d.ellipse([x - 16 * s, y - 38 * s, x + 16 * s, y - 22 * s], fill=(30, 25, 20))


def _sign(d, box, text, rng, bg=None, fg=None):
    bg = bg or _col(rng, 20, 120)
    fg = fg or (250, 250, 240)
    d.rectangle(box, fill=bg, outline=(20, 20, 20), width=3)
    size = max(12, min(40, int((box[3] - box[1]) * 0.55)))
    f = font(size)
    w = d.textlength(text, font=f)
    while w > (box[2] - box[0]) - 12 and size > 10:
        size -= 2
        f = font(size)
        w = d.textlength(text, font=f)
    d.text(((box[0] + box[2] - w) / 2, (box[1] + box[3] - size) / 2), text, fill=fg, font=f)


def scene_office(rng, texts):
    img = Image.new("RGB", SIZE)
    wall = _col(rng, 150, 235)
    _gradient(img, (0, 0, 800, 380), wall, tuple(max(0, c - 40) for c in wall))
    _gradient(img, (0, 380, 800, 600), _col(rng, 90, 170), _col(rng, 40, 100))
    d = ImageDraw.Draw(img)
    for _ in range(rng.randrange(1, 4)):  # windows
        x = rng.randrange(0, 650)
        w = rng.randrange(90, 180)
        d.rectangle([x, 50, x + w, 260], fill=(170, 205, 235), outline=(240, 240, 240), width=6)
        d.line([(x + w // 2, 50), (x + w // 2, 260)], fill=(240, 240, 240), width=4)
    if texts:
        x = rng.randrange(60, 360)
        _sign(
            d,
            (x, 280 - rng.randrange(200, 260), x + 380, 340 - rng.randrange(200, 250)),
            texts[0],
            rng,
        )
    for _ in range(rng.randrange(2, 5)):  # desks with monitors and people
        x = rng.randrange(20, 680)
        y = rng.randrange(380, 470)
        if rng.random() < 0.7:
            _person(d, x + 50, y - 80, 1.0, rng)
        d.rectangle([x, y, x + 140, y + 18], fill=_col(rng, 60, 160))
        d.rectangle([x + 10, y + 18, x + 18, y + 80], fill=(60, 60, 60))
        d.rectangle([x + 122, y + 18, x + 130, y + 80], fill=(60, 60, 60))
        d.rectangle([x + 40, y - 55, x + 100, y - 8], fill=(25, 25, 30), outline=(90, 90, 90))
    for _ in range(rng.randrange(0, 3)):  # plants
        x = rng.randrange(0, 760)
        d.rectangle([x, 470, x + 30, 520], fill=(120, 70, 40))
        d.ellipse([x - 25, 400, x + 55, 480], fill=(40, rng.randrange(110, 160), 50))
    return img


def scene_hotel(rng, texts):
    img = Image.new("RGB", SIZE)
    _gradient(img, (0, 0, 800, 400), _col(rng, 170, 240), _col(rng, 120, 190))
    _gradient(img, (0, 400, 800, 600), _col(rng, 100, 160), _col(rng, 60, 110))
    d = ImageDraw.Draw(img)
    wx = rng.randrange(40, 500)
    d.rectangle([wx, 60, wx + 240, 300], fill=(150, 190, 230))
    curtain = _col(rng, 80, 200)
    d.rectangle([wx - 40, 40, wx + 30, 330], fill=curtain)
    d.rectangle([wx + 210, 40, wx + 280, 330], fill=curtain)
    bx = rng.randrange(60, 380)
    d.rectangle([bx, 330, bx + 360, 470], fill=(240, 240, 235), outline=(180, 180, 180), width=3)
    d.rectangle([bx - 10, 250, bx + 370, 335], fill=_col(rng, 60, 140))
    for k in range(2):
        d.ellipse([bx + 30 + k * 170, 300, bx + 150 + k * 170, 350], fill=(250, 250, 250))
    lx = rng.choice([20, 700])
    d.rectangle([lx, 360, lx + 70, 420], fill=(110, 80, 50))
    d.polygon(
        [(lx + 10, 300), (lx + 60, 300), (lx + 50, 350), (lx + 20, 350)], fill=(250, 230, 170)
    )
    fx = rng.randrange(300, 650)
    d.rectangle([fx, 100, fx + 110, 180], fill=_col(rng), outline=(160, 120, 60), width=6)
    if texts:
        _sign(d, (fx - 40, 200, fx + 150, 230), texts[0], rng)
    return img


def scene_street(rng, texts):
    img = Image.new("RGB", SIZE)
    _gradient(img, (0, 0, 800, 330), (120, 170, 225), (205, 225, 240))
    d = ImageDraw.Draw(img)
    x = -20
    signs = list(texts)
    while x < 800:
        w = rng.randrange(110, 220)
        h = rng.randrange(150, 300)
        d.rectangle([x, 420 - h, x + w, 440], fill=_col(rng, 100, 220))
        for wy in range(420 - h + 20, 360, 40):
            for wx in range(x + 12, x + w - 25, 35):
                d.rectangle([wx, wy, wx + 18, wy + 22], fill=(70, 90, 110))
        if signs:
            _sign(d, (x + 8, 370, x + w - 8, 405), signs.pop(0), rng)
        x += w + rng.randrange(0, 15)
    _gradient(img, (0, 440, 800, 600), (90, 90, 95), (60, 60, 65))
    d.line([(0, 520), (800, 520)], fill=(230, 230, 230), width=4)
    for _ in range(rng.randrange(1, 4)):  # vehicles
        vx = rng.randrange(0, 700)
        vy = rng.randrange(470, 540)
        c = _col(rng)
        d.rectangle([vx, vy, vx + 110, vy + 35], fill=c)
        d.rectangle([vx + 20, vy - 22, vx + 85, vy], fill=c)
        for wx in (vx + 20, vx + 85):
            d.ellipse([wx - 12, vy + 25, wx + 12, vy + 49], fill=(20, 20, 20))
    for _ in range(rng.randrange(0, 4)):
        _person(d, rng.randrange(20, 780), rng.randrange(440, 470), 0.8, rng)
    return img


def scene_compound(rng, texts, post_px=None, shadow_px=None, shadow_left=True):
    """A compound wall with a gate post and its shadow, seen side-on.

    ``post_px`` and ``shadow_px`` set the drawn height of the post and the length of its shadow
    on flat ground, in pixels at the same scale, so the photo can be measured.
    """
    img = Image.new("RGB", SIZE)
    _gradient(img, (0, 0, 800, 300), (110, 160, 215), (200, 220, 235))
    _gradient(img, (0, 300, 800, 600), (170, 150, 115), (140, 120, 90))
    d = ImageDraw.Draw(img)
    wall = _col(rng, 150, 200)
    d.rectangle([0, 170, 800, 400], fill=wall)
    for x in range(0, 800, 60):
        d.line([(x, 170), (x, 400)], fill=tuple(c - 25 for c in wall), width=2)
    for x in range(0, 800, 16):  # razor wire
        d.line([(x, 160), (x + 8, 150), (x + 16, 160)], fill=(70, 70, 70), width=2)
    tx = rng.randrange(40, 200)
    d.rectangle([tx, 60, tx + 70, 400], fill=(110, 100, 90))
    d.rectangle([tx - 15, 40, tx + 85, 75], fill=(80, 70, 60))
    if texts:
        _sign(d, (430, 220, 700, 270), texts[0], rng, bg=(200, 30, 30))
    base_y = 540
    px = 560 if shadow_left else 300
    h = post_px or 200
    s = shadow_px or 120
    sx = px - s if shadow_left else px + s
    d.polygon(
        [(px - 6, base_y), (px + 6, base_y), (sx, base_y + 6), (sx, base_y - 6)], fill=(80, 70, 55)
    )
    d.rectangle([px - 7, base_y - h, px + 7, base_y], fill=(60, 60, 70))
    d.text((px + 14, base_y - h), "post", fill=(30, 30, 30), font=font(14))
    return img


def scene_document(rng, texts, face=None, photo_bg=None):
    paper = _document_sheet(rng, texts, face, photo_bg)
    scale = rng.uniform(0.7, 0.95)
    paper = paper.resize((int(paper.width * scale), int(paper.height * scale)))
    paper = paper.rotate(rng.uniform(-14, 14), expand=True, fillcolor=(0, 0, 0))
    img = Image.new("RGB", SIZE, _col(rng, 30, 140))
    mask = paper.convert("L").point(lambda v: 255 if v > 0 else 0)
    img.paste(
        paper,
        (rng.randrange(0, max(1, 800 - paper.width)), rng.randrange(0, max(1, 600 - paper.height))),
        mask,
    )
    return img


def _document_sheet(rng, texts, face=None, photo_bg=None):
    img = Image.new("RGB", (740, 540), (0, 0, 0))
    d = ImageDraw.Draw(img)
    x0, y0 = 40, 30
    paper = (rng.randrange(225, 250), rng.randrange(225, 245), rng.randrange(200, 235))
    d.rectangle([x0, y0, x0 + 660, y0 + 480], fill=paper, outline=(120, 120, 120), width=2)
    title = texts[0] if texts else "VISA"
    d.text((x0 + 30, y0 + 20), title, fill=(20, 40, 110), font=font(34))
    d.rectangle([x0 + 30, y0 + 90, x0 + 190, y0 + 290], fill=photo_bg or (200, 200, 205))
    d.ellipse([x0 + 70, y0 + 120, x0 + 150, y0 + 210], fill=face or (160, 130, 110))
    d.rectangle([x0 + 60, y0 + 210, x0 + 160, y0 + 290], fill=(70, 80, 120))
    lines = list(texts[1:]) or ["NAME", "DATE"]
    for i, line in enumerate(lines[:8]):
        d.text((x0 + 220, y0 + 95 + i * 36), line, fill=(20, 20, 20), font=font(22))
    for i in range(2):
        mrz = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<") for _ in range(40))
        d.text((x0 + 30, y0 + 390 + i * 34), mrz, fill=(30, 30, 30), font=font(22))
    d.ellipse([x0 + 520, y0 + 250, x0 + 630, y0 + 360], outline=(150, 30, 30), width=4)
    return img


def scene_selfie(rng, texts):
    img = scene_street(rng, texts) if rng.random() < 0.5 else scene_hotel(rng, texts)
    d = ImageDraw.Draw(img)
    skin = rng.choice([(198, 150, 110), (170, 120, 85), (140, 95, 65)])
    cx = rng.randrange(170, 630)
    k = rng.uniform(0.6, 1.15)
    top = rng.randrange(60, 200)
    d.rectangle([cx - 170 * k, top + 330 * k, cx + 170 * k, 600], fill=_col(rng))
    d.ellipse([cx - 110 * k, top + 30 * k, cx + 110 * k, top + 330 * k], fill=skin)
    d.ellipse([cx - 120 * k, top, cx + 120 * k, top + 140 * k], fill=(25, 20, 18))
    for ex in (cx - 45 * k, cx + 45 * k):
        d.ellipse([ex - 12 * k, top + 160 * k, ex + 12 * k, top + 178 * k], fill=(40, 30, 25))
    d.arc(
        [cx - 40 * k, top + 220 * k, cx + 40 * k, top + 280 * k],
        20,
        160,
        fill=(90, 40, 40),
        width=4,
    )
    return img


def scene_boat(rng, texts):
    img = Image.new("RGB", SIZE)
    _gradient(img, (0, 0, 800, 260), (150, 180, 215), (220, 225, 230))
    _gradient(img, (0, 260, 800, 600), (40, 80, 120), (20, 45, 80))
    d = ImageDraw.Draw(img)
    for _ in range(30):
        x, y = rng.randrange(0, 800), rng.randrange(270, 600)
        d.line([(x, y), (x + rng.randrange(20, 60), y)], fill=(180, 200, 220), width=2)
    bx = rng.randrange(80, 250)
    d.polygon([(bx, 380), (bx + 480, 380), (bx + 420, 470), (bx + 60, 470)], fill=(90, 90, 95))
    for i in range(rng.randrange(6, 12)):
        _person(d, bx + 40 + i * 40, 330, 0.7, rng)
    d.line([(0, 262), (800, 258)], fill=(120, 130, 140), width=3)
    return img


def scene_group(rng, texts):
    img = scene_office(rng, [])
    d = ImageDraw.Draw(img)
    if texts:
        _sign(d, (120, 60, 680, 130), texts[0], rng)
    n = rng.randrange(4, 8)
    for i in range(n):
        _person(d, 100 + i * (600 // n), 330 + rng.randrange(-15, 15), 1.6, rng)
    return img


def scene_airport(rng, texts):
    img = Image.new("RGB", SIZE)
    _gradient(img, (0, 0, 800, 600), (200, 205, 210), (150, 150, 155))
    d = ImageDraw.Draw(img)
    for _ in range(rng.randrange(1, 4)):  # pillars
        x = rng.randrange(0, 760)
        d.rectangle([x, 0, x + rng.randrange(30, 70), 600], fill=_col(rng, 120, 220))
    bx, by = rng.randrange(10, 330), rng.randrange(20, 250)
    bw, bh = rng.randrange(300, 460), rng.randrange(120, 200)
    d.rectangle([bx, by, bx + bw, by + bh], fill=(20, 25, 35))
    rows = list(texts) or ["DEPARTURES"]
    for i, line in enumerate(rows[:6]):
        d.text((bx + 15, by + 12 + i * 30), line, fill=(250, 200, 60), font=font(20))
    for _ in range(rng.randrange(3, 8)):
        _person(d, rng.randrange(40, 760), rng.randrange(380, 450), 1.1, rng)
    return img


def scene_screenshot(rng, texts):
    img = Image.new("RGB", (540, 960), (245, 245, 245))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 540, 70], fill=(40, 90, 160))
    d.text((20, 20), texts[0] if texts else "Chat", fill=(255, 255, 255), font=font(26))
    y = 100
    for i, line in enumerate(texts[1:] or ["..."]):
        mine = i % 2 == 1
        box = [200, y, 520, y + 70] if mine else [20, y, 340, y + 70]
        d.rounded_rectangle(
            box, 14, fill=(200, 235, 200) if mine else (255, 255, 255), outline=(200, 200, 200)
        )
        d.text((box[0] + 12, y + 22), line[:28], fill=(20, 20, 20), font=font(18))
        y += 95
    return img


SCENES = {
    "office": scene_office,
    "hotel": scene_hotel,
    "street": scene_street,
    "compound": scene_compound,
    "document": scene_document,
    "selfie": scene_selfie,
    "boat": scene_boat,
    "group": scene_group,
    "airport": scene_airport,
    "screenshot": scene_screenshot,
}


def _lighting(img: Image.Image, rng: random.Random) -> Image.Image:
    """Uneven light from a random direction, as in real rooms and streets. It also makes two
    drawings of the same kind of scene look different to a perceptual hash."""
    from PIL import ImageChops

    ramp = Image.linear_gradient("L").rotate(
        rng.uniform(0, 360), resample=Image.Resampling.BILINEAR, expand=False, fillcolor=128
    )
    ramp = ramp.resize(img.size, Image.Resampling.BILINEAR)
    lo = rng.randrange(70, 150)
    ramp = ramp.point(lambda v: lo + (255 - lo) * v // 255)
    shaded = ImageChops.multiply(img, Image.merge("RGB", (ramp, ramp, ramp)))
    return shaded


def draw_scene(kind: str, rng: random.Random, texts=(), **options) -> Image.Image:
    """Draw one scene of ``kind`` (see :data:`SCENES`)."""
    img = SCENES[kind](rng, list(texts), **options)
    if kind in ("compound", "screenshot"):  # measured photo and flat screenshots: no light
        return img
    return _lighting(img, rng)


# -- re-posts ------------------------------------------------------------------------------------


def transform(img: Image.Image, how: str, rng: random.Random, text: str = "") -> Image.Image:
    """What platforms and re-posters do to a picture: resize, crop, watermark, mirror, rotate."""
    if how == "resize":
        w = rng.choice([480, 560, 640])
        return img.resize((w, round(img.height * w / img.width)), Image.Resampling.LANCZOS)
    if how == "crop":
        f = rng.uniform(0.01, 0.015)
        w, h = img.size
        return img.crop((int(w * f), int(h * f), int(w * (1 - f)), int(h * (1 - f))))
    if how == "watermark":
        # A translucent name band in a corner, as re-posters stamp their brand: it changes
        # pixels but not the picture's overall structure (which is what pHash compares).
        out = img.convert("RGBA")
        layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        w, h = out.size
        d.rectangle([w // 2, h - 40, w - 8, h - 8], fill=(0, 0, 0, 110))
        d.text((w // 2 + 10, h - 36), text or "@repost", fill=(255, 255, 255, 200), font=font(22))
        return Image.alpha_composite(out, layer).convert(img.mode)
    if how == "mirror":
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if how == "rotate":
        return img.transpose(Image.Transpose.ROTATE_90)
    if how == "recompress":
        return img
    raise ValueError(f"unknown transform {how!r}")


# -- EXIF -----------------------------------------------------------------------------------------


def _dms(value: float) -> tuple:
    total = round(abs(value) * 3600 * 10000)  # in 1/10000 s of arc
    d, rest = divmod(total, 3600 * 10000)
    m, s = divmod(rest, 60 * 10000)
    return (
        TiffImagePlugin.IFDRational(d, 1),
        TiffImagePlugin.IFDRational(m, 1),
        TiffImagePlugin.IFDRational(s, 10000),
    )


NOFIX = TiffImagePlugin.IFDRational(0, 0)


def build_exif(
    *,
    make=None,
    model=None,
    serial=None,
    software=None,
    taken: datetime | None = None,
    offset: str | None = None,
    gps: dict | None = None,
    size=SIZE,
    description: str | None = None,
    modified: datetime | None = None,
) -> Image.Exif:
    """An :class:`PIL.Image.Exif` as a camera writes it.

    ``taken`` is the *camera clock's* wall time (naive). ``gps`` may hold ``lat``, ``lon``
    (signed), ``alt`` (signed metres), ``utc`` (datetime) and the test switches ``refs``
    (``"upper"``, ``"lower"``, ``"missing"``), ``nofix`` and ``single`` (one-value latitude).
    """
    ex = Image.Exif()
    if make is not None:
        ex[B.Make] = make
    if model is not None:
        ex[B.Model] = model
    if software:
        ex[B.Software] = software
    if description:
        ex[B.ImageDescription] = description
    ex[B.Orientation] = 1
    ex[B.XResolution] = 72.0
    ex[B.YResolution] = 72.0
    ex[B.ResolutionUnit] = 2
    ex[B.YCbCrPositioning] = 1
    stamp = modified or taken
    if stamp is not None:
        ex[B.DateTime] = stamp.strftime("%Y:%m:%d %H:%M:%S")
    sub = {
        B.ExifVersion: b"0232",
        B.ComponentsConfiguration: b"\x01\x02\x03\x00",
        B.FlashPixVersion: b"0100",
        B.ColorSpace: 1,
        B.ExifImageWidth: size[0],
        B.ExifImageHeight: size[1],
    }
    if taken is not None:
        sub[B.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
        sub[B.DateTimeDigitized] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            sub[B.OffsetTimeOriginal] = offset
            sub[B.OffsetTime] = offset
    if serial:
        sub[B.BodySerialNumber] = serial
    ex[IFD.Exif] = sub
    if gps:
        g = {G.GPSVersionID: b"\x02\x03\x00\x00", G.GPSMapDatum: "WGS-84"}
        lat, lon = gps["lat"], gps["lon"]
        refs = gps.get("refs", "upper")
        if refs != "missing":
            ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
            if refs == "lower":
                ns, ew = ns.lower(), ew.lower()
            g[G.GPSLatitudeRef] = ns
            g[G.GPSLongitudeRef] = ew
        if gps.get("nofix"):
            g[G.GPSLatitude] = (NOFIX, NOFIX, NOFIX)
            g[G.GPSLongitude] = (NOFIX, NOFIX, NOFIX)
            g[G.GPSAltitudeRef] = b"\x00"
            g[G.GPSAltitude] = NOFIX
        else:
            if gps.get("single"):
                g[G.GPSLatitude] = (TiffImagePlugin.IFDRational(round(abs(lat) * 1e6), 10**6),)
            else:
                g[G.GPSLatitude] = _dms(lat)
            g[G.GPSLongitude] = _dms(lon)
            if gps.get("alt") is not None:
                g[G.GPSAltitudeRef] = b"\x01" if gps["alt"] < 0 else b"\x00"
                g[G.GPSAltitude] = TiffImagePlugin.IFDRational(round(abs(gps["alt"]) * 10), 10)
        if gps.get("utc") is not None:
            u = gps["utc"]
            g[G.GPSTimeStamp] = (float(u.hour), float(u.minute), float(u.second))
            g[G.GPSDateStamp] = u.strftime("%Y:%m:%d")
        ex[IFD.GPSInfo] = g
    return ex


def exif_with_thumbnail(exif: Image.Exif, thumb_jpeg: bytes) -> bytes:
    """Serialise ``exif`` and append an IFD1 holding a JPEG thumbnail (Pillow writes no IFD1).

    Offsets inside EXIF count from the TIFF header, so the new IFD1 and the thumbnail bytes go
    at the end and IFD0's "next IFD" pointer is set to them.
    """
    raw = exif.tobytes()
    assert raw.startswith(b"Exif\x00\x00")
    tiff = bytearray(raw[6:])
    endian = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack(endian + "I", tiff[4:8])[0]
    count = struct.unpack(endian + "H", tiff[ifd0 : ifd0 + 2])[0]
    next_ptr = ifd0 + 2 + 12 * count
    if len(tiff) % 2:
        tiff += b"\x00"
    ifd1 = len(tiff)
    thumb_at = ifd1 + 2 + 3 * 12 + 4
    tiff[next_ptr : next_ptr + 4] = struct.pack(endian + "I", ifd1)
    entries = [
        (0x0103, 3, 1, struct.pack(endian + "HH", 6, 0)),
        (0x0201, 4, 1, struct.pack(endian + "I", thumb_at)),
        (0x0202, 4, 1, struct.pack(endian + "I", len(thumb_jpeg))),
    ]
    tiff += struct.pack(endian + "H", len(entries))
    for tag, typ, n, val in entries:
        tiff += struct.pack(endian + "HHI", tag, typ, n) + val
    tiff += struct.pack(endian + "I", 0)
    tiff += thumb_jpeg
    out = b"Exif\x00\x00" + bytes(tiff)
    if len(out) > 65533:
        raise ValueError("EXIF with thumbnail is too long for one APP1 segment")
    return out


def thumbnail_jpeg(img: Image.Image, size=(160, 120)) -> bytes:
    t = img.copy()
    t.thumbnail(size)
    buf = io.BytesIO()
    t.save(buf, "JPEG", quality=75)
    return buf.getvalue()


def encode(img: Image.Image, fmt: str, exif=None, quality: int = 80) -> bytes:
    """Encode ``img`` as JPEG/PNG/WEBP/TIFF with ``exif`` (an Exif, raw bytes or None)."""
    buf = io.BytesIO()
    kw = {}
    if exif is not None:
        kw["exif"] = exif
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=quality, **kw)
    elif fmt == "PNG":
        img.save(buf, "PNG", optimize=False, **kw)
    elif fmt == "WEBP":
        img.save(buf, "WEBP", quality=quality, method=4, **kw)
    elif fmt == "TIFF":
        if exif is not None:
            tiffinfo = TiffImagePlugin.ImageFileDirectory_v2()
            for tag, value in exif.items():
                if tag not in (IFD.Exif, IFD.GPSInfo):
                    tiffinfo[tag] = value
            for tag in (IFD.Exif, IFD.GPSInfo):
                sub = exif.get(tag)
                if isinstance(sub, dict) and sub:
                    tiffinfo[tag] = dict(sub)
            kw = {"tiffinfo": tiffinfo}
        img.save(buf, "TIFF", **kw)  # uncompressed: keep TIFF images small
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def corrupt_exif_jpeg(img: Image.Image, quality: int = 80) -> bytes:
    """A JPEG whose APP1 says 'Exif' but holds garbage instead of a TIFF structure."""
    body = encode(img, "JPEG", quality=quality)
    junk = b"Exif\x00\x00" + b"MM\x00\x2a\xff\xff\xff\xf0" + bytes(range(200)) * 2
    seg = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    return body[:2] + seg + body[2:]


def sun_shadow_ratio(elevation_deg: float) -> float:
    """Shadow length per unit of object height for a sun ``elevation_deg`` above the horizon."""
    return 1 / math.tan(math.radians(elevation_deg))
