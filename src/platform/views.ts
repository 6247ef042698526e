import fs from 'node:fs'
import path from 'node:path'
import nunjucks from 'nunjucks'

/**
 * Nunjucks, set up once. Templates are found in platform/views, in each module's folder (as
 * `<module>/views/<page>.njk`, under the folders that hold modules) and in govuk-frontend. Autoescape is on: nothing a person typed
 * reaches the page unescaped.
 */
export function createViews(
  appRoot: string,
  moduleFolders: string[],
  opts: { watch?: boolean } = {},
): nunjucks.Environment {
  const govuk = path.join(appRoot, 'node_modules/govuk-frontend/dist')
  if (!fs.existsSync(govuk)) throw new Error(`govuk-frontend not found under ${appRoot}; run npm install`)
  const env = new nunjucks.Environment(
    new Loader(
      [path.join(appRoot, 'src/platform/views'), ...moduleFolders.map((f) => path.join(appRoot, f)), govuk],
      {
        noCache: Boolean(opts.watch),
        watch: false,
      },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  )
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  return env
}

/**
 * Resolves each relative template name once. Every govuk-frontend macro includes its `./template.njk`
 * on each call, and Nunjucks resolves that path again every time before it finds the compiled template.
 */
class Loader extends nunjucks.FileSystemLoader {
  private readonly resolved = new Map<string, Map<string, string>>()

  override resolve(from: string, to: string): string {
    let names = this.resolved.get(from)
    if (!names) {
      names = new Map()
      this.resolved.set(from, names)
    }
    let name = names.get(to)
    if (name === undefined) {
      name = super.resolve(from, to)
      names.set(to, name)
    }
    return name
  }
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' })
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'medium',
  timeStyle: 'short',
})

// Formatting a date costs more than the rest of a table row: each UTC hour's London date is made once.
const datesByHour = new Map<string, string>()

/** 29 November 2026 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  const hour = value.slice(0, 13)
  let text = datesByHour.get(hour)
  if (text === undefined) {
    text = LONDON_DATE.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value))
    if (datesByHour.size >= 10_000) datesByHour.clear()
    datesByHour.set(hour, text)
  }
  return text
}

/** 29 Nov 2026, 14:05 (London time) */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  return LONDON_DATE_TIME.format(new Date(value))
}
