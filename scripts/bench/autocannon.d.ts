/** The small part of autocannon 8's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface AutocannonRequest {
    path: string
    method?: string
    body?: string
    headers?: Record<string, string>
  }

  export interface Options {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    /** Requests each connection sends in turn; `setupRequest` may change each one (its path, body, headers). */
    requests?: { setupRequest?: (request: AutocannonRequest) => AutocannonRequest }[]
  }

  export interface Histogram {
    average: number
    mean: number
    min: number
    max: number
    p50: number
    p97_5: number
    p99: number
  }

  export interface Result {
    requests: Histogram & { total: number; sent: number }
    latency: Histogram
    throughput: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }

  export interface Instance extends EventEmitter {
    stop(): void
  }

  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance
  export default autocannon
}
