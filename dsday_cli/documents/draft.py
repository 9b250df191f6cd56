"""A draft plan from the text of a plan document in the Vietnamese administrative form.

The form: a letterhead (issuer: a People's Committee at any level, a ministry, or a unit
under either; "Số: …/KH-…", "…, ngày … tháng … năm …"), "KẾ HOẠCH" and the title, the
legal basis ("Thực hiện …; Căn cứ …"), then sections numbered in Roman numerals, known
by their headings in any order: MỤC ĐÍCH, YÊU CẦU; NỘI DUNG (the theme, activities a),
b), …); THỜI GIAN; KINH PHÍ; TỔ CHỨC THỰC HIỆN (one numbered clause per agency, or one
letter or decimal number per agency under a clause naming a group; dash bullets, a
lead-in and its bullets, or a paragraph of duties), and sometimes an annex table (STT |
Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành).

What the reader reads is written as it stands; what it infers (an agency for an
activity, a year for "15/9", two clauses that are one duty) carries a comment that
says so and why, and is counted in the summary; what it cannot place is listed with
its text. Deadlines are worded as the document words them (``trước ngày`` → before,
``đến ngày``/``chậm nhất ngày`` → by, ``từ ngày … đến ngày …`` → window, ``trong tháng``
→ month, ``Quý IV/2026`` → quarter, ``Năm 2026`` (a table's column) → year, ``thường
xuyên`` → ongoing, an event's ``ngày`` → on, ``dự kiến`` → tentative); a duty the
document does not date has none, except that a time section's window or event is cited
for the duties it covers (the same reading rule as the embedded plan's header), and the
bullets of a lead-in take its time. Two passages are one duty only with evidence: a
clause cited, near-identical text, the same event of the time section.
Pure: text in, data out; ``draft_document`` reads the file and checks the result.
"""

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from dsday_cli.documents.draft_sources import Source, Table
from dsday_cli.core.errors import DocumentInvalid, DsdayError, ExitCode, UsageError
from dsday_cli.core.i18n import _, n_
from dsday_cli.core.names import ascii_fold, slug, unique_ids
from dsday_cli.core.records import record

MAX_TEXT = 10_000  # the model's limit on one text value
TITLE_LENGTH = 160
SUMMARY_LINES = 50  # inferences or unplaced passages listed on stderr; the rest are counted
WRAP_SHARE = 0.7  # a line this share of the page's width that ends mid-sentence was wrapped (PDF)

# ---- lines to paragraphs --------------------------------------------------------

_ROMAN = re.compile(r"^(?P<label>[IVX]{1,5})\s*[.)/]\s*(?P<body>\S.*)$")
_NUMBER = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s*(?P<body>\S.*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?P<body>\S.*)$")
_BULLET = re.compile(r"^(?P<label>[-–—•*·●▪])\s*(?P<body>\S.*)$")
_SUB = re.compile(r"^(?P<label>\+)\s*(?P<body>\S.*)$")
_TERMINAL = (".", ":", "!", "?", "…")
_PREAMBLE = re.compile(r"^(Thực hiện|Căn cứ)\s")
_LETTERS = "abcdđeghiklmnopqrstuvxy"


@record
class Para:
    """A paragraph: its kind (roman, number, letter, bullet, sub, plain), marker and text."""

    kind: str
    label: str
    body: str
    line: int
    last_line: str = ""

    @property
    def text(self) -> str:
        return self.body


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"^>\s?", "", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip()


def _classify(line: str) -> tuple[str, str, str]:
    for kind, pattern in (("roman", _ROMAN), ("number", _NUMBER), ("letter", _LETTER), ("sub", _SUB)):
        match = pattern.match(line)
        if match:
            return kind, match["label"], match["body"]
    match = _BULLET.match(line)
    if match and not re.match(r"^[-–—]\s*\d", line):  # "-5%" is not a bullet
        return "bullet", "-", match["body"]
    return "plain", "", line


def paragraphs(lines: Sequence[str]) -> list[Para]:
    """The document's paragraphs: marked lines start one; a page's line wrap and page breaks are joined.

    A plain line continues the paragraph before it when it starts in lower case, when
    the line before ends inside a word ("QĐ-"), or when the line before ran to the
    page's width (most of the document's longest lines) without ending its sentence
    and no blank line stands between. A heading so wrapped (a numbered line that is not
    "Agency: its duty …") runs on only into the end of the heading: a short line, or
    one that ends without a stop before a marked line (a full line of the body goes on,
    or ends its sentence).
    """
    cleaned = [(number, _strip_markdown(raw)) for number, raw in enumerate(lines, 1)]
    lengths = sorted(len(line) for _number, line in cleaned if line)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[Para] = []
    gap = False
    for index, (number, line) in enumerate(cleaned):
        if not line:
            gap = True
            continue
        kind, label, body = _classify(line)
        previous = out[-1] if out else None
        joins = False
        in_word = previous is not None and re.search(r"\w-$", previous.body) is not None
        if kind == "plain" and previous is not None:
            full = len(previous.last_line) >= WRAP_SHARE * width
            heading = previous.kind in ("roman", "number") and not re.search(r":\s+\S", previous.body)
            if body[0].islower() or in_word:
                joins = True
            elif gap or previous.body.endswith(_TERMINAL) or line.isupper() or previous.body.isupper():
                # A line in capitals ("KẾ HOẠCH", the letterhead) stands alone.
                joins = False
            elif _PREAMBLE.match(body):  # "Thực hiện …", "Căn cứ …" below the title: the preamble starts
                joins = False
            elif body[0].isdigit() and full:  # "… từ ngày" / "25/9 đến ngày 10/10/2023": a number goes on
                joins = True
            elif heading:
                following = next((text for _n, text in cleaned[index + 1 :] if text), "")
                ends_heading = not line.endswith(_TERMINAL) and _classify(following)[0] != "plain"
                joins = full and (len(line) < WRAP_SHARE * width or ends_heading)
            else:
                joins = full
        if joins and previous is not None:
            previous.body = f"{previous.body}{'' if in_word else ' '}{body}"
            previous.last_line = line
        else:
            out.append(Para(kind, label, body, number, line))
        gap = False
    return out


# ---- dates and deadlines --------------------------------------------------------

