"""A statutory report as a PDF, drawn with matplotlib (already a dependency), with no date in its metadata, so that
the same report gives the same file. Both views of a report (every row, for audit, and the publication) print
through it: the rows and the publication import it, not each other.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from typing import Any


def report_pdf(title: str, period: str, items: list[tuple[str, str, str, str]], notes: list[str]) -> bytes:
    """A report as a PDF: its title, period, one line per item (number right-aligned) and numbered notes."""
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"CreationDate": None, "Creator": None, "Producer": None}) as pdf:
        for figure in pages(title, period, items, notes):
            pdf.savefig(figure)
    return buffer.getvalue()


def pages(title: str, period: str, items: list[tuple[str, str, str, str]], notes: list[str]) -> Iterator[Any]:
    """The pages of the PDF as matplotlib figures (each closed once the next is asked for)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines: list[tuple[str, str, str]] = [("title", title, ""), ("text", f"Reporting period: {period}.", "")]
    for item, label, value, unit in items:
        wrapped = textwrap.wrap(f"{item}  {label}", 92) or [""]
        lines.append(("item", wrapped[0], value if value.startswith("$") else f"{value} {unit}"))
        lines.extend(("item", "      " + more, "") for more in wrapped[1:])
    lines.append(("title", "Notes", ""))
    for n, note in enumerate(notes, start=1):
        lines.extend(("text", part, "") for part in textwrap.wrap(f"{n}. {note}", 110))
    per_page = 56
    for start in range(0, len(lines), per_page):
        figure = plt.figure(figsize=(8.5, 11))
        for k, (style, text, number) in enumerate(lines[start : start + per_page]):
            y = 0.95 - k * 0.0165
            weight = "bold" if style == "title" else "normal"
            figure.text(0.06, y, text, fontsize=7.5, weight=weight, family="sans-serif")
            if number:
                figure.text(0.95, y, number, fontsize=7.5, ha="right", family="sans-serif")
        figure.text(0.5, 0.03, f"page {start // per_page + 1}", fontsize=7, ha="center")
        yield figure
        plt.close(figure)
