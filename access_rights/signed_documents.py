"""Checks that an uploaded signed request (ASiC-E .asice/.sce/.edoc or a signed PDF) is what it claims to be; full signature validation is out of scope (the ministry validates the signature with its own tools, e.g. eParaksts' validation service)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kernel.errors import Invalid

ACCEPTED_EXTENSIONS = (".asice", ".sce", ".edoc", ".pdf")
ASICE_EXTENSIONS = frozenset({".asice", ".sce", ".edoc"})  # an .edoc is the same ASiC-E format
ASICE_MIMETYPE = b"application/vnd.etsi.asic-e+zip"
MANIFEST_NAME = "META-INF/manifest.xml"
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XML_BYTES = 5 * 1024 * 1024  # one manifest or signature file

NS_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
NS_ASIC = "http://uri.etsi.org/02918/v1.2.1#"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
_SIGNATURE_NAME = re.compile(r"META-INF/[^/]*signatures[^/]*\.xml", re.IGNORECASE)
_PDF_SIGNATURE = re.compile(rb"/Type\s*/Sig(?![A-Za-z0-9_.])|/ByteRange\s*\[")
_PDF_SIG_FIELD = re.compile(rb"/FT\s*/Sig(?![A-Za-z0-9_.])")
_PDF_FIELD_NAME = re.compile(rb"/T\s*(?:\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f\s]*)>)", re.DOTALL)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError,
               OSError, ValueError, zlib.error)  # fmt: skip


@dataclass(frozen=True)
class SignedDocument:
    kind: str  # "asice" | "pdf" (an .edoc or .sce is kind "asice")
    signature_files: tuple[str, ...]  # ASiC-E: META-INF/*signatures*.xml; PDF: the signature fields' names
    data_files: tuple[str, ...]  # the signed files the manifest lists; PDF: ()
    sha256: str  # hex digest of the whole upload
    size: int


def _refuse(message) -> Invalid:
    return Invalid(field_errors={"document": [message]})


def _not_what_it_says(extension: str, found) -> Invalid:
    return _refuse(
        _("The file is not what its name says: its name ends in %(extension)s, but it is %(found)s.")
        % {"extension": extension, "found": found}
    )


def signed_document_check(uploaded, *, max_bytes: int = 10 * 1024 * 1024) -> SignedDocument:
    """What `uploaded` (a Django UploadedFile) holds, or `Invalid` on field "document" saying why it is
    not a signed request. Reads at most `max_bytes` + 1 bytes; the file is rewound before returning."""
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise _refuse(
            _(
                "Attach the request signed with a secure electronic signature as a file of one of "
                "these types: %(extensions)s."
            )
            % {"extensions": ", ".join(ACCEPTED_EXTENSIONS)}
        )
    too_large = _refuse(
        _("The file is larger than %(size)s: attach a smaller one.") % {"size": filesizeformat(max_bytes)}
    )
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > max_bytes:
        raise too_large
    try:
        content = _read_bounded(uploaded, max_bytes)
        if content is None:
            raise too_large
        if not content:
            raise _refuse(_("The file is empty."))
        if extension in ASICE_EXTENSIONS:
            kind = "asice"
            signature_files, data_files = _check_asice(content, extension)
        else:
            kind = "pdf"
            signature_files, data_files = _check_pdf(content, extension), ()
        return SignedDocument(
            kind=kind,
            signature_files=signature_files,
            data_files=data_files,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
    finally:
        uploaded.seek(0)


def _read_bounded(uploaded, max_bytes: int) -> bytes | None:
    """The whole content, or None when it is longer than `max_bytes` (reading stops there: `read(n)`
    and not `chunks()`, which gives an in-memory upload whole)."""
    uploaded.seek(0)
    buffer = bytearray()
    while len(buffer) <= max_bytes:
        piece = uploaded.read(min(64 * 1024, max_bytes + 1 - len(buffer)))
        if not piece:
            return bytes(buffer)
        buffer += piece
    return None


# --- ASiC-E (ETSI EN 319 162-1) -------------------------------------------------------------------


def _check_asice(content: bytes, extension: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if content.startswith(b"%PDF-"):
        raise _not_what_it_says(extension, _("a PDF document"))
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(content)):
        raise _not_what_it_says(extension, _("not an ASiC-E signed container (a ZIP archive)"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _check_container(archive)
    except _ZIP_ERRORS:
        raise _refuse(_("The signed container is damaged: it cannot be read.")) from None


def _check_container(archive: zipfile.ZipFile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            _("The signed container is too large when unpacked (at most %(entries)s files and %(size)s).")
            % {"entries": MAX_ENTRIES, "size": filesizeformat(MAX_UNCOMPRESSED_BYTES)}
        )
    names = [info.filename for info in infos]
    if any(_unsafe_name(name) for name in names):
        raise _refuse(_("The signed container holds a file with a forbidden path (absolute or with “..”)."))
    if len(set(names)) != len(names):
        raise _refuse(_("The signed container holds two files of the same name."))

    first = infos[0] if infos else None
    if (
        first is None
        or first.filename != "mimetype"
        or first.header_offset != 0
        or first.compress_type != zipfile.ZIP_STORED
        or _read_member(archive, first, len(ASICE_MIMETYPE) + 1) != ASICE_MIMETYPE
    ):
        raise _refuse(
            _(
                "The file is not an ASiC-E signed container: its first file must be “mimetype”, stored "
                "uncompressed, reading %(mimetype)s."
            )
            % {"mimetype": ASICE_MIMETYPE.decode()}
        )

    if MANIFEST_NAME not in names:
        raise _refuse(_("The signed container has no list of signed files (META-INF/manifest.xml)."))
    data_files = _manifest_data_files(_read_member(archive, archive.getinfo(MANIFEST_NAME), MAX_XML_BYTES))
    if not data_files:
        raise _refuse(_("The signed container lists no signed file."))
    present = set(names)
    missing = [path for path in data_files if path not in present]
    if missing:
        raise _refuse(
            _("The signed container lists a file it does not hold: %(name)s.") % {"name": missing[0]}
        )

    signature_files = tuple(sorted(name for name in names if _SIGNATURE_NAME.fullmatch(name)))
    if not signature_files:
        raise _refuse(_("The signed container holds no signature (META-INF/signatures*.xml)."))
    for signature_file in signature_files:
        xml = _read_member(archive, archive.getinfo(signature_file), MAX_XML_BYTES)
        if not _is_signature(xml):
            raise _refuse(
                _("The signature file %(name)s of the container is not an XAdES signature.")
                % {"name": signature_file}
            )
    return signature_files, data_files


def _unsafe_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return (
        not path
        or path.startswith("/")
        or re.match(r"[A-Za-z]:", path) is not None
        or ".." in path.split("/")
        or "\x00" in path
    )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The member's content, or None when it is longer than `limit`."""
    with archive.open(info) as member:
        data = member.read(limit + 1)
    return data if len(data) <= limit else None