_DAY = r"(?P<{n}d>\d{{1,2}})\s*[/.-]\s*(?P<{n}m>\d{{1,2}})(?:\s*[/.-]\s*(?P<{n}y>\d{{4}}))?(?!\d)"
_DAY_WORDS = r"(?P<{n}d>\d{{1,2}})\s+tháng\s+(?P<{n}m>\d{{1,2}})(?:\s*(?:,\s*)?năm\s+(?P<{n}y>\d{{4}}))?"
_DATE_TOKEN = re.compile(r"(?<![\d/.-])(?:" + _DAY.format(n="a") + "|" + _DAY_WORDS.format(n="b") + ")", re.IGNORECASE)
# "Quyết định số 505/QĐ-TTg ngày …" (its number perhaps broken at a line end: "505/QĐ- TTg").
_LEGAL_DATE = re.compile(r"số\s+[\w./-]*\d[\w./-]*(?:\s[\w./-]+)?\s*,?\s+ngày\s*$", re.IGNORECASE)
_MONTH = re.compile(
    r"(?<![\w/])(?P<lead>(?:trong|vào|cả)\s+)?tháng\s+(?P<m>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
_MONTH_RANGE = re.compile(
    r"(?<!\w)(?:từ\s+tháng\s+(?P<m1>\d{1,2})(?:\s*/\s*(?P<y1>\d{4}))?\s*(?:đến|tới|-|–)\s*(?:hết\s+)?tháng\s+"
    r"|tháng\s+(?P<m1b>\d{1,2})\s*[-–]\s*)"
    r"(?P<m2>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y2>\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
# The words before a date that make it a name or a month, not a day: the national day, "tháng 9-10/2024".
_NAMES_THE_DAY = re.compile(r"(quốc gia\s*\(?\s*(ngày\s*)?|tháng\s*)$", re.IGNORECASE)
_BEFORE = re.compile(r"trước(\s+ngày)?\s*$", re.IGNORECASE)
_BY = re.compile(
    r"(đến|tới|chậm nhất|hạn chót|hoàn thành|xong|hết|thời hạn|hạn)(\s+(là|vào|trong))?(\s+hết)?(\s+ngày)?\s*:?\s*$",
    re.IGNORECASE,
)
_FROM = re.compile(r"từ(\s+ngày)?\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|đến(?:\s+hết)?|tới)(?:\s+ngày)?\s*$", re.IGNORECASE)
_ON = re.compile(r"(ngày|thời gian|thời điểm)\s*:?\s*$", re.IGNORECASE)
_Date = date  # for annotations in classes whose field ``date`` hides the type
_ONGOING = re.compile(r"thường xuyên|hằng năm|hàng năm|liên tục", re.IGNORECASE)
_ONGOING_TERM = re.compile(r"(?<!\w)(thường xuyên|liên tục)(?!\w)", re.IGNORECASE)  # a duty with no end: ongoing
# "nguồn chi thường xuyên", "kinh phí thường xuyên": recurrent spending, a kind of money, not a time.
_SPENDING = re.compile(r"(?<!\w)(chi|kinh phí|ngân sách|dự toán|vốn|nguồn)\s*$", re.IGNORECASE)


def _ongoing_term(text: str) -> "re.Match[str] | None":
    """"thường xuyên"/"liên tục" as a time ("thực hiện thường xuyên", "Thường xuyên" in a time column),
    not as the kind of a budget ("từ nguồn chi thường xuyên của Bộ")."""
    return next((m for m in _ONGOING_TERM.finditer(text) if not _SPENDING.search(text[: m.start()])), None)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(
    r"(?<!\w)quý\s+(?P<q>iv|i{1,3}|[1-4])(?:\s*(?:/|-|,?\s*năm)\s*(?P<y>\d{4}))?(?![\w/])", re.IGNORECASE
)
# "trong năm 2026", "đến hết năm 2026"; in a table's deadline column also "Năm 2026" alone.
_YEAR = re.compile(r"(?<!\w)(?P<lead>(?:trong|cả|đến hết|hết)\s+)năm\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE)
_YEAR_CELL = re.compile(r"^\s*(?:trong\s+|cả\s+)?(?:năm\s+)?(?P<y>20\d\d)\s*\.?\s*$", re.IGNORECASE)


@record
class Reading:
    """A deadline as a clause words it: the kind, its days, the phrase, and what was inferred."""

    kind: str
    date: "_Date | None" = None
    start: "_Date | None" = None
    end: "_Date | None" = None
    month: str | None = None
    tentative: bool = False
    phrase: str = ""
    year_inferred: bool = False
    kind_inferred: str = ""  # why the kind was read from context (a bare date in a table column)
    quarter: str | None = None  # "2026-Q4"
    whole_year: int | None = None  # a deadline of a year ("Năm 2026")

    @property
    def last(self) -> "_Date":
        if self.kind == "ongoing":
            return date.max
        if self.kind == "quarter":
            year, quarter = (int(p) for p in self.quarter.split("-Q"))  # type: ignore[union-attr]
            return date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
        if self.kind == "year":
            return date(self.whole_year + 1, 1, 1)  # type: ignore[operator]
        if self.kind == "window":
            return self.end  # type: ignore[return-value]
        if self.kind == "month":
            year, month = (int(p) for p in self.month.split("-"))  # type: ignore[union-attr]
            return date(year + month // 12, month % 12 + 1, 1)
        return self.date  # type: ignore[return-value]

    def as_data(self) -> dict:
        data: dict = {"kind": self.kind}
        if self.kind == "window":
            data |= {"start": self.start, "end": self.end}
        elif self.kind == "month":
            data["month"] = self.month
        elif self.kind == "quarter":
            data["quarter"] = self.quarter
        elif self.kind == "year":
            data["year"] = self.whole_year
        elif self.kind == "ongoing":
            pass
        else:
            data["date"] = self.date
        return data


@record
class _Token:
    start: int
    end: int
    day: int
    month: int
    year: int | None


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _DATE_TOKEN.finditer(text):
        prefix = "a" if match["ad"] else "b"
        if _LEGAL_DATE.search(text[max(0, match.start() - 60) : match.start()]):
            continue  # "Quyết định số 505/QĐ-TTg ngày 22/4/2022": a document's date, not a deadline
        if _NAMES_THE_DAY.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "Ngày Chuyển đổi số quốc gia 10/10", "tháng 9-10/2024": a name, or months, not a day
        year = match[prefix + "y"]
        found.append(
            _Token(
                match.start(),
                match.end(),
                int(match[prefix + "d"]),
                int(match[prefix + "m"]),
                int(year) if year else None,
            )
        )
    return found


class DateProblem(ValueError):
    """A date the document writes that is not a day of the calendar."""


def _day(token: _Token, year: int) -> date:
    try:
        return date(token.year or year, token.month, token.day)
    except ValueError:
        raise DateProblem(f"{token.day}/{token.month}/{token.year or year}") from None


def read_deadlines(text: str, plan_year: int, bare: str = "") -> tuple[list[Reading], list[str]]:
    """The deadlines a clause words, in order; and the dates in it that are not days of the calendar.

    ``bare`` is the kind a date with no wording takes (a table's "Thời gian hoàn thành"
    column: ``by``); in running text such a date is read as an event's day (``on``).
    """
    readings: list[Reading] = []
    problems: list[str] = []
    tokens = _tokens(text)
    used: set[int] = set()
    lowered = text.lower()
    for index, token in enumerate(tokens):
        if index in used:
            continue
        before = text[max(0, token.start - 40) : token.start]
        try:
            opening = _FROM.search(before)
            # "từ ngày 15/9 - 15/10/2023", "15/9 đến 15/10/2023": a window
            if index + 1 < len(tokens) and _RANGE_JOIN.match(text[token.end : tokens[index + 1].start]):
                last = tokens[index + 1]
                used.add(index + 1)
                end_year = last.year or plan_year
                start_year = token.year or (
                    end_year - 1 if (token.month, token.day) > (last.month, last.day) else end_year
                )
                start = _day(_Token(0, 0, token.day, token.month, start_year), plan_year)
                end = _day(last, plan_year)
                phrase_start = token.start - len(before) + (opening.start() if opening else len(before))
                reading = Reading("window", start=start, end=end, phrase=text[phrase_start : last.end].strip())
                reading.year_inferred = last.year is None
                readings.append(reading)
                continue
            day = _day(token, plan_year)
            match = _BEFORE.search(before) or _BY.search(before) or _ON.search(before)
            if match is None:
                kind, phrase_from = (bare or "on"), token.start
            else:
                kind = "before" if match.re is _BEFORE else "by" if match.re is _BY else "on"
                phrase_from = token.start - len(before) + match.start()
            reading = Reading(
                kind, date=day, phrase=text[phrase_from : token.end].strip(), year_inferred=token.year is None
            )
            if match is None:
                reading.kind_inferred = "bare"
            readings.append(reading)
        except DateProblem as problem:
            problems.append(str(problem))
    covered = [(t.start, t.end) for t in tokens]
    for match in _MONTH_RANGE.finditer(text):  # "từ tháng 9 đến tháng 10/2024": from the first day to the last
        first_month, last_month = int(match["m1"] or match["m1b"]), int(match["m2"])
        if not (1 <= first_month <= 12 and 1 <= last_month <= 12):
            continue
        end_year = int(match["y2"]) if match["y2"] else plan_year
        start_year = int(match["y1"]) if match["y1"] else end_year - (1 if first_month > last_month else 0)
        end = date(end_year + last_month // 12, last_month % 12 + 1, 1) - timedelta(days=1)
        reading = Reading("window", start=date(start_year, first_month, 1), end=end, phrase=match[0].strip())
        reading.year_inferred = not match["y2"]
        readings.append(reading)
        covered.append((match.start(), match.end()))
    for match in _MONTH.finditer(text):
        if any(s <= match.start("m") < e for s, e in covered):
            continue
        if re.search(r"\d\s*$", text[max(0, match.start() - 3) : match.start()]):
            continue  # "10 tháng 10": a day, read above
        month = int(match["m"])
        if not 1 <= month <= 12:
            problems.append(match[0])
            continue
        year = int(match["y"]) if match["y"] else plan_year
        readings.append(
            Reading("month", month=f"{year}-{month:02d}", phrase=match[0].strip(), year_inferred=not match["y"])
        )
    for match in _QUARTER.finditer(text):
        year = int(match["y"]) if match["y"] else plan_year
        quarter = _QUARTERS[match["q"].lower()]
        readings.append(
            Reading("quarter", quarter=f"{year}-Q{quarter}", phrase=match[0].strip(), year_inferred=not match["y"])
        )
    month_cell = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(20\d\d)\s*\.?\s*", text) if bare else None
    if month_cell and 1 <= int(month_cell[1]) <= 12:  # "10/2024" alone in a table's deadline column: a month
        readings.append(Reading("month", month=f"{month_cell[2]}-{int(month_cell[1]):02d}", phrase=text.strip()))
    whole = _YEAR_CELL.match(text) if bare else None
    for match in [whole] if whole else _YEAR.finditer(text):
        if not any(r.kind == "quarter" for r in readings):
            readings.append(Reading("year", whole_year=int(match["y"]), phrase=match[0].strip()))
    if not readings:
        ongoing = _ongoing_term(text)
        if ongoing:
            readings.append(Reading("ongoing", phrase=ongoing[0]))
    for reading in readings:
        position = lowered.find(reading.phrase.lower())
        sentence_start = max(lowered.rfind(". ", 0, position), lowered.rfind("; ", 0, position), 0)
        after = lowered[position + len(reading.phrase) : position + len(reading.phrase) + 20]
        reading.tentative = "dự kiến" in lowered[sentence_start:position] or "dự kiến" in after
    readings.sort(key=lambda r: lowered.find(r.phrase.lower()))
    return readings, problems


# ---- the letterhead -------------------------------------------------------------

# The national motto beside the issuer; in a PDF its words run across lines and into the issuer's.
_NATIONAL_MOTTO = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA(\s+VIỆT\s+NAM)?|^\s*VIỆT\s+NAM\s*$|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc",
    re.MULTILINE,
)
_LEVELS = r"TỈNH|HUYỆN|THÀNH PHỐ|THỊ XÃ|QUẬN|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU"
_COMMITTEE = re.compile(rf"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s*(?P<level>{_LEVELS})?\s*(?P<place>.*)$")
_LEVEL_LINE = re.compile(rf"^(?P<level>{_LEVELS})\s+(?P<place>.+)$")
# A ministry or a body of its own letterhead, and the units under a ministry or a People's Committee.
_MINISTRY = re.compile(r"^(BỘ|TỔNG CỤC|CỤC|VỤ|VĂN PHÒNG)\s+\S.*$")
_UNIT = re.compile(r"^(SỞ|BAN|CỤC|TỔNG CỤC|VỤ|VĂN PHÒNG|THANH TRA|TRUNG TÂM|PHÒNG|CHI CỤC)\s+\S.*$")
_PROPER = {"CÔNG THƯƠNG": "Công Thương"}  # names whose second word keeps its capital


def _body_name(line: str) -> str:
    """A body's name in capitals as it is written in running text: 'BỘ Y TẾ' → 'Bộ Y tế'.

    The first two words and the word after each 'và' keep a capital ('Sở Khoa học và Công
    nghệ', 'Vụ Truyền thông và Thi đua, khen thưởng').
    """
    words = line.lower().split()
    out = []
    for index, word in enumerate(words):
        if index < 2 or (index > 0 and words[index - 1] == "và"):
            word = word[:1].upper() + word[1:]
        out.append(word)
    name = " ".join(out)
    for capitals, proper in _PROPER.items():
        name = re.sub(re.escape(capitals), proper, name, flags=re.IGNORECASE)
    return name


def letterhead_issuer(lines: Sequence[str]) -> str:
    """The issuing body a letterhead names; '' when it names none.

    A People's Committee at any level, on one line or two ('ỦY BAN NHÂN DÂN' above 'TỈNH
    QUẢNG TRỊ'); a ministry ('BỘ Y TẾ'); and a unit named below either ('SỞ …', 'CỤC …'),
    which is then the issuer. What follows on the same line (the number 'Số: …', the place
    and date of issue, from a table's cell or a PDF's line) is not part of the name.
    """
    cleaned = []
    for line in lines:
        line = re.split(r"\s*\bSố\s*:|\s+\S+(?:\s\S+){0,3},\s+ngày\s+\d", line.strip())[0].strip()
        if line and line.isupper():
            cleaned.append(line)
    parent, at = "", -1
    for index, line in enumerate(cleaned):
        committee = _COMMITTEE.match(line)
        if committee:
            level, place = committee["level"], committee["place"].strip()
            if not level and index + 1 < len(cleaned):
                two = _LEVEL_LINE.match(cleaned[index + 1])
                if two:
                    level, place, index = two["level"], two["place"].strip(), index + 1
            if level and place:
                parent, at = f"Ủy ban nhân dân {level.lower()} {place.title()}", index
                break
        elif _MINISTRY.match(line):
            parent, at = _body_name(line), index
            break
    if not parent:
        return ""
    if at + 1 < len(cleaned) and _UNIT.match(cleaned[at + 1]):
        return _body_name(cleaned[at + 1])
    return parent


# ---- agencies -------------------------------------------------------------------

_BODY_WORDS = (
    "Sở",
    "Ban",
    "Báo",
    "Đài",
    "Cổng",
    "Hội",
    "Hiệp hội",
    "Liên đoàn",
    "Liên hiệp",
    "Trung tâm",
    "Văn phòng",
    "Công an",
    "Bộ Chỉ huy",
    "Ủy ban",
    "UBND",
    "Tỉnh đoàn",
    "Huyện đoàn",
    "Thành đoàn",
    "Đoàn",
    "Phòng",
    "Viện",
    "Trường",
    "Bưu điện",
    "Viettel",
    "VNPT",
    "MobiFone",
    "Cục",
    "Chi cục",
    "Kho bạc",
    "Ngân hàng",
    "Bảo hiểm",
    "Mặt trận",
    "Hội đồng",
    "Thanh tra",
    "Tòa án",
    "Viện kiểm sát",
    "Công ty",
    "Tổng công ty",
    "Đảng ủy",
    "Huyện ủy",
    "Tỉnh ủy",
    "Thị ủy",
    "Thành ủy",
    "Cơ quan",
    "Tạp chí",
    "Nhà",
)
_PLURAL = re.compile(r"^(các|những)\s|\scác\s", re.IGNORECASE)
_ABBREVIATIONS = (
    ("ủy ban nhân dân", "ubnd"),
    ("thông tin và truyền thông", "tt&tt"),
    ("giáo dục và đào tạo", "gd&đt"),
    ("khoa học và công nghệ", "kh&cn"),
    ("kế hoạch và đầu tư", "kh&đt"),
    ("văn hóa, thể thao và du lịch", "vhtt&dl"),
    ("lao động - thương binh và xã hội", "lđtb&xh"),
    ("tài nguyên và môi trường", "tn&mt"),
    ("nông nghiệp và phát triển nông thôn", "nn&ptnt"),
    ("giao thông vận tải", "gtvt"),
    ("phát thanh và truyền hình", "pt-th"),
    ("phát thanh - truyền hình", "pt-th"),
    ("công nghệ thông tin", "cntt"),
    ("thông tin điện tử", "ttđt"),
)
_VAGUE = re.compile(
    r"liên quan|^(các|những)\s+(cơ quan|đơn vị|địa phương|ngành|tổ chức|sở|phòng|vụ|cục)"
    r"(\s*,\s*(cơ quan|đơn vị|địa phương|ban|ngành|đoàn thể))*$",
    re.IGNORECASE,
)
# ... but the departments as a group ("Các sở, ban, ngành", "các phòng, ban") are a body the plan names.
_DEPARTMENTS = re.compile(r"^(các|những)\s+(sở|phòng)\s*,\s*ban\b", re.IGNORECASE)
_LOCAL_GOVERNMENT = ("chính quyền địa phương", "chính quyền các cấp", "chính quyền cơ sở", "ủy ban nhân dân các cấp")


def agency_key(name: str) -> str:
    """A name folded for matching: lower case, abbreviations written one way, no punctuation."""
    text = name.lower()
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    text = re.sub(r"^(các|những)\s+", "", text)
    return " ".join(re.findall(r"[\w&]+", ascii_fold(text)))


def _abbreviated(name: str) -> str:
    """A name with its usual abbreviations (``Đài PT-TH tỉnh``), for short ids."""
    text = name
    for long, short in _ABBREVIATIONS[1:]:
        text = re.sub(re.escape(long), short.upper(), text, flags=re.IGNORECASE)
    return text


def short_name(name: str) -> str | None:
    """``Sở Thông tin và Truyền thông`` → ``Sở TT&TT``; ``Ủy ban nhân dân …`` → ``UBND …``; else None."""
    words = name.split()
    if words and words[0] == "Sở" and len(words) > 2:
        rest = " ".join(words[1:])
        parts = [p for p in re.split(r"\s+và\s+", rest) if p]
        initials = ["".join(w[0].upper() for w in re.findall(r"\w+", p)) for p in parts]
        return "Sở " + "&".join(initials)
    match = re.match(r"^(Ủy ban nhân dân|Uỷ ban nhân dân)\s+(.+)$", name)
    if match:
        return "UBND " + match[2]
    return None


def _agency_id(name: str, place: Sequence[str]) -> str:
    folded_words = lambda text: [w for w in slug(text).split("-") if w]  # noqa: E731
    words = name.split()
    if words and words[0] == "Sở" and len(words) > 1:
        return "s" + "".join(ascii_fold(w)[0] for w in re.findall(r"\w+", " ".join(words[1:])) if w != "và")
    match = re.match(r"^(Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(.+)$", name)
    if match:
        level = [w for w in folded_words(match[2]) if w not in ("cac", "cap", "nhung")]
        return "ubnd-" + (level[0] if level else "")
    unit = re.match(r"^(Phòng|Trung tâm|Ban|Chi cục|Tổng cục|Cục|Vụ|Văn phòng|Thanh tra)\s+(.+)$", name)
    if unit and not named_members(name):
        rest = re.sub(r"\s+(cấp\s+)?(huyện|tỉnh|thành phố|thị xã)$", "", unit[2])
        if len(re.findall(r"\w+", rest)) <= 2:  # "Văn phòng Bộ", "Tổng cục Hải quan": whole words, not an initial
            return f"{slug(unit[1])}-{slug(rest)}"
        # an acronym (UBND) stays whole; other words give their initial
        initials = "".join(
            ascii_fold(w).lower() if w.isupper() and len(w) > 1 else ascii_fold(w)[0]
            for w in re.findall(r"\w+", rest)
            if w != "và"
        )
        return f"{slug(unit[1])}-{initials}"
    parts = [p.strip() for p in _abbreviated(name).split(",") if p.strip()]

    def significant(text: str) -> list[str]:
        text = re.sub(r"\s+(cấp\s+)?(huyện|tỉnh)$", "", text)
        found = [w for w in folded_words(text) if w not in ("cac", "nhung", "va")]
        joined = "-".join(found)
        for place_slug in place:
            shorter = joined.replace(place_slug, "").strip("-")
            if shorter.count("-") >= 1:  # "Tỉnh đoàn Nghệ An" is tinh-doan; "Báo Hà Tĩnh" keeps its place
                joined = shorter
        return [w for w in joined.split("-") if w]

    first = significant(parts[0]) if parts else []
    if named_members(name):  # bodies named one by one: the first word of each (bao-dai-cong)
        return "-".join(significant(p)[0] for p in parts[:3] if significant(p))
    if len(first) >= 2:
        return "-".join(first[:3] if len(first) == 3 else first[:2])
    heads = [significant(p)[:1] for p in parts[:3]]
    return "-".join(h[0] for h in heads if h) or slug(name)[:20] or "agency"


def named_members(name: str) -> list[str]:
    """The bodies an agency's heading names one by one (``Báo Nghệ An, Đài …, Cổng …``); none for a category."""
    if _PLURAL.search(name):
        return []
    parts = [p.strip() for p in name.split(",")]
    if len(parts) < 2 or not all(p and p[0].isupper() for p in parts):
        return []
    if not all(any(p == w or p.startswith(w + " ") for w in _BODY_WORDS) for p in parts):
        return []
    return parts


# ---- similarity, for clauses that are one duty ---------------------------------

_STOP = {
    "và",
    "của",
    "các",
    "những",
    "trên",
    "tại",
    "về",
    "với",
    "để",
    "cho",
    "được",
    "có",
    "là",
    "trong",
    "theo",
    "như",
    "gồm",
}


def _terms(text: str) -> Counter:
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in _STOP]
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


class Similarity:
    """Cosine similarity of word and word-pair counts weighted by rarity across the texts compared."""

    def __init__(self, texts: Sequence[str]):
        self.vectors = {text: _terms(text) for text in texts}
        documents = Counter(term for vector in self.vectors.values() for term in vector)
        count = len(self.vectors) or 1
        self.weight = {term: math.log((1 + count) / (1 + seen)) + 1 for term, seen in documents.items()}

    def __call__(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(a) or _terms(a), self.vectors.get(b) or _terms(b)
        dot = sum(va[t] * vb[t] * self.weight.get(t, 1.0) ** 2 for t in va.keys() & vb.keys())
        norm = math.sqrt(sum((c * self.weight.get(t, 1.0)) ** 2 for t, c in va.items())) * math.sqrt(
            sum((c * self.weight.get(t, 1.0)) ** 2 for t, c in vb.items())
        )
        return dot / norm if norm else 0.0


MERGE_SCORE = 0.30  # an activity and a duty this alike, one's words nearly all in the other, are the same work ...
RIVAL_RATIO = 0.75  # ... unless a duty of another agency is nearly as alike: then the activity is shared
PART_SCORE = 0.55  # a part of an activity ("…; khuyến khích …") that is a duty almost word for word
SAME_SCORE = 0.5  # two passages this alike (and one's words nearly all in the other) say the same thing
NEAR_IDENTICAL = 0.7  # ... the share of the shorter text's words the longer one holds: evidence, not a loose likeness


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in _STOP and not w.isdigit()}


_CITES = re.compile(
    r"(?:(?:điểm|tiết)\s+(?P<letter>[a-zđ])\s*,?\s+)?khoản\s+(?P<number>\d{1,2})\s*,?\s+(?:Mục|Phần)\s+(?P<roman>[IVX]{1,5})\b",
    re.IGNORECASE,
)


def _cited_clauses(text: str) -> list[str]:
    """The clauses of the plan a passage cites: "điểm a khoản 2 Mục II" → II.2.a; "khoản 1 Mục II" → II.1."""
    return [
        ".".join(p for p in (match["roman"].upper(), match["number"], match["letter"]) if p)
        for match in _CITES.finditer(text)
    ]


def _near_identical(a: str, b: str) -> bool:
    """Whether two passages say the same thing: the shorter's words (but stop words) nearly all stand in the longer.

    Similarity alone merges passages that share a few words (an activity in II, a duty in
    V that only speaks of the same people); a merge needs this evidence, or the same event
    of the time section named by both, or the press's forms (``merge_activities``).
    """
    words_a, words_b = _content_words(a), _content_words(b)
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    return bool(shorter) and len(shorter & longer) / len(shorter) >= NEAR_IDENTICAL


# Forms of work only the press does; an activity done in them is the press's (the embedded plan's reading of II.2.c).
_PRESS_FORMS = ("chuyên đề", "chuyên mục", "phóng sự", "tọa đàm", "tin bài", "bản tin", "phát sóng")
_PRESS_BODIES = ("Báo", "Đài", "Tạp chí")
_GENERIC_ACTIONS = ("tổ chức", "chủ trì", "chỉ đạo", "triển khai", "thực hiện", "đẩy mạnh", "tăng cường")


# ---- the draft --------------------------------------------------------------------


@record
class DraftAgency:
    id: str
    name: str
    ref: str | None
    short_name: str | None = None
    members: list[dict] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    category: bool = False  # a plural name: a group the document does not list
    partner_of: str = ""  # no clause of its own: the clause that names it as a partner


@record
class DraftItem:
    """A duty as drafted: clauses, agency, text, deadline, and the comments that explain them."""

    id: str
    refs: list[str]
    text: str
    agency: str | None = None
    partners: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # (ref, text) merged in from another clause
    deadline: dict | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)
    communication_parent: bool | None = None  # a lead-in's bullets: whether the lead-in is a communication activity
    section: str = ""
    parts: list[str] = field(default_factory=list)  # an activity's "; "-separated parts
    prefix: str = ""  # an activity's lead ("Tổ chức hoạt động của các doanh nghiệp:")
    lead: str = ""  # the lead-in a bullet stands under ("Trong tháng 10, chủ trì … các hoạt động sau:")
    when: str | None = None  # an annex row: the text of its deadline column
    when_header: str = ""  # ... and that column's header
    where: str = ""  # ... and where the row stands

    def note(self, key: str, text: str) -> None:
        self.notes.setdefault(key, []).append(text)

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *(f"{ref}: {text}" for ref, text in self.extra)])


