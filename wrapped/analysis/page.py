"""One self-contained HTML page for the eval and monitor reports.

Self-contained means: no CDN, no web fonts, no script from elsewhere. The charts are inline SVG
and the style is inline CSS, so the file opens offline, from a CI artifact or an e-mail, and a
Content-Security-Policy of `default-src 'none'` holds. Every value a caller passes as text is
escaped by Jinja2's autoescape; only `Markup` (our own SVG and tables) goes in raw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))

_TEMPLATE = _ENV.from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
td.bad{background:#fde2e1} td.good{background:#e3f4e1}
.muted{color:#666} .story{white-space:pre-wrap;text-align:left;max-width:40rem}
svg{max-width:100%;height:auto} section{overflow-x:auto}
</style></head><body>
<h1>{{ title }}</h1>
{% if subtitle %}<p class="muted">{{ subtitle }}</p>{% endif %}
{% for s in sections %}<section id="{{ s.anchor }}"><h2>{{ s.heading }}</h2>{{ s.body }}</section>
{% endfor %}
</body></html>
"""
)


class Section(NamedTuple):
    """One titled part of a report; `body` is trusted HTML (build it with `table`/charts)."""

    heading: str
    body: Markup
    anchor: str = ""


def render_page(title: str, sections: Sequence[Section], subtitle: str = "") -> str:
    """The whole report as one HTML string."""
    fixed = [
        s._replace(anchor=s.anchor or f"s{i}", body=Markup(s.body)) for i, s in enumerate(sections)
    ]
    return _TEMPLATE.render(title=title, subtitle=subtitle, sections=fixed)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    cell_class: Sequence[Sequence[str]] | None = None,
) -> Markup:
    """An escaped HTML table; `cell_class` (same shape as `rows`) marks cells "bad"/"good"."""
    out = ["<table><thead><tr>"]
    out += [f"<th>{Markup.escape(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, cell in enumerate(row):
            cls = cell_class[i][j] if cell_class else ""
            attr = f' class="{Markup.escape(cls)}"' if cls else ""
            out.append(f"<td{attr}>{Markup.escape(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))
