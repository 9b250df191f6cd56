"""Sharing a plan and its journal between offices through git.

git is run as a program with argument lists, never through a shell, so item ids and
notes cannot become commands. The journal merges without conflicts: ``.gitattributes``
gives ``*.progress.jsonl`` git's union merge (checked with ``git check-attr``, here and
in what is pulled, before any rebase), and readers deduplicate events by id and order
them by time, so the order git leaves lines in does not matter.

A sync never leaves the repository mid-rebase: every event is committed before the
rebase starts, and a rebase that stops is aborted, which restores the branch and the
working tree as they were. While git is in the middle of a rebase or merge (a user's,
or one a killed sync left), every writer refuses (``journal.refuse_during_git_operation``),
because aborting it would throw away what was written meanwhile.
"""

import json
import os
import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from dsday_cli.core.errors import MergeRuleOverridden, RefusedFile, RepositoryBusy, SyncError, UsageError
from dsday_cli.core.i18n import _, n_
from dsday_cli.store.journal import operation_in_progress, refuse_during_git_operation
from dsday_cli.core.records import record

ATTRIBUTES_LINE = "*.progress.jsonl merge=union"
LOCK_PATTERN = ".*.progress.jsonl.lock"  # see journal.lock_path
PUSH_ATTEMPTS = 5  # a push refused because another office pushed first is pulled and tried again
NETWORK_TIMEOUT = 120
STASH_MESSAGE = "dsday sync: uncommitted changes"
_HELD_LOCK = re.compile(r"Unable to create '([^'\n]+\.lock)': File exists")

if TYPE_CHECKING:
    import subprocess


def _held_lock(repo: Path, done: "subprocess.CompletedProcess[str]") -> RepositoryBusy | None:
    """The error naming git's lock file when git failed because one is there (another git, or a killed one left it)."""
    found = _HELD_LOCK.search(done.stderr or "")
    if found is None:
        return None
    return RepositoryBusy(
        _(
            "{lock}: git's lock file is there: another git command is running in {repo}, or one was stopped before it finished (a killed 'dsday sync'); if no git is running, remove {lock}, then 'dsday sync' again"
        ).format(lock=found.group(1), repo=repo)
    )