def _folded(cell: str) -> str:
    """A table cell's words without diacritics, case or punctuation, for its header."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(cell).lower()))


class AnnexRow(NamedTuple):
    """A row of an annex table, its cells by column."""

    where: str
    group: str
    stt: str
    task: str
    lead: str
    partners: str
    when: str
    when_header: str
    result: str


@record
class Draft:
    """A drafted plan: its data, the comments for it, and what the reader inferred or could not place."""

    data: dict
    comments: dict[tuple, list[str]]
    inferred: list[str]
    unplaced: list[str]
    header: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # duties drafted with no lead agency, each commented

    @property
    def counts(self) -> dict[str, int]:
        items = self.data["responsibilities"]
        deadlines = [i.get("deadline") for i in items]
        return {
            "agencies": len(self.data["agencies"]),
            "members": sum(len(a.get("members", [])) for a in self.data["agencies"]),
            "duties": len(items),
            "stated": sum(1 for d in deadlines if d and d.get("source", "stated") == "stated"),
            "cited": sum(1 for d in deadlines if d and d.get("source") == "cited"),
            "none": sum(1 for d in deadlines if not d),
            "inferred": len(self.inferred),
            "unplaced": len(self.unplaced),
        }


def _title_of(text: str) -> str:
    """A duty's title: its text without the final stop, cut at a natural break when long."""
    text = text.strip().rstrip(";,.:").rstrip()
    text = re.sub(r"\s*;?\s*\.\.\.$", "", text).rstrip(";,: ")
    # "Căn cứ …, để xây dựng …", "Trên cơ sở … để …": the duty is what follows "để".
    lead = re.match(r"^(Căn cứ|Trên cơ sở)\b.{0,160}?\s+để\s+(.+)$", text)
    if lead:
        text = _capitalise(lead[2])
    # The deadline stays in the detail and the deadline; the title says what is to be done.
    # A window goes whole ("… từ ngày 01/10 đến ngày 15/10/2025"), not its end alone.
    text = re.sub(
        r",?\s+(từ\s+(ngày\s+)?[\d/.]+\s+)?(trước|chậm nhất|đến|trong)\s+(ngày|tháng)\s+[\d/.\s]+$", "", text
    ).rstrip(",;: ")
    if len(text) <= TITLE_LENGTH:
        return text
    cuts = [
        text.find(m, 40)
        for m in (", gồm", " gồm:", " như:", " như sau", " để ", " nhằm ", " phù hợp với", " đảm bảo", " theo ")
    ]
    cut = min((c for c in cuts if 40 <= c <= TITLE_LENGTH), default=-1)
    if cut > 0:
        return text[:cut].rstrip(",;: ")
    cut = text.rfind(" ", 0, TITLE_LENGTH - 1)
    return text[: cut if cut > 40 else TITLE_LENGTH - 1].rstrip(",;: ") + "…"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _inline_subject(subject: str) -> str:
    """The subject line (trích yếu) as it reads after "Kế hoạch": 'Tổ chức Ngày …' → 'tổ chức Ngày …'.

    Standing under "KẾ HOẠCH" it starts with a capital; run on after it, only a proper name
    keeps one, and a proper name capitalises its second word too ('Ngày Chuyển đổi số …').
    """
    words = subject.split(" ", 2)
    if len(words) > 1 and words[0][:1].isupper() and words[1][:1].islower():
        return words[0][:1].lower() + subject[1:]
    return subject


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DUTY_VERBS = (
    "chủ trì",
    "phối hợp",
    "tổ chức",
    "chỉ đạo",
    "tuyên truyền",
    "khuyến khích",
    "hướng dẫn",
    "xây dựng",
    "triển khai",
    "báo cáo",
    "thực hiện",
    "vận động",
    "đẩy mạnh",
    "tham mưu",
    "theo dõi",
    "kiểm tra",
    "bố trí",
    "cung cấp",
    "phát động",
    "đôn đốc",
    "hỗ trợ",
    "phổ biến",
    "nghiên cứu",
    "rà soát",
    "bảo đảm",
    "đảm bảo",
    "tăng cường",
    "duy trì",
    "lựa chọn",
    "biên tập",
    "thiết kế",
    "in ấn",
    "treo",
    "tham gia",
    "cập nhật",
    "thông tin",
    "đăng tải",
    "phát sóng",
    "xúc tiến",
    "giới thiệu",
    "tổng hợp",
    "ban hành",
    "chủ động",
    "lắp đặt",
    "số hóa",
    "làm sạch",
    "nâng cấp",
)
# A line under a duty that says its time, its output or its place: part of the duty above.
_DUTY_DETAIL = re.compile(
    r"^(Thời gian|Thời hạn|Tiến độ|Sản phẩm|Kết quả|Địa điểm|Hình thức)(\s+(thực hiện|hoàn thành|đầu ra|dự kiến))?\s*:",
    re.IGNORECASE,
)
# A lead-in's time before its action: "Trong tháng 10, chủ trì …", "Từ ngày 01/10 đến ngày 31/10/2024, …".
_TIME_LEAD = re.compile(r"^(?:(?:trong|vào|từ|đến|trước|chậm nhất)\b[^,]{0,60},\s*)", re.IGNORECASE)
_SPLIT = re.compile(r"(?:;|\.)\s+(?=(?:" + "|".join(_DUTY_VERBS) + r")\b)", re.IGNORECASE)
_GENERIC_LEAD = re.compile(
    r"(nhiệm vụ|nội dung|công việc|hoạt động)\s+(sau|cụ thể|chủ yếu)|như sau\s*:?$|cụ thể\s*:?$|sau đây\s*:?$|gồm\s*:?$",
    re.IGNORECASE,
)
_COMMUNICATION = (
    "tuyên truyền",
    "truyền thông",
    "hưởng ứng",
    "phổ biến",
    "thông điệp",
    "băng rôn",
    "khẩu hiệu",
    "pano",
    "tờ rơi",
    "áp phích",
    "phóng sự",
    "chuyên mục",
    "chuyên đề",
    "tọa đàm",
)
# A passage that sends the reader to the annex ("… tại Phụ lục kèm theo Kế hoạch này"): its rows are the duties.
_TO_ANNEX = re.compile(r"\b(tại|theo|ở|trong)\s+(các\s+)?Phụ lục\b", re.IGNORECASE)


def _is_sentence(text: str) -> bool:
    """A clause that says what is done (ends its sentence, seven words or more), not a heading ("2. Các hoạt động")."""
    return text.rstrip().endswith((".", ";")) and len(text.split()) >= 7


_EVENT = re.compile(r"\b(?<!tuần )(lễ\s+\w+\s+\w+|hội nghị|hội thảo|mít tinh|diễn đàn|triển lãm)", re.IGNORECASE)


