import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.latent_kl.figures import ap2_vs_ap3_figure, divergence_pd_figure

out, wildcards = snakemake.output, snakemake.wildcards
with job_log(snakemake.log[0]):
    summary = pd.read_csv(snakemake.input.summary)
    summary = summary[(summary["dataset"] == wildcards.dataset) & (summary["model"] == wildcards.model)]
    where = f"{wildcards.model} on {wildcards.dataset}"
    for key, divergence, split, name in (
        ("ap2", "ap2", "test", "AP2"),
        ("ap2", "ap2", "train", "AP2"),
        ("t", "ap3_student_t", "test", "AP3 (Student-T)"),
        ("t", "ap3_student_t", "train", "AP3 (Student-T)"),
        ("g", "ap3_gaussian", "test", "AP3 (Gaussian, non-diagonal covariance)"),
        ("g", "ap3_gaussian", "train", "AP3 (Gaussian, non-diagonal covariance)"),
    ):
        figure = divergence_pd_figure(summary, divergence, split, f"{name} and PD on the {split} set against fine-tuning epoch, {where}")
        save_figure(figure, out[f"{key}_{split}"], out[f"{key}_{split}_pdf"])
    save_figure(ap2_vs_ap3_figure(summary, f"AP2 against AP3 at equal sparsity, {where}"), out.ap2_vs_ap3, out.ap2_vs_ap3_pdf)
