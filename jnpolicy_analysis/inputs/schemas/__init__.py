"""Pydantic schemas of every input file kind."""

from .baseline import Assumption, BaselineFile, Constant
from .policy import (
    CostingBlock,
    Derived,
    Fact,
    Instrument,
    Lever,
    Measure,
    Parameter,
    PolicyDocument,
    Provision,
)
from .risk import ModellingRisk
from .scenario import Scenario
from .target import Target, TargetDocument

__all__ = [
    "Assumption",
    "BaselineFile",
    "Constant",
    "CostingBlock",
    "Derived",
    "Fact",
    "Instrument",
    "Lever",
    "Measure",
    "ModellingRisk",
    "Parameter",
    "PolicyDocument",
    "Provision",
    "Scenario",
    "Target",
    "TargetDocument",
]
