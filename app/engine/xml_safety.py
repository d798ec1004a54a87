"""Parse untrusted XML (uploaded BPMN) with entity resolution and network access off."""
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


def parse_xml(data: bytes, file_name: str):
    """Return the root element of `data`, refusing any DOCTYPE (entities are how XXE and billion laughs work)."""
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
