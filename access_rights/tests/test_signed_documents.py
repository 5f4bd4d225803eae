import hashlib
import io
import time
import zipfile

import pytest
from django.utils import translation

from access_rights.signed_documents import ACCEPTED_EXTENSIONS, SignedDocument, signed_document_check
from access_rights.tests.signed_samples import (
    ASICE_MIMETYPE,
    NS_ASIC,
    NS_DS,
    asice_bytes,
    manifest_xml,
    pdf_signed_bytes,
    upload,
)
from kernel.errors import Invalid


def refusal(name: str, content: bytes, **kwargs) -> str:
    """The one message on field "document" (in English)."""
    with translation.override("en"), pytest.raises(Invalid) as caught:
        signed_document_check(upload(name, content), **kwargs)
    assert list(caught.value.field_errors) == ["document"]
    [message] = caught.value.field_errors["document"]
    return message


# --- accepted -----------------------------------------------------------------------------------


def test_a_good_asice_is_accepted():
    content = asice_bytes()
    document = signed_document_check(upload("pieprasijums.asice", content))
    assert document == SignedDocument(
        kind="asice",
        signature_files=("META-INF/signatures0.xml",),
        data_files=("pieprasijums.pdf",),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


@pytest.mark.parametrize("name", ["pieprasijums.edoc", "PIEPRASIJUMS.EDOC", "pieprasijums.sce"])
def test_a_good_edoc_or_sce_is_an_asice(name):
    document = signed_document_check(upload(name, asice_bytes()))
    assert document.kind == "asice"
    assert document.data_files == ("pieprasijums.pdf",)


def test_several_signature_files_and_data_files_are_listed():
    signature = asice_bytes()  # any skeleton will do for the second signature file
    with zipfile.ZipFile(io.BytesIO(signature)) as archive:
        xml = archive.read("META-INF/signatures0.xml")
    content = asice_bytes(
        manifest_xml_override=manifest_xml(["pieprasijums.pdf", "pielikums.txt"]),
        extra=[("pielikums.txt", b"x"), ("META-INF/signatures1.xml", xml)],
    )
    document = signed_document_check(upload("a.asice", content))
    assert document.signature_files == ("META-INF/signatures0.xml", "META-INF/signatures1.xml")
    assert document.data_files == ("pieprasijums.pdf", "pielikums.txt")


def test_a_bare_ds_signature_root_is_accepted():
    xml = (
        f'<ds:Signature xmlns:ds="{NS_DS}"><ds:SignedInfo/><ds:SignatureValue>AA==</ds:SignatureValue>'
        "</ds:Signature>"
    )
    assert signed_document_check(upload("a.asice", asice_bytes(signature_xml=xml))).kind == "asice"


def test_a_good_signed_pdf_is_accepted():
    content = pdf_signed_bytes()
    document = signed_document_check(upload("pieprasijums.pdf", content))
    assert document == SignedDocument(
        kind="pdf",
        signature_files=("Signature1",),
        data_files=(),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


@pytest.mark.parametrize(
    "marker",
    [b"<< /Type /Sig >>", b"<</Type/Sig>>", b"<< /ByteRange [0 10 20 30] >>"],
)
def test_any_signature_dictionary_marks_a_signed_pdf(marker):
    content = pdf_signed_bytes(signed=False).replace(b"%%EOF", b"6 0 obj\n" + marker + b"\nendobj\n%%EOF")
    document = signed_document_check(upload("a.pdf", content))
    assert document.kind == "pdf"
    assert document.signature_files == ()  # no named signature field


def test_a_hex_utf16_field_name_is_read():
    content = pdf_signed_bytes().replace(b"/T (Signature1)", b"/T <FEFF0050012B0070>")
    assert signed_document_check(upload("a.pdf", content)).signature_files == ("Pīp",)


@pytest.mark.parametrize("name", ["a.asice", "a.pdf"])
def test_the_file_is_rewound_after_a_check(name):
    content = asice_bytes() if name.endswith(".asice") else pdf_signed_bytes()
    uploaded = upload(name, content)
    uploaded.read(10)
    signed_document_check(uploaded)
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_the_file_is_rewound_after_a_refusal_too():
    uploaded = upload("a.asice", asice_bytes(signature=False))
    with pytest.raises(Invalid):
        signed_document_check(uploaded)
    assert uploaded.tell() == 0


# --- the name and the size ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["pieprasijums.docx", "pieprasijums.zip", "pieprasijums", "asice", "a.pdf.exe"]
)
def test_an_extension_not_accepted_is_refused_saying_which_are(name):
    message = refusal(name, pdf_signed_bytes())
    for extension in ACCEPTED_EXTENSIONS:
        assert extension in message


def test_an_empty_file_is_refused():
    assert "empty" in refusal("a.asice", b"")


def test_a_file_larger_than_the_limit_is_refused():
    content = asice_bytes()
    assert "larger than" in refusal("a.asice", content, max_bytes=len(content) - 1)
    assert signed_document_check(upload("a.asice", content), max_bytes=len(content)).size == len(content)


def test_the_default_limit_is_ten_megabytes():
    content = pdf_signed_bytes() + b"%" * (10 * 1024 * 1024)
    assert "larger than 10.0" in refusal("a.pdf", content)


class CountingFile(io.BytesIO):
    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_reading_stops_at_the_limit_whatever_size_the_upload_claims():
    uploaded = upload("a.pdf", b"")
    uploaded.file = CountingFile(pdf_signed_bytes() + b"%" * 1_000_000)
    uploaded.size = 10  # a lying size is not trusted
    with translation.override("en"), pytest.raises(Invalid) as caught:
        signed_document_check(uploaded, max_bytes=4096)
    assert "larger than" in caught.value.field_errors["document"][0]
    assert uploaded.file.bytes_read == 4097
    assert uploaded.tell() == 0


# --- the content does not match the name --------------------------------------------------------


@pytest.mark.parametrize("name", ["a.asice", "a.edoc", "a.sce"])
def test_a_pdf_named_as_a_container_is_refused(name):
    message = refusal(name, pdf_signed_bytes())
    assert "not what its name says" in message
    assert "PDF" in message


def test_a_container_named_pdf_is_refused():
    message = refusal("a.pdf", asice_bytes())
    assert "not what its name says" in message
    assert "ZIP" in message


def test_a_container_that_is_not_a_zip_is_refused():
    message = refusal("a.asice", b"just some text, not a zip")
    assert "not what its name says" in message
    assert "ZIP" in message


def test_a_pdf_without_the_magic_bytes_is_refused():
    message = refusal("a.pdf", b"hello " + pdf_signed_bytes())
    assert "not what its name says" in message
    assert "not a PDF" in message


def test_a_zip_with_data_before_it_is_refused():
    assert "not what its name says" in refusal("a.asice", b"junk" + asice_bytes())


def test_a_damaged_container_is_refused():
    content = bytearray(asice_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("META-INF/signatures0.xml")
    at = info.header_offset
    name_length = int.from_bytes(content[at + 26 : at + 28], "little")
    extra_length = int.from_bytes(content[at + 28 : at + 30], "little")
    content[at + 30 + name_length + extra_length + 5] ^= 0xFF  # the deflated data: a bad stream or CRC
    assert "damaged" in refusal("a.asice", bytes(content))


# --- ASiC-E structure ---------------------------------------------------------------------------


def test_mimetype_not_first_is_refused():
    assert "mimetype" in refusal("a.asice", asice_bytes(mimetype_first=False))


def test_mimetype_compressed_is_refused():
    assert "uncompressed" in refusal("a.asice", asice_bytes(mimetype_compressed=True))


@pytest.mark.parametrize(
    "mimetype", [b"application/zip", ASICE_MIMETYPE + b"\n", b"application/vnd.etsi.asic-s+zip", b""]
)
def test_a_wrong_mimetype_is_refused(mimetype):
    assert "mimetype" in refusal("a.asice", asice_bytes(mimetype=mimetype))


def test_no_manifest_is_refused():
    assert "META-INF/manifest.xml" in refusal("a.asice", asice_bytes(manifest=False))


def test_a_manifest_listing_no_data_file_is_refused():
    assert "lists no signed file" in refusal("a.asice", asice_bytes(manifest_xml_override=manifest_xml([])))


def test_a_manifest_listing_a_missing_file_is_refused():
    message = refusal("a.asice", asice_bytes(list_missing=True))
    assert "does not hold" in message
    assert "pielikums.pdf" in message


@pytest.mark.parametrize(
    "xml",
    [
        b"<manifest:manifest",  # not well-formed
        b'<?xml version="1.0"?><manifest xmlns="urn:example">'
        b'<file-entry full-path="pieprasijums.pdf"/></manifest>',  # not a manifest
    ],
)
def test_a_manifest_that_cannot_be_read_is_refused(xml):
    assert "cannot be read" in refusal("a.asice", asice_bytes(manifest_xml_override=xml))


def test_a_manifest_with_entities_is_refused_not_expanded():
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "lol">{laughs}]>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="&l9;"/></manifest:manifest>'
    )
    started = time.monotonic()
    assert "cannot be read" in refusal("a.asice", asice_bytes(manifest_xml_override=xml))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE m SYSTEM "http://example.invalid/m.dtd">',  # an external DTD
        '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
        "<!DOCTYPE m>",  # a DTD at all
    ],
)
def test_a_manifest_with_a_dtd_is_refused(doctype):
    xml = manifest_xml(["pieprasijums.pdf"]).replace(b"?>\n", b"?>\n" + doctype.encode(), 1)
    assert "cannot be read" in refusal("a.asice", asice_bytes(manifest_xml_override=xml))


