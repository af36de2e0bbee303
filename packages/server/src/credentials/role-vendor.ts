/** What `/s3credentials` asks of STS; the adapter maps it to AssumeRole. */
export interface AssumeRoleInput {
  readonly roleArn: string
  readonly sessionName: string
  /** `/s3credentials` passes the user id (TEA); the download path passes none (TEA). */
  readonly externalId?: string
  readonly durationSeconds: number
  /** Session policy JSON, compact. Absent means the role's own policy applies unnarrowed. */
  readonly policy?: string
}

export interface TemporaryCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
  /**
   * STS's `AssumedRoleUser.Arn`, e.g. `arn:aws:sts::123:assumed-role/role/jdoe@my-app`, when STS
   * returned it. Logged so operators can match a vend to CloudTrail and S3 access logs.
   */
  readonly assumedRoleArn?: string
}

/** A narrow port over STS so tests can pass a few-line fake or a real client pointed at radosgw. */
export interface RoleVendor {
  assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials>
}