# "Chủ trì, phối hợp … triển khai các nội dung của Kế hoạch", "Là cơ quan thường trực, chủ trì tham mưu … triển
# khai Kế hoạch;": the agency that coordinates the plan.
_COORDINATES = re.compile(
    r"(chủ trì|có trách nhiệm|thường trực)[^.;]{0,100}(triển khai|thực hiện|tổ chức thực hiện)"
    r"\s+(?:(các\s+)?nội dung\s+(trong|của)\s+Kế hoạch|Kế hoạch(\s+này)?(?=\s*[;,.]|\s*$))",
    re.IGNORECASE,
)
# A clause heading with no ':' runs on into its duty at the first of these ("2. Sở Giáo dục và Đào tạo chỉ đạo …").
_HEADING_VERBS = ("có trách nhiệm", *(v for v in _DUTY_VERBS if v not in ("thông tin", "in ấn", "treo")))
# ... and at these, which start what is said of the agency ("1. Sở … là cơ quan thường trực, theo dõi …",
# "2. Các sở, ngành căn cứ nhiệm vụ được phân công …, chủ động …").
_HEADING_PREDICATES = ("là", "căn cứ", "chịu trách nhiệm", "được giao", "trên cơ sở")
# The words a body's name starts with, for partners named one by one; and the verbs that end such a name.
_PARTNER_BODIES = tuple(sorted({*_BODY_WORDS, "Chi nhánh", "Bưu điện", "Tổng công ty", "Tập đoàn", "Bộ", "Trạm", "Điện lực", "Hợp tác xã", "Quỹ", "Vụ", "Tổng cục", "Bệnh viện"}, key=len, reverse=True))
_PARTNER_STOPS = tuple(v for v in _DUTY_VERBS if v != "thông tin") + (
    "rà soát", "lắp đặt", "cập nhật", "hướng dẫn", "làm", "cấp", "đưa", "mở", "ra quân", "để", "nhằm", "trong",
    "tại", "về", "trên", "cho", "đối với",
)  # fmt: skip
# "phối hợp với X tổ chức …": X, up to the action that follows.
_PARTNERS = re.compile(
    r"phối hợp(?:\s+chặt chẽ)?\s+với\s+(.+?)"
    r"(?=\s+(?:tổ chức|triển khai|thực hiện|hướng dẫn|xây dựng|tuyên truyền|rà soát|kiểm tra|theo dõi|tham mưu"
    r"|để|nhằm)\b"
    r"|[;.:]|$)",
    re.IGNORECASE,
)


def _actions(text: str) -> list[str]:
    """Actions joined by "; " go on in lower case ("…; có các chương trình …; khuyến khích …");
    "; " before a capital lists things (channels, decisions), not actions."""
    parts: list[str] = []
    for piece in re.split(r";\s+", text):
        if parts and not piece[:1].islower():
            parts[-1] = f"{parts[-1]}; {piece}"
        elif piece.strip():
            parts.append(piece.strip())
    return parts


def _opening(text: str) -> str:
    """A duty's first two words after the generic actions ("Tổ chức", "Chủ trì" …): what it does."""
    words = re.findall(r"\w+", text.lower())
    changed = True
    while changed:
        changed = False
        for action in _GENERIC_ACTIONS:
            parts = action.split()
            if words[: len(parts)] == parts:
                words, changed = words[len(parts) :], True
    return " ".join(words[:2])


def _communication_word(text: str) -> str | None:
    """The word that makes a passage a communication or response activity; a body's name ("Sở Thông tin và
    Truyền thông") and the plan written for the response ("xây dựng kế hoạch hưởng ứng") do not."""
    text = re.sub(r"(?<=\w )(Truyền thông|Tuyên truyền)\b", "", text)  # capitals inside a sentence: a name
    text = re.sub(r"kế hoạch (tổ chức )?(các hoạt động )?hưởng ứng", "", text, flags=re.IGNORECASE)
    lowered = text.lower()
    return next((word for word in _COMMUNICATION if word in lowered), None)


