import fs from 'node:fs'
import path from 'node:path'
import nunjucks from 'nunjucks'
import { dateInputItems } from './date-input.ts'

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
  defineImportedMacrosOnce()
  splitVariableNamesOnce()
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
  env.addGlobal('component', keptComponents(renderComponent(env), opts.watch ? 0 : 1_000))
  // `dateInputItems(values, 'reviewOn', fieldErrors.reviewOn)`: a GOV.UK date input's fields, typed answers kept.
  env.addGlobal(
    'dateInputItems',
    (values: Record<string, unknown> | undefined, name: string, error: unknown) =>
      dateInputItems(values ?? {}, name, Boolean(error)),
  )
  return env
}

type RenderComponent = (name: string, params: Record<string, unknown>) => string

/** `component('skip-link', params)`: a govuk-frontend component's macro, called from code. */
function renderComponent(env: nunjucks.Environment): RenderComponent {
  const templates = new Map<string, nunjucks.Template>()
  return (name, params) => {
    let template = templates.get(name)
    if (!template) {
      const macro = `govuk${name.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase())}`
      const source = `{% from "govuk/components/${name}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`
      template = new nunjucks.Template(source, env)
      templates.set(name, template)
    }
    return template.render({ params })
  }
}

/** Dashes, quotes, bullets and the ellipsis: English text's characters past Latin-1. */
const PUNCTUATION = /[\u2010-\u2027]/g

/**
 * A dash or a curly quote as its character reference: a page whose other characters are all Latin-1
 * is then a one-byte string, which Node writes to the socket without encoding it (the find-help need
 * list's "— " before each sub-need made every find-help page two-byte). Done once, for kept markup.
 */
function withPunctuationAsReferences(html: string): string {
  return html.replace(PUNCTUATION, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * Each component's markup kept for the parameters it was given. For the layout's frame (header,
 * navigation, banners), which takes only the service's words and the navigation, never a person's
 * data: calling a govuk-frontend macro costs more than the rest of a small page. Bounded, so a
 * parameter that varies cannot grow it without end; nothing kept while templates are watched.
 * `component(name, params, key)` keeps it under `key` instead of the parameters written out, for
 * parameters too long to write out on every call (a long list of choices): the key must then name
 * everything the parameters are made from (the data's version, the language, what is chosen).
 */
function keptComponents(render: RenderComponent, most: number) {
  const kept = new Map<string, string>()
  return (name: string, params: Record<string, unknown>, given?: string) => {
    // A given key is marked so that it can never be mistaken for parameters written out.
    const key = `${name}\u0000${given === undefined ? JSON.stringify(params) : `\u0001${given}`}`
    let html = kept.get(key)
    if (html === undefined) {
      html = withPunctuationAsReferences(render(name, params))
      if (kept.size >= most) kept.clear()
      if (most > 0) kept.set(key, html)
    }
    return new nunjucks.runtime.SafeString(html)
  }
}

/**
 * `{% from "x.njk" import m %}` without context runs all of x.njk again on every render, only to define
 * its macros, and a busy page imports several. Those macros depend on nothing of the page that imports
 * them, so each template's are defined once and reused (per template object: a template reloaded while
 * watched is a new one).
 */
function defineImportedMacrosOnce(): void {
  const proto = nunjucks.Template.prototype as unknown as {
    getExported: (...args: unknown[]) => void
    macrosDefinedOnce?: true
  }
  if (proto.macrosDefinedOnce) return
  proto.macrosDefinedOnce = true
  const define = proto.getExported
  const defined = new WeakMap<object, unknown>()
  proto.getExported = function (this: object, ...args: unknown[]) {
    const [done] = args
    // Imported with context (`import ... with context`): the page's variables matter; run it as usual.
    if (args.length !== 1 || typeof done !== 'function') return define.apply(this, args)
    if (defined.has(this)) return done(null, defined.get(this))
    define.call(this, (error: unknown, macros: unknown) => {
      if (!error) defined.set(this, macros)
      done(error, macros)
    })
  }
}

/**
 * Nunjucks splits a variable's name at its dots on every assignment, and a `for` loop assigns eight
 * (`loop.index`, `loop.first`...) on each turn: the triage queue's rows and selects make that over a
 * hundred times a page. The names come from the templates, never from data, so each is split once.
 */
function splitVariableNamesOnce(): void {
  type Variables = Record<string, unknown>
  type Frame = {
    variables: Variables
    resolve(name: string, forWrite: boolean): Frame | null
    set(name: string, value: unknown, resolveUp?: boolean): void
    namesSplitOnce?: true
  }
  const proto = (nunjucks.runtime as unknown as { Frame: { prototype: Frame } }).Frame.prototype
  if (proto.namesSplitOnce) return
  proto.namesSplitOnce = true
  const split = new Map<string, string[]>()
  // The same steps as Nunjucks' own Frame.set.
  proto.set = function (this: Frame, name, value, resolveUp) {
    let parts = split.get(name)
    if (parts === undefined) {
      parts = name.split('.')
      split.set(name, parts)
    }
    if (resolveUp) {
      const frame = this.resolve(parts[0] as string, true)
      if (frame) return frame.set(name, value)
    }
    let into = this.variables
    for (let i = 0; i < parts.length - 1; i++) {
      const id = parts[i] as string
      if (!into[id]) into[id] = {}
      into = into[id] as Variables
    }
    into[parts[parts.length - 1] as string] = value
  }
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
