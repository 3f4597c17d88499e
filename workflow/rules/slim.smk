# Stage 3b: physical slimming. Channel-pruned variants (methods of structure "channel") go on as a physically
# smaller network: the channels their masks remove are taken out of every layer they couple (Torch-Pruning's
# DependencyGraph); the checkpoint's spec carries the new widths. Fine-tuning and evaluation then read the slimmed
# model and the masks left on it (none, after channel pruning). A searched variant's search record comes too: a failed
# search's reason goes into the slimmed checkpoint, as a failed dense model's does.


rule slim:
    input:
        unpack(slim_inputs),
    output:
        model=f"{PRUNED}/slimmed.pt",
        masks=f"{PRUNED}/slimmed_masks.pt",
        record=f"{PRUNED}/slimmed.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/slim.log",
    conda:
        ENV
    script:
        "../scripts/slim.py"
