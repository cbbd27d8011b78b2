"""jnpolicy_analysis: costing and target tracking for Jinan's March 2020 gazette policies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jnpolicy_analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
