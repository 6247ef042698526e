import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { MODULES, servicesOf } from '#modules/index.ts'
import { buildApp, type Hub } from './app.ts'
import type { StaffUser } from './platform/access.ts'
import type { AuditContext } from './platform/audit.ts'
import { verifyAndAnchor } from './platform/audit-anchor.ts'
import { backup, restore } from './platform/backup.ts'
import { composeHub } from './platform/compose.ts'
import { loadConfig } from './platform/config.ts'
import { JobRunner } from './platform/jobs.ts'
import { migrateToLatest } from './platform/migrate.ts'
import { OutboxWorker, transportFromConfig } from './platform/notify.ts'
import { openWhenReady } from './platform/startup.ts'

/** The `hub` command: `npm run hub -- <command> [options]`. */
const USAGE = `Usage: npm run hub -- <command> [options]

Commands:
  migrate                      bring the database up to date and load reference data
  create-user --email E --name N --role R[,R] --borough B[,B]|all [--organisation ID_CODE_OR_NAME]
              [--password-stdin]
                               create a staff account; without --password-stdin, prints a one-time link;
                               --organisation is the partner organisation a partner referrer refers for
  create-api-key --organisation ID_OR_NAME
                               create a partner API key (printed once, stored hashed)
  import-directory --file F --borough B
                               import services from an Open Referral feed saved as a JSON file;
                               importing the same feed again updates rather than duplicates
  worker                       send the outbox and run periodic jobs until stopped (SIGTERM),
                               for a separate worker process
  verify-audit                 check the audit trail's hash chain from the first row to the last
  seed-demo                    add fictional residents and cases for demonstrations
  mail-reports F               apply the bounces and complaints in a mailbox (mbox) or one message (.eml):
                               delivery status notifications (RFC 3464) and feedback reports (RFC 5965)
  backup --to F                a consistent copy of the database, taken while the Hub runs
                               (SQLite: a database file; PostgreSQL: a pg_dump custom-format archive)
  restore --from F             put a backup in place of the database; stop the Hub first
`

const CLI_CONTEXT: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  // Only the line break the shell adds is taken off: spaces in a password are the person's choice.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
}

async function createUser(hub: Hub, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      borough: { type: 'string' },
      organisation: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  })
  if (!values.email || !values.name || !values.role || !values.borough) {
    throw new Error('create-user needs --email, --name, --role and --borough')
  }
  const codes = list(values.borough).map((b) => b.toLowerCase())
  const boroughs = await servicesOf(hub).accounts.listBoroughs()
  const allBoroughs = codes.includes('all')
  const unknown = codes.filter((c) => c !== 'all' && !boroughs.some((b) => b.code === c))
  if (unknown.length) {
    throw new Error(
      `Unknown borough ${unknown.join(', ')}; known: ${boroughs.map((b) => b.code).join(', ')}, all`,
    )
  }
  const organisation = values.organisation ? await partnerOrganisation(hub, values.organisation) : undefined
  const password = values['password-stdin'] ? await readStdin() : undefined
  const { id, link } = await servicesOf(hub).accounts.createUser(
    {
      email: values.email,
      name: values.name,
      password,
      roles: list(values.role),
      allBoroughs,
      boroughIds: allBoroughs ? [] : boroughs.filter((b) => codes.includes(b.code)).map((b) => b.id),
      organisationId: organisation?.id,
    },
    CLI_CONTEXT,
  )
  console.log(`Created user ${id}${organisation ? ` referring for ${organisation.name}` : ''}`)
  if (link) console.log(`They can choose a password within 7 days at:\n  ${link}`)
}

/**
 * The organisation an account refers for, by id, code or name as `create-api-key` finds one. As on the
 * account page, only a partner organisation will do; checked here too so the command can say why.
 */
async function partnerOrganisation(hub: Hub, idCodeOrName: string) {
  const organisation = await servicesOf(hub).directory.findOrganisation(idCodeOrName)
  if (!organisation) throw new Error(`No organisation called ${idCodeOrName}`)
  if (organisation.kind !== 'partner')
    throw new Error(
      `${organisation.name} is not a partner organisation; an account's organisation must be one`,
    )
  return organisation
}

async function createApiKey(hub: Hub, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { organisation: { type: 'string' } } })
  if (!values.organisation) throw new Error('create-api-key needs --organisation ID_OR_NAME')
  const organisation = await servicesOf(hub).directory.findOrganisation(values.organisation)
  if (!organisation) throw new Error(`No organisation called ${values.organisation}`)
  const key = await servicesOf(hub).accounts.createApiKey(organisation.id, CLI_CONTEXT)
  console.log(`API key for ${organisation.name} (shown once; store it safely):\n  ${key}`)
}

