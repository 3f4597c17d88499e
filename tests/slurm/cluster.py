"""A real single-node Slurm for the tests: Debian's slurm-wlm and munge (installed when absent), a slurm.conf generated
for this host, and munged, slurmctld and slurmd started in the foreground as children of the test and stopped by pid.

Outside the packages, it touches /etc/munge/munge.key (created when missing) and /etc/slurm/slurm.conf (a link to the
generated file while the cluster runs); everything the daemons write lives in one temporary folder, removed when they
stop. No system service is started. `SlurmUnavailable` carries the exact reason Slurm cannot be started here, for the
test to skip with."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("slurm-wlm", "munge")
COMMANDS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo")
MUNGE_KEY = Path("/etc/munge/munge.key")
# Where srun inside a job finds the configuration: the executor plugin's job step drops SLURM_CONF from the environment
# of its nested srun, so the generated file is linked here for the cluster's lifetime.
SYSTEM_CONFIG = Path("/etc/slurm/slurm.conf")
TEMPLATE = Path(__file__).with_name("slurm.conf.template")
# squeue, not sacct, reports job states here (no accounting database): a finished job must stay visible to squeue
# long after it ends (the plugin falls back to sacct unless MinJobAge >= 3 x its first status-check delay).
MIN_JOB_AGE_S = 3600


class SlurmUnavailable(Exception):
    """Slurm cannot be started on this machine; the message says why."""


def _run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def install_packages():
    """apt-get install slurm-wlm and munge unless their commands are already there (root and apt-get needed)."""
    missing = [command for command in COMMANDS if shutil.which(command) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SlurmUnavailable(
            f"{', '.join(missing)} not installed and not root: cannot apt-get install {' '.join(PACKAGES)}"
        )
    if shutil.which("apt-get") is None:
        raise SlurmUnavailable(f"{', '.join(missing)} not installed and no apt-get to install {' '.join(PACKAGES)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", *PACKAGES]
    done = _run(install, env=env, timeout=900)
    if done.returncode != 0:  # stale or missing package lists: update once and retry
        _run(["apt-get", "update", "-q"], env=env, timeout=600)
        done = _run(install, env=env, timeout=900)
    if done.returncode != 0:
        raise SlurmUnavailable(f"apt-get install {' '.join(PACKAGES)} failed: {(done.stdout + done.stderr)[-1500:]}")
    still_missing = [command for command in COMMANDS if shutil.which(command) is None]
    if still_missing:
        raise SlurmUnavailable(f"{', '.join(still_missing)} still missing after apt-get install {' '.join(PACKAGES)}")


def ensure_munge_key(munge):
    """/etc/munge/munge.key, owned by the munge user, mode 0400 (created with mungekey when missing)."""
    if not MUNGE_KEY.exists():
        MUNGE_KEY.parent.mkdir(parents=True, exist_ok=True)
        done = _run(["mungekey", "--create", "--keyfile", str(MUNGE_KEY)])
        if done.returncode != 0:
            raise SlurmUnavailable(f"mungekey --create failed: {done.stderr.strip()}")
    os.chown(MUNGE_KEY.parent, munge.pw_uid, munge.pw_gid)
    os.chown(MUNGE_KEY, munge.pw_uid, munge.pw_gid)
    MUNGE_KEY.chmod(0o400)


def free_port():
    with socket.socket() as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


def real_memory_mb():
    """RealMemory for slurm.conf: a bit below MemTotal, so slurmd never finds less than configured."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024 * 9 // 10
    raise SlurmUnavailable("no MemTotal in /proc/meminfo")


def write_config(root: Path, munge_socket: Path) -> Path:
    values = {
        "host": _run(["hostname", "-s"]).stdout.strip() or socket.gethostname().split(".")[0],
        "cpus": len(os.sched_getaffinity(0)),  # nproc
        "memory_mb": real_memory_mb(),
        "root": root,
        "munge_socket": munge_socket,
        "ctld_port": free_port(),
        "slurmd_port": free_port(),
        "min_job_age": MIN_JOB_AGE_S,
    }
    config = root / "slurm.conf"
    config.write_text(TEMPLATE.read_text().format(**values))
    return config


