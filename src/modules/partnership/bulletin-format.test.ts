import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blocks, draftFromMinutes, segments } from './bulletin-format.ts'

describe('bulletin formatting', () => {
  test('headings, lists and paragraphs from plain text; addresses become links, nothing else does', () => {
    const body = [
      '## Funding news',
      'The <b>fund</b> opens on Monday.',
      'See https://example.org/fund.',
      '',
      '- First',
      '* Second',
      'After the list',
    ].join('\r\n')
    assert.deepEqual(blocks(body), [
      { kind: 'heading', text: 'Funding news' },
      {
        kind: 'paragraph',
        lines: [
          [{ text: 'The <b>fund</b> opens on Monday.' }],
          [
            { text: 'See ' },
            { text: 'https://example.org/fund', href: 'https://example.org/fund' },
            { text: '.' },
          ],
        ],
      },
      { kind: 'list', items: [[{ text: 'First' }], [{ text: 'Second' }]] },
      { kind: 'paragraph', lines: [[{ text: 'After the list' }]] },
    ])
    assert.deepEqual(segments('javascript:alert(1)'), [{ text: 'javascript:alert(1)' }])
  })

  test('closed minutes draft a bulletin of the decisions and actions, with owners and dates', () => {
    const draft = draftFromMinutes({
      meetingId: 'm1',
      title: 'Partnership meeting',
      heldOn: '2027-01-14',
      decisions: ['Run a device amnesty in March'],
      publicActions: [{ text: 'Book the hall', owners: ['Age UK', 'Ana Silva'], dueOn: '2027-02-01' }],
    })
    assert.equal(draft.title, 'Follow-up: Partnership meeting, 14 January 2027')
    assert.equal(
      draft.body,
      [
        'Thank you to everyone who came to Partnership meeting on 14 January 2027.',
        '',
        '## What we decided',
        '- Run a device amnesty in March',
        '',
        '## What happens next',
        '- Book the hall (Age UK, Ana Silva, by 1 February 2027)',
      ].join('\n'),
    )
  })
})
