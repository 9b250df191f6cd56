"""dsday: track a province's National Digital Transformation Day plan.

The public API, for Python scripts (see README, "Python API")::

    import dsday_cli as d

    ws = d.open_workspace("plan.yaml", as_of="12/10/2023")
    for status in ws.select(agencies=["do luong"], statuses=["overdue"]):
        print(status.item.id, status.item.title)

Names are loaded on first use, so ``import dsday_cli`` costs the command line nothing.
"""

from typing import TYPE_CHECKING, Any

from dsday_cli._version import __version__

__all__ = [
    "DsdayError",
    "Environment",
    "Event",
    "ItemStatus",
    "Outcome",
    "Plan",
    "PlanInvalid",
    "Result",
    "Status",
    "UsageError",
    "Workspace",
    "init_plan",
    "load_plan",
    "open_workspace",
    "rollover_plan",
    "sync_journal",
    "validate_plan",
]

_HOMES = {
    "DsdayError": "errors",
    "PlanInvalid": "errors",
    "UsageError": "errors",
    "Environment": "environment",
    "Event": "model",
    "Plan": "model",
    "Status": "model",
    "ItemStatus": "status",
    "load_plan": "plan",
    "Outcome": "workspace",
    "Result": "workspace",
    "Workspace": "workspace",
    "init_plan": "workspace",
    "open_workspace": "workspace",
    "rollover_plan": "workspace",
    "sync_journal": "workspace",
    "validate_plan": "workspace",
}

if TYPE_CHECKING:
    from dsday_cli.environment import Environment
    from dsday_cli.errors import DsdayError, PlanInvalid, UsageError
    from dsday_cli.model import Event, Plan, Status
    from dsday_cli.plan import load_plan
    from dsday_cli.status import ItemStatus
    from dsday_cli.workspace import (
        Outcome,
        Result,
        Workspace,
        init_plan,
        open_workspace,
        rollover_plan,
        sync_journal,
        validate_plan,
    )


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'dsday_cli' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"dsday_cli.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
