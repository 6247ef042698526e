/**
 * Markup written in code rather than a template (the busy tables and lists, for speed) escapes text as
 * Nunjucks' autoescape does, character for character, so that it stays byte for byte the template's.
 */
const ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
}

export function escapeHtml(value: string | undefined): string {
  return value === undefined ? '' : value.replace(/[&"'<>\\]/g, (ch) => ESCAPED[ch] as string)
}
