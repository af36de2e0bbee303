/** The one S3 call the bucket-map loader needs; `s3ObjectReader` adapts an `S3Client`. */
export interface ObjectTextReader {
  /** The object's body as UTF-8 text; rejects if it cannot be read. */
  getObjectText(bucket: string, key: string): Promise<string>
}
