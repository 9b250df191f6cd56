"""The report's weekly progress chart: SVG for the HTML page, PNG for the Word document.

matplotlib is imported here only, when a report with a chart is made. The output
depends only on the figures (no timestamps, no random ids), so the same data gives
the same bytes on the same machine.
"""

import io
import logging
import re
import warnings

from dsday_cli.core.i18n import _
from dsday_cli.core.report_data import Week, percent, week_label

# Offices print in black and white: greys far apart, a hatch on the middle one, black edges,
# and each part's count written on it, so no figure depends on telling colours apart.
COLOURS = {"on_time": "#404040", "late": "#a0a0a0", "not_done": "#ffffff"}
HATCHES = {"on_time": None, "late": "///", "not_done": None}
TEXT_ON = {"on_time": "white", "late": "black", "not_done": "black"}
FONTS = ["Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif"]  # the last ships with matplotlib


def _figure(weeks: list[Week]):
    # matplotlib logs a warning to stderr when its cache directory is not writable
    # (it then uses a temporary one) or a font is missing: neither concerns the user.
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6.3, 2.9))
    axes = figure.add_subplot()
    labels = [week_label(w) for w in weeks]
    on_time = [w.figures.on_time for w in weeks]
    late = [w.figures.late for w in weeks]
    not_done = [w.figures.not_done for w in weeks]
    positions = list(range(len(weeks)))
    done = [a + b for a, b in zip(on_time, late)]
    parts = (
        ("on_time", on_time, [0] * len(weeks), _("Done on time")),
        ("late", late, on_time, _("Done late")),
        ("not_done", not_done, done, _("Not done")),
    )
    total = max((w.figures.total for w in weeks), default=0)
    for key, values, bottom, label in parts:
        bars = axes.bar(
            positions, values, 0.6, bottom=bottom, color=COLOURS[key], hatch=HATCHES[key],
            edgecolor="black", linewidth=0.6, label=label,
        )  # fmt: skip
        # Each part's count on it where it is tall enough to hold a figure (a twentieth of the axis).
        shown = [str(v) if v and v >= max(total, 1) / 20 else "" for v in values]
        axes.bar_label(
            bars, shown, label_type="center", fontsize=7, color=TEXT_ON[key],
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5} if HATCHES[key] else None,
        )  # fmt: skip
    for position, week in zip(positions, weeks):
        axes.annotate(
            percent(week.figures.done, week.figures.total),
            (position, week.figures.total),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    axes.set_xticks(positions, labels, fontsize=8)
    axes.set_ylabel(_("Responsibilities"), fontsize=9)
    axes.set_ylim(0, max(total, 1) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


def _settings() -> dict:
    return {
        # Named families, not "serif": matplotlib then falls back glyph by glyph along the
        # list, so a Times look-alike without Vietnamese letters still shows every letter.
        "font.family": FONTS,
        "svg.hashsalt": "dsday",  # ids in the SVG from a fixed salt, not random
        "svg.fonttype": "none",  # text stays text: selectable, and set in the page's Times New Roman
    }


def progress_svg(weeks: list[Week]) -> str:
    """The chart as an inline SVG element (no XML declaration, no external reference)."""
    import matplotlib

    with matplotlib.rc_context(_settings()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from every font is drawn as a box, not reported
        out = io.StringIO()
        _figure(weeks).savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    # Inline in a page: no XML prologue, and no RDF metadata (it names the format as text).
    svg = svg[svg.index("<svg") :]
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)


def progress_png(weeks: list[Week], dpi: int = 200) -> bytes:
    """The chart as a PNG image, for the Word document."""
    import matplotlib

    with matplotlib.rc_context(_settings()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = io.BytesIO()
        _figure(weeks).savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()
