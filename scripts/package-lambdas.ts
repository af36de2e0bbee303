/**
 * `npm run package`: the Lambda deployment packages.
 *
 *   dist/lambda/egress.zip     handler `index.handler` = @tea-ts/server's `handler`
 *   dist/lambda/transfer.zip   handler `index.handler` = @tea-ts/transfer's `handler`
 *
 * Each zip holds one esbuild bundle (ESM, minified, the AWS SDK included rather than the
 * runtime's copy, so the SDK version is the one we test): `index.mjs`, the `chunks/*.mjs` it
 * imports on first use, and a source map beside each (set NODE_OPTIONS=--enable-source-maps on
 * the function to use them). The unzipped files stay beside the zip in dist/lambda/<name>/.
 * The zips are reproducible: fixed timestamps and entry order, so the same sources give the
 * same bytes (and the same CDK asset hash). docs/lambda.md has the details.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import yazl from 'yazl'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The Lambda runtime the bundles are built for (deploy/ sets the same on the functions). */
export const LAMBDA_NODE_TARGET = 'node24'

/** Each Lambda: its zip's name; its entry point, scripts/lambda/<name>.ts, re-exports `handler`. */
export const LAMBDAS = ['egress', 'transfer'] as const

export type LambdaName = (typeof LAMBDAS)[number]

export interface PackagedLambda {
  readonly name: LambdaName
  /** dist/lambda/<name>.zip */
  readonly zip: string
  /** dist/lambda/<name>/, the zip's contents. */
  readonly dir: string
  /** Paths inside the zip, sorted: index.mjs, chunks/*.mjs and their .map files. */
  readonly files: readonly string[]
  readonly zippedBytes: number
  /** Everything, source maps included. */
  readonly unzippedBytes: number
  /** The .mjs files. */
  readonly codeBytes: number
  /** index.mjs alone: what Node compiles before the handler exists. */
  readonly indexBytes: number
  /** The npm packages (and `packages/<name>` workspaces) with code in index.mjs. */
  readonly indexPackages: readonly string[]
}

// Some CommonJS dependencies call require() on Node built-ins, which an ESM bundle has no
// binding for; esbuild's documented answer is to provide one from createRequire.
const BANNER = [
  "import { createRequire as __teaCreateRequire } from 'node:module'",
  'const require = __teaCreateRequire(import.meta.url)',
].join('\n')

// Every entry gets this mtime so the zip depends only on the file contents (DOS time has a
// 2-second resolution and starts in 1980).
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z')

/** Bundles and zips every Lambda into `outDir` (default dist/lambda). */
export async function packageLambdas(
  outDir = join(ROOT, 'dist', 'lambda'),
): Promise<PackagedLambda[]> {
  const packaged: PackagedLambda[] = []
  for (const name of LAMBDAS) packaged.push(await packageLambda(name, outDir))
  return packaged
}

async function packageLambda(name: LambdaName, outDir: string): Promise<PackagedLambda> {
  const dir = join(outDir, name)
  const outputs = await bundleLambda(join(ROOT, 'scripts', 'lambda', `${name}.ts`), dir)
  const zip = join(outDir, `${name}.zip`)
  await writeZip(
    zip,
    dir,
    outputs.map((o) => o.name),
  )
  const sum = (files: typeof outputs) => files.reduce((total, f) => total + f.bytes, 0)
  return {
    name,
    zip,
    dir,
    files: outputs.map((o) => o.name).sort(),
    zippedBytes: (await stat(zip)).size,
    unzippedBytes: sum(outputs),
    codeBytes: sum(outputs.filter((o) => o.name.endsWith('.mjs'))),
    indexBytes: sum(outputs.filter((o) => o.name === 'index.mjs')),
    indexPackages: outputs.find((o) => o.name === 'index.mjs')?.packages ?? [],
  }
}

/**
 * Bundles `entry` into `dir` as a Lambda package's files (index.mjs, chunks/, maps) and lists
 * them with their sizes. Exported for the cold-start benchmark's reference bundle.
 */
export async function bundleLambda(
  entry: string,
  dir: string,
): Promise<{ name: string; bytes: number; packages: string[] }[]> {
  await rm(dir, { recursive: true, force: true })
  const result = await build({
    metafile: true,
    entryPoints: { index: entry },
    // Bundle the TypeScript sources (as the tests run them), not a dist/ that may be stale.
    conditions: ['@tea-ts/source', 'module'],
    // ESM builds first (the AWS SDK's dist-es): they tree-shake, and an import() of them has
    // real named exports, where a CommonJS build only has what esbuild can see statically.
    mainFields: ['module', 'main'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_NODE_TARGET,
    minify: true,
    sourcemap: 'linked',
    // Without the sources the maps are 2.6 MiB instead of 6.8 MiB (egress) and still map stack
    // traces to file:line.
    sourcesContent: false,
    legalComments: 'eof',
    banner: { js: BANNER },
    // Modules imported with import() (the AWS SDK clients) go into chunks of their own, which
    // Node compiles only when they are first needed.
    splitting: true,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  })
  return Object.entries(result.metafile.outputs).map(([path, { bytes, inputs }]) => ({
    name: relative(dir, resolve(ROOT, path)).split(sep).join('/'),
    bytes,
    packages: [...new Set(Object.keys(inputs).map(packageOf))].sort(),
  }))
}

/** `node_modules/@aws-sdk/client-sts/dist-es/…` → `@aws-sdk/client-sts`; sources → `packages/server`. */
function packageOf(input: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)
  if (dependency?.[1]) return dependency[1]
  return /(packages\/[^/]+)\//.exec(input)?.[1] ?? input
}

async function writeZip(zipPath: string, dir: string, files: readonly string[]): Promise<void> {
  const zip = new yazl.ZipFile()
  for (const name of [...files].sort()) {
    zip.addBuffer(await readFile(join(dir, name)), name, {
      mtime: ZIP_MTIME,
      mode: 0o100644,
      compressionLevel: 9,
    })
  }
  zip.end()
  await mkdir(dirname(zipPath), { recursive: true })
  await pipeline(zip.outputStream, createWriteStream(zipPath))
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const p of await packageLambdas()) {
    console.log(
      `${relative(ROOT, p.zip)}: ${kib(p.zippedBytes)} zipped, ${kib(p.unzippedBytes)} unzipped ` +
        `(code ${kib(p.codeBytes)}, of which index.mjs ${kib(p.indexBytes)}; ${p.files.length} files)`,
    )
  }
}
