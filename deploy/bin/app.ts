// The CDK app, for `npx cdk deploy` (with the aws-cdk CLI): the same stacks as the committed
// templates. Pass parameters with `--parameters tea-ts:JwtKeySecretName=...` etc.
import { App } from 'aws-cdk-lib'
import { buildStacks } from '../src/synth.js'

const app = new App()
buildStacks(app)
app.synth()
