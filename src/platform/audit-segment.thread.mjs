// A worker thread does not inherit the TypeScript loader the Hub runs with (tsx): register it, then run
// the thread's code.
import { register } from 'tsx/esm/api'

register()
await import('./audit-segment.worker.ts')
