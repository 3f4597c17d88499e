import tempfile

import yaml

from prunebench.atomic import write_text
from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.plots.rulegraph import draw_rule_graph, parse_rule_graph, rule_graph_dot

params, out = snakemake.params, snakemake.output
with job_log(snakemake.log[0]), tempfile.NamedTemporaryFile("w", suffix=".yaml") as configfile:
    yaml.safe_dump(params.config, configfile)
    configfile.flush()
    dot = rule_graph_dot(params.snakefile, configfile.name, params.targets)
    write_text(out.dot, dot + "\n")
    title = (
        f"003-F1: the procedure as this workflow runs it: `snakemake {' '.join(params.targets)} --rulegraph` (train ->"
        " prune -> retrain / fine-tune -> evaluate)"
    )
    save_figure(draw_rule_graph(parse_rule_graph(dot), title), out.png, out.pdf)