def _git(
    repo: Path, *args: str, timeout: float = 30, check: bool = True, env: dict[str, str] | None = None
) -> "subprocess.CompletedProcess[str]":
    import subprocess

    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", LC_ALL="C", **(env or {}))
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
        raise _held_lock(repo, done) or SyncError(
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


def _refuse_link(path: Path, name: str) -> None:
    """RefusedFile if ``path`` is a symbolic link or not a regular file (absent is fine)."""
    import stat

    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise SyncError(_("{path}: cannot read: {reason}").format(path=path, reason=error.strerror)) from None
    if not stat.S_ISREG(mode):
        raise _refused(path, mode, name)


def _refused(path: Path | str, mode: int, name: str) -> RefusedFile:
    from dsday_cli.store.files import refusal

    return RefusedFile(
        _(
            "{path}: {reason}; dsday neither reads nor writes through it: replace it with the real file ('git log -- {name}' shows who committed it)"
        ).format(path=path, reason=refusal(mode), name=name)
    )


def _ensure_attributes(top: Path) -> bool:
    """Add the union-merge rule for journals to .gitattributes; True if it had to be added."""
    from dsday_cli.store.files import write_atomically

    attributes = top / ".gitattributes"
    _refuse_link(attributes, ".gitattributes")
    try:
        text = attributes.read_bytes().decode("utf-8", errors="replace") if attributes.exists() else ""
    except OSError as error:
        raise SyncError(_("{path}: cannot read: {reason}").format(path=attributes, reason=error.strerror)) from None
    if ATTRIBUTES_LINE in text.splitlines():
        return False
    write_atomically(attributes, text + ("" if text.endswith("\n") or not text else "\n") + ATTRIBUTES_LINE + "\n")
    return True


def _ensure_excluded(top: Path) -> None:
    """Keep journal lock files out of ``git status`` (in the clone's own info/exclude, never committed)."""
    found = _git(top, "rev-parse", "--git-path", "info/exclude", check=False)
    if found.returncode != 0:
        return
    exclude = top / found.stdout.strip()
    try:
        text = exclude.read_text(encoding="utf-8", errors="replace") if exclude.is_file() else ""
        if LOCK_PATTERN not in text.splitlines():
            exclude.parent.mkdir(parents=True, exist_ok=True)
            with open(exclude, "a", encoding="utf-8") as stream:
                stream.write(("" if text.endswith("\n") or not text else "\n") + LOCK_PATTERN + "\n")
    except OSError:
        pass  # only cosmetic: the lock file then shows as untracked


def init_repository(directory: Path, who: str | None = None) -> str:
    """Make ``directory`` (holding plan.yaml) a repository ready to share; returns what was done."""
    if not (directory / ".git").exists():
        _git(directory, "init", "-q")
    _ensure_attributes(directory)
    _ensure_excluded(directory)
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


@record
class SyncReport:
    """What a sync did, in lines to show."""

    lines: list[str] = field(default_factory=list)
    held: bool = False  # committed only, as asked: not pulled or pushed


def _new_items(top: Path, journal: Path, relative: str) -> list[str]:
    """Items named by journal lines not yet committed."""
    tracked = _git(top, "ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
    if not tracked:
        from dsday_cli.store.journal import JournalScan

        with JournalScan(journal) as scan:
            return [event.item for event in scan]
    diff = _git(top, "diff", "HEAD", "--", relative).stdout
    items = []
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            try:
                items.append(str(json.loads(line[1:])["item"]))
            except (ValueError, KeyError, TypeError, RecursionError):
                continue
    return items


def _commit_journal(top: Path, journal: Path, paths: list[str], identity: list[str], report: SyncReport) -> bool:
    """Commit the journal's new lines (and the files in ``paths`` after it); whether anything was committed."""
    paths = [p for p in paths if (top / p).exists()]  # a journal not yet written, or removed, is not committed
    if not paths:
        return False
    items = _new_items(top, journal, paths[0]) if paths[0] != ".gitattributes" else []
    _git(top, "add", "--", *paths)
    if _git(top, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return False
    if items:
        shown = ", ".join(dict.fromkeys(items[:12])) + (", …" if len(set(items)) > 12 else "")
        message = f"dsday: {len(items)} event{'' if len(items) == 1 else 's'}: {shown}"  # git history: English
        committed = n_("committed {count} new event: {items}", "committed {count} new events: {items}", len(items))
        report.lines.append(committed.format(count=len(items), items=shown))
    else:
        message = "dsday: journal"
    _git(top, *identity, "commit", "-q", "-m", message, "--", *paths)
    return True


def _stash(top: Path) -> str | None:
    """Stash uncommitted changes to tracked files (plan edits) before a pull; the stash's commit, if one was made."""
    before = _git(top, "rev-parse", "-q", "--verify", "refs/stash", check=False).stdout.strip()
    _git(top, "stash", "push", "-q", "-m", STASH_MESSAGE)
    after = _git(top, "rev-parse", "-q", "--verify", "refs/stash", check=False).stdout.strip()
    return after if after and after != before else None


def _kept(stash: str) -> str:
    return _("your uncommitted changes are kept in git stash ({stash}): 'git stash list', then 'git stash pop'").format(
        stash=stash[:12]
    )


def _unstash(top: Path, stash: str) -> None:
    """Put stashed changes back; SyncError, naming the stash, if they cannot all be put back."""
    if _git(top, "rev-parse", "-q", "--verify", "refs/stash", check=False).stdout.strip() != stash:
        raise SyncError(_kept(stash))
    popped = _git(top, "stash", "pop", "-q", check=False)
    conflicted = _git(top, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
    left = stash in _git(top, "stash", "list", "--format=%H", check=False).stdout.split()
    if popped.returncode != 0 or conflicted or left:
        raise SyncError(
            _("putting back your uncommitted changes after the pull failed ({message}); {files}").format(
                message=_last_line(popped.stderr or popped.stdout),
                files=(", ".join(conflicted) + ": " if conflicted else "") + _kept(stash),
            )
        )


def _merge_rule(top: Path, relative: str, tree: str | None = None) -> str:
    """git's ``merge`` attribute for ``relative``: in the working tree, or as the .gitattributes of ``tree`` give it."""
    if tree is None:
        found = _git(top, "check-attr", "merge", "--", relative)
    else:  # git check-attr --source needs git 2.40: read the tree into a throwaway index instead
        import tempfile

        with tempfile.TemporaryDirectory(prefix="dsday-attr-") as scratch:
            index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            _git(top, "read-tree", tree, env=index)
            found = _git(top, "check-attr", "--cached", "merge", "--", relative, env=index)
    return found.stdout.strip().rpartition(": ")[2] or "unspecified"


def _check_merge_rule(top: Path, relative: str, upstream: str) -> None:
    """MergeRuleOverridden, before anything is pulled, unless the journal gets git's union merge here and upstream."""
    there = _("at {upstream}").format(upstream=upstream)
    for tree, where, rev in ((None, _("here"), "HEAD"), (upstream, there, upstream)):
        rule = _merge_rule(top, relative, tree)
        if rule == "union":
            continue
        if tree is not None and _git(top, "ls-tree", tree, "--", ".gitattributes").stdout.startswith("120000 "):
            raise _refused(f"{tree}:.gitattributes", 0o120000, ".gitattributes")  # git ignores it: say why
        info = _git(top, "rev-parse", "--git-path", "info/attributes").stdout.strip()
        raise MergeRuleOverridden(
            _(
                "{journal}: git's merge attribute for it is '{rule}', not 'union' (.gitattributes {where} lacks '{line}' or a later line overrides it); sync pulls nothing, so no event is lost: add the line '{journal} merge=union' to {info} (this clone only) and 'dsday sync' again, then remove the overriding line from .gitattributes and commit it ('git log -p {rev} -- .gitattributes' shows who added it)"
            ).format(journal=relative, rule=rule, where=where, rev=rev, line=ATTRIBUTES_LINE, info=info)
        )


def _pull(top: Path, upstream: str, identity: list[str], relative: str) -> None:
    """Rebase onto ``upstream``, uncommitted changes stashed and put back; SyncError, loudly, if anything is left behind.

    A rebase that stops is aborted: the branch, the journal and the working tree are
    as they were (every event is committed before), and the error says what to do.
    """
    stash = _stash(top)
    rebased = _git(top, *identity, "-c", "rebase.autoStash=false", "rebase", upstream, check=False)
    if rebased.returncode != 0:
        unmerged = _git(top, "diff", "--name-only", "-z", "--diff-filter=U", check=False).stdout
        conflicted = list(dict.fromkeys(name for name in unmerged.split("\0") if name))
        if operation_in_progress(top) is not None:
            aborted = _git(top, "rebase", "--abort", check=False)
            if aborted.returncode != 0 or operation_in_progress(top) is not None:
                message = _(
                    "git rebase onto {upstream} stopped and could not be undone ({message}); every event is in a commit: 'git status' says how to finish it"
                ).format(upstream=upstream, message=_last_line(aborted.stderr or aborted.stdout))
                raise SyncError(message + ("; " + _kept(stash) if stash else ""))
        if stash:
            _unstash(top, stash)
        held = _held_lock(top, rebased)
        if held is not None:
            raise held
        if relative in conflicted:
            _check_merge_rule(top, relative, upstream)  # names the rule that let the journal conflict
        if conflicted:
            raise SyncError(
                _(
                    "{files} changed both here and at {upstream} and git cannot merge the changes; sync changed nothing and your events are committed here, not yet shared: run 'git rebase --autostash {upstream}', resolve {files} as git says, 'git add' it and 'git rebase --continue', then 'dsday sync' again"
                ).format(files=", ".join(conflicted), upstream=upstream)
            )
        raise SyncError(
            _(
                "git rebase onto {upstream} failed ({message}); sync changed nothing and your events are committed here: fix that, then 'dsday sync' again"
            ).format(upstream=upstream, message=_last_line(rebased.stderr or rebased.stdout))
        )
    if stash:
        _unstash(top, stash)


def sync(
    plan_file: Path, journal: Path, push: bool = True, who: str | None = None, lock_timeout: float = 5.0
) -> SyncReport:
    """Commit the journal's new events, pull with rebase, push. Raises SyncError; nothing is lost.

    The journal's lock is held while its events are committed and while git rewrites
    the working tree (stash, rebase, stash pop), so an event recorded meanwhile waits
    and lands in the file git leaves, never in one git has replaced.
    """
    from dsday_cli.store.journal import journal_lock

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
    refuse_during_git_operation(top / ".git")  # before anything is written or committed
    journal = journal.parent.resolve() / journal.name  # the journal itself is never resolved: a link is refused
    try:
        relative = str(journal.relative_to(top))
    except ValueError:
        raise UsageError(
            _("{journal} is outside the repository {top}; sync shares the journal beside the plan").format(
                journal=journal, top=top
            )
        ) from None
    plan_relative = str(plan_file.resolve().relative_to(top))
    _refuse_link(journal, relative)
    identity = _identity(top, who)
    _ensure_excluded(top)
    paths = [relative]
    if _ensure_attributes(top):
        paths.append(".gitattributes")
        report.lines.append(_("added the union-merge rule for journals to .gitattributes"))
    for entry in _git(top, "stash", "list", "--format=%gd %gs", check=False).stdout.splitlines():
        if entry.endswith(": " + STASH_MESSAGE):  # a sync stopped between stash and pop left it
            report.lines.append(
                _(
                    "{stash} holds uncommitted changes an earlier sync did not put back: 'git stash show -p {stash}', then 'git stash pop {stash}'"
                ).format(stash=entry.split()[0])
            )
    if _git(top, "status", "--porcelain", "--", plan_relative).stdout.strip():
        report.lines.append(
            _("{plan} has edits that are not committed; sync leaves them to you (git commit)").format(
                plan=plan_relative
            )
        )
    with journal_lock(journal, lock_timeout):
        committed = _commit_journal(top, journal, paths, identity, report)

    if not push:
        if not committed:
            report.lines.append(_("nothing new to commit"))
        report.held = True  # not pulled or pushed, as asked
        return report
    remotes = _git(top, "remote").stdout.split()
    if not remotes:
        if not committed:
            report.lines.append(_("nothing new to commit"))
        report.lines.append(_("no remote to share with; add one: git remote add origin URL"))
        return report
    remote = "origin" if "origin" in remotes else remotes[0]
    branch = _git(top, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    upstream = f"{remote}/{branch}"
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        fetched = _git(top, "fetch", "-q", remote, timeout=NETWORK_TIMEOUT, check=False)
        if fetched.returncode != 0:
            raise _held_lock(top, fetched) or SyncError(
                _(
                    "cannot reach '{remote}' ({message}); your events are committed locally: run 'dsday sync' again later"
                ).format(remote=remote, message=_last_line(fetched.stderr))
            )
        pulled = _git(top, "rev-parse", "--verify", "-q", upstream, check=False).returncode == 0
        if pulled:
            _check_merge_rule(top, relative, upstream)
        with journal_lock(journal, lock_timeout):
            committed = _commit_journal(top, journal, [relative], identity, report) or committed
            if pulled:
                _pull(top, upstream, identity, relative)
        _refuse_link(journal, relative)  # as the other offices left it
        _refuse_link(top / ".gitattributes", ".gitattributes")
        pushed = _git(top, "push", "-q", "-u", remote, f"HEAD:{branch}", timeout=NETWORK_TIMEOUT, check=False)
        if pushed.returncode == 0:
            break
        if attempt < PUSH_ATTEMPTS and "rejected" in pushed.stderr:
            import random
            import time

            time.sleep(random.uniform(0.1, 0.4) * attempt)  # offices that collide do not retry in step
        else:
            raise SyncError(
                _(
                    "push to '{remote}' failed ({message}); your events are committed locally: run 'dsday sync' again"
                ).format(remote=remote, message=_last_line(pushed.stderr))
            )
    if not committed:
        report.lines.append(_("nothing new to commit"))
    if pulled:
        report.lines.append(_("pulled {upstream}").format(upstream=upstream))
    report.lines.append(_("pushed to {remote}/{branch}").format(remote=remote, branch=branch))
    return report
