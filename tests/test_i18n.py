"""The interface in Vietnamese and English."""

import gettext
import io
import json
import sys

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "dsday_cli" / "locale" / "vi" / "LC_MESSAGES" / "dsday.po"


@pytest.mark.parametrize(
    "env, words",
    [
        (
            {"LANG": "vi_VN.UTF-8"},
            ["Chủ đề: Khai thác", "Tính đến ngày 12/10/2023", "Các cơ quan", "Quá hạn (1)", "dự kiến trước ngày 10/10/2023"],
        ),
        ({"LANG": "C"}, ["Theme: Khai thác", "As of 12/10/2023", "Agencies", "Overdue (1)", "tentatively before 10/10/2023"]),
        ({"LANG": "vi_VN.UTF-8", "DSDAY_LANG": "en"}, ["Theme: Khai thác"]),
        ({"LANG": "C", "LANGUAGE": "vi"}, ["Chủ đề: Khai thác"]),
    ],
)
def test_status_follows_the_locale(sh, env, words):
    out = sh("status", "--as-of", "2023-10-12", env=env).out
    for word in words:
        assert word in out


def test_lang_option_wins_wherever_it_stands(sh):
    assert "Chủ đề:" in sh("--lang", "vi", "status", env={"LANG": "C"}).out
    assert "Theme:" in sh("status", "--lang", "en", env={"LANG": "vi_VN.UTF-8"}).out
    assert "Theme:" in sh("status", "--lang=en", env={"LANG": "vi_VN.UTF-8"}).out
    assert "Bảng tổng quan" in sh("--help", "--lang", "vi", env={"DSDAY_LANG": "en"}).out  # the option beats the variable
    assert "Theme:" in sh("status", "--lang", "en", env={"DSDAY_LANG": "vi"}).out


def test_help_in_vietnamese(sh):
    out = sh("--help", env={"LANG": "vi_VN.UTF-8"}).out
    assert "Theo dõi kế hoạch của tỉnh" in out and "Bảng tổng quan" in out
    assert "Ví dụ:\n    dsday done v1-3" in sh("done", "--help", env={"DSDAY_LANG": "vi"}).out
    assert "Examples:\n    dsday done v1-3" in sh("done", "--help", env={"LANG": "C"}).out


def test_key_commands_in_both_languages(sh):
    vi = {"DSDAY_LANG": "vi", "DSDAY_AS_OF": "2023-10-26"}
    en = {"DSDAY_LANG": "en", "DSDAY_AS_OF": "2023-10-26"}
    assert sh("done", "v1-6", "--on", "25/10", env=vi).out == "v1-6: hoàn thành ngày 25/10/2023\n"
    assert "đã hoàn thành (ngày 25/10/2023)" in sh("done", "v1-6", env=vi).out
    assert "already done (on 25/10/2023)" in sh("done", "v1-6", env=en).out
    unknown = sh("show", "v99", env=vi)
    assert unknown.code == 2 and "không có nhiệm vụ 'v99'" in unknown.err
    assert "unknown item 'v99'" in sh("show", "v99", env=en).err
    assert "hoàn thành chậm" in sh("show", "v1-6", env=vi).out and "done late" in sh("show", "v1-6", env=en).out
    report = sh("report", env=vi).out
    assert "# BÁO CÁO\n" in report and "hoàn thành chậm 1 nhiệm vụ (3,7%)" in report
    assert "## III. NHIỆM VỤ CHƯA HOÀN THÀNH" in report
    assert "# REPORT\n" in sh("report", env=en).out
    assert "- [ ] **v2-1** (V.2)" in sh("export", "-a", "sgddt", env=vi).out
    assert "từ ngày 15/09/2023 đến ngày 15/10/2023 (theo mục III Kế hoạch)" in sh("export", "-a", "sgddt", env=vi).out
    assert "**v2-2** (V.2) Chủ trì thực hiện nhân rộng mô hình chuyển đổi số trong hệ thống trường học — không quy định thời hạn" in sh("export", "-a", "sgddt", env=vi).out
    json_vi = sh("list", "--format", "json", env=vi).out
    assert len(json.loads(json_vi)) == 27  # both runs gave the list, not two empty failures
    assert json_vi == sh("list", "--format", "json", env=en).out  # machine output has no language


def test_every_message_is_translated_and_the_catalog_is_compiled():
    sys.path.insert(0, str(ROOT / "scripts"))
    from update_catalog import current_messages

    with open(PO, "rb") as stream:
        catalog = read_po(stream, locale="vi")
    used = {m.id if isinstance(m.id, str) else tuple(m.id) for m in current_messages() if m.id}
    translated = {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in catalog if m.id}
    assert used - set(translated) == set(), "run scripts/update_catalog.py and translate the new messages"
    assert [k for k in used if not translated[k] or not all(translated[k])] == []
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    shipped = gettext.GNUTranslations(open(PO.with_suffix(".mo"), "rb"))
    fresh = gettext.GNUTranslations(io.BytesIO(compiled.getvalue()))
    # The header ("" entry) names the Babel version that compiled it: not part of what is translated.
    messages = {key: text for key, text in shipped._catalog.items() if key != ""}
    assert messages == {key: text for key, text in fresh._catalog.items() if key != ""}, (
        "dsday.mo is older than dsday.po: run scripts/update_catalog.py"
    )


def test_placeholders_survive_translation():
    import re

    with open(PO, "rb") as stream:
        catalog = read_po(stream, locale="vi")
    checked = 0
    for message in catalog:
        if not message.id:
            continue
        checked += 1
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(re.findall(r"\{\w+\}", ids[0]))
        for string in strings:
            assert set(re.findall(r"\{\w+\}", string)) == wanted, message.id
    assert checked > 0  # the catalog was read, not an empty one


def fstring_messages(source: str, name: str) -> list[str]:
    """Every _() or n_() call inside an f-string of ``source``, as 'NAME:LINE: call'."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.JoinedStr):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("_", "n_"):
                    found.append(f"{name}:{call.lineno}: {ast.unparse(call)}")
    return found


def test_no_message_is_looked_up_inside_an_f_string():
    """Babel does not extract _() or n_() inside an f-string: such a message would never be translated."""
    found = []
    for path in sorted((ROOT / "dsday_cli").rglob("*.py")):
        found += fstring_messages(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "write _('... {x} ...').format(x=...) instead"


def test_the_f_string_check_sees_them():
    source = "heading = f\"**{_('Theme:')}** {theme}\"\nnote = f\"({n_('{n} day', '{n} days', n)})\"\nok = _(\"x\")\n"
    assert fstring_messages(source, "m.py") == ["m.py:1: _('Theme:')", "m.py:2: n_('{n} day', '{n} days', n)"]
