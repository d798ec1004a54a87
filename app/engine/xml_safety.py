"""Parse untrusted XML (uploaded BPMN) with entity resolution and network access off."""

import re
from dataclasses import dataclass

from lxml import etree


@dataclass
class XmlProblem(Exception):
    """A file that cannot be accepted, with the line the problem is on when known."""

    file: str
    message: str
    line: int | None = None

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def _parser():
    # Entities unresolved, no DTD loading, no network: XXE and entity expansion cannot happen.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _refuse_doctype(data: bytes, file_name: str):
    """A DOCTYPE in the prolog is refused before any parsing: entities are how XXE and billion laughs work."""
    doctype, element = _DOCTYPE.search(data), _FIRST_ELEMENT.search(data)
    if doctype and (element is None or doctype.start() < element.start()):
        line = data.count(b"\n", 0, doctype.start()) + 1
        raise XmlProblem(
            file_name, "DOCTYPE/ENTITY declarations are refused (protection against XXE and entity expansion)", line
        )


def parse_xml(data: bytes, file_name: str):
    """Return the root element of `data`, refusing any DOCTYPE (entities are how XXE and billion laughs work)."""
    _refuse_doctype(data, file_name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise XmlProblem(file_name, f"XML không hợp lệ / invalid XML: {err.msg}", err.lineno) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlProblem(
            file_name,
            "DOCTYPE/ENTITY declarations are refused (protection against XXE and entity expansion)",
            1,
        )
    return root


def read_xml_file(path: str):
    """Read and safely parse a file from disk."""
    with open(path, "rb") as handle:
        return parse_xml(handle.read(), path)
