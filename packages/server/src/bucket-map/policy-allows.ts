import { S3_ARN_PREFIX } from './iam-policy.js'
import type { IamPolicy } from './iam-policy.js'
import { iamPattern } from './iam-pattern.js'

/** An S3 request to check against a session policy. */
export type S3Request =
  | { readonly action: 's3:GetObject'; readonly bucket: string; readonly key: string }
  /** `prefix` undefined: a listing without a `prefix` parameter (`s3:prefix` absent). */
  | { readonly action: 's3:ListBucket'; readonly bucket: string; readonly prefix?: string }

/**
 * Whether `policy` allows `request`, by IAM's rules for the statements tea-ts writes (Allow
 * only; resources and `StringLike s3:prefix` values as patterns; an absent `s3:prefix` never
 * matches a `StringLike` condition). Tests use it to prove that shrinking a policy keeps the
 * same access; it is not a general IAM evaluator.
 *
 * @example
 * ```ts
 * policyAllows(policy, { action: 's3:GetObject', bucket: 'b', key: 'public/a.jpg' })
 * ```
 */
export function policyAllows(policy: IamPolicy, request: S3Request): boolean {
  const target =
    request.action === 's3:GetObject'
      ? `${S3_ARN_PREFIX}${request.bucket}/${request.key}`
      : `${S3_ARN_PREFIX}${request.bucket}`
  return policy.Statement.some((statement) => {
    if (!statement.Action.includes(request.action)) return false
    if (!statement.Resource.some((r) => iamPattern(r).test(target))) return false
    const condition = statement.Condition
    if (condition === undefined) return true
    const prefix = request.action === 's3:ListBucket' ? request.prefix : undefined
    if (prefix === undefined) return false
    return condition.StringLike['s3:prefix'].some((p) => iamPattern(p).test(prefix))
  })
}
