import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createViews } from '#platform/views.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

const views = createViews(APP_ROOT, ['src/modules'])

function render(source: string, previous: unknown, next: unknown): string {
  return views.renderString(source, { p: { previous, next } })
}
const macro = (previous: unknown, next: unknown) =>
  render(
    '{% from "govuk/components/pagination/macro.njk" import govukPagination %}{{ govukPagination(p) }}',
    previous,
    next,
  )
const written = (previous: unknown, next: unknown) =>
  render(
    '{% from "partnership/views/pagination.njk" import pagination %}{{ pagination(p.previous, p.next) }}',
    previous,
    next,
  )

test("the list's previous and next links are govukPagination's markup, escaped as it escapes", () => {
  const previous = { href: '?owner=contact:<b>"x"&page=1', text: 'Previous <page>' }
  const next = { href: '?organisation=o&page=3', text: 'Next' }
  for (const [p, n] of [
    [previous, undefined],
    [undefined, next],
    [previous, next],
  ]) {
    assert.equal(written(p, n), macro(p, n))
  }
  assert.match(written(previous, next), /href="\?owner=contact:&lt;b&gt;&quot;x&quot;&amp;page=1"/)
})
