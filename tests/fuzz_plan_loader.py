"""A coverage-guided fuzz target for the plan loader (atheris).

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz_plan_loader.py -max_total_time=600 [CORPUS_DIR]

Any input must give a plan or PlanInvalid with located problems; anything else
(another exception, a crash, a hang) is a bug. The seed corpus can be the
embedded plan.yaml.
"""

import sys

import atheris

with atheris.instrument_imports():
    from dsday_cli.core.errors import PlanInvalid
    from dsday_cli.store.plan import parse_plan


def test_one_input(data: bytes) -> None:
    """Load one input as a plan file."""
    try:
        parse_plan(data.decode("utf-8", errors="replace"), "fuzz.yaml")
    except PlanInvalid as error:
        if not all(problem.startswith("fuzz.yaml:") for problem in error.problems):
            raise AssertionError(error.problems) from None


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
