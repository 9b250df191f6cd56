"""``@record``: the project's dataclasses, with ``==``, ``repr`` and ``hash`` written once.

``@dataclass`` compiles every method it generates (one ``exec`` each) when a module is
imported; for the 22 classes every command loads that was 9 ms, most of dsday's own
start-up (issue 17). ``@record`` lets dataclasses generate only ``__init__`` (and a
frozen class's guards) and gives every class the same field-wise methods, so a class
behaves as ``@dataclass`` made it: ``fields``, ``replace``, ``asdict``, Pydantic.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, cast, dataclass_transform, overload

T = TypeVar("T", bound=type)


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in fields(self) if f.compare)


def _eq(self: Any, other: object) -> object:  # a bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


def _hash(self: Any) -> int:
    return hash(_values(self))


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, frozen: bool = False, slots: bool = False) -> Callable[[T], T]: ...
@dataclass_transform(field_specifiers=(field,))
def record(cls: Any = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """``@dataclass`` (or ``@dataclass(frozen=True, slots=True)``) with shared ``==``, ``repr`` and ``hash``.

    As with ``@dataclass``, a frozen record is hashable by its fields and a mutable one
    is not hashable.
    """

    def wrap(cls: T) -> T:
        cls.__eq__ = _eq  # type: ignore[assignment]
        cls.__repr__ = _repr  # type: ignore[assignment]
        cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
        return cast(T, dataclass(eq=False, repr=False, frozen=frozen, slots=slots)(cls))

    return wrap if cls is None else wrap(cls)
