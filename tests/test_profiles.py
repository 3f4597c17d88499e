"""The Slurm profiles give every rule that trains a network (its script records training failures) the long runtime
of profiles/slurm and a GPU in profiles/slurm-gpu: a training rule left at the 30-minute default would be killed."""

import re

import yaml

from conftest import ROOT


def rules_whose_script_calls(function: str) -> set[str]:
    rules = set()
    for path in (ROOT / "workflow/rules").rglob("*.smk"):
        for name, body in re.findall(r"^rule (\w+):\n(.*?)(?=^\S|\Z)", path.read_text(), re.M | re.S):
            script = re.search(r'script:\s*"([^"]+)"', body)
            if script and function in (path.parent / script.group(1)).resolve().read_text():
                rules.add(name)
    return rules


def training_rules() -> set[str]:
    return rules_whose_script_calls("record_failures")


def set_resources(profile: str) -> dict:
    return yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text())["set-resources"]


def test_training_rules_are_found():
    expected = {"train_dense", "train_sparse", "finetune", "search", "sweep_candidate", "rv_ticket_level"}
    assert expected <= training_rules()


def test_every_training_rule_has_the_long_runtime_on_slurm_and_a_gpu_on_slurm_gpu():
    cpu, gpu = set_resources("slurm"), set_resources("slurm-gpu")
    assert sorted(training_rules() - set(cpu)) == []
    assert sorted(rule for rule in training_rules() if gpu.get(rule, {}).get("gpu") != 1) == []


def test_every_rule_that_evaluates_a_pruned_network_has_a_gpu_on_slurm_gpu():
    evaluating = rules_whose_script_calls("evaluation_record")
    assert {"evaluate", "prune_evaluate", "train_sparse"} <= evaluating
    gpu = set_resources("slurm-gpu")
    assert sorted(rule for rule in evaluating if gpu.get(rule, {}).get("gpu") != 1) == []


def test_job_states_come_from_squeue_on_both_profiles():
    """sacct reports a cancelled job as "CANCELLED by <uid>", which the executor plugin does not take for a failure
    (profiles/slurm/config.yaml): a job lost that way would hold the run forever, never retried. squeue says
    "CANCELLED" (tests/test_slurm_lost_job.py)."""
    cpu, gpu = (
        yaml.safe_load((ROOT / "profiles" / name / "config.yaml").read_text()) for name in ("slurm", "slurm-gpu")
    )
    assert cpu["slurm-status-command"] == "squeue"
    assert "slurm-status-command" not in gpu
