import { expect } from 'vitest'

/** The service's standard JSON error: the status line and `{statusCode, code, error, message}`. */
export function expectErrorBody(
  res: { statusCode: number; json: () => unknown },
  statusCode: number,
  code: string,
  error: string,
  message: string,
): void {
  expect(res.statusCode).toBe(statusCode)
  expect(res.json()).toEqual({ statusCode, code, error, message })
}
