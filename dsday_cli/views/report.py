"""The results report for the Provincial People's Committee as text: its wording, its layout, Markdown and HTML.

``report_data.py`` gathers what the report says (figures, weekly progress, what was done,
what remains, the document's form); ``report_blocks`` lays it out in the order such
reports use, once; Markdown, HTML and Word (``report_docx.py``) render those blocks.
HTML escapes every piece of plan and journal text.
"""

import html
from datetime import date

from dsday_cli.core.dates import day_first
from dsday_cli.core.i18n import _, language, n_
from dsday_cli.core.model import Plan
from dsday_cli.core.records import record
from dsday_cli.views.render import deadline_phrase, partial_copy, safe_text
from dsday_cli.core.report_data import (
    ANNEX_MEMBERS,
    BLANK,
    Bands,
    bands,
    large,
    note_as_written,
    performer,
    ROMAN,
    TEXT_WIDTH_MM,
    Figures,
    Form,
    Report,
    Row,
    Week,
    percent,
    week_label,
)
from dsday_cli.core.status import ItemStatus

# ---- wording ---------------------------------------------------------------------


def signing_date(form: Form) -> str:
    """'Nghệ An, ngày 05 tháng 10 năm 2023', with blanks for what is not known yet."""
    return _("{place}, {day}/{month}/{year}").format(place=form.place or BLANK, **_date_parts(form.date))


def _date_parts(day: date | None) -> dict[str, str]:
    """The day, month and year as a document's date writes them ('ngày 05 tháng 10 năm 2023'), blanks when unknown."""
    # Nghị định 30/2020: days below 10 and the months 1 and 2 take a leading zero.
    return {
        "day": f"{day.day:02d}" if day else BLANK,
        "month": (f"{day.month:02d}" if day.month < 3 else str(day.month)) if day else BLANK,
        "year": str(day.year) if day else BLANK,
    }


def number_line(form: Form) -> str:
    """'Số: …/BC-STTTT' (the number blank until the records office gives one)."""
    number = form.number or BLANK
    if "/" in number:  # given whole, symbol included
        return _("No.: {number}").format(number=number)
    return _("No.: {number}/{symbol}").format(number=number, symbol=form.symbol or "BC-" + BLANK)


def plan_citation(plan: Plan) -> str:
    """The plan as a report cites it: 'Kế hoạch số 203/KH-UBND ngày 27/09/2022 của … về …', blanks where the plan is silent."""
    title = plan.title.strip().rstrip(".")
    first = "kế hoạch "
    subject = title[len(first) :] if title.casefold().startswith(first) else title
    return _("Plan No. {number} of {day} of the {issuer} on {subject}").format(
        number=plan.number or BLANK,
        day=day_first(plan.issued) if plan.issued else BLANK,
        issuer=plan.issuer,
        subject=subject,
    )


def summary_line(plan: Plan) -> str:
    """The line under BÁO CÁO: what the report is about."""
    return _("Results of implementing the {title}").format(title=plan.title)


def recipient_lines(form: Form) -> list[str]:
    """'- Như trên;' … '- Lưu: VT.': a semicolon after each, a full stop after the last."""
    lines = []
    for index, name in enumerate(form.recipients):
        name = name.rstrip(" ;.")
        end = "." if index == len(form.recipients) - 1 else ";"
        lines.append(f"- {name}{'' if name.endswith(BLANK) and end == '.' else end}")
    return lines


def _days_late(days: int) -> str:
    return n_("{count} day late", "{count} days late", days).format(count=days)


def _performer(by: str | None) -> str:
    """The performer by name; a login (what is recorded when no name is configured) is no one's name."""
    name = performer(by)
    return _("carried out by {name}").format(name=name) if name else _("performer not recorded")


def _completion(on: date, last_day: date | None, by: str | None, by_report: bool = False) -> str:
    """'done on 09/10/2023, carried out by …' or 'done late on …, 1 day late, …'; or done by this report."""
    if last_day is None or on <= last_day:
        when = _("done on {day}").format(day=day_first(on))
    else:
        when = _("done late on {day} ({late})").format(day=day_first(on), late=_days_late((on - last_day).days))
    return when + ", " + (_("by this report") if by_report else _performer(by))


