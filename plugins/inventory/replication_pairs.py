# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: replication_pairs
short_description: Replication pairs found in an AWS account's buckets, by tags and names
version_added: 0.1.0
description:
  - Searches one (source) account's buckets of one region for those carrying the tags of O(source.bucket_tags) and/or matching a glob
    of O(source.bucket_names), and makes each a host of group C(replication_pairs), named after the bucket, with the variables
    C(replication_source) and C(replication_destination) of the collection's vars contract (docs/vars.md), plus O(vars).
  - The source key of a pair is O(source.kms_key_arn), else the bucket's default-encryption key. A matching bucket whose default
    encryption is not SSE-KMS with an enabled customer managed symmetric key is left out, with a warning naming it.
  - Every playbook of the collection runs the pairs of group C(replication_pairs)
    (C(ansible-playbook -i estate.replication_pairs.yml playbooks/replicate.yml)); C(--limit) picks some.
  - Reads only (GetCallerIdentity, ListBuckets, GetBucketTagging, GetBucketEncryption, kms:DescribeKey), the per-bucket reads
    O(read_workers) at a time. Uses a YAML configuration file whose name ends with C(replication_pairs.yml) or C(replication_pairs.yaml).
  - Each host gets C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}) (a pair is not a
    machine, its work runs on the controller), and C(bucket_tags), the source bucket's tags (read when O(source.bucket_tags) selects,
    or when O(compose), O(groups) or O(keyed_groups) is given), for O(compose), O(groups) and O(keyed_groups).
options:
  plugin:
    description: The name of this plugin; it should always be set to V(s3_crossaccount.replication.replication_pairs).
    required: true
    type: str
    choices: [s3_crossaccount.replication.replication_pairs]
  source:
    description:
      - The account whose buckets are searched, how to act in it, and which buckets become pairs.
      - Any other option of C(replication_source) (docs/vars.md) except C(bucket), such as C(key_access), is passed on to every pair.
      - Required (checked by the plugin, so that a misspelt name is named).
    type: dict
    suboptions:
      account_id:
        description: The source account's id, 12 digits, quoted in YAML. The credentials must act in it.
        type: str
        required: true
      region:
        description: The region whose buckets are searched (ListBuckets of that region), and the region of every source bucket and key.
        type: str
        required: true
      profile:
        description: A named AWS profile that acts in the source account. Mutually exclusive with O(source.role_arn).
        type: str
      role_arn:
        description: A role in the source account, assumed from the plugin's own credentials (O(access_key), O(profile), environment).
        type: str
      role_session_name:
        description: Session name when O(source.role_arn) is assumed.
        type: str
        default: s3-crossaccount-replication
      external_id:
        description: External id required by O(source.role_arn)'s trust policy, if any.
        type: str
      bucket_tags:
        description:
          - Buckets carrying all of these tags (key and value). Give O(source.bucket_tags), O(source.bucket_names) or both (a bucket must
            then match both).
        type: dict
        default: {}
      bucket_names:
        description: Buckets whose name matches one of these globs (C(*), C(?), C([...])).
        type: list
        elements: str
        default: []
      kms_key_arn:
        description: Full ARN of the source key of every pair found; default each bucket's default-encryption key.
        type: str
  destination:
    description:
      - The destination of every pair found, as C(replication_destination) of docs/vars.md (its other options such as C(create_bucket),
        C(key_access) or C(object_ownership) too).
      - Required, like O(source) (checked by the plugin, so that a misspelt name is named).
    type: dict
    suboptions:
      account_id:
        description: The destination account's id, 12 digits, quoted in YAML.
        type: str
        required: true
      region:
        description: The destination bucket's and key's region.
        type: str
        required: true
      bucket:
        description:
          - One bucket for every pair (fan-in, for example V(central-archive)), or a pattern in which V({source_bucket}) is the source
            bucket's name (for example V({source_bucket}-replica)).
        type: str
        required: true
      kms_key_arn:
        description: Full ARN of the destination account's customer managed KMS key.
        type: str
        required: true
      profile:
        description: A named AWS profile that acts in the destination account (used by the playbooks, not by this plugin).
        type: str
      role_arn:
        description: A role in the destination account (used by the playbooks, not by this plugin).
        type: str
  vars:
    description:
      - Any other variable of docs/vars.md (C(replication_role_name), C(replication_rules), ...), set on every pair found.
      - Variables of this collection's prefixes that no playbook knows are refused with the closest valid name.
    type: dict
    default: {}
  read_workers:
    description: How many per-bucket or per-key reads run at once.
    type: int
    default: 8
