# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which AWS call wrappers a piece of the collection can reach, read from its source (no import, no AWS call).

The collection's Python files are parsed once; a function reaches every function it names (called or
passed on), through the names its file imports; a file's module-level code is reached with any of
its functions, and naming a module as a value (the writers' registry) reaches all of it. The
wrappers are the functions of module_utils/aws/*.py that carry ``@needs`` declarations.
"""

import ast
import os

PACKAGE = "ansible_collections.s3_crossaccount.replication.plugins"
MODULE_LEVEL = "<module>"


def plugins_root():
    """The directory of the collection's plugins/ (this file is plugins/module_utils/deployer/reach.py)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def dotted_name(root, path):
    relative = os.path.relpath(path, root)[:-len(".py")].replace(os.sep, ".")
    return f"{PACKAGE}.{relative}".replace(".__init__", "")


class _File(ast.NodeVisitor):
    """The functions of one file and the names each one mentions; ``aliases``: local name -> dotted target."""

    def __init__(self, name, tree):
        self.name = name
        self.aliases = {}
        self.functions = {MODULE_LEVEL: set()}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name
        for node in tree.body:
            self._collect(node, MODULE_LEVEL)

    def _collect(self, node, owner):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions.setdefault(node.name, set())
            for child in node.body + node.decorator_list + node.args.defaults:
                self._mentions(child, node.name)
        elif isinstance(node, ast.ClassDef):
            for child in node.body:
                self._collect(child, owner)
        else:
            self._mentions(node, owner)

    def _mentions(self, node, owner):
        qualified = set()  # the ``aws_s3`` of ``aws_s3.get_policy`` names one function, not the module
        for child in ast.walk(node):
            if isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
                target = self.aliases.get(child.value.id)
                if target:
                    self.functions[owner].add(f"{target}.{child.attr}")
                    qualified.add(id(child.value))
                elif child.value.id in ("self", "cls"):
                    self.functions[owner].add(f"{self.name}.{child.attr}")
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and id(child) not in qualified:
                self.functions[owner].add(self.aliases.get(child.id, f"{self.name}.{child.id}"))


def parse_collection(root=None):
    """{dotted module name: _File} of every Python file under plugins/."""
    root = root or plugins_root()
    files = {}
    for directory, _subdirectories, names in os.walk(root):
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    tree = ast.parse(handle.read(), path)
                files[dotted_name(root, path)] = _File(dotted_name(root, path), tree)
    return files


def _resolve(files, target):
    """(module, function) a dotted target names, (module, None) for a whole module, None for anything else."""
    if target in files:
        return target, None
    module, _dot, function = target.rpartition(".")
    if module in files and function in files[module].functions:
        return module, function
    return None


def reached_functions(files, entries):
    """Every (module, function) reachable from ``entries`` ((module, function or None for all of it))."""
    seen, pending = set(), list(entries)
    while pending:
        module, function = pending.pop()
        names = list(files[module].functions) if function is None else [function, MODULE_LEVEL]
        for name in names:
            if (module, name) in seen or name not in files[module].functions:
                continue
            seen.add((module, name))
            for target in files[module].functions[name]:
                found = _resolve(files, target)
                if found:
                    pending.append(found)
    return seen


def reached_wrappers(files, entries, declared):
    """The names (``s3.get_replication``) of the declared wrappers reachable from ``entries``."""
    aws = f"{PACKAGE}.module_utils.aws."
    found = set()
    for module, function in reached_functions(files, entries):
        if module.startswith(aws):
            name = f"{module[len(aws):]}.{function}"
            if name in declared:
                found.add(name)
    return found
