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
# Other permanent names of write modules (meta/runtime.yml redirects the modules themselves, without
# deprecation): kms_key_grant is the design card's name of the key-access module.
ALIASES = {"kms_key_grant": key_access.WRITER.MODULE}


def writer_of(module_name):
    return WRITERS[ALIASES.get(module_name, module_name)]
