import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConfigBucket } from './config-bucket.js'
import { EgressSecrets } from './egress-secrets.js'
import { buildStacks } from './synth.js'
import { TransferFunction } from './transfer-function.js'

type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string }
type Statement = {
  Effect: string
  Resource?: unknown
  Action: string | string[]
  Principal?: unknown
  Condition?: unknown
}

let template: Template
let resources: Record<string, Resource>

beforeAll(() => {
  // The stack exactly as `npm run synth` builds it.
  const stacks = buildStacks(new App({ builtinCloudFormationValidation: false }))
  template = Template.fromStack(stacks['tea-ts.yaml']!)
  resources = template.toJSON().Resources as Record<string, Resource>
}, 60_000)

const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type)
const one = (type: string): [string, Resource] => {
  const found = ofType(type)
  expect(found).toHaveLength(1)
  return found[0]!
}
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action])
const policyStatements = (role: Resource): Statement[] =>
  (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
    (p) => p.PolicyDocument.Statement,
  )

describe('TeaStack (the TEA-compatible template)', { timeout: 60_000 }, () => {
  it("declares TEA's CloudFormation parameters, with TEA's defaults", () => {
    const params = template.toJSON().Parameters as Record<string, { Default?: unknown }>
    // TEA's CloudFormation template (thin-egress-app.yaml.j2) (the Ot* OpenTelemetry parameters are not carried over).
    const tea = [
      'UseCorsCookieDomain',
      'DomainName',
      'CookieDomain',
      'DomainCertArn',
      'VPCSecurityGroupIDs',
      'VPCSubnetIDs',
      'PrivateVPC',
      'LambdaCodeS3Key',
      'LambdaCodeS3Bucket',
      'LambdaCodeDependencyArchive',
      'LambdaMemory',
      'LambdaTimeout',
      'JwtKeySecretName',
      'JwtAlgo',
      'URSAuthCredsSecretName',
      'AuthBaseUrl',
      'Loglevel',
      'Logtype',
      'Maturity',
      'BucketnamePrefix',
      'SessionTTL',
      'StageName',
      'ConfigBucket',
      'HtmlTemplateDir',
      'BucketMapFile',
      'UseReverseBucketMap',
      'SuppressHeadCheck',
      'DownloadRoleArn',
      'DownloadRoleInRegionArn',
      'PermissionsBoundaryName',
      'EnableApiGatewayLogToCloudWatch',
      'EnableS3CredentialsEndpoint',
    ]
    for (const name of tea) expect(params, name).toHaveProperty(name)
    expect(
      Object.keys(params)
        .filter((p) => !tea.includes(p))
        .sort(),
    ).toEqual(['ApiType', 'InRegionSourceIps', 'S3CredentialsReuse'])
    expect(params.JwtKeySecretName!.Default).toBeUndefined()
    expect(params.URSAuthCredsSecretName!.Default).toBeUndefined()
    expect(params).toMatchObject({
      StageName: { Default: 'API' },
      ConfigBucket: { Default: 'egress-config-bucket' },
      BucketMapFile: { Default: 'bucket_map.yaml' },
      BucketnamePrefix: { Default: 'prfx-d-' },
      LambdaCodeS3Bucket: { Default: 'asf.public.code' },
      SessionTTL: { Default: '24' },
      EnableS3CredentialsEndpoint: { Default: 'False' },
      ApiType: { Default: 'REST' },
    })
  })

  it("has TEA's outputs", () => {
    const outputs = Object.keys(template.toJSON().Outputs as object)
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ExternalEndpoint',
        'URSredirectURI',
        'ApiEndpoint',
        'RestApiId',
        'RestApiRootResourceId',
        'ApiGatewayLogGroupEgress',
        'EgressLambdaName',
      ]),
    )
    const redirect = JSON.stringify(template.toJSON().Outputs.URSredirectURI.Value)
    expect(redirect).toMatch(/"login"\]\]\}$/)
    // REST: https://<api>.execute-api.<region>.<suffix>/<StageName>/; HTTP: no stage segment.
    const endpoint = JSON.stringify(template.toJSON().Outputs.ApiEndpoint.Value)
    expect(endpoint).toContain(
      '".execute-api.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"},"/",{"Ref":"StageName"},"/"]',
    )
    const external = JSON.stringify(template.toJSON().Outputs.ExternalEndpoint.Value)
    expect(external).toContain('{"Fn::Join":["",["https://",{"Ref":"DomainName"},"/"]]}')
  })

  it("runs the egress bundle on nodejs24.x with TEA's environment variable names", () => {
    const [, fn] = one('AWS::Lambda::Function')
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { S3Bucket: { Ref: 'LambdaCodeS3Bucket' }, S3Key: { Ref: 'LambdaCodeS3Key' } },
      MemorySize: { Ref: 'LambdaMemory' },
      Timeout: { Ref: 'LambdaTimeout' },
    })
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
    expect(Object.keys(env).sort()).toEqual(
      [
        'AUTH_BASE_URL',
        'BUCKETNAME_PREFIX',
        'BUCKET_MAP_FILE',
        'CONFIG_BUCKET',
        'COOKIE_DOMAIN',
        'CORS_ORIGIN',
        'DOMAIN_NAME',
        'EGRESS_APP_DOWNLOAD_ROLE_ARN',
        'EGRESS_APP_DOWNLOAD_ROLE_INREGION_ARN',
        'ENABLE_S3_CREDENTIALS_ENDPOINT',
        'HTML_TEMPLATE_DIR',
        'JWT_ALGO',
        'JWT_KEY_SECRET_NAME',
        'LOGLEVEL',
        'LOGTYPE',
        'MATURITY',
        'S3_CREDENTIALS_REUSE',
        'SESSION_TTL_HRS',
        'STAGE_NAME',
        'SUPPRESS_HEAD',
        'URS_CREDS_SECRET_NAME',
        'USE_REVERSE_BUCKET_MAP',
      ].sort(),
    )
    expect(env).toMatchObject({
      CONFIG_BUCKET: { Ref: 'ConfigBucket' },
      BUCKET_MAP_FILE: { Ref: 'BucketMapFile' },
      STAGE_NAME: { Ref: 'StageName' },
      JWT_KEY_SECRET_NAME: { Ref: 'JwtKeySecretName' },
      URS_CREDS_SECRET_NAME: { Ref: 'URSAuthCredsSecretName' },
      SESSION_TTL_HRS: { Ref: 'SessionTTL' },
      ENABLE_S3_CREDENTIALS_ENDPOINT: { Ref: 'EnableS3CredentialsEndpoint' },
    })
    // With an HTTP API ($default stage) and no DomainName, the base URL is the API's host.
    expect(JSON.stringify(env.DOMAIN_NAME)).toMatch(
      /^\{"Fn::If":\["\w*HasDomainName\w*",\{"Ref":"DomainName"\},\{"Fn::If":\["\w*IsHttpApi\w*",\{"Fn::Join":\["",\[\{"Ref":"\w*HttpApi\w*"\},"\.execute-api\."/,
    )
  })

  it('wires the two secrets to the Lambda: it may read exactly those secrets', () => {
    const [, fn] = one('AWS::Lambda::Function')
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!
    const read = policyStatements(resources[roleId]!).filter((s) =>
      actions(s).some((a) => a.startsWith('secretsmanager:')),
    )
    expect(read).toHaveLength(1)
    expect(actions(read[0]!)).toEqual(['secretsmanager:GetSecretValue'])
    const text = JSON.stringify(read[0]!.Resource)
    expect(text).toContain('{"Ref":"JwtKeySecretName"},"-??????"')
    expect(text).toContain('{"Ref":"URSAuthCredsSecretName"},"-??????"')
  })

  it('download roles trust only the egress Lambda role and grant no sts:*', () => {
    const [fnRoleId] = ofType('AWS::IAM::Role').find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    )!
    const download = ofType('AWS::IAM::Role').filter(([id]) => /DownloadRole/.test(id))
    expect(download).toHaveLength(2)
    for (const [id, role] of download) {
      expect(role.Condition, id).toMatch(/CreateDownloadRoles/)
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: { 'Fn::GetAtt': [fnRoleId, 'Arn'] } },
          },
        ],
      })
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined()
      const statements = policyStatements(role)
      for (const s of statements.filter((st) => st.Effect === 'Allow')) {
        expect(
          actions(s).filter((a) => /^sts:|^\*$/.test(a)),
          id,
        ).toEqual([])
        expect(
          actions(s).every((a) => a.startsWith('s3:')),
          id,
        ).toBe(true)
      }
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sts:*', Resource: '*' }),
      )
    }
    // No other policy in the template attaches to the download roles.
    for (const [, p] of ofType('AWS::IAM::Policy')) {
      const attached = JSON.stringify(p.Properties.Roles)
      for (const [id] of download) expect(attached).not.toContain(id)
    }
  })

  it("limits the in-region role to TEA's in-region conditions", () => {
    const [, role] = ofType('AWS::IAM::Role').find(([id]) => /DownloadRoleInRegion/.test(id))!
    const allows = JSON.stringify(
      policyStatements(role).filter((s) => s.Effect === 'Allow' || 'Fn::If' in s),
    )
    const conditions = policyStatements(role)
      .filter((s) => s.Effect === 'Allow')
      .map((s) => s.Condition)
    expect(conditions).toEqual([
      { IpAddress: { 'aws:SourceIp': { 'Fn::Split': [',', { Ref: 'InRegionSourceIps' }] } } },
      { StringLike: { 'aws:SourceVpc': 'vpc-*' } },
    ])
    expect(allows).toContain('{"StringEquals":{"aws:SourceVpc":{"Ref":"PrivateVPC"}}}')
  })

  it('lets the Lambda role assume the download roles in use, created or given', () => {
    const [, policy] = one('AWS::IAM::Policy')
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toMatch(
      /"Action":"sts:AssumeRole".*DownloadRoleLocal.*"Ref":"DownloadRoleArn".*DownloadRoleInRegion.*"Ref":"DownloadRoleInRegionArn"/,
    )
  })

  it('puts the permissions boundary on every role when PermissionsBoundaryName is set', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      expect(JSON.stringify(role.Properties.PermissionsBoundary), id).toContain(
        '{"Ref":"PermissionsBoundaryName"}',
      )
    }
  })

  it('fronts the Lambda with a REST API (default), an HTTP API, custom domains and a private API, by condition', () => {
    const conditions = template.toJSON().Conditions as Record<string, unknown>
    const cond = (type: string): unknown => conditions[one(type)[1].Condition!]
    expect(cond('AWS::ApiGateway::RestApi')).toEqual({ 'Fn::Equals': [{ Ref: 'ApiType' }, 'REST'] })
    expect(cond('AWS::ApiGatewayV2::Api')).toEqual({ 'Fn::Equals': [{ Ref: 'ApiType' }, 'HTTP'] })
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' })
    template.resourcePropertiesCountIs(
      'AWS::ApiGateway::Method',
      { HttpMethod: 'ANY', Integration: Match.objectLike({ Type: 'AWS_PROXY' }) },
      2,
    )
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: { Ref: 'StageName' } })
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' })
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: { Ref: 'DomainName' },
      RegionalCertificateArn: { Ref: 'DomainCertArn' },
    })
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcId: { Ref: 'PrivateVPC' },
      VpcEndpointType: 'Interface',
    })
    const api = one('AWS::ApiGateway::RestApi')[1]
    expect(JSON.stringify(api.Properties.Policy)).toContain('"aws:SourceVpc":{"Ref":"PrivateVPC"}')
  })
})

