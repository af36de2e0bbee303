import { Aws, Fn } from 'aws-cdk-lib'

/**
 * The ARN pattern of a Secrets Manager secret named `name` in this account and region;
 * Secrets Manager appends `-` and six random characters to every secret's ARN.
 */
export function secretArn(name: string): string {
  return Fn.join('', [
    'arn:',
    Aws.PARTITION,
    ':secretsmanager:',
    Aws.REGION,
    ':',
    Aws.ACCOUNT_ID,
    ':secret:',
    name,
    '-??????',
  ])
}

/** The ARN of the customer-managed policy `name` in this account. */
export function boundaryArn(name: string): string {
  return Fn.join('', ['arn:', Aws.PARTITION, ':iam::', Aws.ACCOUNT_ID, ':policy/', name])
}

/** `arn:<partition>:s3:::<resource>`. */
export function s3Arn(...parts: string[]): string {
  return Fn.join('', ['arn:', Aws.PARTITION, ':s3:::', ...parts])
}