class _Reader:
    """One pass over a document; collects the draft and what it inferred or could not place."""

    def __init__(self, source: Source, year: int | None, member_lists: Mapping[str, tuple[str, Sequence[str]]]):
        self.source = source
        self.given_year = year
        self.member_lists = member_lists
        self.data: dict = {}
        self.comments: dict[tuple, list[str]] = {}
        self.inferred: list[str] = []
        self.unplaced: list[str] = []
        self.missing: list[str] = []  # duties drafted with no lead agency
        self.agencies: list[DraftAgency] = []
        self.items: list[DraftItem] = []  # section V duties and annex rows
        self.activities: list[DraftItem] = []  # section II activities
        self.place: list[str] = []  # the place's slug, dropped from agency ids ("Tỉnh đoàn Nghệ An": tinh-doan)
        self.place_name = ""
        self.campaign: Reading | None = None
        self.campaign_subject = ""
        self.events: list[tuple[Reading, str, str, dict]] = []  # (reading, event words, text, milestone)
        self.steps: list[tuple[dict, str]] = []  # dated lines of the time section that are no event: (milestone, text)
        self.time_ref = ""
        self.coordinator: tuple[DraftAgency, str] | None = None
        # What the document states of the plan as a whole, and notes on how it was read.
        self.title = ""
        self.title_note = ""
        self.year: int | None = None
        self.year_note = ""
        self.issuer = ""
        self.issuer_note = ""
        self.issued: date | None = None
        self.signed_by = ""
        self.legal: list[str] = []
        self.purposes: list[str] = []
        self.requirements: list[str] = []
        self.theme = ""
        self.national_day: tuple[date, str, str] | None = None  # (day, clause, words)
        self.budget = ""
        self.annex_rows: list[AnnexRow] = []

    # -- helpers --

    def infer(self, where: str, why: str) -> str:
        """Record an inference for the summary; the comment text for the draft."""
        self.inferred.append(f"{where}: {why}")
        return _("inferred: {why}").format(why=why)

    def cannot_place(self, where: str, text: str) -> None:
        self.unplaced.append(f'{where}: "{_excerpt(text)}"')

    def no_lead(self, item: DraftItem, why: str) -> None:
        """A duty drafted with no lead agency: commented, and listed in the summary (it is placed, not lost)."""
        item.note("", why)
        self.missing.append(f"{item.id}: {why}")

    def comment(self, path: tuple, text: str) -> None:
        self.comments.setdefault(path, []).append(text)

    # -- reading --

    def read(self) -> Draft:
        paras = paragraphs(self.source.lines)
        body_start = next((i for i, p in enumerate(paras) if p.kind == "roman"), len(paras))
        self.read_header(paras[:body_start])
        sections = self.split_sections(paras[body_start:])
        for numeral, heading, body in sections:
            role = self.role(heading)
            if role == "implementation":
                self.read_implementation(numeral, body)
        for numeral, heading, body in sections:
            role = self.role(heading)
            if role == "aims":
                self.read_aims(body)
            elif role == "content":
                self.read_content(numeral, body)
            elif role == "time":
                self.read_time(numeral, body)
            elif role == "budget":
                self.read_budget(body)
            elif role != "implementation":
                for para in body:
                    self.cannot_place(_("section {numeral}").format(numeral=numeral), para.body)
        for table in self.source.tables:
            self.read_annex(table)
        self.annex_items()
        if not self.items and not self.activities:
            raise DocumentInvalid(
                _(
                    "{name}: no duties found: no section 'TỔ CHỨC THỰC HIỆN' with numbered clauses, and no annex "
                    "table with the columns 'Nội dung nhiệm vụ' and 'Cơ quan chủ trì'"
                ).format(name=self.source.name)
            )
        for item in self.items:  # every clause read: a partner may be an agency of a later clause
            self.partners(item, item.text)
        self.merge_activities()
        self.assign_activities()
        self.date_items()
        self.apply_member_lists()
        return self.assemble()

    def read_header(self, paras: list[Para]) -> None:
        """Letterhead, title and legal basis: everything before section I."""
        texts = [p.body for p in paras]
        title_at = next((i for i, t in enumerate(texts) if ascii_fold(t).startswith("ke hoach")), None)
        # The preamble starts after the title (whose first line may itself start "Triển khai …").
        after_title = title_at + 2 if title_at is not None else 0
        header_end = next(
            (
                i
                for i, t in enumerate(texts)
                if i >= after_title and re.match(r"^(Thực hiện|Căn cứ|Triển khai|Để|Nhằm|Theo)\b", t)
            ),
            len(texts),
        )
        letterhead = texts[: title_at if title_at is not None else header_end]
        joined = "\n".join(letterhead)
        joined_clean = _NATIONAL_MOTTO.sub("\n", joined)
        number = re.search(r"Số\s*:\s*(\d+[\w/.&-]*)", joined_clean)
        if number:
            self.data["number"] = number[1]
        issued = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", joined_clean)
        issued_day = None
        if issued:
            try:
                issued_day = date(int(issued[3]), int(issued[2]), int(issued[1]))
            except ValueError:
                self.cannot_place(_("letterhead"), issued[0])
        title = ""
        if title_at is not None:
            first = texts[title_at]
            rest = first[len("KẾ HOẠCH") :].strip() if len(first) > len("KẾ HOẠCH") else ""
            title_parts = [rest] if rest else []
            title_parts += texts[title_at + 1 : header_end]
            title = "Kế hoạch " + _inline_subject(" ".join(title_parts).strip()) if title_parts else ""
        self.title = _cut(title.strip())
        year = re.search(r"năm\s+(\d{4})", self.title)
        self.year = int(year[1]) if year else None
        self.year_note = ""
        if self.year is None and self.given_year:
            self.year = self.given_year
            self.year_note = _("--year {year}: the title names no year").format(year=self.given_year)
        elif self.year is None and issued_day:
            self.year = issued_day.year
            self.year_note = self.infer("year", _("the year of issue (the title names no year)"))
        self.issuer = letterhead_issuer(joined_clean.split("\n"))
        self.issuer_note = ""
        where = re.search(r"trên địa bàn (tỉnh|huyện|thành phố|thị xã|quận|xã|phường) (\w+(?:\s\w+){0,4})", self.title)
        self.place_name = ""
        if where:
            words = []
            for word in where[2].split():
                if not word[:1].isupper():
                    break
                words.append(word)
            self.place_name = " ".join(words)
        preamble = " ".join(texts[header_end:])
        if not self.issuer:
            level = re.search(r"(Ủy ban nhân dân|UBND) (tỉnh|huyện|thành phố|thị xã|quận|xã|phường)\b", preamble)
            if level and where and level[2] == where[1]:
                self.issuer = f"Ủy ban nhân dân {level[2]} {self.place_name}"
                self.issuer_note = self.infer(
                    "issuer",
                    _("'{said}' (before section I) and '{place}' (the title); the copy has no letterhead").format(
                        said=level[0], place=where[0]
                    ),
                )
        if self.issuer:
            match = re.search(r"(tỉnh|huyện|thành phố|thị xã|quận|xã|phường) (.+)$", self.issuer)
            if match:
                self.place_name = self.place_name or match[2]
        if self.place_name:
            self.place = [slug(self.place_name)]
        legal = []
        for segment in re.split(r";\s*", preamble):
            segment = re.sub(r"^(Thực hiện|Căn cứ|Triển khai|Theo)\s+", "", segment.strip()).strip(" .;,")
            if re.match(
                r"^(Luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Thông tư|Kế hoạch|Công văn|Văn bản|Thông báo|Kết luận|"
                r"Chương trình|Đề án|Hướng dẫn|Chiến lược)\b",
                segment,
            ):
                legal.append(_cut(segment))
            elif segment and not re.search(r"ban hành|xây dựng Kế hoạch|như sau", segment):
                self.cannot_place(_("before section I"), segment)
        self.legal = legal
        self.issued = issued_day

    def split_sections(self, paras: list[Para]) -> list[tuple[str, str, list[Para]]]:
        sections: list[tuple[str, str, list[Para]]] = []
        self.closing: list[Para] = []
        for index, para in enumerate(paras):
            folded = ascii_fold(para.body)
            closing = (
                folded.startswith(("tren day la", "noi nhan", "phu luc"))
                or re.match(r"^(TM|KT|TL|Q)\.\s", para.body)
                # "Trong quá trình thực hiện, nếu có vướng mắc, … phản ánh về …": the closing request
                or re.match(r"^trong qua trinh (to chuc )?(trien khai )?(thuc hien|trien khai)\b.{0,30}\bneu co\b", folded)
            )
            if para.kind == "plain" and closing:
                self.closing = paras[index:]
                break
            if para.kind == "roman":
                sections.append((para.label, para.body, []))
            elif sections:
                sections[-1][2].append(para)
        self.read_signature(self.closing)
        self.last_section = sections[-1][0] if sections else ""
        return sections

    def read_signature(self, paras: list[Para]) -> None:
        self.signed_by = ""
        role = ""
        for para in paras:
            text = para.body.strip()
            if re.fullmatch(r"(KT\.\s*|TM\.\s*)?(PHÓ )?CHỦ TỊCH", text) or re.search(r"\b(PHÓ )?CHỦ TỊCH$", text):
                role = "Phó Chủ tịch" if "PHÓ" in text else "Chủ tịch"
            elif (
                role and 2 <= len(text.split()) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in text.split())
            ):
                self.signed_by = f"{text}, {role}"

    @staticmethod
    def role(heading: str) -> str:
        folded = ascii_fold(heading)
        if "to chuc thuc hien" in folded or "phan cong" in folded or "trach nhiem" in folded:
            return "implementation"
        if "muc dich" in folded or "yeu cau" in folded or "muc tieu" in folded:
            return "aims"
        if "thoi gian" in folded or "tien do" in folded:
            return "time"
        if "kinh phi" in folded:
            return "budget"
        if "noi dung" in folded or "hoat dong" in folded or "nhiem vu" in folded:
            return "content"
        return "other"

    def read_aims(self, body: list[Para]) -> None:
        target = "purposes"
        for para in body:
            folded = ascii_fold(para.body)
            if para.kind == "number":
                target = "requirements" if "yeu cau" in folded else "purposes"
                continue
            (self.requirements if target == "requirements" else self.purposes).append(_cut(para.body))

    def read_budget(self, body: list[Para]) -> None:
        text = " ".join(p.body for p in body)
        match = re.match(r"^Kinh phí[^:]{0,80}:\s*(.+)$", text)
        self.budget = _cut((match[1] if match else text).strip())

    def read_content(self, numeral: str, body: list[Para]) -> None:
        """Section II: the theme clause, and activities (lettered, or dashed) that become items."""
        clause = ""
        clause_is_theme = False
        current: DraftItem | None = None
        bullets = 0
        lettered = False
        for para in body:
            if _TO_ANNEX.search(para.body):
                continue  # "Các nhiệm vụ cụ thể … tại Phụ lục kèm theo": the annex's rows are read as duties
            if para.kind in ("bullet", "plain") and re.match(r"^chu de\b.{0,40}[:“\"]", ascii_fold(para.body)):
                self.read_theme(numeral, clause, para.body)  # "- Chủ đề: "…"" (a Word list item): the theme
                continue
            if para.kind == "number":
                clause, current, bullets, lettered = para.label, None, 0, False
                clause_is_theme = "chu de" in ascii_fold(para.body)
                if clause_is_theme and ":" in para.body:  # "1. Chủ đề: "…"" on the clause's own line
                    self.read_theme(numeral, clause, para.body)
                elif not clause_is_theme and _is_sentence(para.body):
                    # "1. Tuyên truyền về … trên Cổng thông tin …": a numbered clause that is an activity itself
                    current = self.activity(f"{numeral}.{clause}", slug(f"{numeral}{clause}"), para.body)
                continue
            if clause_is_theme:
                self.read_theme(numeral, clause, para.body)
                continue
            ref_base = f"{numeral}.{clause}" if clause else numeral
            id_base = slug(ref_base.replace(".", ""))
            if para.kind == "letter":
                letter = "dd" if para.label == "đ" else ascii_fold(para.label)
                current = self.activity(f"{ref_base}.{para.label}", f"{id_base}-{letter}", para.body)
                lettered = True
            elif current is not None and (para.kind != "bullet" or lettered or _DUTY_DETAIL.match(para.body)):
                current.text = f"{current.text} {para.body}"  # a lettered activity's own dashes, or its next line
                current.prefix, current.parts = self.parts_of(current.text)
            elif para.kind == "plain" and para.body.endswith(":"):
                continue  # a lead-in to the activities that follow
            else:
                bullets += 1
                current = self.activity(ref_base, f"{id_base}-{bullets}", para.body)

    def parts_of(self, text: str) -> tuple[str, list[str]]:
        """An activity's lead ("… của các doanh nghiệp:") and its "; "-separated parts."""
        prefix, rest = "", text
        head = re.match(r"^([^:;]{5,80}):\s+(.+)$", text)
        if head and len(_actions(head[2])) > 1:
            prefix, rest = head[1] + ":", head[2]
        parts = _actions(rest)
        return prefix, parts if len(parts) > 1 else []

    def activity(self, ref: str, ident: str, text: str) -> DraftItem:
        item = DraftItem(ident, [ref], text, section="content")
        item.prefix, item.parts = self.parts_of(text)
        self.activities.append(item)
        return item

    def read_theme(self, numeral: str, clause: str, text: str) -> None:
        quoted = re.findall(r"[“\"]([^”\"]{3,300})[”\"]", text)
        if quoted and not self.theme:
            self.theme = quoted[-1].strip()
        national = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+hàng năm", text, re.IGNORECASE)
        if national and self.year:
            try:
                day = date(self.year, int(national[2]), int(national[1]))
            except ValueError:
                return
            self.national_day = (day, f"{numeral}.{clause}", national[0])

    def read_time(self, numeral: str, body: list[Para]) -> None:
        """Section III: the campaign window (the communication activities) and dated events."""
        self.time_ref = numeral
        heading = ""
        event_heading = ""  # "2. Lễ phát động …" over "- Thời gian: …", "- Địa điểm: …"
        for para in body:
            if not _tokens(para.body) and para.body.endswith(":"):
                # "Lễ phát động … trên địa bàn thị xã:" above "Dự kiến 01 buổi, trước ngày 10/10": one line
                heading = para.body
                continue
            if para.kind == "number" and not _tokens(para.body):
                event_heading = para.body.rstrip(" .")
                continue
            if event_heading and para.kind != "number":
                detail = re.match(r"^(Thời gian|Thời điểm|Địa điểm|Thành phần|Hình thức|Quy mô)\b\s*:?\s*(.*)$", para.body)
                if detail and detail[1].startswith("Thời"):
                    para = Para(para.kind, para.label, f"{event_heading}: {detail[2]}", para.line, para.last_line)
                elif detail and self.events and self.events[-1][3]["title"] == _cut(_capitalise(event_heading)):
                    # the place, the participants … of the event above: quoted in its comment
                    last_event = self.events[-1]
                    self.events[-1] = (last_event[0], last_event[1], f"{last_event[2]} {para.body}", last_event[3])
                    continue
            else:
                event_heading = ""
            if heading:
                para = Para(para.kind, para.label, f"{heading} {para.body}", para.line, para.last_line)
                heading = ""
            readings, problems = read_deadlines(para.body, self.year or 2000)
            for problem in problems:
                self.cannot_place(numeral, _("'{date}' is not a day of the calendar").format(date=problem))
            if not readings:
                self.cannot_place(numeral, para.body)
                continue
            reading = readings[0]
            subject = re.split(
                r"\s+(?:được|sẽ được)\s+(?:tổ chức|triển khai|thực hiện)|\s+diễn ra|\s*:\s", para.body, maxsplit=1
            )[0].strip().rstrip(":")
            event = _EVENT.search(subject)
            if reading.kind == "window" and event is None and self.campaign is None:
                if re.match(r"^(từ|trong|đến)\b", subject, re.IGNORECASE) and subject.lower().find(
                    reading.phrase.lower()
                ) == 0:  # "Từ ngày 01/10/2024 đến ngày 31/10/2024; …": the time of the plan itself
                    subject = "thời gian thực hiện Kế hoạch"
                self.campaign, self.campaign_subject = reading, subject
                continue
            if event is not None and reading.kind in ("on", "by", "before"):
                title = re.sub(r"^Tổ chức\s+", "", subject)
                title = _capitalise(title)
                milestone: dict[str, object] = {
                    "id": "launch"
                    if "phát động" in subject.lower()
                    else slug(event[1]) or f"event-{len(self.events) + 1}",
                    "title": _cut(title),
                    "date": reading.date,
                    "deadline": reading.kind,
                    "ref": numeral,
                }
                if reading.tentative:
                    milestone["tentative"] = True
                self.events.append((reading, event[1].lower(), para.body, milestone))
                continue
            if event is None and reading.kind in ("on", "by", "before") and len(readings) == 1:
                # "Hoàn thành rà soát …: trước ngày 05/10/2024": a dated step of the plan, a milestone
                ident = "-".join(slug(subject).split("-")[:4]) or f"step-{len(self.steps) + 1}"
                taken = {m["id"] for _r, _w, _t, m in self.events} | {m["id"] for m, _t in self.steps}
                base, number = ident, 2
                while ident in taken:
                    ident, number = f"{base}-{number}", number + 1
                step: dict[str, object] = {
                    "id": ident,
                    "title": _cut(_capitalise(subject)),
                    "date": reading.date,
                    "deadline": reading.kind,
                    "ref": numeral,
                }
                if reading.tentative:
                    step["tentative"] = True
                self.steps.append((step, para.body))
                continue
            self.cannot_place(numeral, para.body)
        if heading:
            self.cannot_place(numeral, heading)

    # -- section V --

    def read_implementation(self, numeral: str, body: list[Para]) -> None:
        """Section V: one agency per numbered clause; its bullets, lead-in and paragraphs are its duties."""
        agency: DraftAgency | None = None
        clause = group = ""
        grouped = False  # the clause's letters name its agencies
        count = 0
        lead_in: DraftItem | None = None  # a lead-in that is a duty of its own; its bullets are its forms
        lead: Para | None = None  # a lead-in that only introduces its bullets ("Trong tháng 10, chủ trì … sau:")
        led = False
        last: DraftItem | None = None
        where = _("section {numeral}").format(numeral=numeral)

        def end_lead() -> None:
            if lead is not None and not led:  # a lead-in with nothing under it
                self.cannot_place(where, _("a lead-in with no bullets under it: {text}").format(text=lead.body))

        for index, para in enumerate(body):
            if para.kind == "number" and "." not in para.label:
                end_lead()
                name, inline = self.agency_heading(para.body)
                clause = group = para.label
                following = body[index + 1] if index + 1 < len(body) else None
                grouped = not inline and following is not None and self.lettered_agency(following) is not None
                count, lead_in, lead, led, last = 0, None, None, False, None
                if grouped:  # "1. Các sở, ban, ngành" over "a) Sở Tư pháp: …": the letters name the agencies
                    agency = None
                    continue
                agency = self.add_agency(name, f"{numeral}.{clause}")
                if inline:
                    for part in self.split_duties(inline):
                        count += 1
                        last = self.duty(agency, numeral, clause, count, part)
                continue
            # The agencies of a group clause by letter, decimal number or dash ("- Sở Tư pháp: …"); before any
            # numbered clause, by letter ("a) Sở Tư pháp: …").
            sub = self.lettered_agency(para) if grouped or (agency is None and para.kind == "letter") else None
            if sub is not None and para.kind == "bullet" and not group:
                sub = None
            if sub is not None:
                end_lead()
                grouped = True  # the letters after it name agencies too
                if para.kind == "bullet":  # no mark of its own: the group's clause, its duties numbered on
                    clause = group
                else:
                    clause = para.label if para.kind == "number" or not group else f"{group}.{para.label}"
                    count = 0
                agency = self.add_agency(sub[0], f"{numeral}.{clause}")
                lead_in, lead, led, last = None, None, False, None
                for part in self.split_duties(sub[1]) if sub[1] else []:
                    count += 1
                    last = self.duty(agency, numeral, clause, count, part)
                continue
            if agency is None:
                if not _TO_ANNEX.search(para.body):
                    self.cannot_place(_("section {numeral}, before its first clause").format(numeral=numeral), para.body)
                continue
            if index == len(body) - 1 and numeral == self.last_section and self.cut_off(para):
                self.cannot_place(
                    f"{numeral}.{clause}",
                    _("the copy ends in the middle of this passage (cut off): {text}").format(text=para.body),
                )
                continue
            if para.kind == "sub" and last is not None:
                last.text = f"{last.text} + {para.body}"
                continue
            if last is not None and _DUTY_DETAIL.match(para.body):
                last.text = f"{last.text.rstrip()} {para.body}"  # "- Thời gian thực hiện: tháng 10/2024": the duty's
                continue
            if para.kind in ("bullet", "letter", "number"):
                count += 1
                last = self.duty(agency, numeral, clause, count, para.body)
                if lead_in is not None:
                    last.communication_parent = _communication_word(lead_in.text) is not None
                    last.lead = lead_in.text
                    last.note(
                        "",
                        _("a form of the lead-in duty {id} ('…{words}')").format(
                            id=lead_in.id, words=lead_in.text[-40:]
                        ),
                    )
                elif lead is not None:
                    last.lead, led = lead.body, True
                    last.note("", _("under the lead-in '{text}'").format(text=_excerpt(lead.body, 80)))
                continue
            end_lead()
            lead_in, lead, led = None, None, False  # a paragraph of its own ends the bullets of a lead-in
            if para.body.endswith(":"):
                text = para.body.rstrip(":").strip()
                text = re.sub(r"\s+(như|gồm|sau đây|cụ thể)$", "", text)
                action = _TIME_LEAD.sub("", text)
                if _GENERIC_LEAD.search(para.body) or not any(action.lower().startswith(v) for v in _DUTY_VERBS):
                    lead = para
                    continue
                if count:
                    count += 1
                lead_in = self.duty(agency, numeral, clause, count, text)
                lead_in.note(
                    "",
                    _("the lead-in of {ref} is a duty of its own; the bullets under it are its forms").format(
                        ref=f"{numeral}.{clause}"
                    ),
                )
                last = lead_in
                continue
            for part in self.split_duties(para.body):
                count += 1
                last = self.duty(agency, numeral, clause, count, part)
        end_lead()

    def cut_off(self, para: Para) -> bool:
        """Whether the document's last passage is cut off: no closing after it, and it stops mid-sentence."""
        if self.closing or para.body.rstrip().endswith((*_TERMINAL, ";", ")", '"', "”")):
            return False
        words = para.body.split()
        action = any(para.body.lower().startswith(v) for v in _DUTY_VERBS)
        return len(words[-1]) <= 2 or not action

    def agency_heading(self, text: str) -> tuple[str, str]:
        """A clause heading: the agency's name, and a duty written on the same line after ':' (or none)."""
        text = re.sub(r"^(Giao|Đề nghị|Trách nhiệm của|Nhiệm vụ của)\s+", "", text.strip())
        name, inline = text, ""
        head = re.match(r"^([^:]{3,200}):\s*(.*)$", text)
        if head:
            name, inline = head[1], head[2]
        else:
            words = text.split()
            for index in range(2, len(words)):
                rest = " ".join(words[index:])
                if any(
                    rest.startswith(v + " ") or rest.startswith(v + ",")
                    for v in (*_HEADING_VERBS, *_HEADING_PREDICATES)
                ):
                    name, inline = " ".join(words[:index]), rest
                    break
        name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip().rstrip(".;:")
        return name, _capitalise(inline.strip())

    def split_duties(self, text: str) -> list[str]:
        """A paragraph's duties: split where "; " or ". " is followed by a duty verb."""
        return [_capitalise(p.strip()) for p in _SPLIT.split(text) if p.strip()]

    def add_agency(self, name: str, ref: str | None) -> DraftAgency:
        key = agency_key(name)
        for agency in self.agencies:
            if agency_key(agency.name) == key:
                return agency
        ident = _agency_id(name, self.place)
        taken = {a.id for a in self.agencies}
        base, number = ident, 2
        while ident in taken:
            ident, number = f"{base}-{number}", number + 1
        short = short_name(name) or (_abbreviated(name) if _abbreviated(name) != name else None)
        agency = DraftAgency(ident, name, ref, short)
        members = named_members(name)
        if members:
            ids = unique_ids([_abbreviated(m) for m in members])
            agency.members = [{"id": i, "name": n} for i, n in zip(ids, members)]
            agency.notes["members"] = [_("the bodies the heading of {ref} names").format(ref=ref or name)]
        elif _PLURAL.search(name):
            agency.category = True
        self.agencies.append(agency)
        return agency

    def lettered_agency(self, para: Para) -> tuple[str, str] | None:
        """A lettered paragraph that names an agency and its duty ("a) Sở Tư pháp: Chủ trì …"): (name, duty)."""
        if para.kind not in ("letter", "bullet") and not (para.kind == "number" and "." in para.label):
            return None
        head = re.match(r"^([^:]{3,120}):\s*(.*)$", para.body)
        if head:
            name, duty = head[1].strip(), head[2]
        elif len(para.body.split()) <= 12 and not para.body.endswith((".", ";")):  # "1.1. Sở Tư pháp" alone
            name, duty = para.body.strip(), ""
        else:
            return None
        words = name.split()
        body = next((w for w in _PARTNER_BODIES if name.startswith(w + " ")), None)
        if body is None or len(words) > 15 or _PLURAL.search(name):
            return None
        after = name[len(body) :].split()
        if not after or not (after[0][:1].isupper() or after[0] in ("tỉnh", "huyện", "thành", "thị", "xã")):
            return None  # "Ban hành …" is an action, not a body
        if not head and any(re.search(rf"\s{v}\b", name) for v in _DUTY_VERBS):
            return None  # "Công an tỉnh chủ trì …": a duty written after its agency
        return re.sub(r"\s*\([^)]*\)\s*$", "", name), _capitalise(duty.strip())

    def duty(self, agency: DraftAgency, numeral: str, clause: str, number: int, text: str) -> DraftItem:
        ident = slug(clause.replace(".", "")) if "." in clause else clause
        item = DraftItem(
            f"{slug(numeral)}{ident}-{number}", [f"{numeral}.{clause}"], text, agency.id, section="implementation"
        )
        if _COORDINATES.search(text):
            self.coordinator = self.coordinator or (agency, f"{numeral}.{clause}")
        self.items.append(item)
        return item

    def partners(self, item: DraftItem, text: str) -> None:
        """The agencies a duty works with: "phối hợp với X" where X names agencies of the plan."""
        if item.section != "implementation":
            return
        match = _PARTNERS.search(text)
        if not match:
            return
        phrase = match[1].strip()
        named = self.partner_names(text[match.start(1) :])
        known = [a for name in named for a in self.agencies_in(name, exclude=item.agency)[:1]]
        fresh = [
            name
            for name in named
            if not self.agencies_in(name)
            and (not _PLURAL.search(name) or name[:1].islower() and not _VAGUE.search(name))
        ]
        if fresh:  # bodies named one by one that no clause of the plan names: offered as agencies of their own
            for name in fresh:
                agency = self.add_agency(name, None)
                agency.partner_of = agency.partner_of or item.refs[0]
                known.append(agency)
            item.note(
                "partners",
                _("{names}: named as partners in {ref}; no clause of the plan names them, so each is a new agency").format(
                    names="; ".join(fresh), ref=item.refs[0]
                ),
            )
        found = list({a.id: a for a in known if a.id != item.agency}.values()) or self.agencies_in(
            phrase, exclude=item.agency
        )
        if found:
            item.partners = [a.id for a in found]
            return
        lowered = phrase.lower()
        if any(lowered.startswith(g) for g in _LOCAL_GOVERNMENT):
            group = [a for a in self.agencies if re.match(r"^(Ủy ban nhân dân|UBND) các", a.name)]
            if len(group) == 1 and group[0].id != item.agency:
                item.partners = [group[0].id]
                item.note(
                    "partners",
                    self.infer(
                        f"{item.id} partners",
                        _("'{phrase}' read as {agency} ({name})").format(
                            phrase=phrase, agency=group[0].id, name=group[0].name
                        ),
                    ),
                )
                return
        if not _VAGUE.search(phrase):
            item.note("partners", _("'{phrase}' is not an agency of this plan: no partner").format(phrase=phrase))

    def partner_names(self, text: str) -> list[str]:
        """The bodies "phối hợp với" names one by one, up to the action that follows.

        A name is an agency of the plan, or a body's word ("Sở", "Cục", "Bưu điện", "Chi nhánh"
        …) and the words after it up to a verb in lower case, a comma or "và" before a word that
        starts no name, or a stop ("Phối hợp với Cục Báo chí, Cục Thông tin cơ sở cập nhật …").
        A group ("các cơ quan", "UBND các xã") is no name here, except a group joined to a
        name before it ("Ngân hàng Nhà nước Việt Nam và các ngân hàng thương mại").
        """
        starts = sorted(
            {n for a in self.agencies for n in (a.name, a.short_name) if n and not _PLURAL.search(n)}, key=len, reverse=True
        )

        def name_at(rest: str, group: bool = False) -> str:
            known = next((n for n in starts if rest.lower().startswith(n.lower()) and not rest[len(n) : len(n) + 1].isalnum()), "")
            if known:
                return rest[: len(known)]
            head = next((w for w in _PARTNER_BODIES if rest.startswith(w + " ")), None)
            if head is None and not (group and re.match(r"(các|những)\s+\w", rest)):
                return ""
            words = rest.split(" ")
            taken = [words[0]]
            for index, word in enumerate(words[1:], 1):
                following = " ".join(words[index:])
                if not word or word[0] in ",;.:(" or taken[-1].endswith((",", ";", ".", ":")):
                    break
                if word[:1].islower() and any(re.match(rf"{v}\b", following) for v in _PARTNER_STOPS):
                    break
                if word == "và" and name_at(" ".join(words[index + 1 :]), group=True):
                    break
                taken.append(word)
            return " ".join(taken).rstrip(",;.:")

        names: list[str] = []
        rest = text.strip()
        while rest:
            name = name_at(rest)
            if not name:
                break
            names.append(name)
            rest = rest[len(name) :]
            joint = re.match(r"^\s*(,|và|,\s*và)\s+", rest)
            if not joint or not name_at(rest[joint.end() :], group=True):
                break
            rest = rest[joint.end() :]
            if rest[:1].islower():  # a group after the names: the last of them
                names.append(name_at(rest, group=True))
                break
        return names

    def agencies_in(self, phrase: str, exclude: str | None = None) -> list[DraftAgency]:
        lowered = " " + agency_key(phrase) + " "
        found = []
        for agency in self.agencies:
            keys = [agency_key(agency.name)] + ([agency_key(agency.short_name)] if agency.short_name else [])
            if agency.id != exclude and any(f" {k} " in lowered for k in keys if k):
                found.append(agency)
        return found

    # -- annex tables --

    _COLUMNS = {
        "stt": ("stt", "tt", "so tt", "so thu tu"),
        "task": (
            "noi dung nhiem vu",
            "noi dung cong viec",
            "noi dung hoat dong",
            "ten nhiem vu",
            "nhiem vu cu the",
            "nhiem vu",
            "noi dung",
            "hoat dong",
            "cong viec",
        ),
        "lead": (
            "co quan don vi chu tri",
            "co quan chu tri thuc hien",
            "don vi chu tri thuc hien",
            "co quan chu tri",
            "don vi chu tri",
            "chu tri",
            "co quan thuc hien",
            "don vi thuc hien",
        ),
        "partners": ("co quan don vi phoi hop", "co quan phoi hop", "don vi phoi hop", "phoi hop"),
        "deadline": (
            "thoi gian hoan thanh",
            "thoi han hoan thanh",
            "thoi gian thuc hien",
            "thoi gian to chuc",
            "tien do thuc hien",
            "thoi han",
            "thoi gian",
            "tien do",
        ),
        "result": ("san pham dau ra", "ket qua dau ra", "san pham", "ket qua"),
        "note": ("ghi chu",),
    }
    _COLUMN_NAMES = {
        "task": "Nội dung nhiệm vụ",
        "lead": "Cơ quan chủ trì",
        "partners": "Cơ quan phối hợp",
        "deadline": "Thời gian hoàn thành",
    }

    def columns_of(self, row: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, cell in enumerate(row):
            folded = _folded(cell)
            for column, variants in self._COLUMNS.items():
                if column not in found and any(folded == v or folded.startswith(v + " ") for v in variants):
                    found[column] = index
                    break
        return found

    def read_annex(self, table: Table) -> None:
        """An annex table: a header row naming the columns, then one duty a row (group rows set the ref)."""
        header_at, columns = None, {}
        for index, row in enumerate(table.rows[:30]):
            found = self.columns_of(row)
            if len(found) >= 2 and ("task" in found or "lead" in found):
                header_at, columns = index, found
                break
        if header_at is None:
            if self.source.kind == "table":
                raise DocumentInvalid(
                    _(
                        "{name} ({where}): no header row with the columns of an annex table "
                        "(STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành)"
                    ).format(name=self.source.name, where=table.where)
                )
            return
        header = table.rows[header_at]
        first_row = header_at + 1
        below = table.rows[first_row] if first_row < len(table.rows) else []
        ends = [i for i, c in enumerate(below) if re.fullmatch(r"(thoi (gian|han) )?(hoan thanh|ket thuc)", _folded(c))]
        if ends and "deadline" in columns:
            # A header of two rows: "Thời gian" over "Bắt đầu | Hoàn thành": the end is the deadline
            columns["deadline"], header, first_row = ends[0], below, first_row + 1
        missing = [self._COLUMN_NAMES[c] for c in ("task", "lead") if c not in columns]
        if missing:
            raise DocumentInvalid(
                _("{name} ({where}): the annex table has no column '{missing}'; its columns: {found}").format(
                    name=self.source.name,
                    where=table.where,
                    missing="', '".join(missing),
                    found=" | ".join(c for c in header if c) or "-",
                )
            )
        if not self.title and header_at > 0:
            above = next((" ".join(c for c in row if c) for row in table.rows[:header_at] if any(row)), "")
            if above:
                self.title = _cut(above)
                self.title_note = _("the table's title row")
                year = re.search(r"năm\s+(\d{4})", above, re.IGNORECASE)
                self.year = self.year or (int(year[1]) if year else None)
        deadline_header = header[columns["deadline"]] if "deadline" in columns else ""
        for missing_column in ("partners", "deadline"):
            if missing_column not in columns:
                self.cannot_place(
                    table.where,
                    _("no column '{column}' in the annex table").format(column=self._COLUMN_NAMES[missing_column]),
                )
        if self.year is None:
            years = Counter(
                int(y)
                for row in table.rows[header_at + 1 :]
                if "deadline" in columns and columns["deadline"] < len(row)
                for y in re.findall(r"\b(20\d\d)\b", row[columns["deadline"]])
            )
            if years:
                self.year = years.most_common(1)[0][0]
                self.year_note = self.infer(
                    "year", _("the most frequent year in the column '{column}'").format(column=deadline_header)
                )
        group = ""
        for offset, row in enumerate(table.rows[first_row:], first_row):
            cell = lambda name: row[columns[name]].strip() if name in columns and columns[name] < len(row) else ""  # noqa: E731
            if not any(row) or all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in row if c):
                continue  # blank rows, and the row that numbers the columns: (1) (2) (3)
            stt, task, lead = cell("stt"), cell("task"), cell("lead")
            where = table.place(offset)
            if re.fullmatch(r"[IVX]{1,5}|[A-Z]", stt) and not lead:
                group = stt
                continue
            if not task:
                self.cannot_place(where, " | ".join(c for c in row if c))
                continue
            self.annex_rows.append(
                AnnexRow(
                    where, group, stt, task, lead, cell("partners"), cell("deadline"), deadline_header, cell("result")
                )
            )

    def annex_items(self) -> None:
        """Each annex row a duty: its lead, its partners, the text of its deadline column (read with the others)."""
        for number, (where, group, stt, task, lead, partners, when, header, result) in enumerate(self.annex_rows, 1):
            label = ".".join(p for p in (group, stt.rstrip(".")) if p) or str(number)
            item = DraftItem(
                "pl-" + (slug(label) or str(number)),
                [f"PL.{label}"],
                task + (f" ({result})" if result else ""),
                section="annex",
            )
            names = self.split_names(lead)
            if names:
                first = self.add_agency(names[0], None)
                item.agency = first.id
                if len(names) > 1:
                    others = [self.add_agency(n, None) for n in names[1:]]
                    item.partners = [a.id for a in others if a.id != first.id]
                    item.note(
                        "partners",
                        self.infer(
                            f"{item.id} partners",
                            _("'{cell}' names several leads: the first leads, the others partner").format(cell=lead),
                        ),
                    )
            else:
                self.no_lead(item, _("{where}: the row names no lead agency; write it").format(where=where))
            for name in self.split_names(partners, vague_note=item):
                partner = self.add_agency(name, None)
                if partner.id != item.agency and partner.id not in item.partners:
                    item.partners.append(partner.id)
            item.when, item.when_header, item.where = when, header, where
            self.items.append(item)

    def split_names(self, cell: str, vague_note: DraftItem | None = None) -> list[str]:
        """The agencies a table cell names: split at ';', ',' or line ends.

        After a comma a lower-case part rejoins the one before ("UBND các quận, huyện"), unless
        it names a group of its own ("…, các doanh nghiệp"); ';' and a line end always separate
        ("Văn phòng UBND thành phố; các cơ quan liên quan").
        """
        parts: list[str] = []
        for piece in re.split(r"\s*[;\n]\s*", cell):
            first = True
            for raw in re.split(r"\s*,\s*", piece):
                raw = raw.strip(" .-–")
                if not raw:
                    continue
                if parts and not first and raw[0].islower() and not re.match(r"(các|những)\s", raw):
                    parts[-1] = f"{parts[-1]}, {raw}"
                else:
                    parts.append(raw)
                first = False
        out = []
        for part in parts:
            if _VAGUE.search(part) and not _DEPARTMENTS.match(part):
                if vague_note is not None:
                    vague_note.note(
                        "partners", _("'{phrase}' is not an agency of this plan: no partner").format(phrase=part)
                    )
                continue
            out.append(part)
        return out

    # -- section II and V together --

    def merge_activities(self) -> None:
        """Section II activities that a section V duty assigns again become one item.

        In turn: an activity (or one of its "; "-joined actions) whose text is alike a duty's
        and clearly more than any other agency's duty; an activity alike an event of the
        time section that one duty names ("Lễ phát động"); an activity in the press's forms
        and a duty of the press that opens with the same words.
        """
        duties = [i for i in self.items if i.section == "implementation"]
        if not duties or not self.activities:
            return
        for duty in duties:  # "… các hoạt động tại điểm a khoản 2 Mục II": the clause cited is the duty's
            for cited in _cited_clauses(duty.text):
                for activity in [a for a in self.activities if a.refs[0] == cited or a.refs[0].startswith(cited + ".")]:
                    self.merge(activity, duty, None, _("{duty_ref} cites {ref}").format(duty_ref=duty.refs[0], ref=cited))
        event_texts = [text for _reading, _words, text, _milestone in self.events]
        texts = (
            [i.text for i in duties] + [a.text for a in self.activities] + [p for a in self.activities for p in a.parts]
        )
        alike = Similarity(texts + event_texts)
        pairs: list[tuple[float, DraftItem, DraftItem, str | None]] = []
        for activity in self.activities:
            scores = sorted(((alike(activity.text, d.text), d) for d in duties), key=lambda s: -s[0])
            best_score, best = scores[0]
            rival = next((s for s, d in scores[1:] if d.agency != best.agency), 0.0)
            part_best = 0.0
            for part in activity.parts:
                score, duty = max(((alike(part, d.text), d) for d in duties), key=lambda s: s[0])
                part_best = max(part_best, score)
                if score >= PART_SCORE and _near_identical(part, duty.text):
                    pairs.append((score, activity, duty, part))
            if (
                best_score >= SAME_SCORE
                and rival <= RIVAL_RATIO * best_score
                and part_best < best_score
                and _near_identical(activity.text, best.text)
            ):
                pairs.append((best_score, activity, best, None))
        taken: set[str] = set()
        merged: set[str] = set()
        split: set[str] = set()
        for score, activity, duty, action in sorted(pairs, key=lambda p: -p[0]):
            if duty.id in taken or activity.id in merged or (action is None and activity.id in split):
                continue
            self.merge(activity, duty, action, _("their texts are alike ({score:.2f})").format(score=score))
            taken.add(duty.id)
            (merged if action is None else split).add(activity.id)
        for reading, words, text, _milestone in self.events:
            naming = [d for d in duties if words in d.text.lower() and d.id not in taken]
            candidates = sorted(((alike(a.text, text), a) for a in self.activities), key=lambda s: -s[0])
            if len(naming) == 1 and candidates and candidates[0][0] >= MERGE_SCORE:
                score, activity = candidates[0]
                why = _(
                    "both are the event of {ref} \"{event}\" (alike {score:.2f}; {duty_ref} names '{words}')"
                ).format(
                    ref=self.time_ref, event=_excerpt(text, 60), score=score, duty_ref=naming[0].refs[0], words=words
                )
                self.merge(activity, naming[0], None, why)
                taken.add(naming[0].id)
        press = [
            a
            for a in self.agencies
            if any(p.startswith(b + " ") for b in _PRESS_BODIES for p in [a.name, *(m["name"] for m in a.members)])
        ]
        if len(press) != 1:
            return
        for activity in list(self.activities):
            forms = [f for f in _PRESS_FORMS if f in activity.text.lower()]
            if len(forms) < 2:
                continue
            opening = _opening(activity.text)
            same = [
                d
                for d in duties
                if d.agency == press[0].id and d.id not in taken and opening and _opening(d.text) == opening
            ]
            if len(same) == 1:
                why = _(
                    "its forms ({forms}) are the press's work ({ref}), and it opens as {duty_ref} does ('{opening}')"
                ).format(forms=", ".join(forms), ref=press[0].ref, duty_ref=same[0].refs[0], opening=opening)
                self.merge(activity, same[0], None, why)
                taken.add(same[0].id)

    def merge(self, activity: DraftItem, duty: DraftItem, part: str | None, why: str) -> None:
        """Make ``activity`` (or one of its actions) part of ``duty``, citing both clauses."""
        ref = activity.refs[0]
        duty.refs.append(ref)
        if part is None:
            duty.extra.append((ref, activity.text))
            self.activities.remove(activity)
            text = _("{ref} and {duty_ref} are one duty: {why}").format(ref=ref, duty_ref=duty.refs[0], why=why)
        else:
            duty.extra.append((ref, part))
            activity.parts.remove(part)
            activity.text = " ".join(filter(None, [activity.prefix, "; ".join(activity.parts)])).strip()
            if not activity.text.endswith("."):
                activity.text += "."
            text = _("the action of {ref} '{part}' is {duty_ref}: {why}; the rest of {ref} stays its own item").format(
                ref=ref, part=_excerpt(part, 60), duty_ref=duty.refs[0], why=why
            )
        duty.note("ref", self.infer(f"{duty.id} ref", text))

    def assign_activities(self) -> None:
        """A section II activity no duty repeats: the agency it names, else the plan's coordinator."""
        for activity in self.activities:
            named = self.named_in(activity.text)
            if len(named) == 1:
                agency, words = named[0]
                activity.agency = agency.id
                activity.note(
                    "agency",
                    self.infer(
                        f"{activity.id} agency",
                        _("{ref} names '{words}': {agency} ({ref2})").format(
                            ref=activity.refs[0], words=words, agency=agency.name, ref2=agency.ref
                        ),
                    ),
                )
            elif self.coordinator is not None:
                agency, ref = self.coordinator
                activity.agency = agency.id
                activity.note(
                    "agency",
                    self.infer(
                        f"{activity.id} agency",
                        _("{ref} names no agency; {coordinator} leads the plan's contents ({clause})").format(
                            ref=activity.refs[0], coordinator=agency.name, clause=ref
                        ),
                    ),
                )
            else:  # an item of the draft all the same: placed, with a comment, not listed as unplaced
                self.no_lead(
                    activity,
                    _("{ref} names no agency, and no clause leads the plan's contents: write its agency").format(
                        ref=activity.refs[0]
                    ),
                )

    def named_in(self, text: str) -> list[tuple[DraftAgency, str]]:
        lowered = text.lower()
        found = []
        for agency in self.agencies:
            name = agency.name.lower()
            head = re.match(r"^(các|những)\s+(\S+\s+\S+)", name)
            words = head[0] if head else name.split(",")[0]
            if re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", lowered):
                found.append((agency, words))
        return found

    # -- deadlines --

    def date_items(self) -> None:
        for item in [*self.activities, *self.items]:
            self.date_item(item)

    def date_item(self, item: DraftItem) -> None:
        year = self.year or 2000
        when = item.when
        if when is not None:  # an annex row: its deadline column
            readings, problems = read_deadlines(when, year, bare="by")
            where = item.where
            if not readings:
                if when and not _ONGOING.search(when):
                    self.cannot_place(
                        where, _("'{text}' is not a day, a window or a month: no deadline").format(text=when)
                    )
                elif when:
                    item.note("", _("'{text}': no deadline").format(text=when))
                else:
                    item.note("", _("no deadline: the row gives none"))
                return
            self.set_deadline(item, readings, item.when_header)
            return
        own = item.text
        readings, problems = read_deadlines(own, year)
        for ref, text in item.extra:
            more, more_problems = read_deadlines(text, year)
            readings += more
            problems += more_problems
        for problem in problems:
            self.cannot_place(item.refs[0], _("'{date}' is not a day of the calendar").format(date=problem))
        if readings:
            self.set_deadline(item, readings, "")
            return
        if item.lead:
            readings, problems = read_deadlines(item.lead, year)
            if readings:  # "Trong tháng 10, chủ trì tổ chức các hoạt động sau:": the lead-in's time is its bullets'
                self.set_deadline(item, readings, "", _("the lead-in above: "))
                return
        if "hằng năm" in item.full_text.lower() or _ongoing_term(item.full_text):
            item.note("deadline", _("'thường xuyên' (ongoing): no deadline"))
            return
        text = item.full_text.lower()
        for reading, words, event_text, milestone in self.events:
            if words in text:
                item.deadline = reading.as_data() | {"source": "cited", "ref": self.time_ref}
                if reading.tentative:
                    item.deadline["tentative"] = True
                milestone.setdefault("items", []).append(item.id)
                item.note(
                    "deadline",
                    _('cited from {ref}: "{text}"').format(ref=self.time_ref, text=_excerpt(event_text, 140)),
                )
                return
        if self.campaign is not None:
            word = _communication_word(item.full_text)
            if word is None and item.communication_parent:
                word = _("a form of its lead-in")
            if word is not None:
                item.deadline = self.campaign.as_data() | {"source": "cited", "ref": self.time_ref}
                item.note(
                    "deadline",
                    _(
                        "window cited from {ref} (\"{subject}\"): a communication or response activity ('{word}')"
                    ).format(ref=self.time_ref, subject=_excerpt(self.campaign_subject, 70), word=word),
                )
                return
        if self.campaign is not None:
            item.note(
                "",
                _("no deadline: {ref} gives none, and it is not a communication activity ({time})").format(
                    ref=item.refs[0], time=self.time_ref
                ),
            )
        else:
            item.note("", _("no deadline: {ref} gives none").format(ref=item.refs[0]))

    def set_deadline(self, item: DraftItem, readings: list[Reading], column: str, where: str = "") -> None:
        distinct: dict[str, Reading] = {}
        for reading in readings:  # the same deadline written twice (in II and in V): once, with its year if given
            key = repr(reading.as_data())
            if key not in distinct or distinct[key].year_inferred and not reading.year_inferred:
                distinct[key] = reading
        readings = list(distinct.values())
        chosen = max(readings, key=lambda r: r.last) if len(readings) > 1 else readings[0]
        item.deadline = chosen.as_data()
        if chosen.tentative:
            item.deadline["tentative"] = True
        item.note("deadline", where + _('as written: "{phrase}"').format(phrase=chosen.phrase))
        if len(readings) > 1:
            item.note(
                "deadline",
                self.infer(
                    f"{item.id} deadline",
                    _("the clause gives several dates ({phrases}); the last one is the deadline").format(
                        phrases="; ".join(r.phrase for r in readings)
                    ),
                ),
            )
        if chosen.year_inferred:
            item.note(
                "deadline",
                self.infer(
                    f"{item.id} deadline",
                    _("'{phrase}' has no year: {year}, the plan's year").format(phrase=chosen.phrase, year=self.year),
                ),
            )
        if chosen.kind_inferred and column:
            item.note(
                "deadline",
                self.infer(
                    f"{item.id} deadline",
                    _("a date with no wording under '{column}': read as 'by' (đến ngày)").format(column=column),
                ),
            )
        elif chosen.kind_inferred:  # a bare date in running text: the day the work is done, never "by"
            item.note(
                "deadline",
                self.infer(
                    f"{item.id} deadline",
                    _("a date with no wording: read as '{kind}', the day of the work").format(kind=chosen.kind),
                ),
            )

    # -- members from lists --

    def apply_member_lists(self) -> None:
        from dsday_cli.core.lookup import find_agency
        from dsday_cli.core.model import Agency, Plan

        if not self.member_lists:
            return
        probe = Plan(
            id="draft", title="-", issuer="-", year=self.year or 2000,
            agencies=[Agency(a.id, a.name, a.short_name) for a in self.agencies], responsibilities=[],
        )  # fmt: skip
        for text, (source_name, names) in self.member_lists.items():
            agency_found, member = find_agency(probe, text)
            if member is not None:
                raise UsageError(
                    _("{text}: names a member, not an agency; members are listed for an agency").format(text=text),
                    problem="members.member", text=text,
                )
            agency = next(a for a in self.agencies if a.id == agency_found.id)
            existing = [m["id"] for m in agency.members]
            known = {ascii_fold(m["name"]) for m in agency.members}
            fresh = [n for n in dict.fromkeys(names) if ascii_fold(n) not in known]
            ids = unique_ids(fresh, existing)
            agency.members += [{"id": i, "name": n} for i, n in zip(ids, fresh)]
            agency.category = False
            agency.notes["members"] = [
                self.infer(
                    f"{agency.id} members",
                    _("from {file} (--members), not from the document: {count} names").format(
                        file=source_name, count=len(fresh)
                    ),
                )
            ]

    # -- the plan data --

    def assemble(self) -> Draft:
        if not self.year:
            raise UsageError(
                _("{name}: the document names no year (no 'năm YYYY' in its title); give the plan's year").format(
                    name=self.source.name
                ),
                problem="draft.no-year", name=self.source.name,
            )
        data = self.data
        header_notes: dict[str, list[str]] = {}
        stem = slug(self.place_name) if self.place_name else slug(Path(self.source.name).stem)[:40]
        ident = stem if str(self.year) in stem else "-".join(filter(None, [stem, str(self.year)]))
        ordered: dict = {"id": ident}
        header_notes["id"] = [_("made from the place and the year; any letters, digits, '-' will do")]
        if not self.title:
            self.title = Path(self.source.name).stem
            header_notes["title"] = [_("the document has no title ('KẾ HOẠCH …'): its file name; write the title")]
            self.cannot_place(_("title"), _("no 'KẾ HOẠCH' title"))
        elif self.title_note:
            header_notes["title"] = [self.title_note]
        ordered["title"] = self.title
        if not self.issuer:
            self.issuer = _("(not named in the document)")
            header_notes["issuer"] = [_("the document does not name its issuer: write it")]
            self.cannot_place(_("issuer"), _("no letterhead naming the issuing body"))
        elif self.issuer_note:
            header_notes["issuer"] = [self.issuer_note]
        ordered["issuer"] = self.issuer
        if "number" in data:
            ordered["number"] = data["number"]
        if self.issued:
            ordered["issued"] = self.issued
        if not ("number" in data or self.issued):
            header_notes.setdefault("year", []).append(_("the copy read has no number and no date of issue"))
        if self.signed_by:
            ordered["signed_by"] = self.signed_by
        ordered["year"] = self.year
        if self.year_note:
            header_notes.setdefault("year", []).append(self.year_note)
        for key in ("legal", "purposes", "requirements"):
            values = {"legal": self.legal, "purposes": self.purposes, "requirements": self.requirements}[key]
            if values:
                ordered["legal_basis" if key == "legal" else key] = values
        if self.theme:
            ordered["theme"] = self.theme
        national = self.national_day
        if national:
            ordered["national_day"] = national[0]
            header_notes["national_day"] = [_('{ref}: "{text}"').format(ref=national[1], text=national[2])]
        if self.campaign is not None:
            ordered["campaign"] = {"start": self.campaign.start, "end": self.campaign.end, "ref": self.time_ref}
            header_notes["campaign"] = [
                _('{ref}: "{text}", both ends inclusive').format(ref=self.time_ref, text=self.campaign.phrase)
            ]
            if self.campaign.year_inferred:
                header_notes["campaign"].append(
                    self.infer(
                        "campaign",
                        _("'{phrase}' has no year: {year}, the plan's year").format(
                            phrase=self.campaign.phrase, year=self.year
                        ),
                    )
                )
        milestones = self.build_milestones(national)
        if milestones:
            ordered["milestones"] = milestones
        if self.budget:
            ordered["budget"] = self.budget
        ordered["agencies"] = []
        for index, agency in enumerate(self.agencies):
            entry: dict = {"id": agency.id, "name": _cut(agency.name)}
            if agency.short_name:
                entry["short_name"] = agency.short_name
            if agency.ref:
                entry["ref"] = agency.ref
            elif agency.partner_of:
                self.comments[("agencies", index)] = [
                    _("named as a partner in {ref}, with no clause of its own; check it belongs in the plan").format(
                        ref=agency.partner_of
                    )
                ]
            else:
                self.comments[("agencies", index)] = [_("named in the annex table")]
            if agency.members:
                entry["members"] = agency.members
            if agency.category and not agency.members:
                self.comments.setdefault(("agencies", index), []).append(
                    _(
                        "a group the document does not list; add its members with: dsday plan members {id} --from FILE"
                    ).format(id=agency.id)
                )
            for key, notes in agency.notes.items():
                self.comments.setdefault(("agencies", index, key), []).extend(notes)
            ordered["agencies"].append(entry)
        ordered["responsibilities"] = []
        for index, item in enumerate([*self.activities, *self.items]):
            entry = {"id": item.id, "ref": item.refs if len(item.refs) > 1 else item.refs[0]}
            if item.agency:
                entry["agency"] = item.agency
            if item.partners:
                entry["partners"] = item.partners
            entry["title"] = _cut(_title_of(item.text) or item.text)
            detail = item.full_text
            if detail.rstrip(" .;") != entry["title"].rstrip(" .;…"):
                entry["detail"] = _cut(detail)
            if item.deadline:
                entry["deadline"] = item.deadline
            path = ("responsibilities", index)
            for key, notes in item.notes.items():  # a note on a key not written (no deadline) goes above the item
                self.comments.setdefault(path + ((key,) if key in entry else ()), []).extend(notes)
            ordered["responsibilities"].append(entry)
        for key, notes in header_notes.items():
            self.comments.setdefault((key,), []).extend(notes)
        header = [
            _("Draft plan read by 'dsday draft' from {name}; check it against the document before use.").format(
                name=self.source.name
            ),
            _("Comments marked 'inferred' are readings the document does not state; the others quote it."),
        ]
        return Draft(ordered, self.comments, self.inferred, self.unplaced, header, self.missing)

    def build_milestones(self, national: tuple | None) -> list[dict]:
        found: list[tuple[date | None, int, dict, list[str]]] = []
        order = 0
        if self.campaign is not None:
            subject = re.sub(r"^(Các|Những)\s+", "", self.campaign_subject)
            found.append(
                (
                    self.campaign.start,
                    order,
                    {
                        "id": "campaign-start",
                        "title": _cut(
                            "Bắt đầu các " + subject[:1].lower() + subject[1:]
                            if subject.lower().startswith("hoạt động")
                            else "Bắt đầu " + subject
                            if subject[:1].islower()
                            else "Bắt đầu: " + subject
                        ),
                        "date": self.campaign.start,
                        "deadline": "on",
                        "ref": self.time_ref,
                    },
                    [],
                )
            )
            order += 1
        for reading, words, text, milestone in self.events:
            found.append(
                (
                    milestone["date"],
                    order,
                    milestone,
                    [_('{ref}: "{text}"').format(ref=self.time_ref, text=_excerpt(text, 140))],
                )
            )
            order += 1
        for step, text in self.steps:
            found.append(
                (step["date"], order, step, [_('{ref}: "{text}"').format(ref=self.time_ref, text=_excerpt(text, 140))])
            )
            order += 1
        if national:
            found.append(
                (
                    national[0],
                    order,
                    {
                        "id": "national-day",
                        "title": "Ngày Chuyển đổi số quốc gia",
                        "date": national[0],
                        "deadline": "on",
                        "ref": national[1],
                    },
                    [],
                )
            )
            order += 1
        if self.campaign is not None:
            subject = re.sub(r"^(Các|Những)\s+", "", self.campaign_subject)
            found.append(
                (
                    self.campaign.end,
                    order,
                    {
                        "id": "campaign-end",
                        "title": _cut(
                            "Kết thúc các " + subject[:1].lower() + subject[1:]
                            if subject.lower().startswith("hoạt động")
                            else "Kết thúc " + subject
                            if subject[:1].islower()
                            else "Kết thúc: " + subject
                        ),
                        "date": self.campaign.end,
                        "deadline": "by",
                        "ref": self.time_ref,
                    },
                    [],
                )
            )
            order += 1
        reports = 0
        for item in self.items:
            deadline = item.deadline
            if (
                deadline
                and deadline.get("source", "stated") == "stated"
                and deadline["kind"] in ("before", "by", "on")
                and item.text.lower().startswith("báo cáo")
            ):
                reports += 1
                found.append(
                    (
                        deadline["date"],
                        order,
                        {
                            "id": "report" if reports == 1 else f"report-{reports}",
                            "title": _cut(_title_of(item.text)),
                            "date": deadline["date"],
                            "deadline": deadline["kind"],
                            "ref": item.refs[0],
                            "items": [item.id],
                        },
                        [],
                    )
                )
                order += 1
        milestones = []
        for index, (_day_, _order, milestone, notes) in enumerate(sorted(found, key=lambda f: (f[0], f[1]))):
            milestones.append(milestone)
            if notes:
                self.comments[("milestones", index)] = notes
        return milestones


