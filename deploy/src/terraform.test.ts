// The Terraform module, checked without a terraform binary: every .tf file parsed with
// HashiCorp's HCL parser (compiled to wasm in @cdktf/hcl2json), then its variables, the stack
// parameters it passes and its outputs compared with the synthesized template.
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'

const dir = new URL('../terraform/', import.meta.url)

// Loaded untyped: its .d.ts pulls the DOM lib into every file the test typecheck covers.
const { parse } = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  parse: (fileName: string, source: string) => Promise<unknown>
}

interface Module {
  variable: Record<string, Array<{ default?: unknown; type?: string }>>
  output: Record<string, Array<{ value: unknown }>>
  resource: Record<string, Record<string, Array<Record<string, unknown>>>>
  locals?: unknown
}

let mod: Module
let text: string
let template: {
  Parameters: Record<string, { Default?: unknown }>
  Outputs: Record<string, unknown>
}

beforeAll(async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf'))
  expect(files.sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'])
  const parsed: Array<Record<string, Record<string, unknown>>> = []
  text = ''
  for (const f of files) {
    const source = readFileSync(new URL(f, dir), 'utf8')
    text += source
    // Throws on any syntax error, naming the file and line.
    parsed.push((await parse(f, source)) as Record<string, Record<string, unknown>>)
  }
  const merged: Record<string, Record<string, unknown>> = {}
  for (const p of parsed) for (const [k, v] of Object.entries(p)) merged[k] = { ...merged[k], ...v }
  mod = merged as unknown as Module
  template = parseYaml(
    readFileSync(new URL('../cloudformation/tea-ts.yaml', import.meta.url), 'utf8'),
  ) as typeof template
}, 60_000)

const stack = (): Record<string, unknown> => mod.resource.aws_cloudformation_stack!.tea_ts![0]!

describe('deploy/terraform (module for Cumulus)', { timeout: 60_000 }, () => {
  it("has TEA's module's variable names, required ones without defaults", () => {
    const names = Object.keys(mod.variable)
    const tea = [
      'auth_base_url',
      'bucket_map_file',
      'bucketname_prefix',
      'config_bucket',
      'cookie_domain',
      'domain_cert_arn',
      'domain_name',
      'download_role_arn',
      'download_role_in_region_arn',
      'html_template_dir',
      'jwt_algo',
      'jwt_secret_name',
      'lambda_code_s3_bucket',
      'lambda_code_s3_key',
      'lambda_memory',
      'lambda_timeout',
      'log_api_gateway_to_cloudwatch',
      'log_level',
      'log_type',
      'maturity',
      'permissions_boundary_name',
      'private_vpc',
      's3credentials_endpoint',
      'session_ttl',
      'stack_name',
      'stage_name',
      'suppress_head_check',
      'tags',
      'template_url',
      'urs_auth_creds_secret_name',
      'use_cors',
      'use_reverse_bucket_map',
      'vpc_security_group_ids',
      'vpc_subnet_ids',
    ]
    expect(names).toEqual(expect.arrayContaining(tea))
    for (const required of ['bucketname_prefix', 'config_bucket', 'stack_name']) {
      expect(mod.variable[required]![0], required).not.toHaveProperty('default')
    }
    expect(mod.variable.jwt_secret_name![0]!.default).toBe('jwt_secret_for_tea')
    expect(mod.variable.urs_auth_creds_secret_name![0]!.default).toBe('urs_creds_for_tea')
    expect(mod.variable.lambda_memory![0]!.default).toBe(1792)
    expect(mod.variable.lambda_timeout![0]!.default).toBe(6)
  })

  it('deploys the synthesized template through aws_cloudformation_stack', () => {
    expect(stack().template_body).toBe(
      '${var.template_url == null ? file("${path.module}/../cloudformation/tea-ts.yaml") : null}',
    )
    expect(stack().name).toBe('${substr(var.stack_name, 0, 36)}')
  })

  it("passes every parameter the template has, by the template's names", () => {
    const values = stack().parameters as Record<string, string>
    const passed = Object.keys(values)
    const params = Object.keys(template.Parameters).filter(
      (p) => p !== 'LambdaCodeDependencyArchive',
    )
    expect(passed.sort()).toEqual(params.sort())
    // Parameters without a default must get a value that is never null.
    const required = params.filter((p) => template.Parameters[p]!.Default === undefined)
    expect(required.sort()).toEqual([
      'JwtKeySecretName',
      'LambdaCodeS3Key',
      'URSAuthCredsSecretName',
    ])
    for (const p of required) {
      const v = /^\$\{var\.(\w+)\}$/.exec(values[p]!)?.[1]
      expect(v, p).toBeDefined()
      expect(mod.variable[v!]![0]!.default ?? 'required', p).not.toBeNull()
    }
  })

  it('declares every variable it uses and uses every variable it declares', () => {
    const used = new Set([...text.matchAll(/\bvar\.(\w+)/g)].map((m) => m[1]))
    expect([...used].sort()).toEqual(Object.keys(mod.variable).sort())
  })

  it("has TEA's module's outputs, read from outputs the template has", () => {
    expect(Object.keys(mod.output).sort()).toEqual([
      'api_endpoint',
      'egress_lambda_name',
      'egress_log_group',
      'internal_api_endpoint',
      'rest_api',
      'urs_redirect_uri',
    ])
    const read = [...JSON.stringify(mod.output).matchAll(/outputs\[\\"(\w+)\\"\]/g)].map(
      (m) => m[1]!,
    )
    expect(read.length).toBeGreaterThanOrEqual(7)
    for (const name of read) expect(template.Outputs, name).toHaveProperty(name)
  })
})