@dataclass
class Cluster:
    """A running single-node Slurm: pass `env` to every command that talks to it (SLURM_CONF)."""

    root: Path
    env: dict
    processes: list = field(default_factory=list)
    linked_config: bool = False

    def link_config(self):
        config = Path(self.env["SLURM_CONF"])
        stale = SYSTEM_CONFIG.is_symlink() and not SYSTEM_CONFIG.exists()
        if stale and Path(os.readlink(SYSTEM_CONFIG)).parent.name.startswith("prunebench-slurm-"):  # a killed test's
            SYSTEM_CONFIG.unlink()
        if SYSTEM_CONFIG.exists() or SYSTEM_CONFIG.is_symlink():
            raise SlurmUnavailable(
                f"{SYSTEM_CONFIG} already exists (this machine's own Slurm): the test cluster needs it"
            )
        SYSTEM_CONFIG.parent.mkdir(parents=True, exist_ok=True)
        SYSTEM_CONFIG.symlink_to(config)
        self.linked_config = True

    def start(self, name, command, user=None):
        log = open(self.root / f"{name}.out", "w")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env, user=user)
        self.processes.append((name, process))
        return process

    def stop(self):
        """Cancel every job still queued or running (a job outlives slurmd otherwise), then stop the daemons this
        cluster started, by their pids, last started first."""
        try:
            if self.processes and all(process.poll() is None for _, process in self.processes):
                _run(["scancel", f"--user={os.geteuid()}"], env=self.env)
                _wait_for(lambda: not job_states(self, "PENDING,RUNNING,COMPLETING"), "the cancelled jobs to end", self)
        finally:
            self._stop_daemons()

    def _stop_daemons(self):
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()
        if self.linked_config:
            SYSTEM_CONFIG.unlink(missing_ok=True)
            self.linked_config = False
        shutil.rmtree(self.root, ignore_errors=True)

    def logs(self):
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.root.glob("*.out")) + sorted(self.root.glob("*.log"))
        )

    def check_alive(self):
        for name, process in self.processes:
            if process.poll() is not None:
                raise SlurmUnavailable(f"{name} exited with status {process.returncode}:\n{self.logs()}")


def _wait_for(condition, what, cluster, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cluster.check_alive()
        if condition():
            return
        time.sleep(0.5)
    raise SlurmUnavailable(f"timed out after {timeout} s waiting for {what}:\n{cluster.logs()}")


def start_cluster() -> Cluster:
    """Install what is missing, then start munged, slurmctld and slurmd; the caller must call `stop()`."""
    if os.geteuid() != 0:
        raise SlurmUnavailable("not root: slurmd must run as root")
    install_packages()
    try:
        munge = pwd.getpwnam("munge")
    except KeyError:
        raise SlurmUnavailable("no munge user (the munge package creates it)") from None
    ensure_munge_key(munge)

    # Under /tmp with mode 0755, not pytest's 0700 folder: the munge user must reach its own subfolder.
    root = Path(tempfile.mkdtemp(prefix="prunebench-slurm-"))
    root.chmod(0o755)
    munge_dir = root / "munge"
    munge_dir.mkdir(mode=0o700)
    os.chown(munge_dir, munge.pw_uid, munge.pw_gid)
    munge_socket = munge_dir / "munge.socket"
    for sub in ("ctld", "slurmd"):
        (root / sub).mkdir()

    cluster = Cluster(root, {**os.environ, "SLURM_CONF": str(write_config(root, munge_socket))})
    try:
        cluster.link_config()
        cluster.start(
            "munged",
            [
                shutil.which("munged"),
                "--foreground",
                "--force",
                f"--socket={munge_socket}",
                f"--key-file={MUNGE_KEY}",
                f"--log-file={munge_dir / 'munged.log'}",
                f"--pid-file={munge_dir / 'munged.pid'}",
                f"--seed-file={munge_dir / 'munged.seed'}",
            ],
            user=munge.pw_uid,
        )
        _wait_for(munge_socket.exists, "munged's socket", cluster)
        cluster.start("slurmctld", [shutil.which("slurmctld"), "-D"])
        _wait_for(lambda: _run(["scontrol", "ping"], env=cluster.env).stdout.count("UP") > 0, "slurmctld", cluster)
        cluster.start("slurmd", [shutil.which("slurmd"), "-D"])
        _wait_for(lambda: _node_state(cluster) == "idle", "the node to be idle", cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _node_state(cluster):
    return _run(["sinfo", "--noheader", "--format=%T"], env=cluster.env).stdout.strip()


def job_states(cluster, states="all"):
    """The cluster's jobs in `states` (all: finished ones too, kept for MinJobAge): Slurm job id -> state."""
    listed = _run(["squeue", f"--states={states}", "--noheader", "--format=%i|%T"], env=cluster.env, check=True).stdout
    return dict(line.split("|") for line in listed.splitlines() if line.strip())


# What `jobs` lists per job: its state, its comment (the executor plugin's rule_<rule>_wildcards_<wildcards>), the
# memory it asked for (e.g. 8000M) and its time limit.
JOB_FIELDS = {"state": "%T", "comment": "%k", "memory": "%m", "time_limit": "%l"}


def jobs(cluster):
    """Every job the cluster lists (finished ones too, kept for MinJobAge): Slurm job id -> {JOB_FIELDS key: value}."""
    listed = _run(
        ["squeue", "--states=all", "--noheader", "--format=" + "|".join(["%i", *JOB_FIELDS.values()])],
        env=cluster.env,
        check=True,
    ).stdout
    rows = {}
    for line in listed.splitlines():
        if line.strip():
            job, *values = line.split("|")
            rows[job] = dict(zip(JOB_FIELDS, values, strict=True))
    return rows


def new_jobs(cluster, before):
    """`jobs` less those listed in `before` (job ids seen earlier): the jobs submitted since."""
    return {job: row for job, row in jobs(cluster).items() if job not in before}
