/**
 * What a new resident meets first, in a real Chromium at 320 and 1280 pixels wide, with JavaScript on
 * and off: the home page's ways in, the pages a council must publish, /find-help for an outer London
 * postcode, a service and a place, /track's errors, a journey page opened directly, and a homeless
 * resident referred by someone else who can then track the request. axe scans every page (JavaScript on);
 * no page scrolls sideways.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type BrowserHub,
  expectNoAxeViolations,
  javaScriptOff,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub({ HELP_PHONE: '020 7946 0000' })
})

after(async () => {
  await env?.close()
})

/** axe when JavaScript is on, and never wider than the window. */
async function checkPage(page: Page): Promise<void> {
  if (!javaScriptOff(page)) await expectNoAxeViolations(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `${page.url()} scrolls sideways by ${overflow}px`)
}

async function submit(page: Page, button: string) {
  return navigation(page, () => page.getByRole('button', { name: button, exact: true }).click())
}

for (const javaScript of [true, false]) {
  for (const width of [320, 1280]) {
    describe(`first use at ${width}px with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      async function open(path: string) {
        const context = await env.newContext({ javaScript })
        const page = await context.newPage()
        await page.setViewportSize({ width, height: 900 })
        await page.goto(path)
        return page
      }

      test('the home page leads to the online request, /track, /find-help, the phone and the libraries', async () => {
        const page = await open('/')
        await checkPage(page)
        const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
        assert.deepEqual(hrefs.slice(0, 4), ['/refer', '/track', '/find-help', 'tel:02079460000'])
        await navigation(page, () => page.getByRole('button', { name: 'Ask for help online' }).click())
        assert.match(page.url(), /\/refer$/)
        await page.context().close()
      })

      test('the privacy notice, the accessibility statement and the cookies page', async () => {
        const page = await open('/privacy')
        await checkPage(page)
        assert.match(await page.locator('main').innerText(), /Information Commissioner’s Office/)
        for (const path of ['/accessibility', '/cookies']) {
          await page.goto(path)
          await checkPage(page)
        }
        await page.context().close()
      })

      test('/find-help with an outer London postcode offers the borough search; a service and a place', async () => {
        const page = await open('/find-help?postcode=N1+9GU')
        await checkPage(page)
        assert.match(await page.locator('#outside').innerText(), /N1 9GU is outside Kensington and Chelsea/)
        await page.goto('/find-help?postcode=W9+2QT&need=skills-one-to-one')
        await checkPage(page)
        await navigation(page, () => page.locator('.hub-results a').first().click())
        assert.match(page.url(), /near=W9/)
        await checkPage(page)
        assert.match(await page.locator('main').innerText(), /How to book/)
        await navigation(page, () => page.locator('main ul.govuk-list a').first().click())
        assert.equal(await page.locator('h1').innerText(), 'Maida Vale Library')
        assert.equal(await page.getByText('Opening times', { exact: true }).count(), 1)
        await checkPage(page)
        await page.context().close()
      })

      test('/track empty names both fields; a journey page opened directly starts the journey', async () => {
        const page = await open('/track')
        await checkPage(page)
        const res = await submit(page, 'Check request')
        assert.equal(res.status(), 400)
        assert.deepEqual(
          await page
            .locator('.govuk-error-summary__list a')
            .evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
          ['#reference', '#words'],
        )
        await checkPage(page)
        await page.goto('/refer/needs')
        assert.match(page.url(), /\/refer\/who$/)
        assert.doesNotMatch(await page.locator('main').innerText(), /answers were deleted/)
        await page.context().close()
      })
    })
  }

  describe(`a homeless resident referred by someone else can track it, JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('no fixed address, an age range, contact through the support worker: the 3 words work at /track', async () => {
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.setViewportSize({ width: 320, height: 900 })
      const radio = (name: string, value: string) => page.check(`input[name="${name}"][value="${value}"]`)
      const step = async (fill: () => Promise<unknown>, button = 'Continue') => {
        await checkPage(page)
        await fill()
        const res = await submit(page, button)
        assert.equal(res.status(), 200, page.url())
      }
      await page.goto('/refer')
      await step(async () => {}, 'Start now')
      await step(() => radio('who', 'someone-else'))
      await step(async () => {
        await page.fill('#name', 'Pat Worker')
        await page.fill('#organisation', 'Outreach Trust')
        await page.fill('#role', 'Outreach worker')
        await page.fill('#email', 'pat@example.org')
        await page.fill('#relationship', 'Outreach worker')
      })
      await step(() => radio('consent', 'yes'))
      await step(() => page.fill('#name', 'Sam Doe'))
      await step(() => radio('choice', 'range'))
      await step(() => radio('ageRange', '35-49'))
      await step(() => radio('hasAddress', 'no'))
      await step(() => radio('borough', 'wcc'))
      await step(() => page.check('input[name="methods"][value="support-worker"]'))
      await step(() => radio('interpreter', 'no'))
      await step(async () => {})
      await step(() => page.check('input[name="needs"][value="connectivity"]'))
      await step(() => radio('option', 'sim'))
      // Homeless is known from "no fixed address": not asked.
      assert.equal(await page.locator('input[name="homeless"]').count(), 0)
      await step(async () => {})
      assert.match(page.url(), /\/refer\/check$/)
      assert.equal(await page.locator('.govuk-back-link').getAttribute('href'), '/refer/reporting')
      assert.equal(
        await page.locator('main').getByRole('link', { name: 'privacy notice', exact: true }).count(),
        1,
      )
      await step(async () => {}, 'Send request')
      const reference = (await page.locator('.hub-reference').first().innerText()).trim()
      const words = (await page.locator('[data-tracking-words]').innerText()).trim()
      await page.goto('/track')
      await step(async () => {
        await page.fill('#reference', reference)
        await page.fill('#words', words)
      }, 'Check request')
      assert.match(await page.locator('main').innerText(), /A SIM card or mobile data/)
      await checkPage(page)
      await context.close()
    })
  })
}
