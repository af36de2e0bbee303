/**
 * A narrow port over a secret store (AWS Secrets Manager in AWS). Tests and local runs use
 * `*_SECRET_FILE` instead, so they never need one.
 */
export interface SecretReader {
  /** The secret's string value. Rejects when it cannot be read; the error must not carry the value. */
  getSecretString(name: string): Promise<string>
}
