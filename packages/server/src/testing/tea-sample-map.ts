/**
 * The MAP and PUBLIC_BUCKETS of TEA's `sample_bucket_map` test fixture, which several of TEA's
 * tests pair with their own PRIVATE_BUCKETS.
 */
export const TEA_SAMPLE_MAP = {
  MAP: {
    ANY_AUTHED: 'authed-bucket',
    'general-browse': 'browse-bucket',
    productX: 'bucket',
    nested: {
      nested2a: { nested3: 'nested-bucket-public' },
      nested2b: 'nested-bucket-private',
    },
  },
  PUBLIC_BUCKETS: {
    'browse-bucket': 'General browse Imagery',
    'bucket/browse': 'ProductX Browse Imagery',
  },
} as const
