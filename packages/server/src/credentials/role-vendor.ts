/** What `/s3credentials` asks of STS; the adapter maps it to AssumeRole. */
export interface AssumeRoleInput {
  readonly roleArn: string
  readonly sessionName: string
  readonly externalId: string
  readonly durationSeconds: number
  /** Session policy JSON, compact. Absent means the role's own policy applies unnarrowed. */
  readonly policy?: string
}

export interface TemporaryCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
}

/** A narrow port over STS so tests can pass a few-line fake or a real client pointed at radosgw. */
export interface RoleVendor {
  assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials>
}
