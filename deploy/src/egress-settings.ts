/**
 * Every setting of the egress service, as strings so they can be CloudFormation parameters
 * (the TEA-compatible stack) or literals (a CDK app). Booleans are TEA's `True`/`False`.
 */
export interface EgressSettings {
  readonly lambdaCodeS3Bucket: string
  readonly lambdaCodeS3Key: string
  readonly lambdaMemory: number
  readonly lambdaTimeout: number
  readonly jwtKeySecretName: string
  readonly jwtAlgo: string
  readonly ursAuthCredsSecretName: string
  readonly authBaseUrl: string
  readonly loglevel: string
  readonly logtype: string
  readonly maturity: string
  readonly bucketnamePrefix: string
  readonly sessionTtl: string
  readonly stageName: string
  readonly configBucket: string
  readonly htmlTemplateDir: string
  readonly bucketMapFile: string
  readonly useReverseBucketMap: string
  readonly suppressHeadCheck: string
  readonly enableS3CredentialsEndpoint: string
  readonly s3CredentialsReuse: string
  readonly downloadRoleArn: string
  readonly downloadRoleInRegionArn: string
  readonly inRegionSourceIps: string
  readonly permissionsBoundaryName: string
  readonly domainName: string
  readonly domainCertArn: string
  readonly cookieDomain: string
  readonly useCorsCookieDomain: string
  readonly privateVpc: string
  readonly vpcSecurityGroupIds: string
  readonly vpcSubnetIds: string
  /** `REST` (TEA's) or `HTTP`. */
  readonly apiType: string
  /** `True`: API Gateway access logs to a CloudWatch log group (TEA's EnableApiGatewayLogToCloudWatch). */
  readonly enableApiGatewayLogToCloudWatch: string
}
