"""003 — a review of pruning (Hooker 2019): part 1, the State of Sparsity comparison (Gale, Elsen & Hooker, "The
State of Sparsity in Deep Neural Networks", 2019) of gradual magnitude pruning, sparse variational dropout, L0
regularization and random pruning: tables, figures, the published results (data/state_of_sparsity.csv) and claims."""
