"""Reading small CSV files that people upload: delimiter sniffing, encoding, header detection."""

from __future__ import annotations

import csv
import io

from wijkwijs.core.errors import ImportRejected, Problem


def decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(f"{source}: het bestand is geen tekst (UTF-8 of Windows-1252)")


def read_rows(data: bytes, source: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every non-empty row; delimiter ``,`` or ``;`` or tab."""
    text = decode(data, source)
    if not text.strip():
        raise ImportRejected(f"{source}: het bestand is leeg", problems=[Problem(source=source, reason="leeg bestand")])
    first_line = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ImportRejected(
            f"{source}: onleesbare CSV",
            problems=[Problem(source=source, row=reader.line_num, reason=str(exc))],
        ) from exc
    return rows
