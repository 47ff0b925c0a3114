# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each module test runs as a module process does.

ansible-core keeps a module's warnings and deprecations process-wide (one module run per process),
and once controller code is imported (the filter tests import ``ansible.errors``) it sends them to
the controller's display instead of the module's result. Each test here starts as a fresh module
process: not the controller, with no warning or deprecation recorded.
"""

import pytest
from ansible.module_utils.common import warnings as module_warnings

try:
    from ansible.module_utils import _internal
except ImportError:  # ansible-core 2.17 (make compat)
    _internal = None


@pytest.fixture(autouse=True)
def a_module_process(monkeypatch):
    if hasattr(_internal, "is_controller"):  # ansible-core 2.19 and later split controller and module
        monkeypatch.setattr(_internal, "is_controller", False)
    # A dict since ansible-core 2.19, a list before.
    monkeypatch.setattr(module_warnings, "_global_warnings", type(module_warnings._global_warnings)())
    monkeypatch.setattr(module_warnings, "_global_deprecations", type(module_warnings._global_deprecations)())
