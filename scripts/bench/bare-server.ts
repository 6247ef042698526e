/**
 * The ceiling: Fastify with one route and nothing else, on the same Node, in its own process.
 * Started by scripts/bench.ts with PORT set; not meant to be run by hand.
 */
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/', async () => 'ok')

const port = Number(process.env.PORT)
await app.listen({ port, host: '127.0.0.1' })

const stop = () => void app.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
