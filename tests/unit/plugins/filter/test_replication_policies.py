import json
import os
import subprocess
import sys

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.s3_crossaccount.replication.plugins.filter import replication_policies as plugin
from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import replication_policies

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SPEC = {
    "source": {
        "account_id": "211258069784",
        "bucket": "stats-data-src",
        "kms_key_arn": "arn:aws:kms:us-east-1:211258069784:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "region": "us-east-1",
        "bucket_key_enabled": False,
        "profile": "prod",
    },
    "destination": {
        "account_id": "880161310235",
        "bucket": "stats-data-tgt",
        "kms_key_arn": "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321",
        "region": "us-east-1",
        "bucket_key_enabled": True,
        "profile": "analytics",
    },
    "role_name": "s3-replication-role",
    "owner_override": True,
    "replicate_unencrypted_objects": True,
}


def the_filter():
    return plugin.FilterModule().filters()["replication_policies"]


def test_the_filter_returns_the_policy_model():
    assert the_filter()(SPEC) == replication_policies(SPEC)


def test_spec_errors_become_filter_errors_with_the_message():
    spec = dict(SPEC, destination=dict(SPEC["destination"], kms_key_arn="alias/replica"))
    with pytest.raises(AnsibleFilterError, match="replication_policies: destination.kms_key_arn: 'alias/replica' is a KMS alias"):
        the_filter()(spec)


def test_documentation_is_valid_yaml_and_names_the_filter():
    documentation = yaml.safe_load(plugin.DOCUMENTATION)
    assert documentation["name"] == "replication_policies"
    assert set(documentation["options"]["_input"]["suboptions"]) == {
        "source", "destination", "role_name", "role_path", "owner_override", "replicate_unencrypted_objects",
        "object_lock", "trust_source_account_condition", "partition",
    }
    returned = yaml.safe_load(plugin.RETURN)["_value"]["contains"]
    assert list(returned) == list(replication_policies(SPEC))
    assert yaml.safe_load(plugin.EXAMPLES)


def test_documented_defaults_are_the_models_defaults():
    from ansible_collections.s3_crossaccount.replication.plugins.module_utils.policy.model import TOP_LEVEL_DEFAULTS

    options = yaml.safe_load(plugin.DOCUMENTATION)["options"]["_input"]["suboptions"]
    assert {key: options[key]["default"] for key in TOP_LEVEL_DEFAULTS} == TOP_LEVEL_DEFAULTS


PLAYBOOK = """
- name: Use the filter through its fully qualified name
  hosts: localhost
  gather_facts: false
  vars:
    source_account: "211258069784"
    spec:
      source:
        account_id: "{{ source_account }}"
        bucket: stats-data-src
        kms_key_arn: "arn:aws:kms:us-east-1:{{ source_account }}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        region: us-east-1
        bucket_key_enabled: false
        profile: prod
      destination:
        account_id: "880161310235"
        bucket: stats-data-tgt
        kms_key_arn: arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321
        region: us-east-1
        bucket_key_enabled: true
        profile: analytics
      role_name: s3-replication-role
      owner_override: true
      replicate_unencrypted_objects: true
  tasks:
    - name: Print the documents as JSON
      ansible.builtin.debug:
        msg: "RESULT={{ spec | s3_crossaccount.replication.replication_policies | ansible.builtin.to_json }}"
    - name: A bad spec fails the task with the model's message
      ansible.builtin.debug:
        msg: "{{ spec | ansible.builtin.combine({'role_name': 'not valid!'}) | s3_crossaccount.replication.replication_policies }}"
"""


def test_the_filter_works_in_a_playbook_under_its_fqcn(tmp_path):
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(PLAYBOOK)
    environment = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
    )
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
    completed = subprocess.run(command, env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    output = completed.stdout + completed.stderr
    result_line = next(line for line in output.splitlines() if '"msg": "RESULT=' in line)
    result = json.loads(json.loads(result_line.split('"msg": ', 1)[1])[len("RESULT="):])
    assert result == replication_policies(SPEC)
    assert completed.returncode == 2
    assert "replication_policies: role_name: 'not valid!' is not a valid IAM role name" in output