def test_no_signature_file_is_refused():
    assert "holds no signature" in refusal("a.asice", asice_bytes(signature=False))


def test_a_signature_file_elsewhere_does_not_count():
    content = asice_bytes(signature=False, extra=[("signatures0.xml", b"<x/>")])
    assert "holds no signature" in refusal("a.asice", content)


@pytest.mark.parametrize(
    "xml",
    [
        "<asic:XAdESSignatures",  # not well-formed
        '<?xml version="1.0"?><signatures xmlns="urn:example"/>',  # another root
        f'<asic:XAdESSignatures xmlns:asic="{NS_ASIC}"/>',  # no ds:Signature in it
        f'<asic:XAdESSignatures xmlns:asic="{NS_ASIC}" xmlns:ds="{NS_DS}"><ds:Signature/></asic:XAdESSignatures>',
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><asic:XAdESSignatures xmlns:asic="{NS_ASIC}" '
        f'xmlns:ds="{NS_DS}"><ds:Signature><ds:SignedInfo/><ds:SignatureValue>&e;</ds:SignatureValue>'
        "</ds:Signature></asic:XAdESSignatures>",  # an entity
    ],
    ids=["not-xml", "other-root", "no-signature", "empty-signature", "entity"],
)
def test_a_signature_file_that_is_not_xades_is_refused(xml):
    message = refusal("a.asice", asice_bytes(signature_xml=xml))
    assert "META-INF/signatures0.xml" in message
    assert "not an XAdES signature" in message


