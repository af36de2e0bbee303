import { Fn } from 'aws-cdk-lib'
import type { CfnCondition, IResolvable } from 'aws-cdk-lib'
import {
  CfnApiMapping,
  CfnDomainName as CfnHttpDomainName,
  CfnIntegration,
  CfnRoute,
  CfnStage as CfnHttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2'
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2'
import type { Construct } from 'constructs'
import { apiInvokePermission, when } from './cfn.js'
import type { EgressSettings } from './egress-settings.js'

export interface HttpApiProps {
  readonly settings: EgressSettings
  /** The HTTP API (created by the caller: the function's environment names its host). */
  readonly api: CfnApi
  readonly http: CfnCondition
  readonly httpDomain: CfnCondition
  readonly functionArn: string
  readonly accessLogSettings: IResolvable
}

/**
 * The HTTP API option: a `$default` route and stage (payload format 2.0) to the Lambda, and
 * the custom domain with `DomainCertArn`. Everything is created under `scope`.
 */
export function addHttpApiRoutes(scope: Construct, p: HttpApiProps): void {
  const httpIntegration = when(
    p.http,
    new CfnIntegration(scope, 'EgressHttpIntegration', {
      apiId: p.api.ref,
      integrationType: 'AWS_PROXY',
      integrationUri: p.functionArn,
      payloadFormatVersion: '2.0',
    }),
  )
  when(
    p.http,
    new CfnRoute(scope, 'EgressHttpRoute', {
      apiId: p.api.ref,
      routeKey: '$default',
      target: Fn.join('/', ['integrations', httpIntegration.ref]),
    }),
  )
  const httpStage = when(
    p.http,
    new CfnHttpStage(scope, 'EgressHttpStage', {
      apiId: p.api.ref,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: p.accessLogSettings as unknown as CfnHttpStage.AccessLogSettingsProperty,
    }),
  )
  when(p.http, apiInvokePermission(scope, 'EgressHttpApiInvoke', p.functionArn, p.api.ref))
  const httpDomainName = when(
    p.httpDomain,
    new CfnHttpDomainName(scope, 'EgressHttpDomainName', {
      domainName: p.settings.domainName,
      domainNameConfigurations: [
        {
          certificateArn: p.settings.domainCertArn,
          endpointType: 'REGIONAL',
          securityPolicy: 'TLS_1_2',
        },
      ],
    }),
  )
  when(
    p.httpDomain,
    new CfnApiMapping(scope, 'EgressHttpApiMapping', {
      apiId: p.api.ref,
      domainName: httpDomainName.ref,
      stage: httpStage.ref,
    }),
  )
}
