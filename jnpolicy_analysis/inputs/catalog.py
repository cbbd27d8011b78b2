"""The catalog: every measure, fact and target of the gazette documents, loaded and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from ..paths import DATA_DIR
from ..units import did_you_mean
from .loader import MAX_MEASURES, parse_many, yaml_files
from .schemas import Measure, Parameter, PolicyDocument, Target, TargetDocument
from .schemas.register import HigherLevelDocument, Register


@dataclass(frozen=True)
class LeverRef:
    """A lever of a measure: a setting a scenario may change that the gazette does not print."""

    measure_id: str
    name: str
    unit: str
    description: str
    when_unset: str
    allow_above_one: bool = False


@dataclass(frozen=True)
class Catalog:
    documents: dict[str, PolicyDocument]
    target_documents: dict[str, TargetDocument]
    data_dir: Path
    files: dict[str, Path] = field(default_factory=dict)  # document number -> its policy file
    # the register of higher-level policy (data/register): document key -> its entry
    higher_level: dict[str, HigherLevelDocument] = field(default_factory=dict)

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
            f"{m.id}.{name}": LeverRef(
                m.id, name, lever.unit, lever.description, lever.when_unset, lever.allow_above_one
            )
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
        """The catalog as JSON (docs/json_output.md): each measure, parameter, target and fact as
        its schema dumps it (the fields the contract lists), with the values in base units."""
        measures = [
            {"id": m.id, "doc": d}
            | m.model_dump(mode="json", include=MEASURE_FIELDS)
            | {
                "period": _period_json(m.period),
                "parameters": [
                    {"name": name}
                    | p.model_dump(mode="json", include=PARAMETER_FIELDS)
                    | {"base_value": p.base_value, "base_unit": p.base_unit}
                    for name, p in m.parameters.items()
                ],
            }
            for d, m in self.measures
            if not doc or d == doc
        ]
        targets = [
            {"id": t.id, "doc": d}
            | t.model_dump(mode="json", include=TARGET_FIELDS)
            | {"base_value": t.base_value, "base_value_max": t.base_value_max}
            for d, t in self.targets
            if not doc or d == doc
        ]
        facts = [
            {"id": f.id, "doc": d.doc}
            | f.model_dump(mode="json", include=FACT_FIELDS)
            | {"base_value": f.base_value}
            for d in self.documents.values()
            if not doc or d.doc == doc
            for f in d.facts
        ]
        return {"measures": measures, "targets": targets, "facts": facts}


# the schema fields each catalog entry carries in the JSON (docs/json_output.md)
MEASURE_FIELDS = {
    "clause", "title_zh", "title_en", "instrument", "fiscal_class", "funding_source",
    "government_level", "responsible",
}  # fmt: skip
PARAMETER_FIELDS = {"value", "unit", "per", "quote"}
TARGET_FIELDS = {
    "clause", "kind", "metric_zh", "metric_en", "comparator", "value", "value_max", "unit",
    "deadline", "years", "quote",
}  # fmt: skip
FACT_FIELDS = {"clause", "description_zh", "value", "unit", "quote"}


def _period_json(period) -> dict | None:
    return None if period is None else period.model_dump(mode="json", include={"start", "end"})


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

    # Bounded work: every command costs or lists every measure, so their number is capped.
    total = sum(len(d.measures) for d in docs)
    if total > MAX_MEASURES:
        path, most = max(zip(policy_files, docs, strict=True), key=lambda x: len(x[1].measures))
        raise DataError.single(
            path,
            "measures",
            f"{len(most.measures):,} measures here, {total:,} in the catalog: more than the "
            f"{MAX_MEASURES} a run is bounded to (every command costs or lists each of them)",
        )

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
    higher_level = _apply_register(data_dir, by_doc)
    files = {d.doc: path for path, d in zip(policy_files, docs, strict=True)}
    from .labels import register

    register("doc", {d.doc: (d.chart_label.zh, d.chart_label.en) for d in docs if d.chart_label})
    return Catalog(
        documents=by_doc,
        target_documents=tby_doc,
        data_dir=data_dir,
        files=files,
        higher_level=higher_level,
    )


def _apply_register(
    data_dir: Path, by_doc: dict[str, PolicyDocument]
) -> dict[str, HigherLevelDocument]:
    """Read ``register/`` (when there is one) and give each measure it lists its dated statuses
    (``Counterfactual.phases``), replacing the documents in ``by_doc``; the register's documents,
    by key. A measure that does not exist or has no financing block is an error."""
    folder = data_dir / "register"
    if not folder.is_dir():
        return {}
    paths = yaml_files(folder)
    registers: list[Register] = parse_many(paths, "register")  # type: ignore[assignment]
    problems: list[Problem] = []
    documents: dict[str, HigherLevelDocument] = {}
    phases: dict[str, tuple] = {}
    measures = {m.id: m for d in by_doc.values() for m in d.measures}
    for path, reg in zip(paths, registers, strict=True):
        documents.update(reg.documents)
        for mid, ps in reg.statuses.items():
            m = measures.get(mid)
            if m is None:
                problems.append(
                    Problem(
                        str(path),
                        f"statuses.{mid}",
                        "no such measure" + did_you_mean(mid, measures),
                    )
                )
            elif m.financing is None:
                problems.append(
                    Problem(str(path), f"statuses.{mid}", "the measure has no financing")
                )
            elif mid in phases:
                problems.append(Problem(str(path), f"statuses.{mid}", "listed twice"))
            else:
                phases[mid] = tuple(ps)
    if problems:
        raise DataError(problems)
    for doc, d in list(by_doc.items()):
        if not any(m.id in phases for m in d.measures):
            continue
        new = []
        for m in d.measures:
            if m.id in phases and m.financing is not None:
                cf = m.financing.counterfactual.model_copy(update={"phases": phases[m.id]})
                m = m.model_copy(
                    update={"financing": m.financing.model_copy(update={"counterfactual": cf})}
                )
            new.append(m)
        by_doc[doc] = d.model_copy(update={"measures": new})
    return documents
