/** A thread that checks one segment of the audit chain (see verifySegment) and posts its verdict. */
import { parentPort, workerData } from 'node:worker_threads'
import { type Segment, verifySegment } from './audit-segment.ts'

const { url, keys, segment } = workerData as { url: string; keys: [string, string][]; segment: Segment }
parentPort?.postMessage(await verifySegment(url, new Map(keys), segment))