def _item_runs(status: ItemStatus, ids: bool) -> list["Run"]:
    """An item as the report names it: its title and clauses ('… (mục V.1, II.2.b)'), its id first only if asked."""
    item = status.item
    title = item.title.strip().rstrip(".").rstrip()  # a title ending in '.' must not give '.:'
    refs = item.ref_text if item.ref else ""
    if refs:
        title += " (" + _("section {refs}").format(refs=refs) + ")"
    return ([(item.id + " ", "b")] if ids else []) + [(title + ": ", "")]


def _members_completion(status: ItemStatus, many: bool = False) -> str:
    """A group item every member has done: members who did it the same day by the same hand share a clause."""
    assert status.mark
    alike: dict[str, list[str]] = {}
    for part in status.members:
        assert part.mark
        alike.setdefault(_completion(part.mark.on, status.item.last_day, part.mark.by), []).append(part.member.name)
    count = len(status.members)
    if len(alike) == 1:
        return n_("the {count} member {completion}", "all {count} members {completion}", count).format(
            count=count, completion=next(iter(alike))
        )
    summary = n_(
        "done by its {count} member, the last on {day}",
        "done by all {count} members, the last on {day}",
        count,
    ).format(count=count, day=day_first(status.mark.on))
    if many:  # each member's day would run to pages: the annex lists the members
        return summary
    return summary + ". " + "; ".join(", ".join(names) + ": " + completion for completion, names in alike.items())


def _standing(status: ItemStatus, as_of: date) -> str:
    """'by 15/10/2023, overdue by 11 days' or 'before 25/10/2023, 3 days left'."""
    due = deadline_phrase(status.item.deadline)
    if status.item.last_day is None:
        return due
    days = (as_of - status.item.last_day).days
    if days > 0:
        return _("{due}, overdue by {late}").format(
            due=due, late=n_("{count} day", "{count} days", days).format(count=days)
        )
    if days == 0:
        return _("{due}, due on the day of this report").format(due=due)
    return due + ", " + n_("{count} day left", "{count} days left", -days).format(count=-days)


def _missing_members(status: ItemStatus, many: bool = False) -> str:
    """'2/21 members done; not done (19): A, B, …', or that none has done it; a large group's list is in the annex."""
    total, done = len(status.members), status.members_done
    if not done:
        return n_("none of its {total} member has done it", "none of its {total} members has done it", total).format(
            total=total
        )
    if many:
        return _("{done}/{total} members done (each unit's results are in the annex)").format(done=done, total=total)
    missing = [p.member.name for p in status.members if not p.mark]
    return _("{done}/{total} members done; not done ({count}): {names}").format(
        done=done, total=total, count=len(missing), names=", ".join(missing)
    )


def _bands_sentence(bands: Bands) -> str:
    """'Of 130 units, 12 have done all their parts, 30 some, 88 none (the list is in the annex).'

    A band with no unit is left out; when every unit is in one band, the sentence says so
    ('All 130 units have done none').
    """
    counts = [
        (
            bands.all,
            _("{count} have done every part assigned to them"),
            _("All {count} units have done every part assigned to them"),
        ),
        (bands.some, _("{count} have done some of their parts"), _("All {count} units have done some of their parts")),
        (bands.none, _("{count} have done none of their parts"), _("All {count} units have done none of their parts")),
    ]
    whole = next((every for count, _part, every in counts if count == bands.members), None)
    if whole is not None:
        sentence = whole.format(count=bands.members)
    else:
        parts = [part.format(count=count) for count, part, _every in counts if count]
        listed = (
            parts[0] if len(parts) == 1 else _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])
        )
        sentence = _("Of {members} units, {bands}").format(members=bands.members, bands=listed)
    if bands.nothing:
        sentence += "; " + n_("{count} unit has no part", "{count} units have no part", bands.nothing).format(
            count=bands.nothing
        )
    return sentence + " " + _("(each unit's results are in the annex).")


