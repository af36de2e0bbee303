import { Aws, CfnCondition, Fn } from 'aws-cdk-lib'
import type { IResolvable } from 'aws-cdk-lib'
import { ArnPrincipal, CfnRole, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import { s3Arn } from './arns.js'
import { when } from './cfn.js'

export interface DownloadRolesProps {
  /** The only principal allowed to assume the roles: the egress Lambda's execution role. */
  readonly trustedRoleArn: string
  /** Every bucket of the bucket map starts with it. */
  readonly bucketnamePrefix: string
  /** An existing out-of-region role; non-empty = create no roles (TEA's DownloadRoleArn). */
  readonly existingRoleArn: string
  /** An existing in-region role, used with `existingRoleArn`. */
  readonly existingInRegionRoleArn: string
  /** Comma-separated CIDRs whose requests count as in-region. */
  readonly inRegionSourceIps: string
  /** A VPC id or ''. */
  readonly privateVpc: string
  /** True when `privateVpc` is set. */
  readonly hasPrivateVpc: CfnCondition
  readonly permissionsBoundary: IResolvable
}

const READ_ACTIONS = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation']

/**
 * TEA's two download roles: out-of-region (presigned download URLs) and in-region
 * (`/s3credentials`, whose credentials then only work from inside AWS's region: a VPC, or a
 * listed CIDR). Unlike TEA's (trusted by the account root), they trust only the egress
 * Lambda's role, and deny `sts:*`, so credentials vended from them cannot be used to assume
 * any role, themselves included: no chaining past the one hop tea-ts makes.
 */
export class DownloadRoles extends Construct {
  /** ARN of the out-of-region role in use (created, or the existing one). */
  readonly roleArn: string
  /** ARN of the in-region role in use. */
  readonly inRegionRoleArn: string
  readonly create: CfnCondition

  constructor(scope: Construct, id: string, props: DownloadRolesProps) {
    super(scope, id)
    this.create = new CfnCondition(this, 'CreateDownloadRoles', {
      expression: Fn.conditionEquals(props.existingRoleArn, ''),
    })
    const hasVpc = props.hasPrivateVpc
    const resources = [s3Arn(props.bucketnamePrefix, '*'), s3Arn(props.bucketnamePrefix, '*/*')]
    const trust = new PolicyDocument({
      statements: [
        new PolicyStatement({
          actions: ['sts:AssumeRole'],
          principals: [new ArnPrincipal(props.trustedRoleArn)],
        }),
      ],
    })
    const noSts = new PolicyStatement({
      sid: 'NoRoleChaining',
      effect: 'Deny' as never,
      actions: ['sts:*'],
      resources: ['*'],
    })
    const role = (roleId: string, description: string, statements: object[]): CfnRole => {
      const r = new CfnRole(this, roleId, {
        description,
        assumeRolePolicyDocument: trust,
        maxSessionDuration: 3600,
        permissionsBoundary: props.permissionsBoundary.toString(),
        policies: [
          {
            policyName: 'Download',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [...statements, noSts.toStatementJson()],
            },
          },
        ],
      })
      return when(this.create, r)
    }
    const local = role('DownloadRoleLocal', 'tea-ts out-of-region downloads (presigned URLs)', [
      { Sid: 'Read', Effect: 'Allow', Action: READ_ACTIONS, Resource: resources },
    ])
    const inRegion = role(
      'DownloadRoleInRegion',
      'tea-ts in-region direct S3 access (/s3credentials)',
      [
        {
          Sid: 'ReadFromRegionIps',
          Effect: 'Allow',
          Action: READ_ACTIONS,
          Resource: resources,
          Condition: { IpAddress: { 'aws:SourceIp': Fn.split(',', props.inRegionSourceIps) } },
        },
        {
          Sid: 'ReadFromAnyVpc',
          Effect: 'Allow',
          Action: READ_ACTIONS,
          Resource: resources,
          Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } },
        },
        Fn.conditionIf(
          hasVpc.logicalId,
          {
            Sid: 'ReadFromPrivateVpc',
            Effect: 'Allow',
            Action: READ_ACTIONS,
            Resource: resources,
            Condition: { StringEquals: { 'aws:SourceVpc': props.privateVpc } },
          },
          Aws.NO_VALUE,
        ),
      ],
    )
    this.roleArn = Fn.conditionIf(
      this.create.logicalId,
      local.attrArn,
      props.existingRoleArn,
    ).toString()
    this.inRegionRoleArn = Fn.conditionIf(
      this.create.logicalId,
      inRegion.attrArn,
      props.existingInRegionRoleArn,
    ).toString()
  }
}
