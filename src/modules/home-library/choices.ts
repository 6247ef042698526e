import type { Translate } from '#platform/i18n.ts'

/** A list of codes as radio, checkbox or select items, each in the page's words (`prefix.code`). */
export function choices(t: Translate, prefix: string, codes: readonly (string | number)[]) {
  return codes.map((code) => ({ value: String(code), text: t(`${prefix}.${code}`) }))
}

/** Query string values arrive as a string or a list; only the first counts. */
export function first(value: unknown): string {
  return String([value].flat()[0] ?? '')
}
