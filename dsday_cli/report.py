"""The results report for the Provincial People's Committee, in Markdown or HTML.

One data structure (``report_data``) is built from the statuses; each format renders
it. HTML escapes every piece of plan and journal text.
"""

import html
from dataclasses import dataclass
from datetime import date

from dsday_cli.dates import day_first
from dsday_cli.i18n import _, language, n_
from dsday_cli.model import Plan
from dsday_cli.render import deadline_phrase, lead_label
from dsday_cli.status import DONE, DONE_LATE, ItemStatus


@dataclass
class Figures:
    """Done on time, done late and not done, for the plan, an agency or a member."""

    on_time: int = 0
    late: int = 0
    not_done: int = 0

    @property
    def total(self) -> int:
        """Everything counted."""
        return self.on_time + self.late + self.not_done

    def count(self, status: str) -> None:
        """Count one status."""
        if status == DONE:
            self.on_time += 1
        elif status == DONE_LATE:
            self.late += 1
        else:
            self.not_done += 1


@dataclass
class Row:
    """An agency (or a member) with its figures."""

    label: str
    figures: Figures


@dataclass
class Report:
    """Everything the report says."""

    plan: Plan
    as_of: date
    overall: Figures
    agencies: list[Row]
    members: list[tuple[str, list[Row]]]  # group agency name, its members
    done: list[ItemStatus]
    outstanding: list[ItemStatus]


def report_data(plan: Plan, statuses: list[ItemStatus], as_of: date) -> Report:
    """The report's figures and lists as of ``as_of``."""
    overall = Figures()
    per_agency = {a.id: Figures() for a in plan.agencies}
    per_member = {(a.id, m.id): Figures() for a in plan.agencies for m in a.members}
    for status in statuses:
        overall.count(status.status)
        if status.agency is None:
            continue
        per_agency[status.agency.id].count(status.status)
        for part in status.members:
            per_member[(status.agency.id, part.member.id)].count(part.status)
    members = [(a.name, [Row(m.name, per_member[(a.id, m.id)]) for m in a.members]) for a in plan.agencies if a.members]
    return Report(
        plan,
        as_of,
        overall,
        [Row(a.name, per_agency[a.id]) for a in plan.agencies],
        members,
        [s for s in statuses if s.status in (DONE, DONE_LATE) or s.members_done],
        sorted((s for s in statuses if s.status not in (DONE, DONE_LATE)), key=lambda s: s.item.last_day or as_of),
    )


def _late_by(status: ItemStatus, as_of: date) -> str:
    if status.item.last_day is None:
        return _("no deadline")
    days = (as_of - status.item.last_day).days
    if days > 0:
        return n_("{count} day late", "{count} days late", days).format(count=days)
    return n_("{count} day left", "{count} days left", -days).format(count=-days)


def _members_done(status: ItemStatus) -> str:
    return _("{done}/{total} members done").format(done=status.members_done, total=len(status.members))


def _done_line(status: ItemStatus) -> str:
    mark = status.mark
    if mark:
        late = " (" + _("late") + ")" if status.status == DONE_LATE else ""
        who = f", {mark.by}" if mark.by else ""
        return _("done {day}").format(day=day_first(mark.on)) + late + who
    return _members_done(status)


def _member_lines(status: ItemStatus) -> list[str]:
    lines = []
    for part in status.members:
        if part.mark:
            late = " (" + _("late") + ")" if part.status == DONE_LATE else ""
            lines.append(
                f"{part.member.name}: {day_first(part.mark.on)}{late}" + (f", {part.mark.by}" if part.mark.by else "")
            )
        else:
            lines.append(f"{part.member.name}: " + _("not done"))
    return lines


def _headers() -> list[str]:
    return [_("On time"), _("Late"), _("Not done"), _("Total")]


def _overall(o: Figures) -> str:
    return _("{total} responsibilities: {on_time} done on time, {late} done late, {not_done} not done.").format(
        total=o.total, on_time=o.on_time, late=o.late, not_done=o.not_done
    )


def _figures_cells(f: Figures) -> list[str]:
    return [str(f.on_time), str(f.late), str(f.not_done), str(f.total)]


