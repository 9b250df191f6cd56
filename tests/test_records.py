"""``@record`` classes behave as ``@dataclass`` made them: equality, repr, hashing, the dataclasses API."""

import dataclasses

import pytest

from dsday_cli.core.model import Event, Member, Status
from dsday_cli.core.records import record
from dsday_cli.core.status import MemberStatus


@record
class Pair:
    a: int
    b: list = dataclasses.field(default_factory=list)
    hidden: str = dataclasses.field(default="x", repr=False, compare=False)


@record(frozen=True)
class Point:
    x: int
    y: int = 0


def test_equality_repr_and_hash_follow_the_fields():
    assert Pair(1, [2]) == Pair(1, [2], hidden="other")  # compare=False is left out
    assert Pair(1) != Pair(2)
    assert Pair(1).__eq__(Point(1)) is NotImplemented
    assert repr(Pair(1, [2])) == "Pair(a=1, b=[2])"
    with pytest.raises(TypeError):
        hash(Pair(1))  # mutable: unhashable, as @dataclass makes it
    assert hash(Point(1, 2)) == hash(Point(1, 2)) and len({Point(1), Point(1), Point(2)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 3  # type: ignore[misc]


def test_the_dataclasses_api_still_works():
    assert [f.name for f in dataclasses.fields(Pair)] == ["a", "b", "hidden"]
    assert dataclasses.replace(Point(1, 2), y=5) == Point(1, 5)
    assert dataclasses.asdict(Pair(1, [2])) == {"a": 1, "b": [2], "hidden": "x"}


def test_project_records():
    member = Member(id="vinh", name="Thành phố Vinh")
    assert MemberStatus(member, Status.DONE, None) == MemberStatus(Member(id="vinh", name="Thành phố Vinh"), Status.DONE, None)
    assert "name='Thành phố Vinh'" in repr(member)
    event = Event("e1", "2023-10-01T00:00:00.000000Z", "done", "v1-3", None, "2023-10-01", "an", None, "nghe-an-2023")
    assert event == dataclasses.replace(event) and hash(event) == hash(dataclasses.replace(event))
    assert not hasattr(event, "__dict__")  # slots kept
