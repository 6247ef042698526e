/**
 * Every message the Hub sends comes from a template a module declares in its manifest. Each template turns
 * its personalisation into a subject and a plain-text body; GOV.UK Notify receives them through one generic
 * template with ((subject)) and ((body)) placeholders, so wording changes need no change in Notify.
 */
export interface RenderedMessage {
  subject: string
  body: string
}

export type MessageTemplate = ((personalisation: Record<string, string>) => RenderedMessage) & {
  /** Personalisation that hands over an account (a one-time link): see `maskSecrets`. */
  secrets?: readonly string[]
}

/** A template with fields only its recipient may read. */
export function withSecrets(
  template: (personalisation: Record<string, string>) => RenderedMessage,
  secrets: readonly string[],
): MessageTemplate {
  return Object.assign(template, { secrets })
}

/**
 * The templates of the modules this process runs. Templates are code, the same in every app built from
 * the same registry, so one catalogue per process serves every app in it (tests build many).
 */
const catalogue = new Map<string, MessageTemplate>()

/** Adds a module's templates; the same name declared by two modules stops the start. */
export function registerTemplates(module: string, templates: Record<string, MessageTemplate>): void {
  for (const [name, template] of Object.entries(templates)) {
    const known = catalogue.get(name)
    if (known && known !== template)
      throw new Error(`Message template ${name} of module ${module} is declared by another module too`)
    catalogue.set(name, template)
  }
}

export function isTemplateName(name: string): boolean {
  return catalogue.has(name)
}

export function renderMessage(name: string, personalisation: Record<string, string>): RenderedMessage {
  const template = catalogue.get(name)
  if (!template) throw new Error(`Unknown message template ${name}`)
  return template(personalisation)
}

const MASKED = '[hidden: sent to the recipient only]'

/**
 * The transport reads a template's secret fields to send the message; every page shows them masked, and
 * the copy kept after sending holds the mask only.
 */
export function maskSecrets(name: string, personalisation: Record<string, string>): Record<string, string> {
  const secret = catalogue.get(name)?.secrets ?? []
  return Object.fromEntries(
    Object.entries(personalisation).map(([k, v]) => [k, secret.includes(k) ? MASKED : v]),
  )
}

/** What a list shows for each personal value: the list names no one. */
const HIDDEN_VALUE = '…'
const hiddenValues: Record<string, string> = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' ? HIDDEN_VALUE : undefined) },
)

/**
 * A message's subject for staff lists, each personalised value shown as "…" ("Your … password was
 * changed"): the words of its own template, with nothing about the person. The template reads whatever
 * fields it has, so every field it asks for reads "…"; null when a template cannot be put so (a test
 * walks every template).
 */
export function messageTitle(name: string): string | null {
  try {
    return renderMessage(name, hiddenValues).subject
  } catch {
    return null
  }
}
