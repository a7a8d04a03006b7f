"""Tessera's PDF renderer against reportlab on the same document (bench/report.sh).

Reads Tessera's timings (crates/report/examples/render_bench.rs prints them) and, for
each table size N, the spec Tessera wrote (OUT_DIR/spec-N.json: title block,
key figures, paragraph, bullets, a line chart with markers, a grouped bar
chart, a choropleth's values and bounds, a table of N rows x 4 columns). It
decodes the same world-atlas TopoJSON in Python (quantised, delta-encoded
arcs, `~i` reversed arcs; outside the timed part, like Tessera's decode) and
renders an equivalent A4 PDF with reportlab:

- platypus `SimpleDocTemplate`, Helvetica 10/13.5 body, headings, key figures
  as a small table, bullets;
- the charts with reportlab.graphics (`HorizontalLineChart` with marker lines
  and a `Legend`; `HorizontalBarChart` with a `Legend`), never split;
- the map as a `Drawing`: the same equirectangular projection (standard
  parallel at the middle latitude of the bounds), each ring clipped to the
  frame (Sutherland-Hodgman) and drawn as an even-odd `Path`, five quantile
  classes in ColorBrewer Blues, white borders, a legend;
- the table as a `LongTable` (reportlab's class for long tables) with
  `repeatRows` (the caption and header repeated on every continuation page);
- the banner at the top and bottom of every page and "Page n of N" in the
  footer (the usual two-pass `NumberedCanvas` idiom).

Timed: building the story and `doc.build` into a BytesIO (median of the same
number of runs as Tessera, after one warm-up run). Tessera writes uncompressed
streams; reportlab compresses page content by default, so reportlab is timed
both ways (pageCompression=0 is the like-for-like row).

usage: python bench/report.py TESSERA_JSON OUT_DIR
"""

import io
import json
import math
import os
import re
import statistics
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
VENV = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "venv-report")
REPORTLAB = "reportlab==5.1.0"

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import pinned_venv  # noqa: E402

pinned_venv.ensure(REPORTLAB, "reportlab", VENV, __file__)

import reportlab  # noqa: E402
from reportlab.graphics.charts.barcharts import HorizontalBarChart  # noqa: E402
from reportlab.graphics.charts.legends import Legend  # noqa: E402
from reportlab.graphics.charts.linecharts import HorizontalLineChart  # noqa: E402
from reportlab.graphics.shapes import Drawing, Line, Path, Rect, String  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    KeepTogether, ListFlowable, ListItem, LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
    TableStyle)

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#e4e4e0"
SEA = "#f7fafc"
FIGURE_WIDTH = 480.0
MARGIN_X = 56.0


# --- TopoJSON (not timed) ---------------------------------------------------

