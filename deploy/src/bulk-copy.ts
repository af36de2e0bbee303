import { Duration } from 'aws-cdk-lib'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  JsonPath,
  Pass,
  S3JsonItemReader,
  S3ObjectsItemReader,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions'
import type { IItemReader } from 'aws-cdk-lib/aws-stepfunctions'
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks'
import { Construct } from 'constructs'
import { s3Arn } from './arns.js'

/**
 * What the Distributed Map iterates over:
 *  - `listing`: every object under the execution input's `Source.Prefix` in `Source.Bucket`
 *    (S3 ListObjectsV2, run by the state machine's role: the source bucket must allow it);
 *  - `manifest`: a JSON array of `{"Key": "..."}` at `Manifest.Bucket`/`Manifest.Key`.
 */
export type BulkCopyItems = 'listing' | 'manifest'

export interface BulkCopyProps {
  readonly transferFunction: IFunction
  readonly items: BulkCopyItems
  /** Buckets the state machine's role may list (listing) or read manifests from. Default: any. */
  readonly readableBuckets?: readonly string[]
  /** Copies at once (child workflows). Default 100; S3 and the account's Lambda concurrency bound it. */
  readonly maxConcurrency?: number
  /** Invocations one object may take (each up to 15 minutes) before it fails. Default 200. */
  readonly maxInvocationsPerObject?: number
  /** Share of objects allowed to fail without failing the run. Default 0. */
  readonly toleratedFailurePercentage?: number
}

/** Renders `reader` with its `field` parameter read from the execution input at `path`. */
function fromInput<R extends IItemReader>(reader: R, field: string, path: string): R {
  const render = reader.render.bind(reader)
  return Object.assign(reader, {
    // CDK's readers take the prefix / manifest key as literals only.
    render: (...args: Parameters<R['render']>): unknown => {
      const rendered = render(...args) as { Parameters: Record<string, unknown> }
      delete rendered.Parameters[field]
      rendered.Parameters[`${field}.$`] = path
      return rendered
    },
  })
}

/**
 * Bulk copy on Step Functions: a Distributed Map runs the transfer Lambda once per object,
 * `maxConcurrency` at a time. An invocation that nears Lambda's 15 minutes returns a
 * continuation, and the item's workflow invokes it again with the same event until the object
 * is complete (child workflows are STANDARD: an object may take longer than EXPRESS's 5 min).
 * Lambda service errors and transient copy failures are retried per item; permanent ones
 * (missing source, access denied, source changed, bad event) fail the item at once.
 *
 * Execution input:
 * `{"CredentialsEndpoint", "BearerToken", "Source": {"Bucket", "Prefix"}, "Dest": {"Bucket",
 * "Prefix"}, "Manifest"?: {"Bucket", "Key"}}`; each object is written to
 * `Dest.Prefix + its source key`.
 */
export class BulkCopy extends Construct {
  readonly stateMachine: StateMachine

  constructor(scope: Construct, id: string, props: BulkCopyProps) {
    super(scope, id)
    const copy = new LambdaInvoke(this, 'Copy', {
      lambdaFunction: props.transferFunction,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        CredentialsEndpoint: JsonPath.stringAt('$.CredentialsEndpoint'),
        BearerToken: JsonPath.stringAt('$.BearerToken'),
        Source: JsonPath.objectAt('$.Source'),
        Dest: JsonPath.objectAt('$.Dest'),
      }),
      resultPath: '$.Result',
      retryOnServiceExceptions: false,
    })
    copy.addRetry({
      errors: [
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      interval: Duration.seconds(2),
      maxAttempts: 8,
      backoffRate: 2,
    })
    // TransferError is the generic (network, 5xx after copyObject's own retries) failure; the
    // permanent ones have their own names and are not listed.
    copy.addRetry({
      errors: ['TransferError', 'States.Timeout', 'Sandbox.Timedout'],
      interval: Duration.seconds(10),
      maxAttempts: 3,
      backoffRate: 3,
    })
    // A bounded loop: an object that makes no headway (a part too large to move in one
    // invocation) fails after maxInvocations instead of running up Lambda time forever.
    const again = new Pass(this, 'Continue', {
      parameters: { Count: JsonPath.mathAdd(JsonPath.numberAt('$.Invocations.Count'), 1) },
      resultPath: '$.Invocations',
    }).next(copy)
    const maxInvocations = props.maxInvocationsPerObject ?? 200
    const continued = Condition.isPresent('$.Result.continuation')
    const next = new Choice(this, 'Finished?')
      .when(
        Condition.and(continued, Condition.numberLessThan('$.Invocations.Count', maxInvocations)),
        again,
      )
      .when(
        continued,
        new Fail(this, 'TooManyInvocations', {
          error: 'TooManyInvocations',
          cause: `The object was not copied in ${maxInvocations} invocations`,
        }),
      )
      .otherwise(new Succeed(this, 'Copied'))
    const readable = (props.readableBuckets ?? ['*']).map((b) => s3Arn(b))
    const reader: IItemReader =
      props.items === 'listing'
        ? fromInput(
            new S3ObjectsItemReader({ bucketNamePath: JsonPath.stringAt('$.Source.Bucket') }),
            'Prefix',
            '$.Source.Prefix',
          )
        : fromInput(
            new S3JsonItemReader({
              bucketNamePath: JsonPath.stringAt('$.Manifest.Bucket'),
              key: 'from-input',
            }),
            'Key',
            '$.Manifest.Key',
          )
    const map = new DistributedMap(this, 'CopyEach', {
      itemReader: reader,
      maxConcurrency: props.maxConcurrency ?? 100,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 0,
      mapExecutionType: StateMachineType.STANDARD,
      itemSelector: {
        CredentialsEndpoint: JsonPath.stringAt('$.CredentialsEndpoint'),
        BearerToken: JsonPath.stringAt('$.BearerToken'),
        Source: {
          Bucket: JsonPath.stringAt('$.Source.Bucket'),
          Key: JsonPath.stringAt('$$.Map.Item.Value.Key'),
        },
        Invocations: { Count: 1 },
        Dest: {
          Bucket: JsonPath.stringAt('$.Dest.Bucket'),
          Key: JsonPath.format(
            '{}{}',
            JsonPath.stringAt('$.Dest.Prefix'),
            JsonPath.stringAt('$$.Map.Item.Value.Key'),
          ),
        },
      },
      resultPath: JsonPath.DISCARD,
    })
    map.itemProcessor(copy.next(next))
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(map),
      comment: 'tea-ts bulk copy: one transfer Lambda run per object, continued past 15 minutes',
    })
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: props.items === 'listing' ? ['s3:ListBucket'] : ['s3:GetObject'],
        resources: props.items === 'listing' ? readable : readable.map((a) => `${a}/*`),
      }),
    )
  }
}