/** The command line acts as a directory editor of every borough, and is audited as `cli`. */
const CLI_EDITOR: StaffUser = {
  id: '00000000-0000-7000-8000-000000000000',
  name: 'Command line',
  email: 'cli@localhost',
  roles: ['directory-editor'],
  permissions: new Set(['directory.edit']),
  boroughs: 'all',
}

async function importDirectory(hub: Hub, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, borough: { type: 'string' } } })
  if (!values.file || !values.borough) throw new Error('import-directory needs --file F and --borough B')
  const result = await servicesOf(hub).directory.importer.importFromFile(
    CLI_EDITOR,
    values.file,
    values.borough,
    CLI_CONTEXT,
  )
  console.log(`Imported from ${values.file}: ${JSON.stringify(result)}`)
}

async function runWorker(hub: Hub): Promise<void> {
  const { config, outbox } = hub.platform
  const worker = new OutboxWorker(
    outbox,
    transportFromConfig(config),
    config.WORKER_POLL_MS,
    hub.app.log,
    config.OUTBOX_MAX_PER_SECOND,
    { batch: config.OUTBOX_BATCH, concurrency: config.OUTBOX_CONCURRENCY },
  )
  const jobs = new JobRunner(hub.platform.database, hub.jobs, hub.app.log)
  worker.start()
  jobs.start()
  console.log('Worker running: outbox and periodic jobs; stop it with SIGTERM or Ctrl+C')
  await new Promise<void>((resolve) => {
    const stop = () => void Promise.all([worker.stop(), jobs.stop()]).then(() => resolve())
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
}

async function backupOrRestore(command: 'backup' | 'restore', args: string[], url: string): Promise<number> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' }, from: { type: 'string' } } })
  if (command === 'backup') {
    if (!values.to) throw new Error('backup needs --to F')
    console.log(await backup(url, values.to))
  } else {
    if (!values.from) throw new Error('restore needs --from F')
    console.log(await restore(url, values.from))
    console.log('Now check it: npm run hub -- verify-audit')
  }
  return 0
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE)
    return command ? 0 : 1
  }
  const { migrations, settings } = composeHub(MODULES)
  const config = loadConfig(process.env, settings)
  // Backup and restore work on the database as it is: no migration, no reference data.
  if (command === 'backup' || command === 'restore')
    return backupOrRestore(command, args, config.DATABASE_URL)
  const database = await openWhenReady(config)
  try {
    await migrateToLatest(database, migrations)
    const hub = await buildApp({ config, database })
    await hub.loadReferenceData()
    switch (command) {
      case 'migrate':
        console.log('Database is up to date; reference data loaded')
        return 0
      case 'create-user':
        await createUser(hub, args)
        return 0
      case 'create-api-key':
        await createApiKey(hub, args)
        return 0
      case 'import-directory':
        await importDirectory(hub, args)
        return 0
      case 'worker':
        await runWorker(hub)
        return 0
      case 'verify-audit': {
        // The anchor goes to the log as well as the file: keep the log where the database cannot reach.
        // A long chain is checked on a thread a core (up to four), each reading its own segment.
        const { verdict, last } = await verifyAndAnchor(
          hub.platform.audit,
          config.AUDIT_ANCHOR_FILE,
          {
            info: (fields) => console.log(JSON.stringify(fields)),
            error: () => {},
          },
          new Date(),
          Math.min(4, availableParallelism()),
        )
        const against = last ? ` (checked against the anchor of ${last.at}: ${last.count} rows)` : ''
        if (verdict.ok) {
          console.log(`Audit chain intact: ${verdict.count} rows${against}`)
          return 0
        }
        console.error(
          `Audit chain broken at row ${verdict.brokenAt} (${verdict.count} rows verified before it)${against}`,
        )
        return 2
      }
      case 'mail-reports': {
        if (!args[0]) throw new Error('mail-reports needs the file: npm run hub -- mail-reports F')
        const text = await readFile(args[0], 'utf8')
        const result = await servicesOf(hub).partnership.mailReports.fromMailbox(text, CLI_CONTEXT)
        console.log(
          `${args[0]}: ${result.messages} messages, ${result.reports} reports; ${result.applied} applied (${result.unknown} about addresses the Hub never sent a bulletin to), ${result.repeated} seen before`,
        )
        return 0
      }
      case 'seed-demo':
        console.log(['Demonstration data added.', ...(await hub.seedDemo())].join('\n'))
        return 0
      default:
        console.error(`Unknown command ${command}\n\n${USAGE}`)
        return 1
    }
  } finally {
    await database.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
