// The transfer Lambda's entry point: handler setting index.handler (scripts/package-lambdas.ts).
export { handler } from '@tea-ts/transfer'
