"""One log per job: logging, tqdm progress and stray prints all go to the job's log file. Its first line is the job's
start-up: the seconds from the process's start to the log's opening (the interpreter, Snakemake's script preamble and
the script's imports), which src/prunebench/run_times.py sums into the run's start-up share."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

STARTUP_LINE = "start-up {:.3f} s"


def process_age() -> float | None:
    """Seconds since this process started (Linux: /proc), None where that cannot be read."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None
    return max(uptime - start_ticks / os.sysconf("SC_CLK_TCK"), 0.0)


@contextmanager
def job_log(path):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", buffering=1) as stream, redirect_stdout(stream), redirect_stderr(stream):
        logging.basicConfig(
            stream=stream, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
        )
        if (age := process_age()) is not None:
            logging.getLogger("prunebench.job").info(STARTUP_LINE.format(age))
        try:
            yield logging.getLogger("prunebench.job")
        except BaseException:
            logging.getLogger("prunebench.job").exception("job failed")
            raise
