"""One log per job: logging, tqdm progress and stray prints all go to the job's log file."""

from __future__ import annotations

import logging
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path


@contextmanager
def job_log(path):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", buffering=1) as stream, redirect_stdout(stream), redirect_stderr(stream):
        logging.basicConfig(
            stream=stream, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
        )
        try:
            yield logging.getLogger("prunebench.job")
        except BaseException:
            logging.getLogger("prunebench.job").exception("job failed")
            raise
