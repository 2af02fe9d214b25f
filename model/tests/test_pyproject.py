"""pyproject.toml declares what the code imports, and the installed packages satisfy it."""

import ast
import os
import sys
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_DIR = os.path.join(MODEL_DIR, "interest_model")


def _project():
    with open(os.path.join(MODEL_DIR, "pyproject.toml"), "rb") as file:
        return tomllib.load(file)["project"]


def _requirements(group=None):
    project = _project()
    specs = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [Requirement(spec) for spec in specs]


def _third_party_imports(directory):
    modules = set()
    for name in os.listdir(directory):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as file:
            tree = ast.parse(file.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m != "interest_model"}


def test_every_third_party_import_of_the_package_is_a_declared_dependency():
    declared = {requirement.name for requirement in _requirements()}
    # Each package here is imported under its distribution's name.
    imported = _third_party_imports(PACKAGE_DIR)
    assert imported <= declared, f"imported but not in pyproject.toml: {imported - declared}"
    assert declared <= imported, f"declared but never imported: {declared - imported}"


def test_the_installed_packages_meet_the_declared_versions():
    for requirement in _requirements() + _requirements("test"):
        installed = version(requirement.name)
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement.name} {installed} does not satisfy {requirement}")
