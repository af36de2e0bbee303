locals {
  vpc_security_group_ids_set = length(var.vpc_security_group_ids) > 0
  create_security_group      = var.private_vpc != null && !local.vpc_security_group_ids_set
  bool                       = { true = "True", false = "False" }
}

# A Lambda in a VPC needs a security group; as in TEA, one is made when none is given.
resource "aws_security_group" "egress_lambda" {
  count       = local.create_security_group ? 1 : 0
  name_prefix = "${substr(var.stack_name, 0, 36)}-egress-"
  description = "tea-ts egress Lambda: outbound only"
  vpc_id      = var.private_vpc
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = var.tags
}

resource "aws_cloudformation_stack" "tea_ts" {
  name          = substr(var.stack_name, 0, 36)
  template_url  = var.template_url
  template_body = var.template_url == null ? file("${path.module}/../cloudformation/tea-ts.yaml") : null
  capabilities  = ["CAPABILITY_IAM"]
  tags          = var.tags
  parameters = {
    ApiType                         = var.api_type
    AuthBaseUrl                     = var.auth_base_url
    BucketMapFile                   = var.bucket_map_file
    BucketnamePrefix                = var.bucketname_prefix
    ConfigBucket                    = var.config_bucket
    CookieDomain                    = var.cookie_domain
    DomainCertArn                   = var.domain_cert_arn
    DomainName                      = var.domain_name
    DownloadRoleArn                 = var.download_role_arn
    DownloadRoleInRegionArn         = var.download_role_in_region_arn
    EnableApiGatewayLogToCloudWatch = local.bool[var.log_api_gateway_to_cloudwatch]
    EnableS3CredentialsEndpoint     = local.bool[var.s3credentials_endpoint]
    HtmlTemplateDir                 = var.html_template_dir
    InRegionSourceIps               = var.in_region_source_ips == null ? null : join(",", var.in_region_source_ips)
    JwtAlgo                         = var.jwt_algo
    JwtKeySecretName                = var.jwt_secret_name
    LambdaCodeS3Bucket              = var.lambda_code_s3_bucket
    LambdaCodeS3Key                 = var.lambda_code_s3_key
    LambdaMemory                    = var.lambda_memory
    LambdaTimeout                   = var.lambda_timeout
    Loglevel                        = var.log_level
    Logtype                         = var.log_type
    Maturity                        = var.maturity
    PermissionsBoundaryName         = var.permissions_boundary_name
    PrivateVPC                      = var.private_vpc
    S3CredentialsReuse              = local.bool[var.s3credentials_reuse]
    SessionTTL                      = var.session_ttl
    StageName                       = var.stage_name
    SuppressHeadCheck               = local.bool[var.suppress_head_check]
    URSAuthCredsSecretName          = var.urs_auth_creds_secret_name
    UseCorsCookieDomain             = local.bool[var.use_cors]
    UseReverseBucketMap             = local.bool[var.use_reverse_bucket_map]
    VPCSecurityGroupIDs             = local.create_security_group ? aws_security_group.egress_lambda[0].id : join(",", var.vpc_security_group_ids)
    VPCSubnetIDs                    = join(",", var.vpc_subnet_ids)
  }
}
