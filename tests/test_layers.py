"""The package's imports point one way (no cycle, counting imports made inside functions), and the
targets report carries the scenario it was resolved with, so charts show that scenario's title
even when it comes from another data folder."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib

from jnpolicy_analysis.inputs.scenarios import load_scenario

matplotlib.use("Agg")

PACKAGE = Path(__file__).resolve().parents[1] / "jnpolicy_analysis"


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the package modules it imports, anywhere in its code (inside functions too).
    ``from .pkg import name`` counts as importing ``pkg.name`` when that is a module, else ``pkg``."""
    modules: dict[str, tuple[Path, bool]] = {}
    for py in root.rglob("*.py"):
        parts = list(py.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (py, is_package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, (py, is_package) in modules.items():
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith(root.name)]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                elif node.module and node.module.startswith(root.name):
                    target = node.module
                else:
                    continue
                targets = [
                    f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target
                    for a in node.names
                ]
            for t in targets:
                while t not in modules and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t != name and t in modules:
                    graph[name].add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_counts_imports_inside_functions(tmp_path):
    pkg = tmp_path / "jnpolicy_analysis"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("from .. import a\n")
    graph = import_graph(pkg)
    assert graph["jnpolicy_analysis.a"] == {"jnpolicy_analysis.sub.b"}
    assert find_cycle(graph) == [
        "jnpolicy_analysis.a",
        "jnpolicy_analysis.sub.b",
        "jnpolicy_analysis.a",
    ]


def test_the_package_import_graph_has_no_cycle():
    graph = import_graph(PACKAGE)
    assert "jnpolicy_analysis.inputs.loader" in graph and len(graph) > 30
    assert find_cycle(graph) is None


def test_scenarios_do_not_import_the_costing():
    graph = import_graph(PACKAGE)
    assert not any(
        t.startswith("jnpolicy_analysis.costing")
        for t in graph["jnpolicy_analysis.inputs.scenarios"]
    )


def test_target_chart_footer_shows_the_scenario_of_the_data_folder_read(data_copy):
    from jnpolicy_analysis.charts.targets import target_paths
    from jnpolicy_analysis.targets import track_targets

    path = data_copy / "scenarios" / "central.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title_en: Central", "title_en: Central, renamed in a copy"), encoding="utf-8"
    )
    report = track_targets(load_scenario("central", data_copy, draws=200, seed=1))
    assert report.scenario.title_en == "Central, renamed in a copy"
    assert report.to_json()["scenario"] == "central"
    fig = target_paths(report, "en", "2026-03-01")
    assert "Central, renamed in a copy" in fig.get_supxlabel()


# The layers, lowest first: a module may import its own layer and those below, never above.
# costing and targets sit side by side and do not import each other; so do publish and whatif.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "paths"),  # foundations
    ("units",),
    ("formatting", "fonts"),  # leaves every output may use
    ("inputs",),  # schemas, loader, catalog, observations, scenarios
    ("costing", "targets"),
    ("analysis",),  # analyse(): one ledger of draws and everything summed from it
    ("charts",),
    ("publish", "whatif"),  # renderers of an Analysis
    ("cli",),  # the command line
]
SIDE_BY_SIDE = {("costing", "targets"), ("targets", "costing"), ("publish", "whatif")}
SIDE_BY_SIDE |= {(b, a) for a, b in SIDE_BY_SIDE}
# publish/ renders an Analysis: it never reads the inputs itself
PUBLISH_NEVER_IMPORTS = (
    "jnpolicy_analysis.inputs.loader",
    "jnpolicy_analysis.inputs.scenarios",
    "jnpolicy_analysis.inputs.catalog",
)


