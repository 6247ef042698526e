import type { AuditEventTable } from './audit.ts'
import type { Translate } from './i18n.ts'
import { formatDateTime } from './views.ts'

/** The words for a code, or the code itself when no locale has words for it (an action of an older version). */
function wordOr(t: Translate, key: string, code: string): string {
  try {
    return t(key)
  } catch {
    return code
  }
}

/**
 * The audit's rows in words: who by name, what they did as each module's locale says it
 * (`auditActions`, the action with `:` for `.`), what kind of record. Identifiers stay for the filter links.
 */
export function auditRows(t: Translate, rows: AuditEventTable[], names: Map<string, string>) {
  return rows.map((r) => ({
    seq: r.seq,
    at: formatDateTime(r.at),
    who: r.actor_user_id
      ? (names.get(r.actor_user_id) ?? t('auditLog.unknownPerson'))
      : wordOr(t, `auditLog.actors.${r.actor}`, r.actor),
    userId: r.actor_user_id,
    what: wordOr(t, `auditActions.${r.action.replaceAll('.', ':')}`, r.action),
    recordType: r.record_type ? wordOr(t, `auditLog.records.${r.record_type}`, r.record_type) : '',
    recordId: r.record_id,
    fields: (r.fields_json ?? []).join(', '),
  }))
}