# --- zip bombs and paths ------------------------------------------------------------------------


def test_more_than_a_thousand_entries_is_refused():
    content = asice_bytes(extra=[(f"f/{i}.txt", b"") for i in range(1000)])
    assert "too large when unpacked" in refusal("a.asice", content, max_bytes=50 * 1024 * 1024)


def test_a_thousand_entries_in_all_is_accepted():
    content = asice_bytes(extra=[(f"f/{i}.txt", b"") for i in range(1000 - 4)])
    assert signed_document_check(upload("a.asice", content), max_bytes=50 * 1024 * 1024).kind == "asice"


def test_more_than_fifty_megabytes_unpacked_is_refused():
    content = asice_bytes(extra=[("zeros.bin", b"\0" * (50 * 1024 * 1024))])
    assert len(content) < 200_000
    assert "too large when unpacked" in refusal("a.asice", content)


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil.txt", "a\\..\\evil"]
)
def test_a_path_traversal_name_is_refused(name):
    assert "forbidden path" in refusal("a.asice", asice_bytes(extra=[(name, b"x")]))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_two_entries_of_one_name_are_refused():
    content = asice_bytes(extra=[("META-INF/manifest.xml", manifest_xml(["x.pdf"]))])
    assert "same name" in refusal("a.asice", content)


# --- PDF ----------------------------------------------------------------------------------------


def test_an_unsigned_pdf_is_refused():
    assert "not signed" in refusal("a.pdf", pdf_signed_bytes(signed=False))


def test_a_signature_reference_is_not_a_signature_dictionary():
    content = pdf_signed_bytes(signed=False).replace(b"%%EOF", b"6 0 obj\n<< /Type /SigRef >>\nendobj\n%%EOF")
    assert "not signed" in refusal("a.pdf", content)