def draft_plan(
    source: Source, year: int | None = None, member_lists: Mapping[str, tuple[str, Sequence[str]]] | None = None
) -> Draft:
    """A draft plan from a document's text; ``member_lists`` maps an agency (id or name) to (file name, names)."""
    return _Reader(source, year, member_lists or {}).read()


def summary_lines(draft: Draft, source: str) -> list[str]:
    """What the reader found, inferred and could not place, for the end of ``dsday draft``."""
    counts = draft.counts
    year_inferred = sum(1 for line in draft.inferred if re.match(r"^[\w.-]+ deadline: ", line))
    lines = [
        _(
            "{source}: {agencies} agencies ({members} members), {duties} duties; deadlines: {stated} stated "
            "({guessed} read with an inferred year or kind), {cited} cited from another clause, {none} none"
        ).format(source=source, guessed=year_inferred, **counts)
    ]
    if draft.inferred:
        lines.append(_("{count} values inferred, each commented in the draft:").format(count=len(draft.inferred)))
        lines += [f"  - {line}" for line in draft.inferred[:SUMMARY_LINES]]
        if len(draft.inferred) > SUMMARY_LINES:  # an annex of thousands of rows: the draft's comments say the rest
            lines.append(
                "  " + _("… and {count} more, each commented in the draft").format(
                    count=len(draft.inferred) - SUMMARY_LINES
                )
            )
    if draft.missing:
        lines.append(
            n_(
                "{count} duty drafted with no lead agency; write it:",
                "{count} duties drafted with no lead agency; write them:",
                len(draft.missing),
            ).format(count=len(draft.missing))
        )
        lines += [f"  - {line}" for line in draft.missing[:SUMMARY_LINES]]
        if len(draft.missing) > SUMMARY_LINES:
            lines.append("  " + _("… and {count} more").format(count=len(draft.missing) - SUMMARY_LINES))
    if draft.unplaced:
        lines.append(_("could not place {count} passages:").format(count=len(draft.unplaced)))
        lines += [f"  - {line}" for line in draft.unplaced[:SUMMARY_LINES]]
        if len(draft.unplaced) > SUMMARY_LINES:
            lines.append("  " + _("… and {count} more").format(count=len(draft.unplaced) - SUMMARY_LINES))
    else:
        lines.append(_("every passage of the document was placed"))
    return lines


