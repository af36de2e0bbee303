import { InvalidArgumentError } from 'commander'

/** Commander option parser for a TCP port; 0 asks the OS for a free one. */
export function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d{1,5}$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('expected an integer from 0 to 65535')
  }
  return port
}
