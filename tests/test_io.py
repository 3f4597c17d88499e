import logging

import pytest

from prunebench.atomic import atomic_path, write_json
from prunebench.joblog import job_log
from prunebench.provenance import provenance


def test_a_failed_write_leaves_neither_a_half_file_nor_a_temporary(tmp_path):
    target = tmp_path / "out" / "metrics.json"
    write_json(target, {"accuracy": 0.5})
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text('{"accuracy": 0.')
            raise RuntimeError("killed mid-write")
    assert target.read_text().strip().endswith("}")
    assert '"accuracy": 0.5' in target.read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["metrics.json"]


def test_job_log_captures_logging_prints_and_the_failure(tmp_path):
    log = tmp_path / "logs" / "job.log"
    with pytest.raises(ValueError):
        with job_log(log):
            logging.getLogger("prunebench.test").info("hello from the job")
            print("a stray print")
            raise ValueError("bad things")
    text = log.read_text()
    assert "hello from the job" in text and "a stray print" in text
    assert "job failed" in text and "ValueError: bad things" in text


def test_provenance_names_what_produced_a_metric():
    record = provenance({"lr": 0.1}, seed=3, data_checksum="abc")
    assert record["config"] == {"lr": 0.1} and record["seed"] == 3 and record["data_checksum"] == "abc"
    assert record["torch"] and record["python"] and record["git_commit"]
