import { Aws, CfnCondition, Fn } from 'aws-cdk-lib'
import type { CfnResource, ICfnConditionExpression, IResolvable } from 'aws-cdk-lib'
import { CfnPermission } from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'

/** A named CloudFormation condition. */
export const condition = (
  scope: Construct,
  id: string,
  expression: ICfnConditionExpression,
): CfnCondition => new CfnCondition(scope, id, { expression })

/** `value` differs from `literal`. */
export const isNot = (value: string, literal: string): ICfnConditionExpression =>
  Fn.conditionNot(Fn.conditionEquals(value, literal))

/** `Fn::If` with `AWS::NoValue` as the else branch (the property is left out). */
export const ifSet = (c: CfnCondition, value: unknown): IResolvable =>
  Fn.conditionIf(c.logicalId, value, Aws.NO_VALUE)

/** Creates `resource` only when `c` holds. */
export function when<T extends CfnResource>(c: CfnCondition, resource: T): T {
  resource.cfnOptions.condition = c
  return resource
}

/** Lets API Gateway API `apiId` (any stage, method and path) invoke the function. */
export function apiInvokePermission(
  scope: Construct,
  id: string,
  functionArn: string,
  apiId: string,
): CfnPermission {
  return new CfnPermission(scope, id, {
    action: 'lambda:InvokeFunction',
    functionName: functionArn,
    principal: 'apigateway.amazonaws.com',
    sourceArn: Fn.join('', [
      'arn:',
      Aws.PARTITION,
      ':execute-api:',
      Aws.REGION,
      ':',
      Aws.ACCOUNT_ID,
      ':',
      apiId,
      '/*',
    ]),
  })
}