def _parse_xml(xml: bytes | None):
    """The root element, or None when `xml` is missing, too long, not well-formed or has a DTD or an
    entity (refused by defusedxml, never expanded)."""
    if xml is None:
        return None
    try:
        return fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError):
        return None


def _manifest_data_files(xml: bytes | None) -> tuple[str, ...]:
    root = _parse_xml(xml)
    if root is None or root.tag != f"{{{NS_MANIFEST}}}manifest":
        raise _refuse(_("The list of signed files of the container (META-INF/manifest.xml) cannot be read."))
    paths = []
    for entry in root.iter(f"{{{NS_MANIFEST}}}file-entry"):
        path = entry.get(f"{{{NS_MANIFEST}}}full-path") or ""
        if path and path != "/" and not path.endswith("/"):
            paths.append(path)
    return tuple(paths)


def _is_signature(xml: bytes | None) -> bool:
    root = _parse_xml(xml)
    if root is None:
        return False
    if root.tag == f"{{{NS_ASIC}}}XAdESSignatures":
        signatures = root.findall(f"{{{NS_DS}}}Signature")
    elif root.tag == f"{{{NS_DS}}}Signature":
        signatures = [root]
    else:
        return False
    return bool(signatures) and all(
        signature.find(f"{{{NS_DS}}}SignedInfo") is not None
        and signature.find(f"{{{NS_DS}}}SignatureValue") is not None
        for signature in signatures
    )


# --- PDF --------------------------------------------------------------------------------------------


def _check_pdf(content: bytes, extension: str) -> tuple[str, ...]:
    if not content.startswith(b"%PDF-"):
        if content.startswith(b"PK\x03\x04") or zipfile.is_zipfile(io.BytesIO(content)):
            raise _not_what_it_says(extension, _("a ZIP archive (an .asice or .edoc container?)"))
        raise _not_what_it_says(extension, _("not a PDF document"))
    if not _PDF_SIGNATURE.search(content):
        raise _refuse(_("The PDF document is not signed: it holds no electronic signature."))
    return _pdf_signature_names(content)


def _pdf_signature_names(content: bytes) -> tuple[str, ...]:
    """The names (/T) of the signature fields (/FT /Sig), byte-level and best effort: () when none is
    readable (e.g. the fields are in a compressed object stream)."""
    names = []
    for obj in re.split(rb"\bendobj\b", content):
        if not _PDF_SIG_FIELD.search(obj):
            continue
        found = _PDF_FIELD_NAME.search(obj)
        if found:
            name = _pdf_string(found.group(1), found.group(2))
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _pdf_string(literal: bytes | None, hexadecimal: bytes | None) -> str:
    if hexadecimal is not None:
        digits = re.sub(rb"\s", b"", hexadecimal)
        raw = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    else:
        raw = re.sub(rb"\\([()\\])", rb"\1", literal or b"")
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace").strip()
    return raw.decode("latin-1").strip()
