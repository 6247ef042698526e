/**
 * The referral journeys in a real Chromium against the real Hub, with JavaScript on and off: a
 * self-referral and a partner referral through /refer, the resident's /track, and a triage officer's
 * queue and case page. With JavaScript on, axe scans every page the journeys land on.
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
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})

after(async () => {
  await env?.close()
})

/** Checks the page (axe when JavaScript is on), then does `fill` and continues to the next page. */
async function answer(
  page: Page,
  fill: () => Promise<void>,
  button = 'Continue',
  status = 200,
): Promise<void> {
  if (!javaScriptOff(page)) await expectNoAxeViolations(page)
  const from = page.url()
  await fill()
  const res = await navigation(page, () => page.getByRole('button', { name: button, exact: true }).click())
  assert.equal(res.status(), status, `${from} answered ${res.status()} at ${page.url()}`)
}

const radio = (page: Page, name: string, value: string) =>
  page.check(`input[name="${name}"][value="${value}"]`)

for (const javaScript of [true, false]) {
  describe(`referral journeys with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('a resident asks for help for themselves, sees the reference, and can track it', async () => {
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.goto('/refer')
      assert.equal(await page.locator('h1').innerText(), 'Ask for help to get online')
      await answer(page, async () => {}, 'Start now')
      await answer(page, () => radio(page, 'who', 'self'))
      // An empty answer: 400, the error summary links to the field.
      await answer(page, async () => {}, 'Continue', 400)
      assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#name')
      await answer(page, () => page.fill('#name', 'Zoë Ångström 🌻'))
      await answer(page, () => radio(page, 'choice', 'date'))
      await answer(page, async () => {
        await page.fill('#dob-day', '7')
        await page.fill('#dob-month', '3')
        await page.fill('#dob-year', '1951')
      })
      await answer(page, () => radio(page, 'hasAddress', 'yes'))
      await answer(page, () => page.fill('#postcode', 'W8 4RT'))
      await answer(page, async () => {
        await page.check('input[name="methods"][value="email"]')
        await page.fill('#email', 'zoe@example.com')
      })
      await answer(page, () => radio(page, 'interpreter', 'no'))
      await answer(page, () => page.fill('#accessNeeds', 'Large print, please'))
      await answer(page, () => page.check('input[name="needs"][value="device"]'))
      await answer(page, () => radio(page, 'deviceType', 'tablet'))
      // Aged 60 or over is known from the date of birth: not asked.
      assert.equal(await page.locator('input[name="over60"]').count(), 0)
      await answer(page, () => radio(page, 'disabled', 'no'))
      assert.match(page.url(), /\/refer\/check$/)
      assert.match(await page.locator('main').innerText(), /Zoë Ångström 🌻/)
      await answer(page, async () => {}, 'Send request')
      assert.match(page.url(), /\/refer\/confirmation$/)
      if (!javaScript) {
        // Back and send again (a refresh or a double click without JavaScript): still one referral.
        await page.goBack()
        if (page.url().endsWith('/refer/check')) {
          const res = await navigation(page, () => page.getByRole('button', { name: 'Send request' }).click())
          assert.ok(res.url().endsWith('/refer/confirmation'))
        }
      }
      const reference = (await page.locator('.hub-reference').first().innerText()).trim()
      const words = (await page.locator('[data-tracking-words]').innerText()).trim()
      assert.match(reference, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
      if (javaScript) await expectNoAxeViolations(page)
      const count = await env.hub.database.db
        .selectFrom('referrals')
        .select('id')
        .where('reference', '=', reference.replace('-', ''))
        .execute()
      assert.equal(count.length, 1)

      await page.goto('/track')
      await answer(
        page,
        async () => {
          await page.fill('#reference', reference.toLowerCase())
          await page.fill('#words', words)
        },
        'Check request',
      )
      assert.match(await page.locator('main').innerText(), /Received. We will look at it soon./)
      if (javaScript) await expectNoAxeViolations(page)
      await context.close()
    })

    test('a partner refers someone with their agreement; without it they are stopped', async () => {
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.goto('/refer')
      await answer(page, async () => {}, 'Start now')
      await answer(page, () => radio(page, 'who', 'someone-else'))
      await answer(page, async () => {
        await page.fill('#name', 'Pat Worker')
        await page.fill('#organisation', 'Housing Trust')
        await page.fill('#role', 'Support worker')
        await page.fill('#email', 'pat@example.org')
        await page.fill('#relationship', 'Key worker')
      })
      await answer(page, () => radio(page, 'consent', 'no'))
      assert.match(page.url(), /\/refer\/no-consent$/)
      if (javaScript) await expectNoAxeViolations(page)
      await page.goto('/refer/consent')
      await answer(page, () => radio(page, 'consent', 'yes'))
      await answer(page, () => page.fill('#name', 'Fatima Al-Sayed'))
      await answer(page, () => radio(page, 'choice', 'range'))
      await answer(page, () => radio(page, 'ageRange', '70-79'))
      await answer(page, () => radio(page, 'hasAddress', 'yes'))
      await answer(page, () => page.fill('#postcode', 'SW7 2AZ'))
      // SW7 lies in both boroughs: the journey asks which council.
      assert.match(page.url(), /\/refer\/council$/)
      await answer(page, () => radio(page, 'borough', 'wcc'))
      await answer(page, async () => {
        await page.check('input[name="methods"][value="phone"]')
        await page.fill('#phone', '07700 900456')
      })
      await answer(page, () => page.check('input[name="safe"][value="voicemail"]'))
      await answer(page, () => radio(page, 'interpreter', 'no'))
      await answer(page, async () => {})
      await answer(page, async () => {
        await page.check('input[name="needs"][value="home-library"]')
      })
      await answer(page, () => radio(page, 'reason', 'housebound'))
      await answer(page, async () => {})
      await answer(page, async () => {}, 'Send request')
      assert.match(page.url(), /\/refer\/confirmation$/)
      await context.close()
    })

    test('a triage officer finds the case, sees the queue and moves a request on', async () => {
      const officer = await createStaff(env.hub, { roles: ['triage-officer'], boroughs: ['rbkc', 'wcc'] })
      const colleague = `Colleague ${javaScript ? 'A' : 'B'}`
      await createStaff(env.hub, { roles: ['triage-officer'], boroughs: 'all', name: colleague })
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.goto('/staff/sign-in')
      await page.fill('#email', officer.email)
      await page.fill('#password', TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
      await page.goto('/staff/referrals')
      if (javaScript) await expectNoAxeViolations(page)
      await page.fill('#q', 'Ångström')
      await navigation(page, () => page.getByRole('button', { name: 'Search' }).click())
      assert.doesNotMatch(page.url(), /ngstr/i, 'the search term is not in the URL')
      await navigation(page, () => page.locator('table a').first().click())
      assert.match(await page.locator('h1').innerText(), /^Referral [A-Z2-9]{4}-[A-Z2-9]{4}$/)
      if (javaScript) await expectNoAxeViolations(page)
      // The first request's first allowed move (the other run may already have moved it on).
      // Its form folds away under the request, behind "Update this request".
      await page.locator('.govuk-summary-card summary').first().click()
      const form = page.locator('form[action*="/needs/"]').first()
      await form.locator('input[name="to"]').first().check()
      await navigation(page, () => form.getByRole('button', { name: 'Update request' }).click())
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Request updated/)
      // States read as words in coloured tags; the case goes to a colleague chosen from a list.
      assert.doesNotMatch(await page.locator('.govuk-summary-card .govuk-tag').first().innerText(), /-/)
      await page.selectOption('#assign-to', { label: colleague })
      await navigation(page, () => page.getByRole('button', { name: 'Assign', exact: true }).click())
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Assignment saved/)
      assert.equal(await page.locator('#assign-to option:checked').innerText(), colleague)
      if (javaScript) await expectNoAxeViolations(page)
      await context.close()
    })

    test('a partner referrer sees where their organisation’s referrals are', async () => {
      const ctx = { userId: null, actor: 'test', ip: null, requestId: null }
      const org = await env.hub.directory.findOrCreatePartnerOrganisation({ name: 'E2E Partner' }, ctx)
      const rbkc = (await env.hub.accounts.listBoroughs()).find((b) => b.code === 'rbkc')?.id ?? ''
      const email = `partner.${javaScript ? 'js' : 'nojs'}@hub.test`
      await env.hub.accounts.createUser(
        {
          name: 'E2E Partner Worker',
          email,
          password: TEST_PASSWORD,
          roles: ['partner-referrer'],
          allBoroughs: false,
          boroughIds: [rbkc],
          organisationId: org.id,
        },
        ctx,
      )
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.goto('/staff/sign-in')
      await page.fill('#email', email)
      await page.fill('#password', TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
      await navigation(page, () => page.getByRole('link', { name: 'Your referrals' }).first().click())
      assert.equal(await page.locator('h1').innerText(), 'Your referrals')
      if (javaScript) await expectNoAxeViolations(page)
      await context.close()
    })
  })
}
