import { describe, expect, it } from 'vitest'
import { placeholder } from '@tea-ts/client'

describe('workspace resolution', () => {
  it('resolves a workspace package to its TypeScript source', () => {
    expect(placeholder).toBe(1)
  })
})
