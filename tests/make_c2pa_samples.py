"""Make the course's C2PA samples (run once by a maintainer; the files are committed).

    python tests/make_c2pa_samples.py

Needs ``c2pa-python`` and ``cryptography``. Signing is not reproducible (each manifest gets a new
id and signature), so the samples are made once and committed, never by ``data build``. The
signer is a throw-away test certificate of a fictional "Example Image Generator (test)", so the
library reports the signature as valid but its signer as on no trust list — as for any signer
your machine has not been told to trust.
"""

from __future__ import annotations


def main() -> None:
    import datetime
    import io
    import json
    import random
    import sys
    from pathlib import Path

    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from PIL import Image

    root = Path(__file__).resolve().parents[1]
    here = root / "src" / "osintlab" / "resources" / "c2pa"
    sys.path.insert(0, str(root / "src"))
    from osintlab import images
    from osintlab.scenario import imagegen as g

    t0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OSINT Lab test root")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(t0)
        .not_valid_after(t0 + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Example Image Generator signer"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Image Generator (test)"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(t0)
        .not_valid_after(t0 + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    pkey = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    picture = g.draw_scene("group", random.Random(7), ["HAPPY WORKERS"]).resize((400, 300))
    buf = io.BytesIO()
    picture.save(buf, "JPEG", quality=80)
    buf.seek(0)
    manifest = {
        "claim_generator_info": [{"name": "Example Image Generator", "version": "1.0"}],
        "title": "happy-workers.jpg",
        "format": "image/jpeg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": "http://cv.iptc.org/newscodes/"
                            "digitalsourcetype/trainedAlgorithmicMedia",
                        }
                    ]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(alg=b"es256", sign_cert=chain, private_key=pkey, ta_url=None)
    )
    out = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, "image/jpeg", buf, out)
    signed = out.getvalue()
    (here / "signed.jpg").write_bytes(signed)
    # edited after signing: a few bytes of the picture data changed, the manifest kept
    edited = bytearray(signed)
    for i in range(len(edited) - 400, len(edited) - 300, 7):
        edited[i] = (edited[i] + 1) % 256 if edited[i] not in (0xFF, 0xFE) else edited[i]
    (here / "edited-after-signing.jpg").write_bytes(bytes(edited))
    # re-saved by a program that does not carry C2PA over (as messengers and most platforms do)
    resaved = io.BytesIO()
    Image.open(io.BytesIO(signed)).save(resaved, "JPEG", quality=80)
    (here / "resaved.jpg").write_bytes(resaved.getvalue())
    rows = [
        images.read_content_credentials(here / n)
        for n in ("signed.jpg", "edited-after-signing.jpg", "resaved.jpg")
    ]
    (here / "recorded.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
