import { App, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda'
import aslValidator from 'asl-validator'
import { describe, expect, it } from 'vitest'
import { BulkCopy } from './bulk-copy.js'
import type { BulkCopyItems } from './bulk-copy.js'

interface State {
  Type: string
  [k: string]: unknown
}

/** The state machine's definition, its CloudFormation references replaced by sample ARNs. */
function definitionOf(items: BulkCopyItems): { StartAt: string; States: Record<string, State> } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'bulk')
  const fn = new LambdaFunction(stack, 'Transfer', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = () => {}'),
  })
  new BulkCopy(stack, 'Bulk', { transferFunction: fn, items, maxConcurrency: 50 })
  const [machine] = Object.values(
    Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'),
  )
  const parts = (
    machine as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } }
  ).Properties.DefinitionString['Fn::Join'][1]
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p
      if (JSON.stringify(p) === '{"Ref":"AWS::Partition"}') return 'aws'
      if (JSON.stringify(p).includes('"Fn::GetAtt"'))
        return 'arn:aws:lambda:us-west-2:123456789012:function:transfer'
      throw new Error(`unexpected part ${JSON.stringify(p)}`)
    })
    .join('')
  return JSON.parse(text) as { StartAt: string; States: Record<string, State> }
}

describe('BulkCopy state machine', { timeout: 60_000 }, () => {
  for (const items of ['listing', 'manifest'] as const) {
    it(`is valid Amazon States Language (${items})`, () => {
      const definition = definitionOf(items)
      const { isValid, errorsText } = aslValidator(definition)
      expect(errorsText('\n')).toBe('')
      expect(isValid).toBe(true)
      // The validator does catch a broken machine (a dangling Next).
      const broken = structuredClone(definition) as unknown as {
        States: { CopyEach: { ItemProcessor: { States: { Copy: { Next: string } } } } }
      }
      broken.States.CopyEach.ItemProcessor.States.Copy.Next = 'Nowhere'
      expect(aslValidator(broken).isValid).toBe(false)
    })
  }

  it('maps over a prefix listing, the transfer Lambda once per object, with a concurrency limit', () => {
    const map = definitionOf('listing').States.CopyEach!
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 50,
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.Source.Bucket', 'Prefix.$': '$.Source.Prefix' },
      },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemSelector: {
        'CredentialsEndpoint.$': '$.CredentialsEndpoint',
        'BearerToken.$': '$.BearerToken',
        Source: { 'Bucket.$': '$.Source.Bucket', 'Key.$': '$$.Map.Item.Value.Key' },
        Invocations: { Count: 1 },
        Dest: {
          'Bucket.$': '$.Dest.Bucket',
          'Key.$': "States.Format('{}{}', $.Dest.Prefix, $$.Map.Item.Value.Key)",
        },
      },
    })
  })

  it('reads a manifest from the location in the execution input', () => {
    expect(definitionOf('manifest').States.CopyEach!.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.Manifest.Bucket', 'Key.$': '$.Manifest.Key' },
    })
  })

  it('calls the Lambda again while it returns a continuation (up to a limit), and retries per item', () => {
    const processor = (
      definitionOf('listing').States.CopyEach as unknown as {
        ItemProcessor: { StartAt: string; States: Record<string, State> }
      }
    ).ItemProcessor
    expect(processor.StartAt).toBe('Copy')
    const copy = processor.States.Copy!
    expect(copy).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-west-2:123456789012:function:transfer',
      // Exactly the transfer event: the previous result is not sent back.
      Parameters: {
        'CredentialsEndpoint.$': '$.CredentialsEndpoint',
        'BearerToken.$': '$.BearerToken',
        'Source.$': '$.Source',
        'Dest.$': '$.Dest',
      },
      ResultPath: '$.Result',
      Next: 'Finished?',
    })
    const retried = (copy.Retry as Array<{ ErrorEquals: string[] }>).flatMap((r) => r.ErrorEquals)
    expect(retried).toEqual(
      expect.arrayContaining(['Lambda.TooManyRequestsException', 'TransferError']),
    )
    // Permanent failures are not retried.
    for (const name of [
      'SourceNotFoundError',
      'AccessDeniedError',
      'InvalidEventError',
      'States.ALL',
    ])
      expect(retried).not.toContain(name)
    expect(processor.States['Finished?']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.Result.continuation', IsPresent: true },
            { Variable: '$.Invocations.Count', NumericLessThan: 200 },
          ],
          Next: 'Continue',
        },
        { Variable: '$.Result.continuation', IsPresent: true, Next: 'TooManyInvocations' },
      ],
      Default: 'Copied',
    })
    expect(processor.States.Continue).toEqual({
      Type: 'Pass',
      Parameters: { 'Count.$': 'States.MathAdd($.Invocations.Count, 1)' },
      ResultPath: '$.Invocations',
      Next: 'Copy',
    })
    expect(processor.States.TooManyInvocations).toMatchObject({
      Type: 'Fail',
      Error: 'TooManyInvocations',
    })
  })

  it('gives the state machine role only what the item reader needs', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'bulk')
    const fn = new LambdaFunction(stack, 'Transfer', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = () => {}'),
    })
    new BulkCopy(stack, 'Bulk', {
      transferFunction: fn,
      items: 'listing',
      readableBuckets: ['daac-protected'],
    })
    const text = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    expect(text).toContain('"Action":"s3:ListBucket"')
    expect(text).toContain('":s3:::daac-protected"')
    expect(text).not.toContain('s3:GetObject')
  })
})