def countries(path):
    """Shapes [(numeric id or None, name, rings of (lon, lat))] of world-atlas' countries object."""
    with open(path) as f:
        root = json.load(f)
    t = root.get("transform")
    arcs = []
    for arc in root["arcs"]:
        if t:
            (sx, sy), (tx, ty) = t["scale"], t["translate"]
            x = y = 0
            points = []
            for a, b in arc:
                x += a
                y += b
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(a, b) for a, b in arc]
        arcs.append(points)

    def ring(refs):
        out = []
        for i in refs:
            part = arcs[~i][::-1] if i < 0 else arcs[i]
            out.extend(part[1:] if out else part)
        return out

    objects = root["objects"]
    obj = objects.get("countries") or next(iter(objects.values()))
    shapes = []
    for g in obj.get("geometries", [obj]):
        if g.get("type") == "Polygon":
            rings = [ring(r) for r in g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            rings = [ring(r) for p in g["arcs"] for r in p]
        else:
            continue
        shapes.append((g.get("id"), g.get("properties", {}).get("name", ""), rings))
    return shapes


# ISO 3166-1 numeric of the benchmark's twelve nationalities (Tessera keys shapes by alpha-2
# through tessera_model's country table; the peer only needs these).
NUMERIC = {"AF": "004", "ER": "232", "IR": "364", "SY": "760", "SD": "729", "IQ": "368", "VN": "704",
           "AL": "008", "TR": "792", "EG": "818", "ET": "231", "SO": "706"}


# --- map layout (timed, as Tessera's layout is) ----------------------------

def clip_ring(ring, w, h):
    edges = [(lambda p, lim: p[0] >= 0.0, 0.0, True), (lambda p, lim: p[0] <= lim, w, True),
             (lambda p, lim: p[1] >= 0.0, 0.0, False), (lambda p, lim: p[1] <= lim, h, False)]
    points = [p for p in ring if math.isfinite(p[0]) and math.isfinite(p[1])]
    for inside, limit, vertical in edges:
        if not points:
            break
        source, points = points, []

        def cross(a, b):
            if vertical:
                t = (limit - a[0]) / (b[0] - a[0])
                return (limit, a[1] + t * (b[1] - a[1]))
            t = (limit - a[1]) / (b[1] - a[1])
            return (a[0] + t * (b[0] - a[0]), limit)

        prev = source[-1]
        for cur in source:
            ci, pi = inside(cur, limit), inside(prev, limit)
            if ci and pi:
                points.append(cur)
            elif ci:
                points.append(cross(prev, cur))
                points.append(cur)
            elif pi:
                points.append(cross(prev, cur))
            prev = cur
    return points


def classes(values):
    s = sorted(v for v in values if math.isfinite(v))
    n, out, start = len(s), [], 0
    for k in range(1, 6):
        end = -(-k * n // 5)
        if end <= start:
            continue
        while end < n and s[end] == s[end - 1]:
            end += 1
        out.append((s[start], s[end - 1]))
        start = end
        if start >= n:
            break
    return out


def class_colour(k, count):
    index = 2 if count <= 1 else k * 4 // (count - 1)
    return colors.HexColor(BLUES[min(index, 4)])


def map_drawing(spec, shapes):
    west, south, east, north = spec["bounds"]
    cos = max(math.cos(math.radians((south + north) / 2)), 0.1)
    aspect = (north - south) / ((east - west) * cos)
    width, height = (FIGURE_WIDTH, FIGURE_WIDTH * aspect) if FIGURE_WIDTH * aspect <= 420 else (420 / aspect, 420)
    kx, ky = width / (east - west), height / (north - south)
    left = (FIGURE_WIDTH - width) / 2
    legend_h = 40.0
    total = 20 + height + legend_h
    d = Drawing(FIGURE_WIDTH, total)
    top = total - 20  # reportlab's y axis points up
    d.add(String(0, total - 12, spec["title"], fontName="Helvetica-Bold", fontSize=11))
    d.add(Rect(left, top - height, width, height, fillColor=colors.HexColor(SEA), strokeColor=colors.grey,
               strokeWidth=0.5))
    values = spec["values"]
    cls = classes(list(values.values()))
    by_numeric = {v: k for k, v in NUMERIC.items()}
    for numeric, _name, rings in shapes:
        key = by_numeric.get(str(numeric).zfill(3) if numeric is not None else "")
        path = Path(fillColor=None, strokeColor=colors.white, strokeWidth=0.4, fillMode=0)  # 0 = even-odd
        drawn = False
        for ring in rings:
            projected = [((lon - west) * kx, (north - lat) * ky) for lon, lat in ring]
            clipped = clip_ring(projected, width, height)
            if len(clipped) < 3:
                continue
            x, y = clipped[0]
            path.moveTo(x + left, top - y)
            for x, y in clipped[1:]:
                path.lineTo(x + left, top - y)
            path.closePath()
            drawn = True
        if not drawn:
            continue
        v = values.get(key) if key else None
        if v is not None and math.isfinite(v):
            k = next((i for i, (_, hi) in enumerate(cls) if v <= hi), len(cls) - 1)
            path.fillColor = class_colour(k, len(cls))
        else:
            path.fillColor = colors.HexColor(NO_DATA)
        d.add(path)
    y = top - height - 16
    d.add(String(0, y, spec["legend_title"], fontName="Helvetica-Bold", fontSize=8))
    slot = FIGURE_WIDTH / 6
    entries = [(class_colour(k, len(cls)), f"{lo:,.0f}" if lo == hi else f"{lo:,.0f} \u2013 {hi:,.0f}")
               for k, (lo, hi) in enumerate(cls)] + [(colors.HexColor(NO_DATA), "no data")]
    for i, (colour, text) in enumerate(entries):
        d.add(Rect(slot * i, y - 15, 12, 9, fillColor=colour, strokeColor=None))
        d.add(String(slot * i + 15, y - 13.5, text, fontName="Helvetica", fontSize=7.5))
    return d


# --- charts -----------------------------------------------------------------

def legend(d, names, x, y):
    lg = Legend()
    lg.x, lg.y = x, y
    lg.fontName, lg.fontSize = "Helvetica", 8
    lg.alignment = "right"
    lg.columnMaximum = 1
    lg.colorNamePairs = [(colors.HexColor(OKABE_ITO[i % 8]), n) for i, n in enumerate(names)]
    d.add(lg)


def line_chart(spec):
    d = Drawing(FIGURE_WIDTH, 260)
    d.add(String(0, 248, spec["title"], fontName="Helvetica-Bold", fontSize=11))
    c = HorizontalLineChart()
    c.x, c.y, c.width, c.height = 50, 50, FIGURE_WIDTH - 60, 170
    c.data = [tuple(s["values"]) for s in spec["series"]]
    c.categoryAxis.labels.fontName, c.categoryAxis.labels.fontSize = "Helvetica", 7
    c.categoryAxis.labels.angle = 0
    step = max(1, math.ceil(len(spec["x_labels"]) / 8))
    c.categoryAxis.labels.visible = 1
    c.categoryAxis.categoryNames = [lab if i % step == 0 else "" for i, lab in enumerate(spec["x_labels"])]
    style_value_axis(c.valueAxis)
    for i in range(len(c.data)):
        c.lines[i].strokeColor = colors.HexColor(OKABE_ITO[i % 8])
        c.lines[i].strokeWidth = 1.5
    d.add(c)
    n = len(spec["x_labels"])
    for m in spec["markers"]:
        if 0 <= m["x"] < n:
            x = c.x + c.width * (m["x"] + 0.5) / n
            d.add(Line(x, c.y, x, c.y + c.height, strokeColor=colors.HexColor("#555555"), strokeWidth=0.8,
                       strokeDashArray=[3, 2]))
            d.add(String(x + 2, c.y + c.height - 8, m["label"], fontName="Helvetica", fontSize=7))
    legend(d, [s["name"] for s in spec["series"]], FIGURE_WIDTH - 10, 20)
    d.add(String(0, 10, spec["unit"], fontName="Helvetica", fontSize=7))
    return d


def style_value_axis(axis):
    """Value axis as Tessera draws it: small Helvetica labels with thousands separators, light grid."""
    axis.labels.fontName, axis.labels.fontSize = "Helvetica", 7
    axis.labelTextFormat = "{:,.0f}".format
    axis.visibleGrid = 1
    axis.gridStrokeColor = colors.HexColor("#dddddd")


def bar_chart(spec):
    rows = len(spec["categories"])
    height = 60 + rows * 22
    d = Drawing(FIGURE_WIDTH, height + 30)
    d.add(String(0, height + 18, spec["title"], fontName="Helvetica-Bold", fontSize=11))
    c = HorizontalBarChart()
    c.x, c.y, c.width, c.height = 100, 40, FIGURE_WIDTH - 120, height - 40
    c.data = [tuple(v if v is not None else 0 for v in s["values"]) for s in spec["series"]]
    c.categoryAxis.categoryNames = spec["categories"]
    c.categoryAxis.reverseDirection = 1
    c.categoryAxis.labels.fontName, c.categoryAxis.labels.fontSize = "Helvetica", 7.5
    c.valueAxis.valueMin = 0
    style_value_axis(c.valueAxis)
    for i in range(len(c.data)):
        c.bars[i].fillColor = colors.HexColor(OKABE_ITO[i % 8])
        c.bars[i].strokeColor = None
    d.add(c)
    legend(d, [s["name"] for s in spec["series"]], FIGURE_WIDTH - 10, 14)
    return d


# --- document ---------------------------------------------------------------

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, alignment=TA_LEFT, spaceAfter=6)
H1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=10, spaceAfter=6,
                    keepWithNext=1)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=4)
SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=13, leading=17, spaceAfter=8)
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=8, leading=10)
FIG = ParagraphStyle("fig", fontName="Helvetica", fontSize=8.5, leading=11)


def numbered_canvas(spec):
    class NumberedCanvas(rl_canvas.Canvas):
        """Keeps every page's state and writes the furniture with the page count at save."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                w, h = A4
                self.setFont("Helvetica-Bold", 9)
                self.drawCentredString(w / 2, h - 30, spec["banner"])
                self.drawCentredString(w / 2, 22, spec["banner"])
                self.setFont("Helvetica", 8)
                self.drawString(MARGIN_X, 40, spec["title"])
                self.drawRightString(w - MARGIN_X, 40, f"Page {self._pageNumber} of {count}")
                super().showPage()
            super().save()

    return NumberedCanvas


def story(spec, shapes):
    s = [Paragraph(spec["title"], TITLE), Paragraph(spec["subtitle"], SUBTITLE)]
    s.append(Table([[Paragraph(f"<b>{k}</b>", FIG), Paragraph(v, FIG)] for k, v in spec["meta"]],
                   colWidths=[130, 353], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    s.append(Paragraph("Summary", H1))
    cells = [[Paragraph(f"{k['label']}<br/><font size=16><b>{k['value']}</b></font><br/>{k['note'] or ''}", FIG)
              for k in spec["key_figures"]]]
    s.append(Table(cells, colWidths=[483 / 4] * len(cells[0]), style=[
        ("BOX", (0, 0), (-1, -1), 0.5, colors.grey), ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    s.append(Spacer(1, 8))
    s.append(Paragraph(spec["paragraph"], BODY))
    s.append(ListFlowable([ListItem(Paragraph(b, BODY)) for b in spec["bullets"]], bulletType="bullet"))
    s.append(KeepTogether([line_chart(spec["line_chart"])]))
    s.append(Spacer(1, 10))
    s.append(KeepTogether([bar_chart(spec["bar_chart"])]))
    s.append(Paragraph("Geography", H1))
    s.append(KeepTogether([map_drawing(spec["map"], shapes)]))
    s.append(PageBreak())
    s.append(Paragraph("Prioritised groups", H1))
    t = spec["table"]
    header = [c["title"] for c in t["columns"]]
    data = [[t["caption"], "", "", ""], header] + t["rows"]
    style = [("SPAN", (0, 0), (-1, 0)), ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
             ("FONT", (0, 1), (-1, 1), "Helvetica-Bold", 8.5), ("FONT", (0, 2), (-1, -1), "Helvetica", 8.5),
             ("LINEBELOW", (0, 1), (-1, 1), 0.8, colors.black),
             ("LINEBELOW", (0, 2), (-1, -1), 0.25, colors.HexColor("#cccccc"))]
    for i, c in enumerate(t["columns"]):
        style.append(("ALIGN", (i, 1), (i, -1), "RIGHT" if c["align"] == "right" else "LEFT"))
    s.append(LongTable(data, repeatRows=2, style=TableStyle(style), hAlign="LEFT"))
    s.append(Paragraph(t["note"], SMALL))
    return s


def render(spec, shapes, compress):
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=66,
                            bottomMargin=66, title=spec["title"], author="reportlab benchmark",
                            pageCompression=compress, invariant=1)
    doc.build(story(spec, shapes), canvasmaker=numbered_canvas(spec))
    return out.getvalue()


def timed(repeat, f):
    f()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        out = f()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), out


def pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def main():
    tessera_json, out_dir = sys.argv[1], sys.argv[2]
    with open(tessera_json) as f:
        tessera = json.load(f)
    repeat = tessera["repeat"]
    started = time.perf_counter()
    shapes = countries(tessera["atlas"])
    decode_ms = (time.perf_counter() - started) * 1000
    print(f"reportlab {reportlab.Version}; world-atlas {os.path.basename(tessera['atlas'])}: "
          f"{len(shapes)} shapes (Tessera {tessera['shapes']}, {tessera['points']:,} points); "
          f"TopoJSON decode (not in the times below): Tessera {tessera['topojson_decode_ms']:.1f} ms, "
          f"Python {decode_ms:.1f} ms")
    print(f"median of {repeat} runs each, rendering only (document built, topology decoded before the clock)")
    print()
    print("| rows | Tessera PDF ms | reportlab ms (uncompressed) | reportlab ms (compressed, default) "
          "| reportlab / Tessera | pages T / rl | bytes T / rl unc. / rl comp. | Tessera HTML ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in tessera["runs"]:
        n = run["rows"]
        with open(os.path.join(out_dir, f"spec-{n}.json")) as f:
            spec = json.load(f)
        plain_ms, plain = timed(repeat, lambda: render(spec, shapes, 0))
        packed_ms, packed = timed(repeat, lambda: render(spec, shapes, 1))
        with open(os.path.join(out_dir, f"reportlab-{n}.pdf"), "wb") as f:
            f.write(plain)
        print(f"| {n:,} | {run['pdf_ms']:.1f} | {plain_ms:.1f} | {packed_ms:.1f} | "
              f"**{plain_ms / run['pdf_ms']:.1f}x** | {run['pages']} / {pages(plain)} | "
              f"{run['pdf_bytes']:,} / {len(plain):,} / {len(packed):,} | {run['html_ms']:.1f} |")


if __name__ == "__main__":
    main()