def report_md(report: Report) -> str:
    """The report in Markdown, ready to paste into the official document."""
    plan, out = report.plan, []

    def text(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    def table(first: str, rows: list[Row]) -> None:
        out.append(f"| {first} | " + " | ".join(_headers()) + " |")
        out.append("|---|" + "---:|" * len(_headers()))
        out.extend(f"| {text(r.label)} | " + " | ".join(_figures_cells(r.figures)) + " |" for r in rows)
        out.append("")

    out += ["# " + _("Results report: {title}").format(title=text(plan.title)), ""]
    out += [f"{text(plan.issuer)} · " + _("as of {day}").format(day=day_first(report.as_of)), ""]
    out += [f"**{_('Theme:')}** {text(plan.theme)}", ""]
    if plan.legal_basis:
        out += [f"**{_('Legal basis:')}**", ""] + [f"- {text(b)}" for b in plan.legal_basis] + [""]
    out += ["## " + _("Overall"), "", _overall(report.overall), ""]
    out += ["## " + _("By agency"), ""]
    table(_("Agency"), report.agencies)
    for name, rows in report.members:
        out += [f"### {text(name)}", ""]
        table(_("Member"), rows)
    out += ["## " + _("What was done"), ""]
    for s in report.done:
        out.append(f"- **{s.item.id}** ({s.item.ref_text}) {text(lead_label(s, short=True))}: {text(s.item.title)} — {_done_line(s)}")
        if s.mark and s.mark.note:
            out.append("  - " + _("Note: {note}").format(note=text(s.mark.note)))
        out.extend(f"  - {text(line)}" for line in (_member_lines(s) if s.members else []))
    if not report.done:
        out.append(_("Nothing recorded yet."))
    out += ["", "## " + _("Outstanding"), ""]
    for s in report.outstanding:
        out.append(
            f"- **{s.item.id}** ({s.item.ref_text}) {text(lead_label(s, short=True))}: {text(s.item.title)} — "
            f"{deadline_phrase(s.item.deadline)}, {_late_by(s, report.as_of)}"
            + (f" ({_members_done(s)})" if s.members else "")
        )
    if not report.outstanding:
        out.append(_("Nothing outstanding."))
    return "\n".join(out) + "\n"


def report_html(report: Report) -> str:
    """The report as a standalone HTML page; all plan and journal text escaped."""
    e = html.escape
    plan, body = report.plan, []

    def table(first: str, rows: list[Row]) -> None:
        body.append(
            "<table><thead><tr><th>"
            + e(first)
            + "</th>"
            + "".join(f"<th>{e(h)}</th>" for h in _headers())
            + "</tr></thead><tbody>"
        )
        for r in rows:
            body.append(
                "<tr><td>"
                + e(r.label)
                + "</td>"
                + "".join(f"<td class=n>{c}</td>" for c in _figures_cells(r.figures))
                + "</tr>"
            )
        body.append("</tbody></table>")

    body.append("<h1>" + e(_("Results report: {title}").format(title=plan.title)) + "</h1>")
    body.append(f"<p>{e(plan.issuer)} · " + e(_("as of {day}").format(day=day_first(report.as_of))) + "</p>")
    body.append(f"<p><strong>{e(_('Theme:'))}</strong> {e(plan.theme)}</p>")
    if plan.legal_basis:
        items = "".join(f"<li>{e(b)}</li>" for b in plan.legal_basis)
        body.append(f"<p><strong>{e(_('Legal basis:'))}</strong></p><ul>{items}</ul>")
    body.append(f"<h2>{e(_('Overall'))}</h2><p>{e(_overall(report.overall))}</p>")
    body.append(f"<h2>{e(_('By agency'))}</h2>")
    table(_("Agency"), report.agencies)
    for name, rows in report.members:
        body.append(f"<h3>{e(name)}</h3>")
        table(_("Member"), rows)
    body.append(f"<h2>{e(_('What was done'))}</h2><ul>")
    for s in report.done:
        extra = "".join(f"<li>{e(line)}</li>" for line in (_member_lines(s) if s.members else []))
        note = "<li>" + e(_("Note: {note}").format(note=s.mark.note)) + "</li>" if s.mark and s.mark.note else ""
        body.append(
            f"<li><strong>{e(s.item.id)}</strong> ({e(s.item.ref_text)}) {e(lead_label(s, short=True))}: {e(s.item.title)} — {e(_done_line(s))}"
            + (f"<ul>{note}{extra}</ul>" if note or extra else "")
            + "</li>"
        )
    body.append("</ul>" if report.done else f"</ul><p>{e(_('Nothing recorded yet.'))}</p>")
    body.append(f"<h2>{e(_('Outstanding'))}</h2><ul>")
    for s in report.outstanding:
        members = f" ({e(_members_done(s))})" if s.members else ""
        body.append(
            f"<li><strong>{e(s.item.id)}</strong> ({e(s.item.ref_text)}) {e(lead_label(s, short=True))}: {e(s.item.title)} — "
            f"{e(deadline_phrase(s.item.deadline))}, {e(_late_by(s, report.as_of))}{members}</li>"
        )
    body.append("</ul>" if report.outstanding else f"</ul><p>{e(_('Nothing outstanding.'))}</p>")
    style = "body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}.n{text-align:right}"
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8"><title>{e(plan.title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
