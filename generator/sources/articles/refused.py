"""Files the importer does not read, told apart by their first bytes (and, failing that, their name).

Each gets a message that says what the file is and what to do: an old Word or WPS file, an OFD
(the Chinese fixed-layout format), a picture, a spreadsheet or another archive.
"""

from __future__ import annotations

from pathlib import PurePath

SAVE_AS = "open it in Word or WPS and save it as .docx (or export a PDF), then import that"
OLD_OFFICE = f"an old Word or WPS document (.doc, .wps): the importer reads .docx, PDF and web pages; {SAVE_AS}"
OFD = "an OFD document (版式文件): the importer reads .docx, PDF and web pages; export it as PDF from the OFD reader, or ask for the Word file"
PICTURE = (
    "a picture ({}), not text: the importer cannot read text in pictures; ask for the Word file or a PDF with text, "
    "or run the picture through OCR and import the text"
)
_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLD_OFFICE),  # OLE2: .doc, .wps, .xls, .et
    (b"\x89PNG\r\n\x1a\n", PICTURE.format("PNG")),
    (b"\xff\xd8\xff", PICTURE.format("JPEG")),
    (b"GIF87a", PICTURE.format("GIF")),
    (b"GIF89a", PICTURE.format("GIF")),
    (b"BM", None),  # checked by name only: too short a signature to trust
    (b"II*\x00", PICTURE.format("TIFF")),
    (b"MM\x00*", PICTURE.format("TIFF")),
    (b"{\\rtf", f"an RTF document: {SAVE_AS}"),
]
_SUFFIXES = {
    ".doc": OLD_OFFICE,
    ".wps": OLD_OFFICE,
    ".wpt": OLD_OFFICE,
    ".dot": OLD_OFFICE,
    ".ofd": OFD,
    ".rtf": f"an RTF document: {SAVE_AS}",
    ".jpg": PICTURE.format("JPEG"),
    ".jpeg": PICTURE.format("JPEG"),
    ".png": PICTURE.format("PNG"),
    ".gif": PICTURE.format("GIF"),
    ".bmp": PICTURE.format("BMP"),
    ".tif": PICTURE.format("TIFF"),
    ".tiff": PICTURE.format("TIFF"),
    ".webp": PICTURE.format("WebP"),
    ".heic": PICTURE.format("HEIC"),
    ".xls": "a spreadsheet, not an article: copy its table into the Word report it belongs to",
    ".xlsx": "a spreadsheet, not an article: copy its table into the Word report it belongs to",
    ".et": "a spreadsheet, not an article: copy its table into the Word report it belongs to",
    ".ppt": "a presentation, not an article: ask for the report it was made from",
    ".pptx": "a presentation, not an article: ask for the report it was made from",
    ".zip": "an archive: unpack it and import the documents inside",
    ".rar": "an archive: unpack it and import the documents inside",
    ".7z": "an archive: unpack it and import the documents inside",
}


def refusal(raw: bytes, name: str) -> str | None:
    """Why the file is not read, when it is of a kind the importer does not read; else None."""
    for magic, message in _MAGIC:
        if message and raw.startswith(magic):
            return f"the file is {message}"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return f"the file is {PICTURE.format('WebP')}"
    suffix = PurePath(name).suffix.lower()
    if suffix in _SUFFIXES:
        return f"the file is {_SUFFIXES[suffix]}"
    return None


def zip_refusal(names: set[str]) -> str:
    """Why a zip package that is not a Word document is not read."""
    if "OFD.xml" in names or any(n.lower().endswith("/ofd.xml") for n in names):
        return f"the file is {OFD}"
    if any(n.startswith("xl/") for n in names):
        return f"the file is {_SUFFIXES['.xlsx']}"
    if any(n.startswith("ppt/") for n in names):
        return f"the file is {_SUFFIXES['.pptx']}"
    return "the file is a zip archive, not a Word document: unpack it and import the documents inside"


def refused_suffixes() -> tuple[str, ...]:
    """The names of the kinds refused by name (.doc, .wps, .ofd, pictures…), for listing a folder's files."""
    return tuple(sorted(_SUFFIXES))
