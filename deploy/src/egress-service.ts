import { Aws, CfnOutput, Fn, Validations } from 'aws-cdk-lib'
import { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2'
import {
  CfnPolicy,
  CfnRole,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam'
import { CfnFunction } from 'aws-cdk-lib/aws-lambda'
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { condition, ifSet, isNot, when } from './cfn.js'
import { DownloadRoles } from './download-roles.js'
import { addHttpApiRoutes } from './http-api.js'
import { addRestApi } from './rest-api.js'
import { boundaryArn, secretArn } from './arns.js'
import type { EgressSettings } from './egress-settings.js'

/**
 * The egress service: the Lambda, its role, the download roles, and an API Gateway REST API
 * (TEA's) or HTTP API in front, with TEA's optional custom domain and private API. Settings
 * may be CloudFormation tokens: every optional part is a CloudFormation condition, so one
 * template serves every combination, as TEA's does.
 */
export class EgressService extends Construct {
  readonly function: CfnFunction
  readonly role: CfnRole
  readonly downloadRoles: DownloadRoles
  readonly externalEndpoint: string

  constructor(scope: Construct, id: string, s: EgressSettings) {
    super(scope, id)
    const c = {
      rest: condition(this, 'IsRestApi', Fn.conditionEquals(s.apiType, 'REST')),
      http: condition(this, 'IsHttpApi', Fn.conditionEquals(s.apiType, 'HTTP')),
      private: condition(this, 'IsPrivateVpc', isNot(s.privateVpc, '')),
      boundary: condition(this, 'HasPermissionsBoundary', isNot(s.permissionsBoundaryName, '')),
      domain: condition(this, 'HasDomainName', isNot(s.domainName, '')),
      cors: condition(
        this,
        'UseCors',
        Fn.conditionAnd(
          Fn.conditionEquals(s.useCorsCookieDomain, 'True'),
          isNot(s.cookieDomain, ''),
        ),
      ),
      suppressHead: condition(
        this,
        'SuppressHead',
        Fn.conditionEquals(s.suppressHeadCheck, 'True'),
      ),
      logs: condition(
        this,
        'HasAccessLogs',
        Fn.conditionEquals(s.enableApiGatewayLogToCloudWatch, 'True'),
      ),
    }
    const cert = condition(this, 'HasDomainCert', isNot(s.domainCertArn, ''))
    const restDomain = condition(this, 'CreateRestDomain', Fn.conditionAnd(c.rest, c.domain, cert))
    const httpDomain = condition(this, 'CreateHttpDomain', Fn.conditionAnd(c.http, c.domain, cert))
    const privateRest = condition(this, 'IsPrivateRestApi', Fn.conditionAnd(c.rest, c.private))
    const boundary = ifSet(c.boundary, boundaryArn(s.permissionsBoundaryName))

    this.role = new CfnRole(this, 'EgressLambdaRole', {
      permissionsBoundary: boundary.toString(),
      assumeRolePolicyDocument: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ['sts:AssumeRole'],
            principals: [new ServicePrincipal('lambda.amazonaws.com')],
          }),
        ],
      }),
      managedPolicyArns: [
        Fn.join('', [
          'arn:',
          Aws.PARTITION,
          ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ]),
        Fn.conditionIf(
          c.private.logicalId,
          Fn.join('', [
            'arn:',
            Aws.PARTITION,
            ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
          ]),
          Aws.NO_VALUE,
        ).toString(),
      ],
      policies: [
        {
          policyName: 'EgressLambda',
          policyDocument: new PolicyDocument({
            statements: [
              new PolicyStatement({
                sid: 'ReadSecrets',
                actions: ['secretsmanager:GetSecretValue'],
                resources: [secretArn(s.jwtKeySecretName), secretArn(s.ursAuthCredsSecretName)],
              }),
              new PolicyStatement({
                sid: 'ReadConfig',
                actions: ['s3:GetObject'],
                resources: [Fn.join('', ['arn:', Aws.PARTITION, ':s3:::', s.configBucket, '/*'])],
              }),
            ],
          }),
        },
      ],
    })

    // The download roles trust this role by ARN, so they are created after it; its permission
    // to assume them is a separate policy, created after them (no dependency cycle).
    this.downloadRoles = new DownloadRoles(this, 'DownloadRoles', {
      trustedRoleArn: this.role.attrArn,
      bucketnamePrefix: s.bucketnamePrefix,
      existingRoleArn: s.downloadRoleArn,
      existingInRegionRoleArn: s.downloadRoleInRegionArn,
      inRegionSourceIps: s.inRegionSourceIps,
      privateVpc: s.privateVpc,
      hasPrivateVpc: c.private,
      permissionsBoundary: boundary,
    })
    const roles = this.downloadRoles
    const assume = new CfnPolicy(this, 'AssumeDownloadRoles', {
      policyName: 'AssumeDownloadRoles',
      roles: [this.role.ref],
      policyDocument: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ['sts:AssumeRole'],
            resources: [roles.roleArn, roles.inRegionRoleArn],
          }),
        ],
      }),
    })

    const vpcConfig = {
      SecurityGroupIds: Fn.split(',', s.vpcSecurityGroupIds),
      SubnetIds: Fn.split(',', s.vpcSubnetIds),
    }
    const httpApi = when(
      c.http,
      new CfnApi(this, 'EgressHttpApi', {
        name: Fn.join('-', [Aws.STACK_NAME, 'EgressGateway']),
        protocolType: 'HTTP',
      }),
    )
    const httpHost = Fn.join('', [httpApi.ref, '.execute-api.', Aws.REGION, '.', Aws.URL_SUFFIX])

    this.function = new CfnFunction(this, 'EgressLambda', {
      functionName: Fn.join('-', [Aws.STACK_NAME, 'EgressLambda']),
      description: 'tea-ts egress: EDL login, /s3credentials, downloads',
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      architectures: ['arm64'],
      code: { s3Bucket: s.lambdaCodeS3Bucket, s3Key: s.lambdaCodeS3Key },
      memorySize: s.lambdaMemory,
      timeout: s.lambdaTimeout,
      role: this.role.attrArn,
      vpcConfig: ifSet(c.private, vpcConfig),
      environment: {
        variables: {
          CONFIG_BUCKET: s.configBucket,
          BUCKET_MAP_FILE: s.bucketMapFile,
          HTML_TEMPLATE_DIR: s.htmlTemplateDir,
          STAGE_NAME: s.stageName,
          // An HTTP API's $default stage has no path segment: the base URL is the host alone.
          DOMAIN_NAME: Fn.conditionIf(c.domain.logicalId, s.domainName, ifSet(c.http, httpHost)),
          COOKIE_DOMAIN: s.cookieDomain,
          CORS_ORIGIN: ifSet(c.cors, s.cookieDomain),
          URS_CREDS_SECRET_NAME: s.ursAuthCredsSecretName,
          AUTH_BASE_URL: s.authBaseUrl,
          JWT_KEY_SECRET_NAME: s.jwtKeySecretName,
          JWT_ALGO: s.jwtAlgo,
          SESSION_TTL_HRS: s.sessionTtl,
          BUCKETNAME_PREFIX: s.bucketnamePrefix,
          USE_REVERSE_BUCKET_MAP: s.useReverseBucketMap,
          ENABLE_S3_CREDENTIALS_ENDPOINT: s.enableS3CredentialsEndpoint,
          S3_CREDENTIALS_REUSE: s.s3CredentialsReuse,
          EGRESS_APP_DOWNLOAD_ROLE_ARN: roles.roleArn,
          EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN: roles.inRegionRoleArn,
          SUPPRESS_HEAD: ifSet(c.suppressHead, 'True'),
          MATURITY: s.maturity,
          LOGLEVEL: s.loglevel,
          LOGTYPE: s.logtype,
        } as unknown as Record<string, string>,
      },
    })
    this.function.addResourceDependency(assume)
    const fnArn = this.function.attrArn
    const invokeUri = Fn.join('', [
      'arn:',
      Aws.PARTITION,
      ':apigateway:',
      Aws.REGION,
      ':lambda:path/2015-03-31/functions/',
      fnArn,
      '/invocations',
    ])
    const accessLogGroup = when(
      c.logs,
      new CfnLogGroup(this, 'ApiGatewayLogGroupEgress', {
        logGroupName: Fn.join('', ['/aws/apigateway/', Aws.STACK_NAME, '-EgressGateway']),
        retentionInDays: 30,
      }),
    )
    const accessLogSettings = ifSet(c.logs, {
      DestinationArn: accessLogGroup.attrArn,
      Format:
        '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime","method":"$context.httpMethod","path":"$context.path","status":"$context.status","bytes":"$context.responseLength","latencyMs":"$context.responseLatency"}',
    })

    const { api: restApi, vpcEndpoint } = addRestApi(this, {
      settings: s,
      rest: c.rest,
      private: c.private,
      privateRest,
      restDomain,
      functionArn: fnArn,
      invokeUri,
      accessLogSettings,
    })
    addHttpApiRoutes(this, {
      settings: s,
      api: httpApi,
      http: c.http,
      httpDomain,
      functionArn: fnArn,
      accessLogSettings,
    })

    // ---- Outputs, with TEA's names.
    const apiEndpoint = Fn.conditionIf(
      c.rest.logicalId,
      Fn.join('', [
        'https://',
        restApi.ref,
        '.execute-api.',
        Aws.REGION,
        '.',
        Aws.URL_SUFFIX,
        '/',
        s.stageName,
        '/',
      ]),
      Fn.join('', ['https://', httpHost, '/']),
    ).toString()
    this.externalEndpoint = Fn.conditionIf(
      c.domain.logicalId,
      Fn.join('', ['https://', s.domainName, '/']),
      apiEndpoint,
    ).toString()
    const out = (name: string, value: string, description: string): void => {
      new CfnOutput(scope, name, { value, description })
    }
    out(
      'ExternalEndpoint',
      this.externalEndpoint,
      'Public base URL (custom domain or API Gateway).',
    )
    out(
      'URSredirectURI',
      Fn.join('', [this.externalEndpoint, 'login']),
      'Redirect URI to register with the Earthdata Login application.',
    )
    out('ApiEndpoint', apiEndpoint, 'API Gateway base URL.')
    out(
      'RestApiId',
      Fn.conditionIf(c.rest.logicalId, restApi.ref, httpApi.ref).toString(),
      'API Gateway API id (REST or HTTP).',
    )
    out(
      'RestApiRootResourceId',
      Fn.conditionIf(c.rest.logicalId, restApi.attrRootResourceId, '').toString(),
      'Root resource id of the REST API ("" for an HTTP API).',
    )
    out(
      'ApiGatewayLogGroupEgress',
      Fn.conditionIf(c.logs.logicalId, accessLogGroup.ref, '').toString(),
      'API Gateway access log group ("" when EnableApiGatewayLogToCloudWatch is False).',
    )
    out('EgressLambdaName', this.function.ref, 'Name of the egress Lambda.')
    out('EgressDownloadRoleArn', roles.roleArn, 'Out-of-region download role.')
    out(
      'EgressDownloadRoleInRegionArn',
      roles.inRegionRoleArn,
      'In-region download role (assumed for /s3credentials).',
    )
    // Fn::If on IsRestApi/IsHttpApi (complements) only ever reads the resource that exists.
    const ack = Validations.of(scope)
    ack.acknowledge({
      id: 'CloudFormation-Validate::W1001',
      reason: 'each Fn::If reads only the resource its condition creates',
    })
    ack.acknowledge({
      id: 'CloudFormation-Validate::W2509',
      reason: 'these parameters name secrets, they hold none',
    })
    Validations.of(this.function).acknowledge({
      id: 'CloudFormation-Validate::F3031',
      reason: 'VpcConfig is used only when PrivateVPC is set',
    })
    Validations.of(this.function).acknowledge({
      id: 'CloudFormation-Validate::E1150',
      reason: 'VpcConfig is used only when PrivateVPC is set',
    })
    out(
      'ApiVpcEndpointId',
      Fn.conditionIf(privateRest.logicalId, vpcEndpoint.ref, '').toString(),
      'execute-api VPC endpoint of the private API ("" otherwise).',
    )
  }
}
