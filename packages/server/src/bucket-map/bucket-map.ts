/**
 * The parsed, validated bucket map: an immutable value built once by `parseBucketMap` and then
 * only read (`resolvePath`, `requiredGroups`, `locate`, `toIamPolicy`).
 */

/**
 * Who may read an object. `'public'`: anyone, even without a login (TEA's `None`);
 * `'authenticated'`: any logged-in user (TEA's empty set); a non-empty set: a logged-in member
 * of at least one of these groups.
 */
export type RequiredGroups = 'public' | 'authenticated' | ReadonlySet<string>

/** A leaf of `MAP`: requests below it are served from `bucket` (unprefixed, as written). */
export interface BucketMapLeaf {
  readonly kind: 'leaf'
  /** The bucket name as written in the map, without `BUCKETNAME_PREFIX`. */
  readonly bucket: string
  /** Extra response headers for downloads through this leaf (`headers:` in the map). */
  readonly headers: Readonly<Record<string, string>>
  /** 1-based line of the leaf in the map file. */
  readonly line: number
}

/** An inner node of `MAP`: path segment → child, in the order of the file. */
export interface BucketMapBranch {
  readonly kind: 'branch'
  readonly children: ReadonlyMap<string, BucketMapNode>
  readonly line: number
}

export type BucketMapNode = BucketMapLeaf | BucketMapBranch

/** One access rule of a bucket: objects whose key starts with `prefix` need `access`. */
export interface AccessRule {
  /** Key prefix, raw (no `/` boundary, as TEA); `''` is the whole-bucket rule. */
  readonly prefix: string
  readonly access: RequiredGroups
  /** 1-based line of the rule in the map file; absent for the implicit `''` default. */
  readonly line?: number
}

export interface BucketMap {
  /** The name used in error messages: a path or `s3://bucket/key`. */
  readonly fileName: string
  /** Prepended to every leaf to form the real S3 bucket name (`BUCKETNAME_PREFIX`). */
  readonly bucketNamePrefix: string
  /** The `MAP` tree (or the whole document, old style), without `PUBLIC_BUCKETS`/`PRIVATE_BUCKETS`. */
  readonly root: BucketMapBranch
  /**
   * Rules per unprefixed bucket name, in match order: longest rule text first (stable: public
   * before private on ties), ending with the `''` rule. Buckets without rules are absent.
   */
  readonly rules: ReadonlyMap<string, readonly AccessRule[]>
  /** Things TEA silently ignores that an operator probably wants to know about. */
  readonly warnings: readonly string[]
}