notes:
  - The options are checked before any AWS call; a misspelt or missing one fails the inventory with its name and the fix.
  - docs/estate.md shows a whole estate (tag policy, quotas of one role and one central bucket, AWX scheduling).
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.assume_role.plugins
author:
  - s3_crossaccount.replication contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# analytics.replication_pairs.yml: every bucket tagged replicate-to=analytics into one central bucket
plugin: s3_crossaccount.replication.replication_pairs
source:
  account_id: "211258069784"
  region: us-east-1
  profile: prod
  bucket_tags:
    replicate-to: analytics
destination:
  account_id: "880161310235"
  region: us-east-1
  profile: analytics
  bucket: central-archive
  kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
vars:
  replication_role_name: s3-replication-role

---
# replicas.replication_pairs.yml: stats-* buckets, each into its own replica, roles assumed (AWX);
# one group per team tag, cached for an hour
plugin: s3_crossaccount.replication.replication_pairs
source:
  account_id: "211258069784"
  region: us-east-1
  role_arn: arn:aws:iam::211258069784:role/deployer
  bucket_names: ["stats-*"]
destination:
  account_id: "880161310235"
  region: us-east-1
  role_arn: arn:aws:iam::880161310235:role/deployer
  bucket: "{source_bucket}-replica"
  kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
keyed_groups:
  - key: bucket_tags.team | default('none')
    prefix: team
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/replication_pairs_cache
cache_timeout: 3600
"""

from ansible.errors import AnsibleError

from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.calls import aws_errors
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.aws.retries import transient_retry
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.errors import AwsCallFailure
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import discovery
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every inventory string

    def trust_as_template(value):
        return value


CONSTRUCTED = ("compose", "groups", "keyed_groups")
CONNECTION_VARS = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}


class InventoryModule(AWSInventoryBase):
    NAME = estate_options.PLUGIN_NAME
    INVENTORY_FILE_SUFFIXES = ("replication_pairs.yml", "replication_pairs.yaml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        problems = estate_options.unknown_options(self.loader.load_from_file(path, cache="none"), self._options)
        if problems:
            raise AnsibleError("; ".join(problems))
        try:
            options = estate_options.validate({name: self.get_option(name) for name in estate_options.SPEC})
        except estate_options.EstateOptionsError as error:
            raise AnsibleError(str(error)) from error
        was_cached, found = self.get_cached_result(path, cache)
        if not was_cached:
            found = self._find(options)
            self.update_cached_result(path, cache, found)
        for warning in found["warnings"]:
            self.warn(warning)
        self._populate(found["pairs"])

    def _find(self, options):
        want_tags = any(self.get_option(name) for name in CONSTRUCTED)
        try:
            return discovery.find_pairs(self._source_clients(options["source"]), options, want_tags=want_tags)
        except (AwsCallFailure, estate_options.EstateOptionsError) as error:
            raise AnsibleError(f"{self.NAME}: {error}") from error

    def _source_clients(self, source):
        credentials = {"region": source["region"]}
        if source.get("profile"):
            credentials.update(profile_name=source["profile"], aws_access_key_id=None, aws_secret_access_key=None, aws_session_token=None)
        elif source.get("role_arn"):
            credentials.update(profile_name=None, **self._assumed(source))
        return {service: self.client(service, retry_decorator=transient_retry(), **credentials) for service in ("s3", "kms", "sts")}

    def _assumed(self, source):
        params = {"RoleArn": source["role_arn"], "RoleSessionName": source["role_session_name"]}
        if source.get("external_id"):
            params["ExternalId"] = source["external_id"]
        try:
            answer = self.client("sts", region=source["region"]).assume_role(**params)["Credentials"]
        except aws_errors() as error:
            raise AnsibleError(f"{self.NAME}: could not assume source.role_arn {source['role_arn']}: {error}") from error
        return {"aws_access_key_id": answer["AccessKeyId"], "aws_secret_access_key": answer["SecretAccessKey"], "aws_session_token": answer["SessionToken"]}

    def _populate(self, pairs):
        group = self.inventory.add_group(estate_options.GROUP)
        for name, value in CONNECTION_VARS.items():
            self.inventory.set_variable(group, name, trust_as_template(value))
        strict = self.get_option("strict")
        for pair in pairs:
            host = self.inventory.add_host(pair["bucket"], group=group)
            host_vars = dict(pair["variables"], bucket_tags=pair["tags"])
            for name, value in host_vars.items():
                self.inventory.set_variable(host, name, value)
            self._set_composite_vars(self.get_option("compose"), host_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, host, strict=strict)
