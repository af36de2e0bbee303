import { CfnOutput, CfnParameter, Stack } from 'aws-cdk-lib'
import type { StackProps } from 'aws-cdk-lib'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { Code } from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'
import { BulkCopy } from './bulk-copy.js'
import type { BulkCopyItems } from './bulk-copy.js'
import { EgressService } from './egress-service.js'
import { declareTeaParameters } from './tea-parameters.js'
import { TransferFunction } from './transfer-function.js'

/**
 * The egress service as a drop-in for TEA's CloudFormation template: TEA's parameters and
 * outputs, the Lambda code from `LambdaCodeS3Bucket`/`LambdaCodeS3Key` (no CDK assets, so the
 * synthesized template deploys with plain `aws cloudformation deploy`).
 */
export class TeaStack extends Stack {
  readonly egress: EgressService

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: 'tea-ts: Earthdata Login egress, /s3credentials and downloads (TEA-compatible)',
      ...props,
    })
    this.egress = new EgressService(this, 'Egress', declareTeaParameters(this))
  }
}

export interface BulkCopyStackProps extends StackProps {
  readonly items?: BulkCopyItems
  readonly maxConcurrency?: number
}

/** The transfer Lambda and the bulk-copy state machine, code from S3 like {@link TeaStack}. */
export class BulkCopyStack extends Stack {
  constructor(scope: Construct, id: string, props: BulkCopyStackProps = {}) {
    super(scope, id, {
      description: 'tea-ts bulk copy: Step Functions Distributed Map over the transfer Lambda',
      ...props,
    })
    const param = (name: string, description: string, defaultValue?: string): string =>
      new CfnParameter(this, name, {
        type: 'String',
        description,
        ...(defaultValue === undefined ? {} : { default: defaultValue }),
      }).valueAsString
    const codeBucket = param('LambdaCodeS3Bucket', 'S3 bucket of the transfer Lambda zip.')
    const codeKey = param(
      'LambdaCodeS3Key',
      'S3 key of the transfer Lambda zip (dist/lambda/transfer.zip).',
    )
    const destBucket = param('DestBucket', 'Bucket the copies are written to.')
    const destPrefix = param(
      'DestPrefix',
      'Only keys under this prefix are writable ("" = whole bucket).',
      '',
    )
    const transfer = new TransferFunction(this, 'Transfer', {
      code: Code.fromBucket(Bucket.fromBucketName(this, 'CodeBucket', codeBucket), codeKey),
      destBucketName: destBucket,
      destPrefix,
    })
    const bulk = new BulkCopy(this, 'BulkCopy', {
      transferFunction: transfer.function,
      items: props.items ?? 'listing',
      ...(props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency }),
    })
    new CfnOutput(this, 'TransferLambdaName', { value: transfer.function.functionName })
    new CfnOutput(this, 'StateMachineArn', { value: bulk.stateMachine.stateMachineArn })
  }
}
