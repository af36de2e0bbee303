/** The actions a tea-ts session policy grants. */
export type IamAction = 's3:GetObject' | 's3:ListBucket'

/** One `Allow` statement; key order is TEA's, so the JSON matches it byte for byte. */
export interface IamStatement {
  readonly Effect: 'Allow'
  readonly Action: readonly IamAction[]
  readonly Resource: readonly string[]
  /** Present only on prefix-limited `s3:ListBucket` statements. */
  readonly Condition?: { readonly StringLike: { readonly 's3:prefix': readonly string[] } }
}

/** An IAM session policy as `toIamPolicy` builds it. */
export interface IamPolicy {
  readonly Version: '2012-10-17'
  readonly Statement: readonly IamStatement[]
}

/** `arn:aws:s3:::` */
export const S3_ARN_PREFIX = 'arn:aws:s3:::'

/**
 * Makes text literal inside an IAM resource or `StringLike` value: `*`, `?` and `$` become
 * `${*}`, `${?}` and `${$}`. TEA writes them raw, so a `*` in a bucket-map prefix would widen
 * the grant; text without these characters is unchanged.
 */
export function iamLiteral(text: string): string {
  return text.replace(/[*?$]/g, (ch) => `\${${ch}}`)
}
