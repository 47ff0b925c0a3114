# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The write modules of the collection, by name, and their writers (module_utils/writers/runner)."""

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alarms
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import alert_topic
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import bucket_policy
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import dashboard
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import key_access
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import notification
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import replication
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.writers import role

MODULES = (bucket, bucket_policy, key_access, replication, role, notification, alert_topic, alarms, dashboard)
WRITERS = {module.WRITER.MODULE: module.WRITER for module in MODULES}
# Former names of write modules, still accepted (meta/runtime.yml redirects the modules themselves).
RENAMED = {"kms_key_grant": key_access.WRITER.MODULE}


def writer_of(module_name):
    return WRITERS[RENAMED.get(module_name, module_name)]


def rename_warnings(module_name):
    """The deprecation warning of a former module name (none for a current one)."""
    if module_name not in RENAMED:
        return []
    return [f"module {module_name} is now called {RENAMED[module_name]}: the old name is deprecated and goes in 3.0.0"]
