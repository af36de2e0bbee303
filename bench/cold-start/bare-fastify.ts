// The reference for the cold-start benchmark: the least a Fastify service on Lambda can load,
// one route behind @fastify/aws-lambda, bundled exactly as the real packages are.
import awsLambdaFastify from '@fastify/aws-lambda'
import Fastify from 'fastify'

const app = Fastify()
app.get('/version', async () => ({ version_id: 'bare' }))
export const handler = awsLambdaFastify(app)
