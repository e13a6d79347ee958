"""One name and one limit for one kind of size, wherever a function takes it."""

from __future__ import annotations

import inspect
import re

import pytest

from swp_models import evaluation, outcomes, validation


def test_design_effect_has_one_signature():
    assert (list(inspect.signature(outcomes.design_effect).parameters)
            == list(inspect.signature(evaluation.design_effect).parameters)
            == ["children_per_practice", "icc"])


@pytest.mark.parametrize("fn", [outcomes.design_effect, evaluation.design_effect])
def test_design_effect_limits_are_shared(fn):
    top = validation.MAX_CHILD_YEARS
    assert fn(top, 0.1) == pytest.approx(1 + (top - 1) * 0.1)
    with pytest.raises(ValueError, match=rf"children_per_practice must be in \[1, {re.escape(f'{top:g}')}\]"):
        fn(top + 1, 0.1)
    with pytest.raises(ValueError, match="children_per_practice"):
        fn(0.5, 0.1)


def test_sizes_of_one_kind_share_one_constant():
    assert evaluation.MAX_PRACTICES == validation.MAX_PRACTICES
    assert evaluation.MAX_CHILDREN == validation.MAX_PRACTICE_CHILDREN
    assert validation.MAX_CHILD_YEARS == validation.MAX_PRACTICE_CHILDREN * validation.MAX_HORIZON_YEARS
    with pytest.raises(ValueError, match=rf"years must be an integer in \[1, {validation.MAX_HORIZON_YEARS}\]"):
        evaluation.arm_variance_factor([10, 10], 0.1, years=validation.MAX_HORIZON_YEARS + 1)
    evaluation.arm_variance_factor([10, 10], 0.1, years=validation.MAX_HORIZON_YEARS)
    with pytest.raises(ValueError, match=rf"caseload must be an integer in \[1, {validation.MAX_PRACTICE_CHILDREN}\]"):
        outcomes.permanency_bonus(validation.MAX_PRACTICE_CHILDREN + 1, 0.1, 0.1, 1000.0)
