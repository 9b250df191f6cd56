"""Hypothesis strategies for plans, journals and days."""

import json
import uuid
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

YEAR = 2023
FIRST, LAST = date(YEAR, 9, 1), date(YEAR, 11, 30)

# Vietnamese letters precomposed and decomposed, đ, emoji, formula starters, quotes, YAML syntax.
ALPHABET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
    + [
        "\u0301",
        "\u0300",
        "\u0303",
        "\u0323",
        "\u0309",
        "🇻",
        "🇳",
        "📱",
        "=",
        "+",
        "-",
        "@",
        "'",
        '"',
        ":",
        "#",
        "|",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&",
        "*",
        "!",
        "%",
        "<",
        ">",
        "\\",
        "\t",
        "0",
        "1",
        "9",
        "/",
    ]  # fmt: skip
)
text = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip())
long_text = st.one_of(text, st.text(ALPHABET, min_size=200, max_size=2000).filter(lambda s: s.strip()))
ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,11}", fullmatch=True)
days = st.dates(FIRST, LAST)


# Clauses as plans cite them; some end in digits, as "(per V.12)" would after a deadline.
CLAUSES = ["V.1", "V.7", "V.12", "II.2.đ", "II.2.e", "III", "III.2.1"]


def _month(draw, month: int) -> str:
    return draw(st.sampled_from([f"{YEAR}-{month:02d}", f"{YEAR}-{month}", f"{month}/{YEAR}", f"{month:02d}/{YEAR}"]))


@st.composite
def deadlines(draw) -> dict | None:
    """A deadline of any kind and source as plan.yaml words it, or None (the document gives none)."""
    kind = draw(st.sampled_from([None, "before", "by", "on", "window", "month", "quarter", "year", "ongoing"]))
    if kind is None:
        return None
    deadline: dict = {"kind": kind}
    if kind == "window":
        start = draw(st.dates(date(YEAR, 9, 1), date(YEAR, 10, 31)))
        deadline["start"] = _written(draw, start)
        deadline["end"] = _written(draw, draw(st.dates(start, date(YEAR, 11, 30))))
    elif kind == "month":
        deadline["month"] = _month(draw, draw(st.integers(8, 11)))
    elif kind == "quarter":
        number = draw(st.integers(1, 4))
        deadline["quarter"] = draw(st.sampled_from([f"{YEAR}-Q{number}", f"Q{number}/{YEAR}", f"{YEAR}-q{number}"]))
    elif kind == "year":
        deadline["year"] = YEAR
    elif kind == "ongoing":
        pass  # thường xuyên: no day
    else:
        deadline["date"] = _written(draw, draw(st.dates(date(YEAR, 9, 1), date(YEAR, 11, 30))))
    source = draw(st.sampled_from([None, "stated", "cited", "coordinator"]))  # None: left out, i.e. stated
    if source:
        deadline["source"] = source
    if source == "cited":
        deadline["ref"] = draw(st.sampled_from(CLAUSES))
    tentative = draw(st.sampled_from([None, True, False]))
    if tentative is not None:
        deadline["tentative"] = tentative
    if draw(st.booleans()):
        deadline["note"] = draw(text)
    return deadline


