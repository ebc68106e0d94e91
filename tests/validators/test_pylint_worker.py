"""pylint in a child process (validators/_pylint_worker.py): the same verdicts, and never a pass it did not check."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import pytest

from editor.candidates import Candidate
from editor.document import Document
from validators._pylint_worker import PylintWorker, WorkerError
from validators.pylint_errors import PylintValidator, lint_sources

DOC = "import os\n\nLIMIT = 3\n\n\ndef double(a):\n    return a * 2\n\n\nprint(not_defined_anywhere)\n"
CANDS = ["y = missing_name + 1", "y = double(LIMIT) + len(os.sep)", "y = os.no_such_function()"]


@pytest.fixture(name="worker")
def _worker():
    worker = PylintWorker()
    yield worker
    worker.close()


def test_the_child_gives_the_messages_pylint_gives_in_process(worker):
    sources = [DOC, "import os\nprint(os.sep, nowhere)\n"]
    assert worker.lint(sources, None) == lint_sources(sources)
    assert any(m["msg_id"] == "E0602" for m in worker.lint(sources, None)[1])


def test_a_detached_validator_judges_as_the_in_process_one():
    slot = Document(DOC).slot(10, 0)
    here = PylintValidator().validate(slot, [Candidate(c, "test") for c in CANDS])
    detached = PylintValidator()
    detached.detach()
    try:
        there = detached.validate(slot, [Candidate(c, "test") for c in CANDS])
    finally:
        detached.detach(False)
    assert [[(v.code, v.ok, v.line) for v in vs] for vs in there] == [
        [(v.code, v.ok, v.line) for v in vs] for vs in here
    ]
    assert [vs[0].ok for vs in there] == [False, True, False]


def test_a_child_that_died_is_started_again(worker):
    worker.lint(["x = 1\n"], None)
    worker._proc.kill()  # pylint: disable=protected-access
    worker._proc.wait()  # pylint: disable=protected-access
    assert worker.lint(["print(nowhere)\n"], None)[0][0]["msg_id"] == "E0602"


def test_a_child_that_does_not_answer_in_time_is_not_checked_never_a_pass():
    validator = PylintValidator()
    validator.detach()
    try:
        validator._worker.timeout = 0.001  # pylint: disable=protected-access
        (verdicts,) = validator.validate(Document(DOC).slot(10, 0), [Candidate("y = LIMIT", "test")])
    finally:
        validator.detach(False)
    assert [v.code for v in verdicts] == ["PYL999"] and not verdicts[0].ok
    assert "did not answer" in verdicts[0].message


def test_an_error_inside_the_child_is_raised_as_a_worker_error(worker):
    with pytest.raises(WorkerError):
        worker.lint([b"not text"], None)  # type: ignore[list-item]  # the child cannot write bytes as source


def test_a_child_that_cannot_start_is_not_checked_then_pylint_runs_in_process():
    validator = PylintValidator()
    validator._worker = PylintWorker(executable="/bin/false")  # pylint: disable=protected-access
    slot = Document(DOC).slot(10, 0)
    for _ in range(2):  # the child exits at once: not checked, never a pass
        (verdicts,) = validator.validate(slot, [Candidate("y = missing_name", "test")])
        assert [v.code for v in verdicts] == ["PYL999"] and not verdicts[0].ok
    assert validator._worker.broken  # pylint: disable=protected-access
    (verdicts,) = validator.validate(slot, [Candidate("y = missing_name", "test")])
    assert [v.code for v in verdicts] == ["PYL-E0602"]
    assert validator._worker is None  # pylint: disable=protected-access
