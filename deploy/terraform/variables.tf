# Variable names follow TEA's Terraform module, so a Cumulus deployment can swap the module
# source and keep its inputs. null means "the CloudFormation template's default".

variable "stack_name" {
  type        = string
  description = "Name of the CloudFormation stack (the first 36 characters are used, as in TEA)."
}

variable "bucketname_prefix" {
  type        = string
  description = "Every data bucket's name starts with this; the download roles read arn:aws:s3:::<prefix>*."
}

variable "config_bucket" {
  type        = string
  description = "Bucket holding the bucket map and HTML templates."
}

variable "lambda_code_s3_bucket" {
  type        = string
  default     = null
  description = "S3 bucket of the egress Lambda zip (dist/lambda/egress.zip)."
}

variable "lambda_code_s3_key" {
  type        = string
  description = "S3 key of the egress Lambda zip."
}

variable "template_url" {
  type        = string
  default     = null
  description = "URL of the CloudFormation template; null = the template shipped with this module (deploy/cloudformation/tea-ts.yaml)."
}

variable "auth_base_url" {
  type        = string
  default     = null
  description = "Earthdata Login base URL (AUTH_BASE_URL)."
}

variable "bucket_map_file" {
  type        = string
  default     = null
  description = "Key of the bucket map in the config bucket."
}

variable "html_template_dir" {
  type        = string
  default     = null
  description = "Prefix of HTML templates in the config bucket."
}

variable "domain_name" {
  type        = string
  default     = null
  description = "Public host name (CloudFront or custom domain) used in redirect URLs."
}

variable "domain_cert_arn" {
  type        = string
  default     = null
  description = "ACM certificate for domain_name: set to create the API Gateway custom domain."
}

variable "cookie_domain" {
  type        = string
  default     = null
  description = "Domain attribute of the session cookie."
}

variable "use_cors" {
  type        = bool
  default     = false
  description = "Allow CORS from origins ending in cookie_domain."
}

variable "download_role_arn" {
  type        = string
  default     = null
  description = "Existing out-of-region download role; null = create both download roles."
}

variable "download_role_in_region_arn" {
  type        = string
  default     = null
  description = "Existing in-region download role (with download_role_arn)."
}

variable "jwt_algo" {
  type        = string
  default     = "RS256"
  description = "Session cookie JWT algorithm (RS256 or HS256)."
}

variable "jwt_secret_name" {
  type        = string
  default     = "jwt_secret_for_tea"
  description = "Secrets Manager secret with rsa_priv_key and rsa_pub_key (base64)."
}

variable "urs_auth_creds_secret_name" {
  type        = string
  default     = "urs_creds_for_tea"
  description = "Secrets Manager secret with UrsId and UrsAuth."
}

variable "lambda_memory" {
  type        = number
  default     = 1792
  description = "Egress Lambda memory (MB)."
}

variable "lambda_timeout" {
  type        = number
  default     = 6
  description = "Egress Lambda timeout (seconds)."
}

variable "log_level" {
  type        = string
  default     = null
  description = "DEBUG, INFO, WARNING, ERROR or CRITICAL."
}

variable "log_type" {
  type        = string
  default     = null
  description = "json or flat (tea-ts always writes JSON lines)."
}

variable "log_api_gateway_to_cloudwatch" {
  type        = bool
  default     = false
  description = "API Gateway access logs to CloudWatch."
}

variable "maturity" {
  type        = string
  default     = null
  description = "DEV, INT, TEST, SIT, UAT or PROD."
}

variable "permissions_boundary_name" {
  type        = string
  default     = null
  description = "IAM permissions boundary policy name for every role the stack creates."
}

variable "private_vpc" {
  type        = string
  default     = null
  description = "VPC id: private API (through an execute-api VPC endpoint), Lambda in the VPC."
}

variable "vpc_security_group_ids" {
  type        = list(string)
  default     = []
  description = "Security groups for the Lambda (with private_vpc); none = one is created."
}

variable "vpc_subnet_ids" {
  type        = list(string)
  default     = []
  description = "Subnets for the Lambda (with private_vpc)."
}

variable "s3credentials_endpoint" {
  type        = bool
  default     = false
  description = "Serve /s3credentials."
}

variable "session_ttl" {
  type        = number
  default     = null
  description = "Session cookie lifetime (hours)."
}

variable "stage_name" {
  type        = string
  default     = null
  description = "API Gateway stage name, the first path segment of the API Gateway URL."
}

variable "suppress_head_check" {
  type        = bool
  default     = false
  description = "Skip the HeadObject before a download redirect."
}

variable "use_reverse_bucket_map" {
  type        = bool
  default     = false
  description = "Bucket map lookups by bucket name."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for the stack and everything in it."
}

# tea-ts additions.

variable "api_type" {
  type        = string
  default     = null
  description = "REST (TEA's API Gateway REST API, default) or HTTP (API Gateway HTTP API)."
}

variable "in_region_source_ips" {
  type        = list(string)
  default     = null
  description = "CIDRs counted as in-region by the created in-region role (default 10.0.0.0/8; requests through a VPC always are)."
}

variable "s3credentials_reuse" {
  type        = bool
  default     = false
  description = "Hand a user the same STS credentials until they near expiry (fewer AssumeRole calls)."
}
