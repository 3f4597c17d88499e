import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.latent_kl.figures import ap2_vs_ap3_figure, divergence_pd_figure
from prunebench.studies.latent_kl.tables import DIVERGENCES, SPLITS

OUTPUT_KEYS = {"ap2": "ap2", "ap3_student_t": "t", "ap3_gaussian": "g"}  # the rule's output names per divergence

out, wildcards = snakemake.output, snakemake.wildcards
with job_log(snakemake.log[0]):
    summary = pd.read_csv(snakemake.input.summary)
    summary = summary[(summary["dataset"] == wildcards.dataset) & (summary["model"] == wildcards.model)]
    where = f"{wildcards.model} on {wildcards.dataset}"
    for divergence, key in OUTPUT_KEYS.items():
        for split in SPLITS:
            title = f"{DIVERGENCES[divergence]} and PD on the {split} set against fine-tuning epoch, {where}"
            save_figure(
                divergence_pd_figure(summary, divergence, split, title),
                out[f"{key}_{split}"],
                out[f"{key}_{split}_pdf"],
            )
    save_figure(
        ap2_vs_ap3_figure(summary, f"AP2 against AP3 at equal sparsity, {where}"), out.ap2_vs_ap3, out.ap2_vs_ap3_pdf
    )
