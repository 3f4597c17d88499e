"""A pruning variant's one typed form: its config entry's defaults in one place, and sweep parameters merged over it."""

import pytest

from prunebench.pruning import Variant


def test_a_config_entry_gets_the_defaults_once():
    variant = Variant.from_config({"method": "magnitude"}, layers="all")
    assert (variant.scope, variant.params, variant.mask_update_steps) == ("local", {}, None)
    assert variant.as_dict() == {
        "layers": "all",
        "scope": "local",
        "method": "magnitude",
        "params": {},
        "mask_update_steps": None,
    }


def test_sweep_parameters_are_merged_over_the_variants_own():
    variant = Variant.from_config({"method": "l0", "params": {"gates": "unit", "strength": 1.0}}, layers="all")
    swept = variant.with_params({"strength": 3.0})
    assert swept.params == {"gates": "unit", "strength": 3.0}
    assert variant.params["strength"] == 1.0, "the variant itself is unchanged"


def test_an_unknown_key_is_refused():
    with pytest.raises(TypeError, match="sparsity"):
        Variant.from_config({"method": "magnitude", "sparsity": 0.5}, layers="all")


def test_its_dict_form_is_builtin_and_round_trips():
    """Rules pass the variant to scripts as a dict: Snakemake detects changed params only for builtin types."""
    variant = Variant.from_config({"method": "magnitude", "scope": "global", "mask_update_steps": 100}, layers="all")
    as_dict = variant.as_dict()
    assert type(as_dict) is dict and Variant(**as_dict) == variant
