"""CSV exports a spreadsheet shows rather than runs: every cell of every CSV response that
starts like a formula is prefixed with an apostrophe (OWASP's advice on CSV injection).

Datasette writes CSV itself (tables, views, queries, ``_stream=1`` exports); `csv_safe` is ASGI
middleware that re-writes those responses record by record as they stream, so it needs no
knowledge of how Datasette built them.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from ..output import formula_safe


def is_csv(scope: dict[str, Any]) -> bool:
    """Whether a request asks for one of Datasette's CSV exports."""
    return scope.get("type") == "http" and scope.get("path", "").endswith(".csv")


class CsvRewriter:
    """Re-writes a streamed CSV body record by record with every cell made formula-safe."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""

    def feed(self, data: bytes, final: bool = False) -> bytes:
        """The re-written form of the complete records `data` finishes (the rest waits)."""
        text = self._pending + self._decoder.decode(data, final)
        cut = len(text) if final else text.rfind("\n") + 1
        while cut and text[:cut].count('"') % 2:  # that newline is inside a quoted cell
            cut = text.rfind("\n", 0, cut - 1) + 1
        self._pending, complete = text[cut:], text[:cut]
        if not complete:
            return b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(complete, newline="")):
            writer.writerow([formula_safe(cell) for cell in row])
        return out.getvalue().encode("utf-8")


def csv_safe(app: Any) -> Any:
    """ASGI middleware: every CSV response (tables, views, queries, streamed exports) has its
    formula-like cells neutralised; everything else passes through untouched."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not is_csv(scope):
            await app(scope, receive, send)
            return
        rewriter: list[CsvRewriter] = []

        async def rewriting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                kind = dict(headers).get(b"content-type", b"").split(b";")[0].strip()
                if message.get("status") == 200 and kind in (b"text/csv", b"text/plain"):
                    rewriter.append(CsvRewriter())
                    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    message = {**message, "headers": kept}
            elif message["type"] == "http.response.body" and rewriter:
                more = message.get("more_body", False)
                body = rewriter[0].feed(message.get("body", b""), final=not more)
                message = {**message, "body": body}
            await send(message)

        await app(scope, receive, rewriting_send)

    return wrapped
