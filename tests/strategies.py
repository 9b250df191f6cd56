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


@st.composite
def plans(draw) -> dict:
    """Plan data as a person could write it in plan.yaml (dates as text, ISO or day first)."""
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
    start = draw(st.dates(date(YEAR, 9, 1), date(YEAR, 9, 30)))
    end = draw(st.dates(start, date(YEAR, 10, 31)))
    items = []
    for item_id in draw(st.lists(ids, min_size=1, max_size=12, unique_by=str.lower)):
        item = {
            "id": item_id,
            "ref": draw(st.sampled_from(["V.1", "V.7", "II.2.đ"])),
            "agency": draw(st.sampled_from(agency_ids)),
            "title": draw(long_text),
        }
        if draw(st.booleans()):
            item_start = draw(st.dates(date(YEAR, 9, 1), date(YEAR, 10, 31)))
            item_due = draw(st.dates(item_start, date(YEAR, 11, 30)))
            item["start"], item["due"] = _written(draw, item_start), _written(draw, item_due)
            item["deadline"] = draw(st.sampled_from(["by", "before"]))
        elif draw(st.booleans()):
            item["deadline"] = "before"
        items.append(item)
    return {
        "id": draw(ids),
        "title": draw(long_text),
        "issuer": draw(text),
        "year": YEAR,
        "theme": draw(text),
        "national_day": _written(draw, date(YEAR, 10, 10)),
        "campaign": {"start": _written(draw, start), "end": _written(draw, end)},
        "milestones": [
            {
                "id": "report",
                "title": draw(text),
                "date": _written(draw, end + timedelta(days=10)),
                "deadline": "before",
            }
        ],
        "agencies": agencies,
        "responsibilities": items,
    }


def _written(draw, day: date) -> str:
    return day.isoformat() if draw(st.booleans()) else f"{day.day}/{day.month}/{day.year}"


def event_record(plan: dict, draw, n: int) -> dict:
    """A valid journal event for the plan (or, sometimes, for an item it does not have)."""
    items = plan["responsibilities"]
    item = draw(st.sampled_from(items))
    agency = next(a for a in plan["agencies"] if a["id"] == item["agency"])
    member = None
    if agency.get("members") and draw(st.booleans()):
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
