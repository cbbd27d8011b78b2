"""Hooks: the few costs that depend on another measure, each a named function that a costing block
names (``hook: {name: ..., inputs: ...}``) and that adds components to what the instrument costs.

A hook receives the scenario, the components already costed, the costing window (start, end) and
its inputs (bound in YAML and unit-checked like an instrument's), and returns more components.

Clause 7 with clause 8 needs none, by one rule. For each firm group (SMEs, large firms) and month,
the contributions forgone are the full counterfactual rate (the rate that would have returned had
the phased cut not been extended) less what the firm pays. Clause 8 takes the rate in force (the
cut rate): an exempt SME pays nothing, a halved large firm half of it. Clause 7 takes the return to
the higher rate, the whole of it, in clause 8's months as in the others. So in an SME's exempt month
the two forgo, together, the full counterfactual rate, and in a large firm's month after its
halving the cut alone: each part is costed once and nothing is netted. (The hook this module held,
which took clause 7's employers' part back in clause 8's months, forgot that clause 8 exempts only
the cut rate, and undercounted by the cut in those months.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .engine import Component


@dataclass(frozen=True)
class HookSpec:
    function: Callable[..., list[Component]]
    inputs: dict[str, str]  # input name -> base unit expected
    needs: tuple[str, ...]  # measures of the catalog the hook reads


HOOKS: dict[str, HookSpec] = {}


def hook(name: str, *, needs: tuple[str, ...] = (), **inputs: str):
    """Register function ``name`` as a hook reading the measures ``needs``, with ``inputs``
    (input name -> the base unit it expects)."""

    def register(fn: Callable[..., list[Component]]) -> Callable[..., list[Component]]:
        HOOKS[name] = HookSpec(fn, inputs, needs)
        return fn

    return register
