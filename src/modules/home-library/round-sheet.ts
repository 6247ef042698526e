import type { Translate } from '#platform/i18n.ts'
import { FORMATS, type Format } from './member.ts'
import type { RoundService } from './round.service.ts'

type Sheet = Awaited<ReturnType<RoundService['sheet']>>

/**
 * The round sheet's stops in words, put together once here rather than word by word in the template: a
 * round of 25 stops would otherwise cost several hundred lookups and loop frames on every print.
 */
export function sheetStops(t: Translate, stops: Sheet['stops']) {
  const formatName = new Map(FORMATS.map((f) => [f, t(`homeLibrary.format.${f}`)]))
  const format = (f: string) => formatName.get(f as Format) ?? f
  const dayPart = {
    morning: t('homeLibrary.dayPart.morning').toLowerCase(),
    afternoon: t('homeLibrary.dayPart.afternoon').toLowerCase(),
  }
  const takeBack = t('homeLibrary.round.takeBack').toLowerCase()
  const maxItems = new Map<number, string>()
  const upTo = (count: number) => {
    const text = maxItems.get(count) ?? t('homeLibrary.visit.maxItems', { count })
    maxItems.set(count, text)
    return text
  }
  return stops.map((s) => ({
    name: s.name,
    heading: `${s.name} (${dayPart[s.day_part]})`,
    access: s.access,
    formats: `${s.formats_json.map(format).join(', ')} · ${upTo(s.max_items)}`,
    likes: s.likes,
    dislikes: s.dislikes,
    itemsOut: s.out.map((i) => (i.overdue ? `${i.title} (${takeBack})` : i.title)).join('; '),
    visitId: s.visit_id,
  }))
}
