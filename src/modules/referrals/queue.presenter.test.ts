import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from '#platform/i18n.ts'
import { createViews } from '#platform/views.ts'
import { APP_ROOT } from '#tests/support/hub.ts'
import { queueRowsHtml, selectHtml } from './queue.presenter.ts'
import { referralWords } from './referral.labels.ts'

const views = createViews(APP_ROOT, ['src/modules'])
const english = loadLocales([
  path.join(APP_ROOT, 'src/platform/locales'),
  path.join(APP_ROOT, 'src/modules/referrals/locales'),
]).get(DEFAULT_LOCALE) as Locale
const labels = referralWords(translator(english, english))

// The queue's rows and its select macro as its template wrote them, before they were written out in code.
const TEMPLATE_ROWS = `      {% for r in rows %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link hub-reference" href="/staff/referrals/{{ r.id }}">{{ r.reference }}</a><br><span class="govuk-body-s">{{ r.borough }}</span></td>
          <td class="govuk-table__cell">{{ r.resident_name }}{% if r.assigned_name %}<br><span class="govuk-body-s">Officer: {{ r.assigned_name }}</span>{% endif %}</td>
          <td class="govuk-table__cell">
            {% for n in r.needs %}<span class="govuk-body-s">{{ n.kind }}:</span> <strong class="govuk-tag {{ n.state.classes }}">{{ n.state.text }}</strong>{% if n.outcome %} <span class="govuk-body-s">{{ n.outcome }}</span>{% endif %}<br>{% endfor %}
            {% if r.is_stale %}<strong class="govuk-tag govuk-tag--red">Not updated</strong>{% endif %}
          </td>
          <td class="govuk-table__cell">{{ r.created_at | date }}</td>
        </tr>
      {% endfor %}
`
const TEMPLATE_SELECT = `{% macro select(id, label, items) %}
<div class="govuk-form-group">
  <label class="govuk-label" for="{{ id }}">{{ label }}</label>
  <select class="govuk-select" id="{{ id }}" name="{{ id }}">
  {% for item in items %}
    <option value="{{ item.value }}"{% if item.selected %} selected{% endif %}>{{ item.text }}</option>
  {% endfor %}
  </select>
</div>
{% endmacro %}{{ select(id, label, items) }}`

const rows = [
  {
    id: 'r1',
    reference: 'ABCD-EFGH',
    borough: 'RBKC',
    resident_name: `Zoë <b>Ångström</b>-O'Brien & "Co" \\ 🌻`,
    assigned_name: null,
    created_at: '2026-03-29T00:30:00.000Z',
    is_stale: false,
    needs: [],
  },
  {
    id: 'r"2',
    reference: 'JKLM-NPQR',
    borough: 'W<CC>',
    resident_name: 'Sam Smith',
    assigned_name: `Ana <i>O'Fficer</i>`,
    created_at: '2026-11-02T10:00:00.000Z',
    is_stale: true,
    needs: [
      { kind: 'digital-skills', status: 'in-triage', outcome: null },
      { kind: 'device', status: 'outcome-recorded', outcome: 'device-loaned' },
      // A code the locale does not know (data from another version) shows as the code, with no colour.
      { kind: 'telepathy<>', status: 'pondering', outcome: 'maybe&' },
    ],
  },
  {
    id: 'r3',
    reference: 'STUV-WXYZ',
    borough: '',
    resident_name: 'Kim',
    assigned_name: 'Wes',
    created_at: '2026-12-01',
    is_stale: false,
    needs: [{ kind: 'home-library', status: 'submitted', outcome: null }],
  },
]

test("the queue's rows written out are the template's markup, escaped as it escapes", () => {
  const template = views.renderString(TEMPLATE_ROWS, {
    rows: rows.map((r) => ({
      ...r,
      needs: r.needs.map((n) => ({
        kind: labels.kind(n.kind),
        state: labels.stateTag(n.status),
        outcome: n.outcome ? labels.outcome(n.outcome) : null,
      })),
    })),
  })
  assert.equal(queueRowsHtml(rows, labels), template)
  assert.match(template, /In triage/)
  assert.match(template, /Zoë &lt;b&gt;Ångström&lt;\/b&gt;-O&#39;Brien &amp; &quot;Co&quot; &#92; 🌻/)
  assert.equal(queueRowsHtml([], labels), '')
})

test("a filter's select written out is the template's macro's markup", () => {
  for (const items of [
    [{ value: '', text: 'Any status' }],
    [
      { value: '', text: 'Anyone', selected: false },
      { value: 'me', text: 'Me', selected: true },
      { value: `a"b'<c>&\\`, text: `O'Neill <script> & "x" \\` },
    ],
  ]) {
    const template = views.renderString(TEMPLATE_SELECT, { id: 'officer', label: 'Officer & <co>', items })
    assert.equal(selectHtml('officer', 'Officer & <co>', items), template)
  }
})
