"""The chart labels the data gives: each document's ``chart_label`` (its policy file) and each
fund's (``fund_labels:`` of ``data/baseline``), as ``doc.<number>`` and ``fund.<name>`` keys.

Loading a catalog or a baseline registers the labels it holds here; ``charts.labels.label`` looks a
key up in its own table of generic words first, then here. Only the labels of the data folder
loaded last are held (a report's notebook loads one data folder).
"""

from __future__ import annotations

DATA_LABELS: dict[str, tuple[str, str]] = {}  # key -> (zh, en)
# where a missing label of each namespace is written, for the error message
WHERE = {
    "doc": "chart_label: {zh: ..., en: ...} in its policy file (data/policies)",
    "fund": "fund_labels: in data/baseline/fund_labels.yaml",
}


def register(namespace: str, labels: dict[str, tuple[str, str]]) -> None:
    """Hold ``labels`` (name -> (zh, en)) as ``namespace.name``, replacing the namespace's."""
    for key in [k for k in DATA_LABELS if k.startswith(f"{namespace}.")]:
        del DATA_LABELS[key]
    DATA_LABELS.update({f"{namespace}.{name}": pair for name, pair in labels.items()})


def data_label(key: str) -> tuple[str, str] | None:
    return DATA_LABELS.get(key)


def held() -> dict[str, tuple[str, str]]:
    """Every data label held now (a copy): what an analysis carries with it."""
    return dict(DATA_LABELS)


def restore(labels: dict[str, tuple[str, str]]) -> None:
    """Hold exactly ``labels`` (from ``held``): an analysis read back in a process that never
    loaded its data folder (a report's notebook) labels its charts as the folder does."""
    DATA_LABELS.clear()
    DATA_LABELS.update(labels)
