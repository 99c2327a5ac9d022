"""Small files share one capped child (hub.indexing.capped.run_capped_batch), and a file that
hangs, runs out of memory or crashes still fails alone, named, while the rest are read."""

from __future__ import annotations

import pytest

from hub.indexing.capped import CappedProblem, Limits, run_capped_batch
from hub.indexing.document import ParseError
from hub.indexing.loader import BATCH_FILES, SMALL_FILE_BYTES, _batches, parse_files
from tests.support.misbehaving import act

pytestmark = pytest.mark.reliability
LIMITS = Limits(memory_cap=512 << 20, time_limit=3.0)


def outcomes(kinds: list[str]) -> list[tuple[int, str, object]]:
    calls = [((kind, f"file-{n}"), f"file-{n}") for n, kind in enumerate(kinds)]
    return [(position, kind, value)
            for position, (kind, value) in run_capped_batch(act, calls, LIMITS)]


@pytest.mark.parametrize("bad, reason", [("hang", "timeout"), ("memory", "memory"),
                                         ("crash", "crashed")])
def test_one_bad_file_in_a_batch_fails_alone_and_the_rest_are_read(bad, reason):
    found = outcomes(["ok", "ok", bad, "ok", "refuse", "ok"])
    assert [position for position, _, _ in found] == list(range(6))  # each once, in order
    assert [value for _, kind, value in found if kind == "ok"] == [
        "file-0", "file-1", "file-3", "file-5"]
    failed = {position: value for position, kind, value in found if kind == "raise"}
    assert set(failed) == {2, 4}
    assert isinstance(failed[2], CappedProblem) and failed[2].kind == reason
    assert str(failed[2]).startswith("file-2")
    assert isinstance(failed[4], ParseError) and "refused on purpose" in str(failed[4])


def test_a_bad_first_file_is_reported_and_the_batch_goes_on():
    found = outcomes(["crash", "ok"])
    assert found[0][1] == "raise" and found[0][2].kind == "crashed"
    assert found[1][1:] == ("ok", "file-1")


def test_small_files_are_batched_and_large_ones_read_alone(tmp_path):
    files = []
    for n in range(BATCH_FILES + 7):
        path = tmp_path / f"small-{n}.txt"
        path.write_text("Pooled budgets\n\nThe council pooled budgets.\n")
        files.append((path, path.name))
    big = tmp_path / "big.txt"
    big.write_text("word " * (SMALL_FILE_BYTES // 4))
    files.insert(5, (big, big.name))
    batches = list(_batches(files))
    assert [len(b) for b in batches] == [5, 1, BATCH_FILES, 2]
    assert batches[1] == [(big, big.name)]


def test_parse_files_reads_every_file_in_order_with_its_own_outcome(tmp_path, parse_context):
    files = []
    for n in range(4):
        path = tmp_path / f"page-{n}.txt"
        path.write_text(f"Pooled budgets {n}\n\nThe council and its partners pooled budgets "
                        f"for families in area {n}.\n")
        files.append((path, path.name))
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02 binary")
    files.insert(2, (broken, broken.name))
    read = list(parse_files(files, parse_context))
    assert [origin for _, origin, _ in read] == [origin for _, origin in files]
    assert isinstance(read[2][2], ParseError) and "broken.txt" in str(read[2][2])
    titles = [docs[0].title for _, _, docs in read if not isinstance(docs, Exception)]
    assert titles == [f"Pooled budgets {n}" for n in range(4)]
