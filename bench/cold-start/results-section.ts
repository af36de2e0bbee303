export const HEADING = '## Lambda cold start (bench/cold-start)'

/** Egress module initialisation must stay at or under this (issue 11). */
export const EGRESS_INIT_GOAL_MS = 150

export interface CaseResult {
  readonly name: string
  /** Node version of the fresh processes. */
  readonly node: string
  /** Median import of index.mjs until `handler` exists (module initialisation), wall ms. */
  readonly initMs: number
  readonly initMinMs: number
  /** Median CPU time of that import (all threads), ms. */
  readonly initCpuMs: number
  /** Median first event, from the call to the response, ms. */
  readonly firstMs: number
  readonly firstCpuMs: number
  /** Median second event (warm), ms. */
  readonly warmMs: number
  /** Median of init + first event per run, ms. */
  readonly coldTotalMs: number
}

export interface PackageSize {
  readonly name: string
  readonly zippedBytes: number
  readonly unzippedBytes: number
  readonly codeBytes: number
  readonly indexBytes: number
  readonly files: number
}

/** What run.ts writes to bench/results/cold-start.json. */
export interface ColdStartResult {
  readonly date: string
  readonly command: string
  readonly machine: {
    cpus: number
    cpuModel: string
    memGiB: number
    node: string
    /** The benchmark's scheduling priority (`nice`); its processes inherit it. */
    nice: number
  }
  readonly loadAverage: { start: readonly number[]; end: readonly number[] }
  readonly runs: number
  readonly packages: readonly PackageSize[]
  readonly cases: readonly CaseResult[]
  readonly wallSeconds: number
}

const kib = (bytes: number): string => `${Math.round(bytes / 1024)} KiB`
const ms = (x: number): string => x.toFixed(0)
const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' / ')

export function renderSection(r: ColdStartResult): string {
  const bare = r.cases[0]
  const egress = r.cases.find((c) => c.name.startsWith('egress'))
  const ratio = (c: CaseResult): string =>
    bare && c !== bare ? `${(c.initMs / bare.initMs).toFixed(2)}×` : '1'
  const within = (x: number): string => (x <= EGRESS_INIT_GOAL_MS ? 'within' : 'over')
  const verdict =
    egress === undefined
      ? ''
      : `Egress initialisation against the ${EGRESS_INIT_GOAL_MS} ms goal: median ${ms(egress.initMs)} ms wall ` +
        `(${within(egress.initMs)}; fastest run ${ms(egress.initMinMs)} ms), ${ms(egress.initCpuMs)} ms CPU ` +
        `(${within(egress.initCpuMs)}), ${(egress.initMs / (bare?.initMs ?? egress.initMs)).toFixed(2)}× the bare Fastify ` +
        `bundle measured beside it. Wall time includes waiting for a core: with a load average of ` +
        `${r.loadAverage.start[0]?.toFixed(0)} on ${r.machine.cpus} cores, CPU time (all threads) is the measure of the work that does not depend on the load. ` +
        `A Lambda with less than 1769 MB gets less than one vCPU and takes longer.`
  return [
    HEADING,
    '',
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, \`${r.command}\` (raw: [results/cold-start.json](results/cold-start.json)), ` +
      `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.cases[0]?.node ?? r.machine.node} in every measured process, ` +
      `load average ${loads(r.loadAverage.start)} at the start, ${loads(r.loadAverage.end)} at the end` +
      `${r.machine.nice === 0 ? '' : `, run at nice ${r.machine.nice} (ahead of the machine's other jobs, to come closer to an idle core)`}; ${r.wallSeconds.toFixed(0)} s.`,
    '',
    'Packages (`npm run package`; code = the .mjs files, index.mjs = what is compiled before the handler exists, the rest are chunks loaded on first use):',
    '',
    '| package      | zipped | unzipped (with maps) |   code | index.mjs | files |',
    '| ------------ | -----: | -------------------: | -----: | --------: | ----: |',
    ...r.packages.map(
      (p) =>
        `| ${`${p.name}.zip`.padEnd(12)} | ${kib(p.zippedBytes)} | ${kib(p.unzippedBytes)} | ${kib(p.codeBytes)} | ${kib(p.indexBytes)} | ${p.files} |`,
    ),
    '',
    `Medians of ${r.runs} fresh processes per case, interleaved. Init = \`import()\` of index.mjs until \`handler\` exists ` +
      '(Node start-up before it not included); first = the first event, which loads the configuration and builds the app ' +
      '(secrets from files, EDL emulator, radosgw STS/S3 on loopback); warm = the second event.',
    '',
    '| case                                 | init ms | init CPU ms | vs bare | first event ms | first event CPU ms | init + first ms | warm ms |',
    '| ------------------------------------ | ------: | ----------: | ------: | -------------: | -----------------: | --------------: | ------: |',
    ...r.cases.map(
      (c) =>
        `| ${c.name.padEnd(36)} | ${ms(c.initMs)} | ${ms(c.initCpuMs)} | ${ratio(c)} | ${ms(c.firstMs)} | ${ms(c.firstCpuMs)} | ${ms(c.coldTotalMs)} | ${c.warmMs.toFixed(1)} |`,
    ),
    '',
    verdict,
    '',
    'Why egress init costs what it does (CPU profiles of the import, `node --cpu-prof`, mapped through the source maps):',
    'about 40 % is V8 compiling index.mjs, the rest evaluating its modules and loading Node built-ins. Fastify with its',
    'schema compilers (ajv, ajv-formats, fast-json-stringify, TypeBox) is about 850 KiB of it; the bare Fastify bundle',
    "shows that floor. The AWS SDK clients (STS, Secrets Manager, S3 and its presigner), nunjucks and Node's fetch (undici,",
    "loaded by any ESM import of `node:http` and by jose's remote JWKS set) are loaded on first use (docs/lambda.md). When",
    'the download route was merged with the S3 client, its presigner and nunjucks in index.mjs (1474 KiB), egress init was',
    '1.35-1.42× bare Fastify (136 ms CPU at load 3.5 on 2026-12-01 03:08, 204 ms at load 7); without them it is back at',
    'about 1×, as before the route. Most of the first event is building the Fastify app (route schemas compiled by ajv and',
    'fast-json-stringify, pino); a first `/s3credentials` also loads the STS chunk and calls radosgw.',
    '',
  ].join('\n')
}
