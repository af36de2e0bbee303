import { Aws, Fn, Token } from 'aws-cdk-lib'
import type { CfnCondition, IResolvable } from 'aws-cdk-lib'
import {
  CfnBasePathMapping,
  CfnDeployment,
  CfnDomainName,
  CfnMethod,
  CfnResource,
  CfnRestApi,
  CfnStage,
} from 'aws-cdk-lib/aws-apigateway'
import { CfnVPCEndpoint } from 'aws-cdk-lib/aws-ec2'
import type { Construct } from 'constructs'
import { apiInvokePermission, ifSet, when } from './cfn.js'
import type { EgressSettings } from './egress-settings.js'

export interface RestApiProps {
  readonly settings: EgressSettings
  readonly rest: CfnCondition
  readonly private: CfnCondition
  readonly privateRest: CfnCondition
  readonly restDomain: CfnCondition
  readonly functionArn: string
  /** The Lambda proxy integration's URI. */
  readonly invokeUri: string
  readonly accessLogSettings: IResolvable
}

/**
 * TEA's API Gateway REST API: `/` and `/{proxy+}`, every method, Lambda proxy integration,
 * one stage; PRIVATE behind its own execute-api VPC endpoint with `PrivateVPC`, and the
 * custom domain with `DomainCertArn`. Everything is created under `scope` (stable logical ids).
 */
export function addRestApi(
  scope: Construct,
  p: RestApiProps,
): { api: CfnRestApi; vpcEndpoint: CfnVPCEndpoint } {
  const vpcEndpoint = when(
    p.privateRest,
    new CfnVPCEndpoint(scope, 'ApiVpcEndpoint', {
      vpcId: p.settings.privateVpc,
      serviceName: Fn.join('', ['com.amazonaws.', Aws.REGION, '.execute-api']),
      vpcEndpointType: 'Interface',
      subnetIds: Fn.split(',', p.settings.vpcSubnetIds),
      securityGroupIds: Fn.split(',', p.settings.vpcSecurityGroupIds),
      // Private DNS for execute-api is per VPC; an account that already has such an endpoint
      // would clash, so callers use the endpoint's own DNS name (output ApiVpcEndpointId).
      privateDnsEnabled: false,
    }),
  )
  const restApi = when(
    p.rest,
    new CfnRestApi(scope, 'EgressGateway', {
      name: Fn.join('-', [Aws.STACK_NAME, 'EgressGateway']),
      description: 'tea-ts egress API',
      endpointConfiguration: {
        types: [Fn.conditionIf(p.private.logicalId, 'PRIVATE', 'REGIONAL').toString()],
        vpcEndpointIds: Token.asList(ifSet(p.private, [vpcEndpoint.ref])),
      },
      policy: ifSet(p.private, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:SourceVpc': p.settings.privateVpc } },
          },
        ],
      }),
    }),
  )
  const proxy = when(
    p.rest,
    new CfnResource(scope, 'EgressProxyResource', {
      restApiId: restApi.ref,
      parentId: restApi.attrRootResourceId,
      pathPart: '{proxy+}',
    }),
  )
  const integration = { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: p.invokeUri }
  const methods = [
    ['EgressRootMethod', restApi.attrRootResourceId],
    ['EgressProxyMethod', proxy.ref],
  ].map(([mid, resourceId]) =>
    when(
      p.rest,
      new CfnMethod(scope, mid as string, {
        restApiId: restApi.ref,
        resourceId: resourceId as string,
        httpMethod: 'ANY',
        authorizationType: 'NONE',
        integration,
      }),
    ),
  )
  const deployment = when(
    p.rest,
    new CfnDeployment(scope, 'EgressDeployment', { restApiId: restApi.ref }),
  )
  for (const m of methods) deployment.addResourceDependency(m)
  const stage = when(
    p.rest,
    new CfnStage(scope, 'EgressStage', {
      restApiId: restApi.ref,
      deploymentId: deployment.ref,
      stageName: p.settings.stageName,
      accessLogSetting: p.accessLogSettings as unknown as CfnStage.AccessLogSettingProperty,
    }),
  )
  when(p.rest, apiInvokePermission(scope, 'EgressRestApiInvoke', p.functionArn, restApi.ref))
  const restDomainName = when(
    p.restDomain,
    new CfnDomainName(scope, 'EgressDomainName', {
      domainName: p.settings.domainName,
      regionalCertificateArn: p.settings.domainCertArn,
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
    }),
  )
  when(
    p.restDomain,
    new CfnBasePathMapping(scope, 'EgressBasePathMapping', {
      domainName: restDomainName.ref,
      restApiId: restApi.ref,
      stage: stage.ref,
    }),
  )
  return { api: restApi, vpcEndpoint }
}
