import { describe, expect, it } from 'vitest'
import { checkNodeVersion } from './node-support.js'

describe('checkNodeVersion', () => {
  it('says nothing and changes nothing on Node 22 and later', () => {
    for (const version of ['v22.0.0', 'v24.22.3', 'v26.1.0']) {
      const env: Record<string, string | undefined> = {}
      expect(checkNodeVersion(version, env)).toBeUndefined()
      expect(env).toEqual({})
    }
  })

  it("on older Node: one line, and the AWS SDK's own warning switched off", () => {
    const env: Record<string, string | undefined> = { HOME: '/home/x' }
    expect(checkNodeVersion('v20.20.2', env)).toBe(
      'tea: Node.js v20.20.2 is not supported; use Node.js 22 or later (24 LTS recommended)\n',
    )
    expect(env).toEqual({
      HOME: '/home/x',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    })
  })
})