def _overall_sentence(o: Figures) -> str:
    """'Of 27 responsibilities, 3 are done (11.1%): …'; a count of zero is said in words, not as '0 (0.0%)'."""
    if not o.done:
        return _("Of {total} responsibilities, none is done yet.").format(total=o.total)
    if o.on_time and o.late:
        split = _(": {on_time} on time ({on_time_rate}) and {late} late ({late_rate})")
    elif o.on_time:
        split = _(": {on_time} on time ({on_time_rate}), none late")
    else:
        split = _(": none on time, {late} late ({late_rate})")
    rest = (
        _("{not_done} are not done ({not_done_rate})") if o.not_done else _("none is left undone")
    )
    return _("Of {total} responsibilities, {done} are done ({done_rate}){split}; {rest}.").format(
        total=o.total,
        done=o.done,
        done_rate=percent(o.done, o.total),
        split=split.format(
            on_time=o.on_time, on_time_rate=percent(o.on_time, o.total), late=o.late, late_rate=percent(o.late, o.total)
        ),
        rest=rest.format(not_done=o.not_done, not_done_rate=percent(o.not_done, o.total)),
    )


def annex_blocks(report: Report) -> list["Block"]:
    """The annex: the members of each large group with their figures (empty when every group is listed in the body)."""
    out: list[Block] = []
    for table in report.members:
        if large(table):
            out.append(Paragraph([(_("Results of {agency}, by unit").format(agency=table.agency.name), "b")], "title"))
            out.append(_results_table(_("Unit"), table.rows, table.total, members=True))
    if out:
        form = report.form
        out[:0] = [
            Paragraph([(_("ANNEX"), "b")], "title"),
            Paragraph([(_("(Attached to Report {number})").format(number=_annex_number(form)), "i")], "title"),
        ]
    return out


def _annex_number(form: Form) -> str:
    """'số 125/BC-STTTT ngày 24 tháng 10 năm 2023 của Sở …', blanks where not yet known."""
    number = form.number or BLANK
    if "/" not in number:
        number += "/" + (form.symbol or "BC-" + BLANK)
    return _("No. {number} of {day}/{month}/{year} of the {body}").format(
        number=number, body=form.body or BLANK, **_date_parts(form.date)
    )


# ---- layout ------------------------------------------------------------------------

Run = tuple[str, str]  # text and style: "" plain, "b" bold, "i" italic


@record
class Heading:
    """A numbered heading: level 1 (I., II.) or 2 (1., 2.)."""

    level: int
    number: str
    text: str


@record
class Paragraph:
    """Body text; ``indent`` for a first-line indent, ``item`` for a '- ' line, ``lead`` for a bold lead-in line.

    ``title``: a centred line (the annex's heading).
    """

    runs: list[Run]
    kind: str = "text"  # text | item | lead | placeholder | title


@record
class Table:
    """A table with its header, rows, a Tổng cộng row, each column's alignment ('l', 'c', 'r') and width in mm."""

    headers: list[str]
    rows: list[list[str]]
    total: list[str] | None
    align: str
    widths: tuple[float, ...]  # adding up to TEXT_WIDTH_MM


@record
class Chart:
    """The weekly progress chart."""

    weeks: list[Week]
    caption: str


Block = Heading | Paragraph | Table | Chart


def _results_table(first: str, rows: list[Row], total: Figures, members: bool = False) -> Table:
    """An agency's (or, with ``members``, a group's members') figures; the third column counts what each was assigned."""
    count = _("Tasks assigned") if members else _("Tasks")
    headers = [_("No."), first, count, _("Done on time"), _("Done late"), _("Not done"), _("Rate done")]

    def cells(f: Figures) -> list[str]:
        return [str(f.total), str(f.on_time), str(f.late), str(f.not_done), percent(f.done, f.total)]

    body = [[str(index), row.label, *cells(row.figures)] for index, row in enumerate(rows, 1)]
    return Table(headers, body, ["", _("Total"), *cells(total)], "clrrrrr", (12, 51, 25, 19, 19, 19, 20))


