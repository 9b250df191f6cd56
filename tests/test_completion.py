"""Shell completion: the scripts for bash, zsh and fish, and what dsday answers them, from the plan in use."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DSDAY, write_plan
from tests.terminal import ShellSession


def completions(words: str, env: dict | None = None, cwd=None, cword: int | None = None) -> list[str]:
    """What dsday offers bash for word ``cword`` of ``words`` (default the last; a trailing space: a new word)."""
    if cword is None:
        cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    full = dict(os.environ) | {"COMP_WORDS": words, "COMP_CWORD": str(cword), "_DSDAY_COMPLETE": "complete_bash"}
    done = subprocess.run([DSDAY], env=full | (env or {}), capture_output=True, text=True, cwd=cwd, timeout=60)
    assert (done.returncode, done.stderr) == (0, ""), done
    return [line for line in done.stdout.splitlines() if line]  # nothing to offer is one empty line


def test_commands_options_and_choices():
    assert completions("dsday sh") == ["show"]
    assert completions("dsday comp") == ["completion"]
    assert completions("dsday plan ") == ["add-member", "members"]
    assert completions("dsday list --s") == ["--status", "--search", "--sort"]
    assert completions("dsday list -f ") == ["table", "json", "csv", "md", "xlsx"]
    assert completions("dsday list --sort ") == ["due", "id", "agency", "status"]
    assert completions("dsday log --by-day w") == ["work"]
    assert completions("dsday completion ") == ["bash", "zsh", "fish"]


def test_statuses_items_agencies_and_members_of_the_embedded_plan():
    assert completions("dsday list --status ") == ["open", "due-soon", "overdue", "done", "done-late", "all"]
    assert completions("dsday list -s o") == ["open", "overdue"]
    assert completions("dsday show v7") == ["v7-1", "v7-2", "v7-3"]
    assert completions("dsday done v1-3 v6") == ["v6-0", "v6-1", "v6-2", "v6-3", "v6-4"]
    assert completions("dsday log --item v2") == ["v2-1", "v2-2"]
    assert completions("dsday list --agency so") == ["so-nganh"]
    assert completions("dsday list --agency gd") == ["sgddt"]  # no id begins so: the names that hold it
    assert completions("dsday list -a do") == ["do-luong", "doanh-nghiep"]  # a member of a group, and an agency
    assert completions("dsday done v7-1 --member th") == ["thai-hoa", "thanh-chuong"]  # members of v7-1's group
    assert completions("dsday done v5-1 --member ") == ["bao-nghe-an", "dai-ptth", "cong-ttdt"]
    assert completions("dsday plan members u") == ["ubnd-huyen"]


def test_the_plan_in_use_is_the_one_on_the_line(tmp_path):
    small = write_plan(tmp_path / "small.yaml", items=3)
    assert completions(f"dsday show --plan {small} t") == ["t0", "t1", "t2"]
    assert completions("dsday show t", env={"DSDAY_PLAN": str(small)}) == ["t0", "t1", "t2"]
    assert completions(f"dsday show t --plan {small}", cword=2) == ["t0", "t1", "t2"]  # --plan after the word
    assert completions(f"dsday list --plan={small} --agency ") == ["ag0", "ag1"]
    write_plan(tmp_path / "plan.yaml", items=2)
    assert completions("dsday show ", cwd=tmp_path) == ["t0", "t1"]  # ./plan.yaml before the embedded plan
    assert completions("dsday show v7", cwd=tmp_path) == []


def test_a_broken_plan_offers_nothing_and_says_nothing(tmp_path):
    (tmp_path / "plan.yaml").write_text("responsibilities: [\n", encoding="utf-8")
    assert completions("dsday show ", cwd=tmp_path) == []
    assert completions("dsday show --plan missing.yaml ", cwd=tmp_path) == []
    assert completions("dsday sh", cwd=tmp_path) == ["show"]


def test_zsh_and_fish_get_the_titles_beside_the_ids():
    base = dict(os.environ) | {"_TYPER_COMPLETE_ARGS": "dsday show v7"}
    zsh = subprocess.run([DSDAY], env=base | {"_DSDAY_COMPLETE": "complete_zsh"}, capture_output=True, text=True)
    assert zsh.stdout.startswith("_arguments '*: :((\"v7-1\":\"Xây dựng Kế hoạch tổ chức Ngày Chuyển đổi số")
    fish = subprocess.run(
        [DSDAY], env=base | {"_DSDAY_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert fish.stdout.splitlines()[0].startswith("v7-1\tXây dựng Kế hoạch tổ chức")
    assert len(fish.stdout.splitlines()) == 3


@pytest.mark.parametrize("shell, check", [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "-n"])])
def test_each_script_is_valid_in_its_shell(sh, tmp_path, shell, check):
    result = sh("completion", shell)
    assert result.code == 0 and "_DSDAY_COMPLETE=complete_" + shell in result.out
    script = tmp_path / f"dsday.{shell}"
    script.write_text(result.out, encoding="utf-8")
    done = subprocess.run([*check, str(script)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")


def shell_env(tmp_path: Path) -> dict[str, str]:
    """A bare environment for an interactive shell: the console script on PATH, a home and state of its own."""
    (tmp_path / "home").mkdir(exist_ok=True)
    return {
        "PATH": f"{Path(DSDAY).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "PS1": "$ ",
    }


def test_show_v7_tab_in_a_real_bash(tmp_path):
    home = tmp_path / "home" / ".local" / "share" / "bash-completion" / "completions"
    home.mkdir(parents=True)
    (home / "dsday").write_text(subprocess.run([DSDAY, "completion", "bash"], capture_output=True, text=True).stdout)
    with ShellSession(["bash", "--norc", "--noprofile", "-i"], tmp_path, shell_env(tmp_path)) as bash:
        bash.wait_for(r"^\$")
        # --norc: no bash-completion package to load it on demand, so source it as ~/.bashrc would
        bash.type("source ~/.local/share/bash-completion/completions/dsday")
        bash.keys("Enter")
        bash.wait_for(r"^\$\s*\Z")
        bash.type("dsday sh")
        bash.keys("Tab")
        bash.wait_for(r"^\$ dsday show$")
        bash.type("v7")
        bash.keys("Tab")
        bash.wait_for(r"^\$ dsday show v7-$")  # v7-1, v7-2 and v7-3 share it
        bash.keys("Tab", "Tab")
        assert "v7-1  v7-2  v7-3" in bash.wait_for(r"v7-3")
        bash.type("1")
        bash.keys("Tab")
        bash.wait_for(r"^\$ dsday show v7-1$")
        bash.keys("C-u")
        bash.type("dsday list --agency gd")
        bash.keys("Tab")
        bash.wait_for(r"^\$ dsday list --agency sgddt$")


@pytest.mark.parametrize("install", ["fpath", "source"])
def test_show_v7_tab_in_a_real_zsh(tmp_path, install):
    env = shell_env(tmp_path)
    (tmp_path / "home" / ".zfunc").mkdir()
    script = subprocess.run([DSDAY, "completion", "zsh"], capture_output=True, text=True).stdout
    (tmp_path / "home" / ".zfunc" / "_dsday").write_text(script)
    setup = {  # as ~/.zshrc would: the README's way (autoloaded from fpath), or sourced after compinit
        "fpath": "fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit -u -d ~/.zcompdump",
        "source": "autoload -Uz compinit && compinit -u -D && source <(dsday completion zsh)",
    }[install]
    with ShellSession(["zsh", "-f", "-i"], tmp_path, env) as zsh:
        zsh.wait_for(r"^\$")
        zsh.type(f"{setup} && echo ready")
        zsh.keys("Enter")
        zsh.wait_for(r"^ready$")
        zsh.type("dsday show v7")
        zsh.keys("Tab")
        zsh.wait_for(r"^\$ dsday show v7-$")
        zsh.keys("Tab")
        screen = zsh.wait_for(r"^v7-3 ")
        assert "v7-1  -- Xây dựng Kế hoạch tổ chức Ngày Chuyển đổi số" in screen


def test_show_v7_tab_in_a_real_fish(tmp_path):
    env = shell_env(tmp_path)
    completions_dir = tmp_path / "home" / ".config" / "fish" / "completions"
    completions_dir.mkdir(parents=True)
    script = subprocess.run([DSDAY, "completion", "fish"], capture_output=True, text=True).stdout
    (completions_dir / "dsday.fish").write_text(script)
    with ShellSession(["fish", "--no-config", "-i"], tmp_path, env) as fish:
        fish.wait_for(r"#")
        # --no-config also skips the completions directory: load the file as fish would on first use
        fish.type(f"source {completions_dir / 'dsday.fish'}; echo ready")
        fish.keys("Enter")
        fish.wait_for(r"^ready$")
        fish.type("dsday show v7")
        fish.keys("Tab")
        screen = fish.wait_for(r"^v7-3 ")
        assert "v7-1  (Xây dựng Kế hoạch tổ chức Ngày Chuyển đổi số" in screen
