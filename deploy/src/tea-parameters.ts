import { CfnParameter, Validations } from 'aws-cdk-lib'
import type { Stack } from 'aws-cdk-lib'
import type { EgressSettings } from './egress-settings.js'

/** A string parameter with TEA's name, default and description. */
function text(
  stack: Stack,
  name: string,
  defaultValue: string | undefined,
  description: string,
  extra: { allowedValues?: string[]; allowedPattern?: string } = {},
): string {
  return new CfnParameter(stack, name, {
    type: 'String',
    description,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    ...extra,
  }).valueAsString
}

const TRUE_FALSE = ['True', 'False']

/**
 * Declares TEA's CloudFormation parameters (names, defaults, allowed values as in TEA's
 * template), so a DAAC's `aws cloudformation deploy --parameter-overrides ...` keeps working,
 * and returns them as {@link EgressSettings}. Parameters tea-ts has no use for are still
 * declared (CloudFormation refuses unknown parameter names) and say so in their description.
 */
export function declareTeaParameters(stack: Stack): EgressSettings {
  const unused = (name: string, defaultValue: string, what: string): void => {
    text(stack, name, defaultValue, `Accepted for TEA compatibility and ignored: ${what}`)
  }
  unused('LambdaCodeDependencyArchive', '', 'tea-ts bundles its dependencies in the Lambda zip.')
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W2001',
    reason: 'TEA parameters kept so existing deploy scripts work',
  })
  const settings: EgressSettings = {
    lambdaCodeS3Bucket: text(
      stack,
      'LambdaCodeS3Bucket',
      'asf.public.code',
      'S3 bucket of the egress Lambda zip (dist/lambda/egress.zip).',
    ),
    lambdaCodeS3Key: text(stack, 'LambdaCodeS3Key', undefined, 'S3 key of the egress Lambda zip.'),
    lambdaMemory: new CfnParameter(stack, 'LambdaMemory', {
      type: 'Number',
      default: 1792,
      minValue: 128,
      maxValue: 10240,
      description: 'Egress Lambda memory (MB).',
    }).valueAsNumber,
    lambdaTimeout: new CfnParameter(stack, 'LambdaTimeout', {
      type: 'Number',
      default: 6,
      minValue: 3,
      maxValue: 30,
      description: 'Egress Lambda timeout (seconds); API Gateway gives up after 29.',
    }).valueAsNumber,
    jwtKeySecretName: text(
      stack,
      'JwtKeySecretName',
      undefined,
      'Secrets Manager secret with {"rsa_priv_key", "rsa_pub_key"} (base64 PEM).',
      { allowedPattern: '[0-9a-zA-Z.\\-+/_=@]+' },
    ),
    jwtAlgo: text(stack, 'JwtAlgo', 'RS256', 'Session cookie JWT algorithm.', {
      allowedValues: ['RS256', 'HS256'],
    }),
    ursAuthCredsSecretName: text(
      stack,
      'URSAuthCredsSecretName',
      undefined,
      'Secrets Manager secret with {"UrsId", "UrsAuth"} (UrsAuth = base64 of "client_id:password").',
    ),
    authBaseUrl: text(
      stack,
      'AuthBaseUrl',
      'https://urs.earthdata.nasa.gov',
      'Earthdata Login base URL.',
      {
        allowedValues: [
          'https://urs.earthdata.nasa.gov',
          'https://uat.urs.earthdata.nasa.gov',
          'https://sit.urs.earthdata.nasa.gov',
          'https://sbx.urs.earthdata.nasa.gov',
        ],
      },
    ),
    loglevel: text(stack, 'Loglevel', 'DEBUG', 'Log level.', {
      allowedValues: ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'],
    }),
    logtype: text(stack, 'Logtype', 'json', 'Log format (tea-ts always logs JSON lines).', {
      allowedValues: ['json', 'flat'],
    }),
    maturity: text(stack, 'Maturity', 'DEV', 'Maturity (logs, default bucket prefix, / page).', {
      allowedValues: ['DEV', 'INT', 'TEST', 'SIT', 'UAT', 'PROD'],
    }),
    bucketnamePrefix: text(
      stack,
      'BucketnamePrefix',
      'prfx-d-',
      'Prefix of every bucket name in the bucket map; the download roles read arn:aws:s3:::<prefix>*.',
    ),
    sessionTtl: text(stack, 'SessionTTL', '24', 'Session cookie lifetime (hours).'),
    stageName: text(stack, 'StageName', 'API', 'API Gateway stage name (REST API).'),
    configBucket: text(
      stack,
      'ConfigBucket',
      'egress-config-bucket',
      'Bucket holding the bucket map and HTML templates.',
    ),
    htmlTemplateDir: text(
      stack,
      'HtmlTemplateDir',
      '',
      'Prefix of HTML templates in the config bucket ("" = built-in templates).',
    ),
    bucketMapFile: text(
      stack,
      'BucketMapFile',
      'bucket_map.yaml',
      'Key of the bucket map in the config bucket.',
    ),
    useReverseBucketMap: text(
      stack,
      'UseReverseBucketMap',
      'False',
      'Bucket map lookups by bucket name.',
      { allowedValues: TRUE_FALSE },
    ),
    suppressHeadCheck: text(
      stack,
      'SuppressHeadCheck',
      'False',
      'Skip the HeadObject before a download redirect.',
      { allowedValues: TRUE_FALSE },
    ),
    enableS3CredentialsEndpoint: text(
      stack,
      'EnableS3CredentialsEndpoint',
      'False',
      'Serve /s3credentials.',
      { allowedValues: TRUE_FALSE },
    ),
    s3CredentialsReuse: text(
      stack,
      'S3CredentialsReuse',
      'False',
      'tea-ts: hand a user the same STS credentials until they near expiry (fewer AssumeRole calls, see docs/scale.md).',
      { allowedValues: TRUE_FALSE },
    ),
    downloadRoleArn: text(
      stack,
      'DownloadRoleArn',
      '',
      'Existing out-of-region download role; empty = create both download roles.',
    ),
    downloadRoleInRegionArn: text(
      stack,
      'DownloadRoleInRegionArn',
      '',
      'Existing in-region download role (used with DownloadRoleArn).',
    ),
    inRegionSourceIps: text(
      stack,
      'InRegionSourceIps',
      '10.0.0.0/8',
      'tea-ts: comma-separated CIDRs counted as in-region for the created in-region role (TEA updates these from ip-ranges.json with a Lambda; see docs/deploy.md).',
    ),
    permissionsBoundaryName: text(
      stack,
      'PermissionsBoundaryName',
      '',
      'IAM permissions boundary policy name for every role created.',
    ),
    domainName: text(
      stack,
      'DomainName',
      '',
      'Public host name (CloudFront or custom domain); empty = the API Gateway host.',
    ),
    domainCertArn: text(
      stack,
      'DomainCertArn',
      '',
      'ACM certificate for DomainName; set = create the API Gateway custom domain.',
    ),
    cookieDomain: text(stack, 'CookieDomain', '', 'Domain attribute of the session cookie.'),
    useCorsCookieDomain: text(
      stack,
      'UseCorsCookieDomain',
      'False',
      'Allow CORS from origins ending in CookieDomain.',
      { allowedValues: TRUE_FALSE },
    ),
    privateVpc: text(
      stack,
      'PrivateVPC',
      '',
      'VPC id; set = private API (reachable through an execute-api VPC endpoint) and the Lambda in the VPC.',
    ),
    vpcSecurityGroupIds: text(
      stack,
      'VPCSecurityGroupIDs',
      '',
      'Comma-separated security groups for the Lambda and the VPC endpoint (with PrivateVPC).',
    ),
    vpcSubnetIds: text(
      stack,
      'VPCSubnetIDs',
      '',
      'Comma-separated subnets for the Lambda and the VPC endpoint (with PrivateVPC).',
    ),
    apiType: text(
      stack,
      'ApiType',
      'REST',
      "tea-ts: REST (TEA's API Gateway REST API) or HTTP (API Gateway HTTP API, cheaper, no private API).",
      { allowedValues: ['REST', 'HTTP'] },
    ),
    enableApiGatewayLogToCloudWatch: text(
      stack,
      'EnableApiGatewayLogToCloudWatch',
      'False',
      'Write API Gateway access logs to a CloudWatch log group.',
      { allowedValues: TRUE_FALSE },
    ),
  }
  return settings
}
