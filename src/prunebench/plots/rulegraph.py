"""A workflow's rule graph as a figure: `snakemake --rulegraph dot` run on the workflow itself, its DOT text parsed,
laid out in topological generations (networkx) and drawn with matplotlib (Graphviz's `dot` is not required)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.colors import hsv_to_rgb

NODE = re.compile(r'^\s*(\d+)\[label = "([^"]+)", color = "([\d.]+) ([\d.]+) ([\d.]+)"')
EDGE = re.compile(r"^\s*(\d+) -> (\d+)\s*$")


def rule_graph_dot(snakefile, configfile, targets: list[str]) -> str:
    """The DOT text of `snakemake <targets> --rulegraph dot` for the workflow of `snakefile` with `configfile`."""
    command = [
        sys.executable,
        "-m",
        "snakemake",
        *targets,
        "--rulegraph",
        "dot",
        "--nolock",
        "--cores",
        "1",
        "--snakefile",
        str(snakefile),
        "--configfile",
        str(configfile),
    ]
    done = subprocess.run(command, cwd=Path(snakefile).parent, capture_output=True, text=True, check=False)
    if done.returncode != 0 or "digraph" not in done.stdout:
        raise RuntimeError(f"snakemake --rulegraph failed:\n{done.stderr[-3000:]}")
    return done.stdout[done.stdout.index("digraph") : done.stdout.rindex("}") + 1]


def parse_rule_graph(dot: str) -> nx.DiGraph:
    """Nodes: rule names with their Snakemake colour (HSV); edges: input rule -> consuming rule (a rule that consumes
    its own outputs, an iterative chain, has a self-loop)."""
    graph, names = nx.DiGraph(), {}
    for line in dot.splitlines():
        if node := NODE.match(line):
            names[node[1]] = node[2]
            graph.add_node(node[2], color=hsv_to_rgb([float(node[3]), float(node[4]), float(node[5])]))
        elif edge := EDGE.match(line):
            graph.add_edge(names[edge[1]], names[edge[2]])
    return graph


def draw_rule_graph(graph: nx.DiGraph, title: str) -> plt.Figure:
    """Left to right by topological generation (self-loops aside); a self-loop is drawn as a loop above its rule."""
    acyclic = nx.DiGraph(graph)
    acyclic.remove_edges_from(list(nx.selfloop_edges(graph)))
    generations = [sorted(g) for g in nx.topological_generations(acyclic)]
    positions = {
        name: (x, -1.4 * (y - (len(g) - 1) / 2)) for x, g in enumerate(generations) for y, name in enumerate(g)
    }
    height = max(len(g) for g in generations)
    fig, ax = plt.subplots(figsize=(2.4 * len(generations) + 1, 0.8 * height + 1.6))
    boxes = {
        name: ax.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=8,
            zorder=3,
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": graph.nodes[name]["color"], "lw": 2},
        )
        for name, (x, y) in positions.items()
    }
    arrow = {"arrowstyle": "-|>", "color": "grey", "lw": 1.0, "shrinkA": 1, "shrinkB": 1}
    for (
        source,
        target,
    ) in acyclic.edges:  # from the right edge of the input rule's box to the left edge of its consumer's
        ax.annotate(
            "", xy=(0, 0.5), xycoords=boxes[target], xytext=(1, 0.5), textcoords=boxes[source], arrowprops=arrow
        )
    for name in boxes:
        if graph.has_edge(name, name):
            ax.annotate(
                "",
                xy=(0.75, 1),
                xycoords=boxes[name],
                xytext=(0.25, 1),
                textcoords=boxes[name],
                arrowprops={**arrow, "connectionstyle": "arc3,rad=-0.9"},
            )
            x, y = positions[name]
            ax.text(x, y + 0.55, "level L-1 -> level L", ha="center", fontsize=6, color="dimgrey")
    xs, ys = zip(*positions.values())
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(min(ys) - 0.6, max(ys) + 0.9))
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return fig
