"""Generated input: any text the draft writes reads back the same; any document drafts or is refused."""

import io
import unicodedata

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsday_cli.documents.draft import draft_plan
from dsday_cli.documents.draft_sources import Source, clean
from dsday_cli.core.errors import DocumentInvalid, UsageError
from dsday_cli.store.plan import parse_plan
from dsday_cli.store.yamldoc import read_yaml
from dsday_cli.core.yamlout import quote, to_yaml
from tests.conftest import ROOT

SEED_LINES = (ROOT / "tests" / "fixtures" / "nghe-an-2023.txt").read_text(encoding="utf-8").splitlines()
TRICKY = st.sampled_from(
    [
        ": ",
        " #",
        "- ",
        "? ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&",
        "*",
        "!",
        "|",
        ">",
        "'",
        '"',
        "%",
        "@",
        "`",
        "\\",
        "yes",
        "No",
        "null",
        "~",
        "1e3",
        "0x1F",
        "10:30",
        "2023-10-10",
        ".inf",
        "<<",
        "=",
        "\t",
        "\n",
        "\u2028",
        "\x85",
        "\ufeff",
        "\u00a0",
        "đ",
        "Ngày",
        "ệ",
        "🙂",
        "\x00",
        "\x1b",
    ]
)
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.lists(TEXT, max_size=3))
def test_any_text_reads_back_the_same_with_every_reader(text, comments):
    from ruamel.yaml import YAML

    data = {"title": text, "list": [text, "x"], "nested": {"name": text}}
    written = to_yaml(data, {("title",): comments, ("list", 0): comments}, header=comments)
    readers = {
        "dsday": lambda t: read_yaml(t).data,  # keeps values in NFC
        "PyYAML (YAML 1.1)": yaml.safe_load,
        "ruamel.yaml (YAML 1.2)": lambda t: YAML(typ="safe").load(io.StringIO(t)),
    }
    for name, reader in readers.items():
        read = reader(written)
        want = unicodedata.normalize("NFC", text) if name == "dsday" else text
        assert (read["title"], read["list"], read["nested"]) == (want, [want, "x"], {"name": want}), name


def test_quote_escapes_what_breaks_a_line():
    assert quote('a"b\\c\nd\te\u2028f\x85') == '"a\\"b\\\\c\\nd\\te\\u2028f\\x85"'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SEED_LINES), min_size=5, max_size=80), st.lists(TEXT, max_size=5))
def test_any_document_drafts_to_a_valid_plan_or_is_refused_in_one_line(lines, noise):
    source = Source("doc.txt", [clean(line) for line in lines + noise])
    try:
        draft = draft_plan(source, year=None)
    except (DocumentInvalid, UsageError) as refusal:
        assert "\n" not in str(refusal)
        return
    parse_plan(to_yaml(draft.data, draft.comments, draft.header), "(draft)")
