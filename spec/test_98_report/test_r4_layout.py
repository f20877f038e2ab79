"""Chapter 98, R4 — How tapespec is built: imports flow one way, from the chapters and the machinery down to the harness.

The layers README's "How tapespec is built" draws, checked by parsing every module's imports.
"""
import functools


from spec.report import snippets




# ------------------------------------------------------------------------------------ how tapespec is built

#: What each part of spec/ may import (besides itself and the standard library): the layers README's "How tapespec
#: is built" draws. Chapters are the test modules; the machinery chapters (97, 98) test the machinery itself.
MAY_IMPORT = {
    "tolerances": set(),
    "oracle": {"tolerances"},
    "harness": {"oracle", "tolerances"},
    "bugs": {"harness"},
    "atlas": {"harness", "bugs", "oracle", "tolerances"},
    "chapters": {"harness", "bugs", "atlas", "oracle", "tolerances", "chapters"},
    "report": {"harness", "bugs", "atlas"},
    "upgrade": {"harness", "report", "atlas", "bugs", "oracle"},  # the baseline records what the oracle compared
    "selfcheck": {"harness"},
    "bugreport": {"harness", "bugs", "atlas", "chapters"},  # reads the chapters' KnownBugs; nothing imports it
}
MACHINERY_TESTS = ("spec/test_97", "spec/test_98")


def _part(path) -> str:
    """The part of spec/ a module belongs to: its package, "chapters" for a test module, or the module itself."""
    relative = path.relative_to(snippets.ROOT / "spec")
    if relative.parts[0].startswith("test_"):
        return "chapters"
    return relative.parts[0].removesuffix(".py")


def _module_name(path) -> str:
    relative = path.relative_to(snippets.ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imports() -> dict:
    """module name -> (its file, the spec.* modules it imports anywhere in it, at module level or inside a function)."""
    import ast

    found = {}
    for path in sorted((snippets.ROOT / "spec").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name, targets = _module_name(path), set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("spec.")}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                if base == "spec" or base.startswith("spec."):
                    targets |= {f"{base}.{a.name}" if f"{base}.{a.name}" in _all_modules() else base for a in node.names}
        found[name] = (path, targets - {name})
    return found


@functools.cache
def _all_modules() -> frozenset:
    return frozenset(_module_name(p) for p in (snippets.ROOT / "spec").rglob("*.py"))


def test_imports_flow_one_way_from_chapters_and_machinery_down_to_the_harness():
    """Every module of spec/ imports only from the parts below it (tolerances < oracle < harness < bugs < atlas < chapters; report and upgrade read the atlas and the harness; the report imports no chapter), and no two modules import each other, directly or through others (README, "How tapespec is built")."""
    modules = _imports()
    wrong = []
    for name, (path, targets) in modules.items():
        part = _part(path)
        if str(path.relative_to(snippets.ROOT)).startswith(MACHINERY_TESTS):
            continue  # the machinery's own tests import what they test
        for target in sorted(targets):
            other = target.split(".")[1] if target.count(".") else target
            other = "chapters" if other.startswith("test_") else other
            if other != part and other not in MAY_IMPORT.get(part, set()):
                wrong.append(f"{name} ({part}) imports {target} ({other})")
    cycles = []
    graph = {name: {t for t in targets if t in modules} for name, (_, targets) in modules.items()}

    def visit(node, stack, done):
        if node in stack:
            cycles.append(" -> ".join(stack[stack.index(node):] + [node]))
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, stack + [node], done)
        done.add(node)

    done: set = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert not wrong and not cycles, "imports against the layers: " + "; ".join(wrong) + " · cycles: " + "; ".join(cycles)
