# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The modules' names: every module in the action group, and every other name (kms_key_grant) redirected, permanent and accepted."""

import os

import yaml

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import ALIASES
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers.registry import WRITERS

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
COLLECTION = "s3_crossaccount.replication"
# replication_plan is an action plugin run on the controller: no AWS credentials, no module_defaults group.
CONTROLLER_ONLY = {"replication_plan"}


def runtime():
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def modules():
    return {name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules")) if name.endswith(".py")}


def group():
    return [entry for entry in runtime()["action_groups"]["aws"] if isinstance(entry, str)]


def redirects():
    return runtime()["plugin_routing"]["modules"]


def test_every_aws_module_and_every_other_name_is_in_the_action_group():
    assert set(group()) == (modules() - CONTROLLER_ONLY) | set(redirects())
    assert group() == sorted(group())


def test_every_other_name_redirects_to_a_module_of_the_collection_and_is_not_deprecated():
    assert set(redirects()) == {"kms_key_grant"}
    for other, routing in redirects().items():
        assert other not in modules()
        namespace, name, module = routing["redirect"].split(".")
        assert f"{namespace}.{name}" == COLLECTION and module in modules()
        assert "deprecation" not in routing and "tombstone" not in routing


def test_the_apply_module_takes_the_other_names_of_write_modules_as_the_redirects_do():
    write_redirects = {other: routing["redirect"].rsplit(".", 1)[1] for other, routing in redirects().items()
                       if routing["redirect"].rsplit(".", 1)[1] in WRITERS}
    assert ALIASES == write_redirects
    assert set(WRITERS) <= modules()