def _weeks_table(weeks: list[Week]) -> Table:
    headers = [
        _("Week"),
        _("Days"),
        _("Done in the week"),
        _("Done on time, to date"),
        _("Done late, to date"),
        _("Not done"),
        _("Rate done"),
    ]
    rows = [
        [
            str(w.number) if w.number else "",
            week_label(w),
            str(w.completed),
            str(w.figures.on_time),
            str(w.figures.late),
            str(w.figures.not_done),
            percent(w.figures.done, w.figures.total),
        ]
        for w in weeks
    ]
    return Table(headers, rows, None, "ccrrrrr", (15, 28, 24, 24, 24, 24, 26))


def report_blocks(report: Report, chart: bool = True) -> list[Block]:
    """The report's body in the order such reports use, for every format to render."""
    plan, form, o = report.plan, report.form, report.overall
    out: list[Block] = []

    def text(*runs: Run, kind: str = "text") -> None:
        out.append(Paragraph(list(runs), kind))

    intro = (
        _("Pursuant to {plan}, the {body} reports the results as of {day} as follows:")
        if form.body
        else _("Pursuant to {plan}, the results as of {day} are reported as follows:")
    )
    text((intro.format(plan=plan_citation(plan), body=form.body, day=day_first(report.as_of)), ""))

    out.append(Heading(1, ROMAN[0], _("The plan and its basis")))
    if partial := partial_copy(plan):  # what follows rests on part of the document only
        text((partial.rstrip(".") + ".", "b"))
    if plan.legal_basis:
        text((_("Legal basis:"), ""))
        for index, basis in enumerate(plan.legal_basis):
            end = "." if index == len(plan.legal_basis) - 1 else ";"
            text(("- " + basis.rstrip(" ;.") + end, ""), kind="item")
    if plan.theme:
        text((_("Theme:") + " ", ""), ("“" + plan.theme + "”", "i"))
    if plan.campaign:
        text(
            (
                _("Period: from {start} to {end}.").format(
                    start=day_first(plan.campaign.start), end=day_first(plan.campaign.end)
                ),
                "",
            )
        )
    count, leads = len(plan.responsibilities) - report.unassigned, report.leads  # partners only lead nothing
    assigns = _("The plan assigns {responsibilities} to {agencies} to lead.").format(
        responsibilities=n_("{count} responsibility", "{count} responsibilities", count).format(count=count),
        agencies=n_("{count} agency", "{count} agencies", leads).format(count=leads),
    )
    if report.unassigned:
        assigns += " " + n_(
            "{count} responsibility names no lead agency.",
            "{count} responsibilities name no lead agency.",
            report.unassigned,
        ).format(count=report.unassigned)
    text((assigns, ""))

    out.append(Heading(1, ROMAN[1], _("Results")))
    out.append(Heading(2, "1", _("Overall")))
    text((_overall_sentence(o), ""))
    if report.members:
        text((_("A responsibility shared by several units counts as done when every one of them has done it."), ""))

    out.append(Heading(2, "2", _("Progress by week")))
    if report.weeks:
        steps = "; ".join(
            _("by {day}: {rate}").format(day=day_first(w.last), rate=percent(w.figures.done, w.figures.total))
            for w in report.weeks
        )
        text((_("Share of responsibilities done: {steps}.").format(steps=steps), ""))
        out.append(_weeks_table(report.weeks))
        if chart:
            out.append(
                Chart(
                    report.weeks,
                    _("Responsibilities done on time, done late and not done at the end of each week"),
                )
            )
    elif plan.campaign:
        text((_("The campaign starts on {day}: no weekly figures yet.").format(day=day_first(plan.campaign.start)), ""))
    else:
        text((_("The plan sets no campaign window: no weekly figures."), ""))

    out.append(Heading(2, "3", _("Results by agency")))
    out.append(_results_table(_("Agency or unit"), report.agencies, report.agency_total))
    number = 4
    if report.members:
        out.append(Heading(2, str(number), _("Results by member unit")))
        for table in report.members:
            text((table.agency.name, "b"), kind="lead")
            if large(table):
                text((_bands_sentence(bands(table.rows)), ""))
            else:
                out.append(_results_table(_("Unit"), table.rows, table.total, members=True))
        number += 1

    out.append(Heading(2, str(number), _("What each agency did")))
    for agency, statuses in report.done:
        text((agency.name if agency else _("No lead agency named in the plan"), "b"), kind="lead")
        for s in statuses:
            head = _item_runs(s, form.ids)
            if s.members:
                many = len(s.members) > ANNEX_MEMBERS
                text(*head, (_members_completion(s, many) + ".", ""), kind="item")
            else:
                assert s.mark
                own = s.item.id in report.by_report
                runs = [*head, (_completion(s.mark.on, s.item.last_day, s.mark.by, own) + ".", "")]
                note = note_as_written(s.mark.note)
                if note:
                    runs += [(" " + _("Note:") + " ", ""), ("“" + note + "”", "i")]
                text(*runs, kind="item")
    if not report.done:
        text((_("Nothing recorded yet."), ""))

    out.append(Heading(1, ROMAN[2], _("Outstanding")))
    remaining = sum(len(statuses) for _agency, statuses in report.outstanding)
    if remaining:
        text(
            (
                n_(
                    "{count} responsibility is not done, by agency:",
                    "{count} responsibilities are not done, by agency:",
                    remaining,
                ).format(count=remaining),
                "",
            )
        )
    for agency, statuses in report.outstanding:
        text((agency.name if agency else _("No lead agency named in the plan"), "b"), kind="lead")
        for s in statuses:
            line = _standing(s, report.as_of)
            if s.members:
                line += "; " + _missing_members(s, len(s.members) > ANNEX_MEMBERS)
            text(*_item_runs(s, form.ids), (line + ".", ""), kind="item")
    if not remaining:
        text((_("Nothing outstanding."), ""))

    out.append(Heading(1, ROMAN[3], _("Assessment")))
    text(
        (_("(For the reporting office to complete: results achieved, shortcomings and their causes.)"), "i"),
        kind="placeholder",
    )
    out.append(Heading(1, ROMAN[4], _("Proposals")))
    text((_("(For the reporting office to complete.)"), "i"), kind="placeholder")
    closing = (
        _("The {body} respectfully reports to the {recipient}.").format(body=form.body, recipient=form.recipient)
        if form.body
        else _("Respectfully reported to the {recipient}.").format(recipient=form.recipient)
    )
    text((closing + "/.", ""))
    return out


