"""Valid calls of swp_models.validation's checks.

Each check names, in its message, the parameter given as ``name``; the examples pass ``name="value"`` so the
contract walk can see the check name the value it refuses. ``name`` itself is only used in messages.
"""

_NAME = {"name": "value"}

EXAMPLES = {
    "swp_models.validation.check_finite": {**_NAME, "value": 1.0},
    "swp_models.validation.check_finite_array": {**_NAME, "value": [1.0, 2.0]},
    "swp_models.validation.check_flag": {**_NAME, "value": True},
    "swp_models.validation.check_in_range": {**_NAME, "value": 0.5, "low": 0.0, "high": 1.0},
    "swp_models.validation.check_instance": {**_NAME, "value": 1, "types": int},
    "swp_models.validation.check_integer": {**_NAME, "value": 3},
    "swp_models.validation.check_nonnegative": {**_NAME, "value": 1.0},
    "swp_models.validation.check_one_of": {**_NAME, "value": "a", "allowed": ["a", "b"]},
    "swp_models.validation.check_positive": {**_NAME, "value": 1.0},
    "swp_models.validation.check_probability": {**_NAME, "value": 0.5},
    "swp_models.validation.check_sequence": {**_NAME, "value": [1, 2]},
    "swp_models.validation.check_size": {**_NAME, "value": 5, "high": 10},
    "swp_models.validation.check_text": {**_NAME, "value": "a"},
    "swp_models.validation.check_work": {"cells": 10, "names": "cells"},
    "swp_models.validation.check_numbers": {**_NAME, "value": [0.5, 2.0]},
    "swp_models.validation.check_shares": {**_NAME, "value": [0.0, 0.5]},
    "swp_models.validation.check_amounts": {**_NAME, "value": [-10.0, 5.0]},
    "swp_models.validation.check_effort_cost": {**_NAME, "value": 2.0},
    # the folder checker of swp_models.data (None: the package's own data)
    "swp_models.data.data_folder": {"data_dir": None},
}

# A bound on a sequence's length is only compared, never allocated: any whole number is a valid bound.
ACCEPTS = {
    "swp_models.validation.check_finite_array": {"max_len": [10**15]},
    "swp_models.validation.check_sequence": {"max_len": [10**15]},
}
