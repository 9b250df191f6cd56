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
    "AgencyCounts",
    "CampaignPhase",
    "Dashboard",
    "DsdayError",
    "Environment",
    "Event",
    "ImportResult",
    "ItemStatus",
    "MemberStatus",
    "MilestoneCountdown",
    "Outcome",
    "Plan",
    "PlanInvalid",
    "Query",
    "Result",
    "Role",
    "Rolled",
    "RowId",
    "SortKey",
    "Status",
    "UsageError",
    "Validation",
    "Workspace",
    "init_plan",
    "load_plan",
    "open_workspace",
    "rollover_plan",
    "sync_journal",
    "validate_plan",
]

_HOMES = {
    "DsdayError": "core.errors",
    "PlanInvalid": "core.errors",
    "UsageError": "core.errors",
    "Environment": "app.environment",
    "Event": "core.model",
    "Plan": "core.model",
    "Status": "core.model",
    "ItemStatus": "core.status",
    "load_plan": "store.plan",
    "Outcome": "core.recording",
    "Result": "core.recording",
    "Query": "core.query",
    "Role": "core.query",
    "SortKey": "core.query",
    "Workspace": "app.workspace",
    "init_plan": "app.workspace",
    "open_workspace": "app.workspace",
    "rollover_plan": "app.workspace",
    "sync_journal": "app.workspace",
    "validate_plan": "app.workspace",
    "AgencyCounts": "core.status",
    "CampaignPhase": "core.status",
    "Dashboard": "core.status",
    "MemberStatus": "core.status",
    "MilestoneCountdown": "core.status",
    "RowId": "core.status",
    "ImportResult": "app.workspace",
    "Validation": "app.workspace",
    "Rolled": "store.rollover",
}

if TYPE_CHECKING:
    from dsday_cli.core.status import (
        AgencyCounts,
        CampaignPhase,
        Dashboard,
        MemberStatus,
        MilestoneCountdown,
        RowId,
    )
    from dsday_cli.store.rollover import Rolled
    from dsday_cli.app.environment import Environment
    from dsday_cli.core.errors import DsdayError, PlanInvalid, UsageError
    from dsday_cli.core.model import Event, Plan, Status
    from dsday_cli.store.plan import load_plan
    from dsday_cli.core.status import ItemStatus
    from dsday_cli.core.query import Query, Role, SortKey
    from dsday_cli.core.recording import Outcome, Result
    from dsday_cli.app.workspace import (
        ImportResult,
        Validation,
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
