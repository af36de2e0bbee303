import { RemovalPolicy } from 'aws-cdk-lib'
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment'
import { Construct } from 'constructs'

export interface ConfigBucketProps {
  /** Bucket name; default: generated. */
  readonly bucketName?: string
  /** The bucket map's YAML, uploaded as `bucketMapFile`. Default: none (upload it yourself). */
  readonly bucketMap?: string
  /** Default `bucket_map.yaml` (TEA's BucketMapFile). */
  readonly bucketMapFile?: string
}

/**
 * The config bucket (TEA's ConfigBucket): private, encrypted, TLS only, versioned so a bad
 * bucket map can be rolled back; with the bucket map in it when one is given. Uploading the map
 * uses CDK's BucketDeployment (a CDK asset, so `cdk deploy`, not the plain template).
 */
export class ConfigBucket extends Construct {
  readonly bucket: IBucket

  constructor(scope: Construct, id: string, props: ConfigBucketProps = {}) {
    super(scope, id)
    this.bucket = new Bucket(this, 'Bucket', {
      ...(props.bucketName === undefined ? {} : { bucketName: props.bucketName }),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })
    if (props.bucketMap !== undefined) {
      new BucketDeployment(this, 'BucketMap', {
        destinationBucket: this.bucket,
        sources: [Source.data(props.bucketMapFile ?? 'bucket_map.yaml', props.bucketMap)],
        prune: false,
      })
    }
  }
}