@st.composite
def plans(draw) -> dict:
    """Plan data as a person could write it in plan.yaml (dates as text, ISO or day first).

    Optional parts come and go: theme, campaign, national day, number and date of issue,
    source; items with no lead, partners, one clause or several, any deadline or none;
    milestones, tentative or not, that name the items fulfilling them.
    """
    agency_ids = draw(st.lists(ids, min_size=1, max_size=5, unique_by=str.lower))
    agencies = []
    for agency_id in agency_ids:
        agency = {"id": agency_id, "name": draw(text)}
        if draw(st.booleans()):
            agency["short_name"] = draw(text)
        if draw(st.booleans()):
            agency["members"] = [
                {"id": m, "name": draw(text)} for m in draw(st.lists(ids, min_size=1, max_size=4, unique_by=str.lower))
            ]
        agencies.append(agency)
    items = []
    for item_id in draw(st.lists(ids, min_size=1, max_size=12, unique_by=str.lower)):
        clauses = draw(st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=3, unique=True))
        item: dict = {"id": item_id, "ref": clauses[0] if len(clauses) == 1 and draw(st.booleans()) else clauses}
        if draw(st.integers(0, 4)) == 0:  # a source without clause numbers: the item cites none
            del item["ref"]
        lead = draw(st.sampled_from([None, *agency_ids]))
        if lead is not None:
            item["agency"] = lead
        elif draw(st.booleans()):
            item["agency"] = None  # written out as null: the document names no lead
        others = [a for a in agency_ids if a != lead]
        if others and draw(st.booleans()):
            item["partners"] = draw(st.lists(st.sampled_from(others), min_size=1, max_size=3, unique=True))
        item["title"] = draw(long_text)
        if draw(st.booleans()):
            item["detail"] = draw(long_text)
        deadline = draw(deadlines())
        if deadline is not None:
            item["deadline"] = deadline
        items.append(item)
    item_ids = [item["id"] for item in items]
    milestones = []
    names = ["report", "launch", "national-day", "agency-report"]  # agency-report dates the reminders' closing line
    for milestone_id in draw(st.lists(st.sampled_from(names), unique=True)):
        milestone = {
            "id": milestone_id,
            "title": draw(text),
            "date": _written(draw, draw(st.dates(date(YEAR, 9, 1), date(YEAR, 12, 31)))),
            "deadline": draw(st.sampled_from(["on", "by", "before"])),
        }
        if draw(st.booleans()):
            milestone["ref"] = draw(st.sampled_from(CLAUSES))
        if draw(st.booleans()):
            milestone["tentative"] = draw(st.booleans())
        if draw(st.booleans()):
            milestone["items"] = draw(st.lists(st.sampled_from(item_ids), max_size=3, unique=True))
        milestones.append(milestone)
    plan: dict = {"id": draw(ids), "title": draw(long_text), "issuer": draw(text), "year": YEAR}
    if draw(st.booleans()):
        plan["number"] = draw(text)
    if draw(st.booleans()):
        issued = draw(st.dates(date(YEAR, 8, 1), date(YEAR, 9, 30)))
        plan["issued"] = _month(draw, issued.month) if draw(st.booleans()) else _written(draw, issued)
    if draw(st.booleans()):
        plan["source"] = {"note": draw(text), "partial": draw(st.booleans())}
    if draw(st.booleans()):
        plan["theme"] = draw(text)
    if draw(st.booleans()):
        plan["national_day"] = _written(draw, date(YEAR, 10, 10))
    if draw(st.booleans()):
        start = draw(st.dates(date(YEAR, 9, 1), date(YEAR, 9, 30)))
        end = draw(st.dates(start, date(YEAR, 10, 31)))
        plan["campaign"] = {"start": _written(draw, start), "end": _written(draw, end)}
    return plan | {"milestones": milestones, "agencies": agencies, "responsibilities": items}


def _written(draw, day: date) -> str:
    return day.isoformat() if draw(st.booleans()) else f"{day.day}/{day.month}/{day.year}"


def event_record(plan: dict, draw, n: int) -> dict:
    """A valid journal event for the plan (or, sometimes, for an item it does not have)."""
    items = plan["responsibilities"]
    item = draw(st.sampled_from(items))
    agency = next((a for a in plan["agencies"] if a["id"] == item.get("agency")), None)  # None: no lead named
    member = None
    if agency and agency.get("members") and draw(st.booleans()):
        member = draw(st.sampled_from(agency["members"]))["id"]
    moment = datetime(YEAR, 9, 1, tzinfo=timezone.utc) + timedelta(seconds=draw(st.integers(0, 90 * 86400)))
    return {
        "id": str(uuid.UUID(int=n << 64 | draw(st.integers(0, 2**64 - 1)))),  # unique per journal
        "at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if draw(st.booleans()) else moment.isoformat(),
        "kind": draw(st.sampled_from(["done", "done", "reopen"])),
        "item": draw(st.sampled_from([item["id"], item["id"], "gone-item"])),
        "member": member,
        "on": draw(days).isoformat(),
        "by": draw(st.one_of(st.none(), text)),
        "note": draw(st.one_of(st.none(), long_text)),
        "plan": plan["id"],
    }


@st.composite
def journals(draw, plan: dict) -> tuple[list[dict], bytes]:
    """Valid events and the journal bytes holding them among duplicates, garbage and a torn line."""
    events = [event_record(plan, draw, n) for n in range(draw(st.integers(0, 25)))]
    lines: list[bytes] = []
    for event in events:
        line = json.dumps(event, ensure_ascii=draw(st.booleans())).encode()
        lines.append(line)
        if draw(st.integers(0, 4)) == 0:
            lines.append(line)  # a duplicate, as a merge leaves it
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.binary(max_size=40)).replace(b"\n", b""))  # garbage
    body = b"\n".join(lines) + (b"\n" if lines else b"")
    if draw(st.booleans()) and events:
        body += json.dumps(events[0]).encode()[: draw(st.integers(1, 30))]  # torn last line
    return events, body
