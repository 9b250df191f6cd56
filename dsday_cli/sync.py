"""Sharing a plan and its journal between offices through git.

git is run as a program with argument lists, never through a shell, so item ids and
notes cannot become commands. The journal merges without conflicts: ``.gitattributes``
gives ``*.progress.jsonl`` git's union merge, and readers deduplicate events by id and
order them by time, so the order git leaves lines in does not matter.
"""

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from dsday_cli.errors import SyncError, UsageError
from dsday_cli.i18n import _

ATTRIBUTES_LINE = "*.progress.jsonl merge=union"
NETWORK_TIMEOUT = 120


def _git(repo: Path, *args: str, timeout: float = 30, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", LC_ALL="C")
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=timeout)
    except FileNotFoundError:
        raise SyncError(_("git is not installed; install it to share a plan")) from None
    except subprocess.TimeoutExpired:
        raise SyncError(
            _("git {command} took longer than {seconds} s; is the remote reachable?").format(
                command=args[0], seconds=round(timeout)
            )
        ) from None
    if check and done.returncode != 0:
        raise SyncError(
            _("git {command} failed: {message}").format(command=args[0], message=_last_line(done.stderr or done.stdout))
        )
    return done


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _identity(repo: Path, who: str | None) -> list[str]:
    """-c options naming the committer when git has no identity configured (a fresh server)."""
    if _git(repo, "config", "user.email", check=False).stdout.strip():
        return []
    name = who or "dsday"
    return ["-c", f"user.name={name}", "-c", "user.email=dsday@localhost"]


def _ensure_attributes(top: Path) -> bool:
    """Add the union-merge rule for journals to .gitattributes; True if it had to be added."""
    attributes = top / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTES_LINE in text.splitlines():
        return False
    attributes.write_text(
        text + ("" if text.endswith("\n") or not text else "\n") + ATTRIBUTES_LINE + "\n", encoding="utf-8"
    )
    return True


def init_repository(directory: Path, who: str | None = None) -> str:
    """Make ``directory`` (holding plan.yaml) a repository ready to share; returns what was done."""
    if not (directory / ".git").exists():
        _git(directory, "init", "-q")
    _ensure_attributes(directory)
    _git(directory, "add", "--", "plan.yaml", ".gitattributes")
    staged = _git(directory, "diff", "--cached", "--quiet", check=False).returncode != 0
    if staged:
        _git(directory, *_identity(directory, who), "commit", "-q", "-m", "dsday: start the plan")
    if _git(directory, "remote").stdout.split():
        return _("{dir}: plan committed; 'dsday sync' there shares it with the remote.").format(dir=directory) + "\n"
    return (
        _(
            "{dir} is a git repository with the plan committed.\nShare it: git -C {dir} remote add origin URL, then 'dsday sync' there."
        ).format(dir=directory)
        + "\n"
    )


@dataclass
class SyncReport:
    """What a sync did, in lines to show."""

    lines: list[str] = field(default_factory=list)


def _new_items(top: Path, journal: Path) -> list[str]:
    """Items named by journal lines not yet committed."""
    relative = str(journal.resolve().relative_to(top))
    tracked = _git(top, "ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
    if tracked:
        diff = _git(top, "diff", "HEAD", "--", relative).stdout
        added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    else:
        added = journal.read_text(encoding="utf-8", errors="replace").splitlines()
    items = []
    for line in added:
        try:
            items.append(str(json.loads(line)["item"]))
        except (ValueError, KeyError, TypeError):
            continue
    return items


def sync(plan_file: Path, journal: Path, push: bool = True, who: str | None = None) -> SyncReport:
    """Commit the journal's new events, pull with rebase, push. Raises SyncError; nothing is lost."""
    report = SyncReport()
    where = plan_file.resolve().parent
    found = _git(where, "rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        raise UsageError(
            _(
                "{dir} is not in a git repository; make one with 'dsday init --git {dir}' (or 'git init'), then sync"
            ).format(dir=where)
        )
    top = Path(found.stdout.strip()).resolve()
    try:
        relative = str(journal.resolve().relative_to(top))
    except ValueError:
        raise UsageError(
            _("{journal} is outside the repository {top}; sync shares the journal beside the plan").format(
                journal=journal, top=top
            )
        ) from None
    plan_relative = str(plan_file.resolve().relative_to(top))
    identity = _identity(top, who)

    if _ensure_attributes(top):
        _git(top, "add", "--", ".gitattributes")
        report.lines.append(_("added the union-merge rule for journals to .gitattributes"))
    if _git(top, "status", "--porcelain", "--", plan_relative).stdout.strip():
        report.lines.append(
            _("{plan} has edits that are not committed; sync leaves them to you (git commit)").format(
                plan=plan_relative
            )
        )
    if journal.exists():
        items = _new_items(top, journal)
        _git(top, "add", "--", relative)
        if items:
            shown = ", ".join(dict.fromkeys(items[:12])) + (", …" if len(set(items)) > 12 else "")
            message = f"dsday: {len(items)} event(s): {shown}"
            report.lines.append(_("committed {count} new event(s): {items}").format(count=len(items), items=shown))
        else:
            message = "dsday: journal"
    else:
        message = "dsday: sync"
    if _git(top, "diff", "--cached", "--quiet", check=False).returncode != 0:
        _git(top, *identity, "commit", "-q", "-m", message)
    elif not report.lines:
        report.lines.append(_("nothing new to commit"))

    if not push:
        report.lines.append(_("not pulled or pushed (--no-push)"))
        return report
    remotes = _git(top, "remote").stdout.split()
    if not remotes:
        report.lines.append(_("no remote to share with; add one: git remote add origin URL"))
        return report
    remote = "origin" if "origin" in remotes else remotes[0]
    branch = _git(top, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    fetched = _git(top, "fetch", "-q", remote, timeout=NETWORK_TIMEOUT, check=False)
    if fetched.returncode != 0:
        raise SyncError(
            _(
                "cannot reach '{remote}' ({message}); your events are committed locally: run 'dsday sync' again later"
            ).format(remote=remote, message=_last_line(fetched.stderr))
        )
    upstream = f"{remote}/{branch}"
    if _git(top, "rev-parse", "--verify", "-q", upstream, check=False).returncode == 0:
        rebased = _git(top, *identity, "rebase", "--autostash", upstream, check=False)
        if rebased.returncode != 0:
            conflicted = _git(top, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
            raise SyncError(
                _(
                    "{files} conflicts with {upstream}: resolve it (git status), 'git add' it and 'git rebase --continue', then 'dsday sync' again (or 'git rebase --abort')"
                ).format(files=", ".join(conflicted) or "plan.yaml", upstream=upstream)
            )
        report.lines.append(_("pulled {upstream}").format(upstream=upstream))
    pushed = _git(top, "push", "-q", "-u", remote, f"HEAD:{branch}", timeout=NETWORK_TIMEOUT, check=False)
    if pushed.returncode != 0:
        raise SyncError(
            _(
                "push to '{remote}' failed ({message}); your events are committed locally: run 'dsday sync' again"
            ).format(remote=remote, message=_last_line(pushed.stderr))
        )
    report.lines.append(_("pushed to {remote}/{branch}").format(remote=remote, branch=branch))
    return report
