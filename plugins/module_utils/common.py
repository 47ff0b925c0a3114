# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

COLLECTION_NAME = "s3_crossaccount.replication"
COLLECTION_VERSION = "0.1.0"
