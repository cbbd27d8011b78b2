"""Pydantic schemas of every input file kind."""

from .baseline import Assumption, BaselineFile
from .policy import Fact, Instrument, Measure, Parameter, PolicyDocument
from .scenario import Scenario
from .target import Target, TargetDocument

__all__ = [
    "Assumption",
    "BaselineFile",
    "Fact",
    "Instrument",
    "Measure",
    "Parameter",
    "PolicyDocument",
    "Scenario",
    "Target",
    "TargetDocument",
]
