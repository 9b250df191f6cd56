"""The reader measured on plans it was not written from: the evaluation set in tests/eval/.

Plans of the genre written for the tests (provinces in the district era and after
2025, ministries, a district, a town, annex tables, Word documents in list styles, a
PDF; three of them measured before the reader saw them), each with a hand encoding: one row a duty, [words of its text, lead, partners,
deadline]. The reader drafts each (the draft's data, before the YAML is written); every
duty of the encoding is looked up by its words and compared; the table of the results is
printed (pytest -s shows it) and held to the thresholds of the issue. A deadline where the
encoding has none, or a day the document does not write, is an invented deadline: none
is allowed.
"""

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml

from dsday_cli.documents.draft import draft_plan, read_deadlines
from dsday_cli.documents.draft_sources import read_source
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "eval"
PLANS = sorted(p for p in EVAL.iterdir() if p.suffix in (".txt", ".md", ".docx", ".pdf") and p.name != "README.md")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _expected_deadline(text: str) -> tuple | None:
    words = text.split()
    if words[0] == "cited":
        words = words[1:]
    kind, values = words[0], words[1:]
    if kind == "none":
        return None
    if kind in ("before", "by", "on"):
        return (kind, date.fromisoformat(values[0]))
    if kind == "window":
        return (kind, date.fromisoformat(values[0]), date.fromisoformat(values[1]))
    if kind == "ongoing":
        return (kind,)
    return (kind, values[0])  # month YYYY-MM, quarter YYYY-Qn, year YYYY


def _drafted_deadline(deadline: dict | None) -> tuple | None:
    if not deadline:
        return None
    kind = deadline["kind"]
    if kind in ("before", "by", "on"):
        return (kind, deadline["date"])
    if kind == "window":
        return (kind, deadline["start"], deadline["end"])
    if kind == "ongoing":
        return (kind,)
    return (kind, str(deadline[kind]))


def _written_in(reading: tuple, text: str) -> bool:
    """Whether the document writes the deadline's days (so that the reader did not make them up)."""
    kind, *values = reading
    if kind == "ongoing":
        return "thường xuyên" in text or "liên tục" in text
    if kind == "quarter":
        year, quarter = values[0].split("-Q")
        roman = ["I", "II", "III", "IV"][int(quarter) - 1]
        return re.search(rf"quý\s+{roman}\s*/\s*{year}", text, re.IGNORECASE) is not None
    if kind == "year":
        return values[0] in text
    if kind == "month":
        return re.search(rf"tháng\s+0?{int(values[0][5:])}\b", text) is not None
    return all(
        re.search(rf"(?<!\d)0?{d.day}\s*/\s*0?{d.month}(?!\d)|(?<!\d)0?{d.day} tháng 0?{d.month}(?!\d)", text)
        for d in values
    )


def _measure(path: Path) -> dict:
    expected = yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text(encoding="utf-8"))
    source = read_source(path)
    text = _fold(" ".join(source.lines + [c for t in source.tables for row in t.rows for c in row]))
    draft = draft_plan(source)
    names = {a["id"]: a["name"] for a in draft.data["agencies"]}
    items = draft.data["responsibilities"]
    left = list(range(len(items)))
    result = {"plan": path.name, "expected": len(expected["duties"]), "drafted": len(items), "found": 0}
    result |= {"lead": 0, "deadline": 0, "partners": 0, "invented": 0, "problems": []}
    header = (draft.data["issuer"], draft.data.get("number"))
    result["header"] = header == (expected["issuer"], expected["number"])
    if not result["header"]:
        result["problems"].append(f"issuer and number {header}, not {(expected['issuer'], expected['number'])}")
    for words, lead, partners, deadline in expected["duties"]:
        hits = [i for i in left if _fold(words) in _fold(f"{items[i]['title']} {items[i].get('detail', '')}")]
        if not hits:
            result["problems"].append(f"not drafted: {words!r}")
            continue
        item = items[hits[0]]
        left.remove(hits[0])
        result["found"] += 1
        got_lead = names.get(item.get("agency"), "")
        if _fold(got_lead) == _fold(lead):
            result["lead"] += 1
        else:
            result["problems"].append(f"{words!r}: lead {got_lead!r}, not {lead!r}")
        got_partners = sorted(_fold(names[p]) for p in item.get("partners", []))
        if got_partners == sorted(_fold(p) for p in partners):
            result["partners"] += 1
        else:
            result["problems"].append(f"{words!r}: partners {got_partners}, not {partners}")
        want, got = _expected_deadline(deadline), _drafted_deadline(item.get("deadline"))
        if want == got:
            result["deadline"] += 1
        else:
            result["problems"].append(f"{words!r}: deadline {got}, not {want}")
        if got is not None and (want is None or not _written_in(got, text)):
            result["invented"] += 1
            result["problems"].append(f"{words!r}: invented deadline {got}")
    result["problems"] += [f"spurious duty: {items[i]['title']!r}" for i in left]
    for i in left:  # a spurious duty's deadline counts as invented when the document does not write it
        got = _drafted_deadline(items[i].get("deadline"))
        if got is not None and not _written_in(got, text):
            result["invented"] += 1
    return result


def _table(results: list[dict]) -> str:
    head = f"{'plan':<28} {'expected':>8} {'drafted':>7} {'found':>5} {'lead':>5} {'deadline':>8} {'partners':>8} {'invented':>8}"
    lines = [head + "  issuer, number"]
    for r in results:
        lines.append(
            f"{r['plan']:<28} {r['expected']:>8} {r['drafted']:>7} {r['found']:>5} {r['lead']:>5} {r['deadline']:>8}"
            f" {r['partners']:>8} {r['invented']:>8}  {'right' if r['header'] else 'wrong'}"
        )
    total = {k: sum(r[k] for r in results) for k in ("expected", "drafted", "found", "lead", "deadline", "partners", "invented")}
    lines.append(
        f"{'total':<28} {total['expected']:>8} {total['drafted']:>7} {total['found']:>5} {total['lead']:>5}"
        f" {total['deadline']:>8} {total['partners']:>8} {total['invented']:>8}"
    )
    found = total["found"] or 1
    lines.append(
        f"precision {total['found'] / (total['drafted'] or 1):.3f}  recall {total['found'] / total['expected']:.3f}  "
        f"lead {total['lead'] / found:.1%}  deadline {total['deadline'] / found:.1%}  "
        f"partners {total['partners'] / found:.1%}  invented {total['invented']}"
    )
    for r in results:
        lines += [f"  {r['plan']}: {p}" for p in r["problems"]]
    return "\n".join(lines)


def test_the_reader_on_the_evaluation_set():
    results = [_measure(path) for path in PLANS]
    table = _table(results)
    print("\n" + table)
    expected = sum(r["expected"] for r in results)
    drafted = sum(r["drafted"] for r in results)
    found = sum(r["found"] for r in results)
    assert len(results) >= 8
    assert found / drafted >= 0.97, table
    assert found / expected >= 0.97, table
    assert sum(r["lead"] for r in results) / found >= 0.95, table
    assert sum(r["deadline"] for r in results) / found >= 0.95, table
    assert sum(r["partners"] for r in results) / found >= 0.90, table
    assert sum(r["invented"] for r in results) == 0, table
    assert all(r["header"] for r in results), table