# ---- Markdown ------------------------------------------------------------------------


def _md(text: str) -> str:
    """Plan and journal text made inert in Markdown: no links, images, HTML or emphasis."""
    return "".join("\\" + c if c in "\\`*_[]<>#|!" else c for c in safe_text(text.replace("\n", " ")))


def _md_runs(runs: list[Run]) -> str:
    marks = {"b": "**", "i": "*", "": ""}
    out = ""
    for text, style in runs:
        stripped = text.strip()
        if style and stripped:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            out += lead + marks[style] + _md(stripped) + marks[style] + trail
        else:
            out += _md(text)
    return out


def report_md(report: Report) -> str:
    """The report in Markdown, in the same order as the Word document."""
    form, out = report.form, []
    upper = (form.parent_body or "").upper()
    body = (form.body or BLANK).upper()
    nation, motto = _md(_("SOCIALIST REPUBLIC OF VIETNAM")), _md(_("Independence - Freedom - Happiness"))
    out += [
        "| " + (_md(upper) + "<br>" if upper else "") + f"**{_md(body)}** | **{nation}**<br>**{motto}** |",
        "|:---:|:---:|",
        f"| {_md(number_line(form))} | *{_md(signing_date(form))}* |",
        "",
        "# " + _md(_("REPORT")),
        "",
        f"**{_md(summary_line(report.plan))}**",
        "",
        _md(_("To: {recipient}").format(recipient=form.recipient)),
        "",
    ]
    _md_blocks(report_blocks(report, chart=False), out)
    if out[-1] != "":
        out.append("")
    recipients = "<br>".join(_md(line) for line in recipient_lines(form))
    signer = "<br>".join(f"**{_md(line.upper())}**" for line in form.signer_title) or BLANK
    label = _md(_("Recipients:"))
    out += [
        "| | |",
        "|:---|:---:|",
        f"| ***{label}***<br>{recipients} | {signer}<br><br><br><br>**{_md(form.signer or BLANK * 6)}** |",
    ]
    annex = annex_blocks(report)
    if annex:
        out += ["", "---", ""]
        _md_blocks(annex, out)
        while out[-1] == "":
            out.pop()
    return "\n".join(out) + "\n"


