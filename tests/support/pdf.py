"""Reading PDFs the way assistive technology does: their structure tree, alt text, language."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2
import pypdfium2.raw as raw


def _utf16(read: Callable[..., int], handle: Any) -> str:
    size = read(handle, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    read(handle, buffer, size)
    return bytes(buffer).decode("utf-16-le").rstrip("\x00")


def language_of(pdf: bytes) -> str:
    """The document's language, from its catalogue (/Lang)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return _utf16(raw.FPDFCatalog_GetLanguage, document.raw)
    finally:
        document.close()


def structure_of(pdf: bytes) -> list[tuple[str, str]]:
    """Every element of the structure tree, page by page: its type and its alt text."""
    found: list[tuple[str, str]] = []

    def walk(element: Any) -> None:
        found.append(
            (
                _utf16(raw.FPDF_StructElement_GetType, element),
                _utf16(raw.FPDF_StructElement_GetAltText, element),
            )
        )
        for i in range(raw.FPDF_StructElement_CountChildren(element)):
            child = raw.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child)

    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            for i in range(raw.FPDF_StructTree_CountChildren(tree)):
                walk(raw.FPDF_StructTree_GetChildAtIndex(tree, i))
            raw.FPDF_StructTree_Close(tree)
    finally:
        document.close()
    return found


def text_of(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
