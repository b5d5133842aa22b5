"""XML through defusedxml only: a DTD, entity declaration or external reference anywhere
in a part is refused, and malformed XML is a problem, never a silently empty part."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO, Any

from baomi.errors import ExtractionError
from baomi.extract import problems as P

CHUNK_BYTES = 64 * 1024
# expat's own errors, and what it raises for an unknown or lying encoding declaration
XML_ERRORS = (ET.ParseError, LookupError, UnicodeError, ValueError)
# the callbacks through which ElementTree builds a tree: a check needs none of them, and
# without them expat runs at C speed
_TREE_HANDLERS = ("StartElementHandler", "EndElementHandler", "CharacterDataHandler", "CommentHandler",
                  "ProcessingInstructionHandler", "StartNamespaceDeclHandler", "EndNamespaceDeclHandler",
                  "DefaultHandlerExpand")  # fmt: skip


class _Nothing:
    """A parser target that builds nothing (its one callback left is close)."""

    def close(self) -> None:
        return None


def _unsafe(kind: str) -> ExtractionError:
    return ExtractionError(P.UNSAFE_XML, f"{kind} 含 DTD/实体声明（可能是实体炸弹），未解析")


def check_stream(stream: IO[bytes], kind: str, head: bytes = b"") -> str:
    """Parse a whole XML stream (after `head`, its bytes already read) with defusedxml's
    parser, keeping nothing; raise a problem for a DTD or entity anywhere in it (not
    just in its first bytes) or for malformed XML. Returns the namespace of the root
    element ("" when it has none)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=_Nothing(), forbid_dtd=True)
    for handler in _TREE_HANDLERS:  # keep defusedxml's DTD/entity guards, build nothing
        setattr(parser.parser, handler, None)
    root: list[str] = []

    def first_element(name: str, attributes: object) -> None:
        root.append(name)
        parser.parser.StartElementHandler = None  # one callback, then C speed again

    parser.parser.StartElementHandler = first_element
    try:
        parser.feed(head)
        while chunk := stream.read(CHUNK_BYTES):
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException as exc:
        raise _unsafe(kind) from exc
    except XML_ERRORS as exc:
        raise ExtractionError(P.CORRUPT, f"{kind} 部件 XML 无法解析") from exc
    return root[0].rpartition("}")[0] if root and "}" in root[0] else ""


def parse(data: bytes, kind: str) -> Any:
    """An ElementTree root parsed with defusedxml (DTDs refused)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise _unsafe(kind) from exc
    except XML_ERRORS as exc:
        raise ExtractionError(P.CORRUPT, f"{kind} 部件 XML 无法解析") from exc
