# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The replication_pairs inventory's options: refused before any AWS call, with the option's name and the fix."""

import pytest

from ansible_collections.s3_crossaccount.replication.plugins.module_utils.estate import options as estate_options

DST_KEY = "arn:aws:kms:us-east-1:880161310235:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def config(**changes):
    base = {
        "source": {"account_id": "211258069784", "region": "us-east-1", "profile": "prod", "bucket_tags": {"replicate-to": "analytics"}},
        "destination": {"account_id": "880161310235", "region": "us-east-1", "profile": "analytics", "bucket": "central-archive", "kms_key_arn": DST_KEY},
        "vars": {"replication_role_name": "s3-replication-role"},
    }
    for name, value in changes.items():
        section, _dot, option = name.partition("__")
        if option:
            base[section][option] = value
        else:
            base[section] = value
    return base


def problems_of(given):
    with pytest.raises(estate_options.EstateOptionsError) as raised:
        estate_options.validate(given)
    return str(raised.value)


def test_valid_options_get_their_defaults():
    values = estate_options.validate(config())
    assert values["read_workers"] == estate_options.DEFAULT_READ_WORKERS
    assert values["source"]["bucket_names"] == []
    assert values["destination"]["create_bucket"] is True


def test_a_misspelt_source_option_is_named_with_the_right_one():
    text = problems_of(config(source__bucket_tag={"a": "b"}))
    assert "source.bucket_tag is not a known option of source (did you mean bucket_tags?)" in text


def test_a_missing_destination_is_named():
    given = config()
    del given["destination"]
    assert "destination" in problems_of(given) and "missing" in problems_of(given)


def test_a_misspelt_top_level_option_is_named_with_the_right_one():
    (problem,) = estate_options.unknown_options({"plugin": 1, "destinaton": {}, "source": {}}, ["plugin", "source", "destination", "vars"])
    assert problem.startswith("destinaton is not an option of s3_crossaccount.replication.replication_pairs (did you mean destination?)")


def test_a_selector_is_required():
    given = config()
    del given["source"]["bucket_tags"]
    assert "source needs bucket_tags, bucket_names or both" in problems_of(given)


def test_profile_and_role_arn_exclude_each_other():
    assert "source: parameters are mutually exclusive: profile|role_arn" in problems_of(config(source__role_arn="arn:aws:iam::211258069784:role/deployer"))


@pytest.mark.parametrize("change, expected", [
    ({"source__account_id": "2112580697"}, "source.account_id: '2112580697' is not an AWS account id"),
    ({"destination__kms_key_arn": "alias/replicas"}, "destination.kms_key_arn: 'alias/replicas' is a KMS alias"),
    ({"source__kms_key_arn": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "source.kms_key_arn: '1234abcd-12ab-34cd-56ef-1234567890ab' is not a full KMS key ARN"),
    ({"destination__region": "useast1"}, "destination.region: 'useast1' is not an AWS region name"),
    ({"destination__bucket": "{bucket}-replica"}, "names {bucket}: the only placeholder is {source_bucket}"),
    ({"destination__bucket": "{source_bucket-replica"}, "is not a valid pattern"),
    ({"destination__bucket": "Central_Archive"}, "destination.bucket: 'Central_Archive' is not a valid S3 bucket name"),
    ({"vars": {"replication_role_nmae": "x"}},
     "vars: replication_role_nmae is not a variable of s3_crossaccount.replication (did you mean replication_role_name?)"),
    ({"vars": {"replication_source": {}}}, "vars.replication_source is set by the inventory from source and destination"),
    ({"read_workers": 0}, "read_workers is 0"),
])
def test_invalid_options_are_refused_with_their_name(change, expected):
    assert expected in problems_of(config(**change))


def test_a_pattern_with_the_placeholder_is_accepted():
    assert estate_options.validate(config(destination__bucket="{source_bucket}-replica"))["destination"]["bucket"] == "{source_bucket}-replica"
