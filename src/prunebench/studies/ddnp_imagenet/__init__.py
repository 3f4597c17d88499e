"""Study 002 on ImageNet (002-T2): Gao, Huang, Zhang & Huang, "Disentangled Differentiable Network Pruning", ECCV 2022,
Table 2. The stages and checks are study ddnp's; the table is `prunebench.studies.ddnp.tables.imagenet_table`."""
