"""The catalog: every measure, fact and target of the gazette documents, loaded and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from ..paths import DATA_DIR
from ..units import did_you_mean
from .loader import parse_many, yaml_files
from .schemas import Measure, Parameter, PolicyDocument, Target, TargetDocument


@dataclass(frozen=True)
class LeverRef:
    """A lever of a measure: a setting a scenario may change that the gazette does not print."""

    measure_id: str
    name: str
    unit: str
    description: str
    when_unset: str


@dataclass(frozen=True)
class Catalog:
    documents: dict[str, PolicyDocument]
    target_documents: dict[str, TargetDocument]
    data_dir: Path
    files: dict[str, Path] = field(default_factory=dict)  # document number -> its policy file

    @property
    def measures(self) -> list[tuple[str, Measure]]:
        """(doc, measure) pairs in document order."""
        return [(doc.doc, m) for doc in self.documents.values() for m in doc.measures]

    @property
    def targets(self) -> list[tuple[str, Target]]:
        return [(td.doc, t) for td in self.target_documents.values() for t in td.targets]

    def measure(self, measure_id: str) -> Measure:
        for _, m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(
            f"no measure '{measure_id}'"
            + did_you_mean(measure_id, [m.id for _, m in self.measures])
        )

    def doc_of(self, measure_id: str) -> str:
        for doc, m in self.measures:
            if m.id == measure_id:
                return doc
        raise KeyError(measure_id)

    def parameter(self, path: str) -> Parameter:
        """A parameter by ``measure_id.name``."""
        measure_id, _, name = path.partition(".")
        m = self.measure(measure_id)
        if name not in m.parameters:
            raise KeyError(
                f"measure '{measure_id}' has no parameter '{name}'"
                + did_you_mean(name, m.parameters)
            )
        return m.parameters[name]

    def levers(self) -> dict[str, LeverRef]:
        """Every lever of every measure, by ``measure_id.name``."""
        return {
            f"{m.id}.{name}": LeverRef(m.id, name, lever.unit, lever.description, lever.when_unset)
            for _, m in self.measures
            for name, lever in m.levers.items()
        }

    def parameter_paths(self) -> list[str]:
        return [f"{m.id}.{name}" for _, m in self.measures for name in m.parameters]

    def target(self, target_id: str) -> Target:
        for _, t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(
            f"no target '{target_id}'" + did_you_mean(target_id, [t.id for _, t in self.targets])
        )

    def to_json(self, doc: str | None = None) -> dict:
        """The catalog as JSON (docs/json_output.md)."""
        measures = []
        for d, m in self.measures:
            if doc and d != doc:
                continue
            measures.append(
                {
                    "id": m.id,
                    "doc": d,
                    "clause": m.clause,
                    "title_zh": m.title_zh,
                    "title_en": m.title_en,
                    "instrument": m.instrument.value,
                    "fiscal_class": m.fiscal_class,
                    "funding_source": m.funding_source,
                    "government_level": m.government_level,
                    "responsible": list(m.responsible),
                    "period": _period_json(m.period),
                    "parameters": [
                        {
                            "name": name,
                            "value": p.value,
                            "unit": p.unit,
                            "base_value": p.base_value,
                            "base_unit": p.base_unit,
                            "per": p.per,
                            "quote": p.quote,
                        }
                        for name, p in m.parameters.items()
                    ],
                }
            )
        targets = []
        for d, t in self.targets:
            if doc and d != doc:
                continue
            targets.append(
                {
                    "id": t.id,
                    "doc": d,
                    "clause": t.clause,
                    "kind": t.kind,
                    "metric_zh": t.metric_zh,
                    "metric_en": t.metric_en,
                    "comparator": t.comparator,
                    "value": t.value,
                    "value_max": t.value_max,
                    "unit": t.unit,
                    "base_value": t.base_value,
                    "base_value_max": t.base_value_max,
                    "deadline": t.deadline.isoformat(),
                    "years": list(t.years),
                    "quote": t.quote,
                }
            )
        facts = [
            {
                "id": f.id,
                "doc": d.doc,
                "clause": f.clause,
                "description_zh": f.description_zh,
                "value": f.value,
                "unit": f.unit,
                "base_value": f.base_value,
                "quote": f.quote,
            }
            for d in self.documents.values()
            if not doc or d.doc == doc
            for f in d.facts
        ]
        return {"measures": measures, "targets": targets, "facts": facts}


def _period_json(period) -> dict | None:
    if period is None:
        return None
    return {
        "start": period.start.isoformat() if period.start else None,
        "end": period.end.isoformat() if period.end else None,
    }


def load_catalog(data_dir: Path | str | None = None) -> Catalog:
    """Load ``policies/`` and ``targets/`` under ``data_dir`` (default: the project's data/)."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    if not data_dir.is_dir():
        raise DataError.single(data_dir, "--data", "not a folder")
    policy_files = yaml_files(data_dir / "policies")
    target_files = yaml_files(data_dir / "targets")
    problems: list[Problem] = []
    docs: list[PolicyDocument] = []
    tdocs: list[TargetDocument] = []
    if not policy_files:
        problems.append(Problem(str(data_dir / "policies"), "(folder)", "no policy files (*.yaml)"))
    try:
        docs = parse_many(policy_files, "policies")  # type: ignore[assignment]
    except DataError as exc:
        problems.extend(exc.problems)
    try:
        tdocs = parse_many(target_files, "targets")  # type: ignore[assignment]
    except DataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataError(problems)

    # Cross-file checks: document numbers, and the ids of measures, facts and targets, are unique
    # across the catalog.
    by_doc: dict[str, PolicyDocument] = {}
    tby_doc: dict[str, TargetDocument] = {}
    seen_ids: dict[str, str] = {}
    groups = []
    for path, d in zip(policy_files, docs, strict=True):
        if d.doc in by_doc:
            problems.append(Problem(str(path), "doc", f"document {d.doc} is defined in two files"))
        by_doc[d.doc] = d
        groups += [(path, d.doc, "measures", d.measures), (path, d.doc, "facts", d.facts)]
    for path, td in zip(target_files, tdocs, strict=True):
        if td.doc in tby_doc:
            problems.append(
                Problem(str(path), "doc", f"targets of {td.doc} are defined in two files")
            )
        tby_doc[td.doc] = td
        groups.append((path, td.doc, "targets", td.targets))
    for path, doc, group, items in groups:
        for item in items:
            if item.id in seen_ids:
                problems.append(
                    Problem(str(path), f"{group}.{item.id}", f"id also used in {seen_ids[item.id]}")
                )
            seen_ids[item.id] = doc
    target_ids = {t.id for td in tdocs for t in td.targets}
    for path, td in zip(target_files, tdocs, strict=True):
        for t in td.targets:
            for ref in t.serves:
                if ref not in target_ids:
                    problems.append(
                        Problem(
                            str(path),
                            f"targets.{t.id}.serves",
                            f"no target '{ref}'" + did_you_mean(ref, target_ids),
                        )
                    )
    if problems:
        raise DataError(problems)
    files = {d.doc: path for path, d in zip(policy_files, docs, strict=True)}
    from .labels import register

    register("doc", {d.doc: (d.chart_label.zh, d.chart_label.en) for d in docs if d.chart_label})
    return Catalog(documents=by_doc, target_documents=tby_doc, data_dir=data_dir, files=files)
