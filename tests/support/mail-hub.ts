import { OutboxWorker, smtpTransport } from '#platform/notify.ts'
import type { DialectName } from './databases.ts'
import { type TestHub, testHub } from './hub.ts'
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts'

/**
 * The Hub on a fresh database with an SMTP sink and an outbox worker that sends to it (run it with
 * `worker.runOnce`), for tests of what the Hub emails. Close both hub and sink after.
 */
export async function hubWithMail(
  dialect: DialectName,
): Promise<{ hub: TestHub; sink: SmtpSink; worker: OutboxWorker }> {
  const hub = await testHub(dialect)
  const sink = await startSmtpSink()
  const quiet = { error() {}, warn() {} }
  const worker = new OutboxWorker(
    hub.platform.outbox,
    smtpTransport(sink.url, 'Hub <news@hub.test>'),
    1000,
    quiet,
  )
  return { hub, sink, worker }
}
