# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The table of known actions the doctor's document checks compare policies against: data only."""

# Actions of the services replication documents use (IAM service authorization reference, 2025).
# Names are compared case-insensitively; a pattern must match at least one of them.
KNOWN_ACTIONS = {
    "sts": """AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot DecodeAuthorizationMessage GetAccessKeyInfo
        GetCallerIdentity GetFederationToken GetServiceBearerToken GetSessionToken SetContext SetSourceIdentity TagSession""",
    "kms": """CancelKeyDeletion ConnectCustomKeyStore CreateAlias CreateCustomKeyStore CreateGrant CreateKey Decrypt DeleteAlias
        DeleteCustomKeyStore DeleteImportedKeyMaterial DeriveSharedSecret DescribeCustomKeyStores DescribeKey DisableKey DisableKeyRotation
        DisconnectCustomKeyStore EnableKey EnableKeyRotation Encrypt GenerateDataKey GenerateDataKeyPair GenerateDataKeyPairWithoutPlaintext
        GenerateDataKeyWithoutPlaintext GenerateMac GenerateRandom GetKeyPolicy GetKeyRotationStatus GetParametersForImport GetPublicKey
        ImportKeyMaterial ListAliases ListGrants ListKeyPolicies ListKeyRotations ListKeys ListResourceTags ListRetirableGrants PutKeyPolicy
        ReEncryptFrom ReEncryptTo ReplicateKey RetireGrant RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion Sign SynchronizeMultiRegionKey
        TagResource UntagResource UpdateAlias UpdateCustomKeyStore UpdateKeyDescription UpdatePrimaryRegion Verify VerifyMac""",
    "s3": """AbortMultipartUpload AssociateAccessGrantsIdentityCenter BypassGovernanceRetention CreateAccessGrant CreateAccessGrantsInstance
        CreateAccessGrantsLocation CreateAccessPoint CreateAccessPointForObjectLambda CreateBucket CreateBucketMetadataTableConfiguration
        CreateJob CreateMultiRegionAccessPoint CreateStorageLensGroup DeleteAccessGrant DeleteAccessGrantsInstance
        DeleteAccessGrantsInstanceResourcePolicy DeleteAccessGrantsLocation DeleteAccessPoint DeleteAccessPointForObjectLambda
        DeleteAccessPointPolicy DeleteAccessPointPolicyForObjectLambda DeleteBucket DeleteBucketMetadataTableConfiguration DeleteBucketPolicy
        DeleteBucketWebsite DeleteJobTagging DeleteMultiRegionAccessPoint DeleteObject DeleteObjectTagging DeleteObjectVersion
        DeleteObjectVersionTagging DeleteStorageLensConfiguration DeleteStorageLensConfigurationTagging DeleteStorageLensGroup DescribeJob
        DescribeMultiRegionAccessPointOperation DissociateAccessGrantsIdentityCenter GetAccelerateConfiguration GetAccessGrant
        GetAccessGrantsInstance GetAccessGrantsInstanceForPrefix GetAccessGrantsInstanceResourcePolicy GetAccessGrantsLocation GetAccessPoint
        GetAccessPointConfigurationForObjectLambda GetAccessPointForObjectLambda GetAccessPointPolicy GetAccessPointPolicyForObjectLambda
        GetAccessPointPolicyStatus GetAccessPointPolicyStatusForObjectLambda GetAccountPublicAccessBlock GetAnalyticsConfiguration
        GetBucketAcl GetBucketCORS GetBucketLocation GetBucketLogging GetBucketMetadataTableConfiguration GetBucketNotification
        GetBucketObjectLockConfiguration GetBucketOwnershipControls GetBucketPolicy GetBucketPolicyStatus GetBucketPublicAccessBlock
        GetBucketRequestPayment GetBucketTagging GetBucketVersioning GetBucketWebsite GetDataAccess GetEncryptionConfiguration
        GetIntelligentTieringConfiguration GetInventoryConfiguration GetJobTagging GetLifecycleConfiguration GetMetricsConfiguration
        GetMultiRegionAccessPoint GetMultiRegionAccessPointPolicy GetMultiRegionAccessPointPolicyStatus GetMultiRegionAccessPointRoutes
        GetObject GetObjectAcl GetObjectAttributes GetObjectLegalHold GetObjectRetention GetObjectTagging GetObjectTorrent GetObjectVersion
        GetObjectVersionAcl GetObjectVersionAttributes GetObjectVersionForReplication GetObjectVersionTagging GetObjectVersionTorrent
        GetReplicationConfiguration GetStorageLensConfiguration GetStorageLensConfigurationTagging GetStorageLensDashboard GetStorageLensGroup
        InitiateReplication ListAccessGrants ListAccessGrantsInstances ListAccessGrantsLocations ListAccessPoints
        ListAccessPointsForObjectLambda ListAllMyBuckets ListBucket ListBucketMultipartUploads ListBucketVersions ListCallerAccessGrants
        ListJobs ListMultiRegionAccessPoints ListMultipartUploadParts ListStorageLensConfigurations ListStorageLensGroups ListTagsForResource
        ObjectOwnerOverrideToBucketOwner PauseReplication PutAccelerateConfiguration PutAccessGrantsInstanceResourcePolicy
        PutAccessPointConfigurationForObjectLambda PutAccessPointPolicy PutAccessPointPolicyForObjectLambda PutAccessPointPublicAccessBlock
        PutAccountPublicAccessBlock PutAnalyticsConfiguration PutBucketAcl PutBucketCORS PutBucketLogging PutBucketNotification
        PutBucketObjectLockConfiguration PutBucketOwnershipControls PutBucketPolicy PutBucketPublicAccessBlock PutBucketRequestPayment
        PutBucketTagging PutBucketVersioning PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration
        PutInventoryConfiguration PutJobTagging PutLifecycleConfiguration PutMetricsConfiguration PutMultiRegionAccessPointPolicy PutObject
        PutObjectAcl PutObjectLegalHold PutObjectRetention PutObjectTagging PutObjectVersionAcl PutObjectVersionTagging
        PutReplicationConfiguration PutStorageLensConfiguration PutStorageLensConfigurationTagging ReplicateDelete ReplicateObject
        ReplicateTags RestoreObject SubmitMultiRegionAccessPointRoutes TagResource UntagResource UpdateAccessGrantsLocation UpdateJobPriority
        UpdateJobStatus UpdateStorageLensGroup""",
}
# Misspellings seen in the wild, with the real actions.
ACTION_HINTS = {"kms:reencrypt": "kms:ReEncryptFrom / kms:ReEncryptTo", "s3:replicateobjects": "s3:ReplicateObject"}
