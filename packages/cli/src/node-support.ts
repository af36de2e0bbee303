/** The oldest Node.js major tea-ts supports (package.json `engines`); 24 LTS is the target. */
export const MIN_NODE_MAJOR = 22

/**
 * What `tea` does on a Node.js older than {@link MIN_NODE_MAJOR}: it still runs, with one line
 * on stderr saying so, and the AWS SDK's own 8-line NodeVersionSupportWarning is switched off
 * (it would repeat the same news, on every run, in the middle of the command's output). On a
 * supported Node nothing is printed and nothing is changed. Returns the line to print, if any.
 */
export function checkNodeVersion(
  version: string,
  env: Record<string, string | undefined>,
): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1])
  if (major >= MIN_NODE_MAJOR) return undefined
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  return (
    `tea: Node.js ${version} is not supported; use Node.js ${MIN_NODE_MAJOR} or later ` +
    `(24 LTS recommended)\n`
  )
}
