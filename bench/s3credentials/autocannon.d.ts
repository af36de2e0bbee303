// Minimal types for the parts of autocannon 8 the benchmark uses (it ships none).
declare module 'autocannon' {
  interface Histogram {
    readonly average: number
    readonly mean: number
    readonly stddev: number
    readonly min: number
    readonly max: number
    readonly p50: number
    readonly p90: number
    readonly p99: number
    readonly total: number
  }
  export interface Result {
    readonly requests: Histogram
    readonly latency: Histogram
    readonly throughput: Histogram
    readonly errors: number
    readonly timeouts: number
    readonly non2xx: number
    readonly duration: number
    readonly connections: number
    readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>
    readonly '2xx': number
  }
  export interface Options {
    readonly url: string
    readonly connections?: number
    readonly duration?: number
    readonly amount?: number
    readonly pipelining?: number
    readonly headers?: Readonly<Record<string, string>>
    readonly timeout?: number
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