describe('EgressSecrets', { timeout: 60_000 }, () => {
  it("creates both secrets in TEA's formats, without secret values, kept on deletion", () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'secrets')
    new EgressSecrets(stack, 'Secrets')
    const t = Template.fromStack(stack)
    t.hasResource('AWS::SecretsManager::Secret', {
      Properties: { Name: 'urs_creds_for_tea', SecretString: '{"UrsId":"","UrsAuth":""}' },
      DeletionPolicy: 'Retain',
    })
    t.hasResource('AWS::SecretsManager::Secret', {
      Properties: {
        Name: 'jwt_secret_for_tea',
        SecretString: '{"rsa_priv_key":"","rsa_pub_key":""}',
      },
      DeletionPolicy: 'Retain',
    })
  })
})

describe('ConfigBucket', { timeout: 60_000 }, () => {
  it('is private, encrypted, TLS-only, and receives the bucket map', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'config')
    new ConfigBucket(stack, 'Config', { bucketMap: 'MAP:\n  data: prfx-d-data\n' })
    const t = Template.fromStack(stack)
    t.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    })
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    })
    t.resourceCountIs('Custom::CDKBucketDeployment', 1)
  })
})

describe('TransferFunction', { timeout: 60_000 }, () => {
  it('may write, resume and abort uploads under the destination prefix, and nothing more', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'transfer')
    const { function: fn } = new TransferFunction(stack, 'Transfer', {
      code: Code.fromInline('export const handler = () => {}'),
      destBucketName: 'my-dest',
      destPrefix: 'granules/',
    })
    expect(fn).toBeInstanceOf(LambdaFunction)
    const t = Template.fromStack(stack)
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: Runtime.NODEJS_24_X.name,
      Handler: 'index.handler',
      Timeout: 900,
    })
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy'))
    const statements = (policy as Resource).Properties.PolicyDocument as { Statement: unknown[] }
    const s3 = (arn: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${arn}`]],
    })
    expect(statements.Statement).toEqual([
      {
        Sid: 'WriteDestObjects',
        Effect: 'Allow',
        Action: [
          's3:PutObject',
          's3:GetObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        Resource: s3('my-dest/granules/*'),
      },
      {
        Sid: 'FindOpenUploads',
        Effect: 'Allow',
        Action: 's3:ListBucketMultipartUploads',
        Resource: s3('my-dest'),
      },
    ])
  })
})