def layer_of(module: str) -> tuple[int, str]:
    """(layer, top-level name) of a package module: ``jnpolicy_analysis.targets.text`` ->
    (3, "targets")."""
    top = module.removeprefix("jnpolicy_analysis").lstrip(".").split(".")[0]
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i, top
    raise AssertionError(f"{module}: in no layer of tests/test_layers.py; add it to LAYERS")


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        if module == "jnpolicy_analysis":
            continue
        (mine, top) = layer_of(module)
        for t in targets:
            if t == "jnpolicy_analysis":  # the package itself: its version
                continue
            theirs, their_top = layer_of(t)
            if theirs > mine or (top, their_top) in SIDE_BY_SIDE:
                wrong.append(f"{module} imports {t}")
    return sorted(wrong)


def test_the_layer_rule_catches_an_import_upwards():
    graph = {
        "jnpolicy_analysis.targets.text": {"jnpolicy_analysis.cli.tables"},
        "jnpolicy_analysis.inputs.observations": {"jnpolicy_analysis.targets.config"},
        "jnpolicy_analysis.costing.run": {"jnpolicy_analysis.targets.report"},
        "jnpolicy_analysis.cli.tables": {
            "jnpolicy_analysis.inputs.catalog",
            "jnpolicy_analysis.formatting",
        },
    }
    assert layer_violations(graph) == [
        "jnpolicy_analysis.costing.run imports jnpolicy_analysis.targets.report",
        "jnpolicy_analysis.inputs.observations imports jnpolicy_analysis.targets.config",
        "jnpolicy_analysis.targets.text imports jnpolicy_analysis.cli.tables",
    ]


def test_every_import_points_down_the_layers():
    assert layer_violations(import_graph(PACKAGE)) == []


def test_formatting_imports_only_units():
    graph = import_graph(PACKAGE)
    assert graph["jnpolicy_analysis.formatting"] == {"jnpolicy_analysis.units"}


def top_level_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph of the package's rooms: its root modules and subpackages."""

    def top(m: str) -> str:
        return m.removeprefix("jnpolicy_analysis").lstrip(".").split(".")[0] or "(package)"

    rooms: dict[str, set[str]] = {}
    for module, targets in graph.items():
        mine = top(module)
        rooms.setdefault(mine, set())
        for t in targets:
            if top(t) not in (mine, "(package)"):
                rooms[mine].add(top(t))
    return rooms


def levels(rooms: dict[str, set[str]]) -> dict[str, int]:
    """Each room's level: 1 for a room that imports none, else one above the highest it imports."""
    out: dict[str, int] = {}

    def level(r: str) -> int:
        if r not in out:
            out[r] = 1 + max((level(t) for t in rooms[r]), default=0)
        return out[r]

    for r in rooms:
        level(r)
    return out


def test_the_rooms_stand_on_few_levels_with_no_circle():
    rooms = top_level_graph(import_graph(PACKAGE))
    assert find_cycle(rooms) is None
    # the package on at most 9 levels: with the notebooks and benchmarks above it, 10
    height = max(levels(rooms).values())
    assert height <= 9, levels(rooms)


def test_levels_count_the_longest_chain():
    assert levels({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"c"}}) == {
        "a": 3,
        "b": 2,
        "c": 1,
        "d": 2,
    }


def test_publish_never_reads_the_inputs():
    graph = import_graph(PACKAGE)
    wrong = sorted(
        f"{m} imports {t}"
        for m, targets in graph.items()
        if m.startswith("jnpolicy_analysis.publish")
        for t in targets
        if t in PUBLISH_NEVER_IMPORTS
    )
    assert wrong == []


def private_imports(root: Path) -> list[str]:
    """Imports of a private name (``_x``) of another package module, outside costing/."""
    found = []
    for py in root.rglob("*.py"):
        rel = py.relative_to(root.parent).as_posix()
        if rel.startswith("jnpolicy_analysis/costing/"):
            continue
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("jnpolicy_analysis")
            ):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        found.append(f"{rel}: {node.module}.{a.name}")
    return sorted(found)


def test_no_module_outside_costing_imports_a_private_name():
    assert private_imports(PACKAGE) == []