def _md_blocks(blocks: list[Block], out: list[str]) -> None:
    """Blocks appended to ``out`` as Markdown lines."""
    for block in blocks:
        if isinstance(block, Paragraph) and block.kind == "item":
            runs = block.runs
            first = runs[0][0]
            if first.startswith("- "):  # a legal basis already carries its dash
                runs = [(first[2:], runs[0][1]), *runs[1:]]
            out.append("- " + _md_runs(runs))
            continue
        if out[-1] != "":  # a blank line ends a list before anything else
            out.append("")
        if isinstance(block, Heading):
            text = block.text.upper() if block.level == 1 else block.text
            out += [f"{'#' * (block.level + 1)} {block.number}. {_md(text)}", ""]
        elif isinstance(block, Paragraph):
            out += [_md_runs(block.runs), ""]
        elif isinstance(block, Table):
            colon = {"l": "|:---", "c": "|:---:", "r": "|---:"}
            out.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            out.append("".join(colon[a] for a in block.align) + "|")
            out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            if block.total:
                out.append("| " + " | ".join(f"**{_md(c)}**" if c else "" for c in block.total) + " |")
            out.append("")


# ---- HTML ------------------------------------------------------------------------------

# Nghị định 30/2020/NĐ-CP: A4, top and bottom margins 20-25 mm, left 30-35, right 15-20;
# Times New Roman 13-14; pages numbered at the top centre from the second page on.
_STYLE = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", serif; } }
@page :first { @top-center { content: none; } }
html { font-family: "Times New Roman", "Liberation Serif", Times, serif; font-size: 14pt; line-height: 1.3; }
body { max-width: 165mm; margin: 0 auto; }
@media screen { body { margin: 2em auto; padding: 0 1em; } }
p { margin: 0 0 6pt; text-align: justify; text-indent: 10mm; }
p.item, p.lead { text-indent: 10mm; }
p.lead { font-weight: bold; margin-top: 6pt; }
p.placeholder { font-style: italic; }
p.title { text-align: center; text-indent: 0; margin: 0 0 3pt; }
section.annex { break-before: page; page-break-before: always; }
section.annex table.data { break-inside: auto; }
h1 { font-size: 14pt; text-align: center; margin: 12pt 0 0; }
h2, h3 { font-size: 14pt; margin: 8pt 0 6pt; text-indent: 10mm; }
h1, h2, h3, p.lead { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
table.data { font-size: 12pt; margin: 4pt 0 8pt; break-before: avoid; break-inside: avoid; table-layout: fixed; }
table.data th, table.data td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; }
table.data .r { text-align: right; } table.data .c { text-align: center; }
table.data tr.total td { font-weight: bold; }
table.form td { vertical-align: top; text-align: center; padding: 0; }
table.form td.left { width: 45%; font-size: 12pt; }
table.form td.right { width: 55%; font-size: 13pt; }
table.form td.number { font-size: 13pt; }
table.form .nation { font-size: 12pt; font-weight: bold; }
table.form .motto { font-weight: bold; }
table.form .motto span { display: inline-block; border-bottom: 1px solid #000; padding-bottom: 1pt; }
table.form .rule { width: 30%; margin: 1pt auto 0; border-top: 1px solid #000; }
table.form .number { padding-top: 6pt; }
table.form .place { font-style: italic; padding-top: 6pt; }
.summary { text-align: center; font-weight: bold; text-indent: 0; margin-bottom: 6pt; }
.to { text-align: center; text-indent: 0; margin: 6pt 0 12pt; }
figure { margin: 6pt 0 10pt; text-align: center; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 12pt; font-style: italic; }
table.sign { margin-top: 12pt; break-inside: avoid; }
table.sign td { vertical-align: top; padding: 0; }
table.sign td.recipients { width: 45%; font-size: 11pt; }
table.sign td.recipients p { text-indent: 0; margin: 0; text-align: left; }
table.sign td.recipients p.label { font-size: 12pt; font-weight: bold; font-style: italic; }
table.sign td.signer { width: 55%; text-align: center; font-weight: bold; }
table.sign td.signer p { text-indent: 0; margin: 0; text-align: center; }
table.sign td.signer .space { height: 28mm; }
"""


def report_html(report: Report) -> str:
    """The report as a standalone HTML page that prints on A4; all plan and journal text escaped."""
    e = _html_text
    form, body = report.form, []
    upper = (form.parent_body or "").upper()
    nation, motto = e(_("SOCIALIST REPUBLIC OF VIETNAM")), e(_("Independence - Freedom - Happiness"))
    to = e(_("To: {recipient}").format(recipient=form.recipient))
    body.append(
        '<table class="form"><tr><td class="left">'
        + (f"<div>{e(upper)}</div>" if upper else "")
        + f'<div><b>{e((form.body or BLANK).upper())}</b></div><div class="rule"></div></td>'
        + f'<td class="right"><div class="nation">{nation}</div>'
        + f'<div class="motto"><span>{motto}</span></div></td></tr>'
        + f'<tr><td class="left number">{e(number_line(form))}</td>'
        + f'<td class="right place">{e(signing_date(form))}</td></tr></table>'
    )
    body.append("<h1>" + e(_("REPORT")) + "</h1>")
    body.append(f'<p class="summary">{e(summary_line(report.plan))}</p>')
    body.append(f'<p class="to">{to}</p>')
    body += [_html_block(block) for block in report_blocks(report)]
    recipients = "".join(f"<p>{e(line)}</p>" for line in recipient_lines(form))
    label = e(_("Recipients:"))
    title = "".join(f"<p>{e(line.upper())}</p>" for line in form.signer_title) or f"<p>{BLANK}</p>"
    body.append(
        '<table class="sign"><tr>'
        + f'<td class="recipients"><p class="label">{label}</p>{recipients}</td>'
        + f'<td class="signer">{title}<div class="space"></div><p>{e(form.signer or BLANK * 6)}</p></td>'
        + "</tr></table>"
    )
    annex = annex_blocks(report)
    if annex:
        body.append('<section class="annex">' + "\n".join(_html_block(block) for block in annex) + "</section>")
    heading = _("REPORT") + ": " + summary_line(report.plan)
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8"><title>{e(heading)}</title>'
        f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _html_text(text: str) -> str:
    """Text for the HTML page: control characters shown as their pictures (safe_text), then escaped.

    The page is also printed to a terminal, where ESC and BEL would be obeyed.
    """
    return html.escape(safe_text(text, newlines=True))


def _html_block(block: Block) -> str:
    """One block as HTML, every piece of text escaped."""
    e = _html_text
    tags = {"b": "b", "i": "i"}
    body: list[str] = []
    if isinstance(block, Heading):
        text = block.text.upper() if block.level == 1 else block.text
        tag = "h2" if block.level == 1 else "h3"
        body.append(f"<{tag}>{e(block.number)}. {e(text)}</{tag}>")
    elif isinstance(block, Paragraph):
        inner = "".join(f"<{tags[s]}>{e(t)}</{tags[s]}>" if s else e(t) for t, s in block.runs)
        if block.kind == "item" and not block.runs[0][0].startswith("- "):
            inner = "- " + inner
        body.append(f'<p class="{block.kind}">{inner}</p>')
    elif isinstance(block, Table):
        head = "".join(f"<th>{e(h)}</th>" for h in block.headers)
        rows = []
        for row in block.rows:
            rows.append(
                "<tr>" + "".join(f'<td class="{a}">{e(c)}</td>' for c, a in zip(row, block.align)) + "</tr>"
            )
        if block.total:
            rows.append(
                '<tr class="total">'
                + "".join(f'<td class="{a}">{e(c)}</td>' for c, a in zip(block.total, block.align))
                + "</tr>"
            )
        columns = "".join(f'<col style="width:{w * 100 / TEXT_WIDTH_MM:.1f}%">' for w in block.widths)
        body.append(
            f'<table class="data"><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
        )
    elif isinstance(block, Chart):
        from dsday_cli.views.report_chart import progress_svg

        body.append(f"<figure>{progress_svg(block.weeks)}<figcaption>{e(block.caption)}</figcaption></figure>")
    return "".join(body)