# ---- the command's service --------------------------------------------------------


@record
class DraftResult:
    """The draft as YAML text, and its counts, inferences and unplaced passages for the summary."""

    text: str
    draft: Draft


class DraftBug(DsdayError):
    """The reader produced a plan that does not validate: a bug in dsday, never written."""

    exit_code = ExitCode.SOFTWARE


def draft_document(path: Path, year: int | None = None, member_files: Mapping[str, Path] | None = None) -> DraftResult:
    """Read the document at ``path`` and draft its plan; the YAML is validated before it is returned."""
    from dsday_cli.documents.draft_sources import read_name_list, read_source
    from dsday_cli.core.errors import PlanInvalid
    from dsday_cli.store.plan import parse_plan
    from dsday_cli.core.yamlout import to_yaml

    lists = {agency: (file.name, read_name_list(file)) for agency, file in (member_files or {}).items()}
    draft = draft_plan(read_source(path), year, lists)
    text = to_yaml(draft.data, draft.comments, draft.header)
    try:
        parse_plan(text, "(draft)")
    except PlanInvalid as error:
        raise DraftBug(
            _("the draft of {path} does not validate (a bug in dsday draft): {problem}").format(
                path=path, problem=error.problems[0]
            )
        ) from None
    return DraftResult(text, draft)
