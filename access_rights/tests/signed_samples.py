"""Builders of signed-request samples in memory for tests: an ASiC-E container (.asice/.edoc, with
its manifest and a XAdES signature skeleton) and a PDF with a signature dictionary. Nothing is
really signed: the checks only look at the structure."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile

ASICE_MIMETYPE = b"application/vnd.etsi.asic-e+zip"
NS_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
NS_ASIC = "http://uri.etsi.org/02918/v1.2.1#"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XADES = "http://uri.etsi.org/01903/v1.3.2#"
_DATE = (2025, 3, 14, 10, 30, 0)

DATA_PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def manifest_xml(paths: Iterable[str]) -> bytes:
    entries = "".join(
        f'  <manifest:file-entry manifest:full-path="{path}" manifest:media-type="application/pdf"/>\n'
        for path in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
        f'<manifest:manifest xmlns:manifest="{NS_MANIFEST}" manifest:version="1.2">\n'
        '  <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>\n'
        f"{entries}"
        "</manifest:manifest>\n"
    ).encode()


def signature_xml_for(data_name: str, data: bytes) -> bytes:
    """A XAdES signature skeleton (asic:XAdESSignatures > ds:Signature) referring to `data_name`."""
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<asic:XAdESSignatures xmlns:asic="{NS_ASIC}" xmlns:ds="{NS_DS}" xmlns:xades="{NS_XADES}">
  <ds:Signature Id="S0">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>
      <ds:Reference Id="S0-RefId0" URI="{data_name}">
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>{digest}</ds:DigestValue>
      </ds:Reference>
      <ds:Reference Id="S0-RefId1" Type="http://uri.etsi.org/01903#SignedProperties" URI="#S0-SignedProperties">
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue Id="S0-SIG">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</ds:SignatureValue>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIBAA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    <ds:Object>
      <xades:QualifyingProperties Target="#S0">
        <xades:SignedProperties Id="S0-SignedProperties">
          <xades:SignedSignatureProperties>
            <xades:SigningTime>2025-03-14T10:30:00Z</xades:SigningTime>
          </xades:SignedSignatureProperties>
        </xades:SignedProperties>
        <xades:UnsignedProperties>
          <xades:UnsignedSignatureProperties>
            <xades:SignatureTimeStamp Id="S0-T0">
              <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>
              <xades:EncapsulatedTimeStamp>MIIBAA==</xades:EncapsulatedTimeStamp>
            </xades:SignatureTimeStamp>
          </xades:UnsignedSignatureProperties>
        </xades:UnsignedProperties>
      </xades:QualifyingProperties>
    </ds:Object>
  </ds:Signature>
</asic:XAdESSignatures>
""".encode()


def _write(
    archive: zipfile.ZipFile, name: str, data: bytes, compress_type: int = zipfile.ZIP_DEFLATED
) -> None:
    archive.writestr(zipfile.ZipInfo(name, date_time=_DATE), data, compress_type=compress_type)


def asice_bytes(
    *,
    data_name: str = "pieprasijums.pdf",
    data: bytes = DATA_PDF,
    signature: bool = True,
    mimetype_first: bool = True,
    mimetype_compressed: bool = False,
    manifest: bool = True,
    list_missing: bool = False,
    signature_xml: bytes | str | None = None,
    manifest_xml_override: bytes | str | None = None,
    mimetype: bytes = ASICE_MIMETYPE,
    extra: Iterable[tuple[str, bytes]] = (),
) -> bytes:
    """An ASiC-E container: `mimetype` (first and stored unless told otherwise), the data file,
    META-INF/manifest.xml listing it (and a file it does not hold when `list_missing`) and
    META-INF/signatures0.xml (`signature_xml` instead of the skeleton when given). `extra` entries
    (name, content) are added at the end, deflated."""
    mimetype_type = zipfile.ZIP_DEFLATED if mimetype_compressed else zipfile.ZIP_STORED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype_first:
            _write(archive, "mimetype", mimetype, mimetype_type)
        _write(archive, data_name, data)
        if not mimetype_first:
            _write(archive, "mimetype", mimetype, mimetype_type)
        if manifest:
            listed = [data_name, "pielikums.pdf"] if list_missing else [data_name]
            xml = manifest_xml(listed) if manifest_xml_override is None else manifest_xml_override
            _write(archive, "META-INF/manifest.xml", xml.encode() if isinstance(xml, str) else xml)
        if signature:
            xml = signature_xml_for(data_name, data) if signature_xml is None else signature_xml
            _write(archive, "META-INF/signatures0.xml", xml.encode() if isinstance(xml, str) else xml)
        for name, content in extra:
            _write(archive, name, content)
    return buffer.getvalue()


def pdf_signed_bytes(signed: bool = True) -> bytes:
    """A tiny PDF with a correct cross-reference table; when `signed`, an AcroForm signature field
    "Signature1" whose value is a signature dictionary (/Type /Sig, /ByteRange over the whole file
    but the /Contents placeholder)."""
    contents_hex = b"0" * 64
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R"
        + (b" /AcroForm << /Fields [4 0 R] /SigFlags 3 >>" if signed else b"")
        + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        + (b" /Annots [4 0 R]" if signed else b"")
        + b" >>",
    ]
    if signed:
        objects += [
            b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 5 0 R /F 132 /Rect [0 0 0 0] /P 3 0 R >>",
            b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
            b"/ByteRange [0000000000 0000000000 0000000000 0000000000] "
            b"/Contents <" + contents_hex + b"> /M (D:20250314103000+02'00') >>",
        ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    if signed:  # the byte range: everything but the hex string of /Contents (its < and > included)
        start = out.index(b"/Contents <") + len(b"/Contents ")
        end = start + len(contents_hex) + 2
        byte_range = b"%010d %010d %010d %010d" % (0, start, end, len(out) - end)
        placeholder = b"0000000000 0000000000 0000000000 0000000000"
        at = out.index(placeholder)
        out[at : at + len(placeholder)] = byte_range
    return bytes(out)


CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".asice": "application/vnd.etsi.asic-e+zip",
    ".sce": "application/vnd.etsi.asic-e+zip",
    ".edoc": "application/vnd.etsi.asic-e+zip",
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return SimpleUploadedFile(
        name, content, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
