import { Duration } from 'aws-cdk-lib'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda'
import type { Code } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { s3Arn } from './arns.js'

export interface TransferFunctionProps {
  /** The transfer bundle (dist/lambda/transfer.zip), e.g. `Code.fromBucket(...)`. */
  readonly code: Code
  /** The bucket the function writes to, with its own role. */
  readonly destBucketName: string
  /** Only keys under this prefix are writable. Default: the whole bucket. */
  readonly destPrefix?: string
  /** A KMS key the destination bucket encrypts with (SSE-KMS). Default: none. */
  readonly destKmsKeyArn?: string
  /**
   * Memory (MB): partSize × concurrency (512 MiB by default) plus about 150 MiB; Lambda's
   * network and CPU grow with it (1769 MB = one vCPU). Default 2048.
   */
  readonly memorySize?: number
}

/**
 * The transfer Lambda (`packages/transfer`'s handler): reads the source with credentials from
 * the event's `/s3credentials` endpoint, writes the destination with its own role. The role
 * may write, resume and abort multipart uploads under the destination prefix and nothing else;
 * the 15-minute timeout is what the handler's continuation is built around.
 */
export class TransferFunction extends Construct {
  readonly function: LambdaFunction

  constructor(scope: Construct, id: string, props: TransferFunctionProps) {
    super(scope, id)
    this.function = new LambdaFunction(this, 'Function', {
      description: 'tea-ts transfer: copy one S3 object across credentials (continues past 15 min)',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      memorySize: props.memorySize ?? 2048,
      timeout: Duration.minutes(15),
    })
    const prefix = props.destPrefix ?? ''
    const objects = s3Arn(props.destBucketName, '/', prefix, '*')
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'WriteDestObjects',
        actions: [
          's3:PutObject',
          's3:GetObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        resources: [objects],
      }),
    )
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'FindOpenUploads',
        actions: ['s3:ListBucketMultipartUploads'],
        resources: [s3Arn(props.destBucketName)],
      }),
    )
    if (props.destKmsKeyArn !== undefined) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.destKmsKeyArn],
        }),
      )
    }
  }
}
