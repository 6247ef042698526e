/**
 * The directory in a real Chromium against the real Hub: a resident finds help by need, postcode and access
 * feature, reads a service and a place, and reports a problem; an editor opens the directory pages and changes
 * a service's times at one of its places. Each journey runs with JavaScript on (axe scans every page) and with
 * it off (everything still works).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
  const db = env.hub.database.db
  // Kensal Library gets a Changing Places toilet (no library starts with one), so a search for one has a
  // known answer.
  const loop = await db
    .selectFrom('taxonomy_terms')
    .select('id')
    .where('code', '=', 'changing-places')
    .executeTakeFirstOrThrow()
  const kensal = await db
    .selectFrom('locations')
    .select('id')
    .where('code', '=', 'kensal')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('location_features')
    .values({
      id: crypto.randomUUID(),
      location_id: kensal.id,
      term_id: loop.id,
      details: null,
      checked_on: null,
    })
    .execute()
})

after(async () => {
  await env?.close()
})

for (const javaScript of [true, false]) {
  describe(`finding help with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    let page: Page

    before(async () => {
      page = await (await env.newContext({ javaScript })).newPage()
    })

    const check = async () => {
      if (javaScript) await expectNoAxeViolations(page)
    }

    test('search by need, postcode and access feature; nearest first', async () => {
      await page.goto('/find-help')
      assert.equal(await page.locator('h1').innerText(), 'Find help to get online')
      await check()
      await page.getByLabel('What do you need help with?').selectOption('computers')
      await page.getByLabel('Your postcode (optional)').fill('W10 4NE')
      await page.locator('summary', { hasText: 'What does the place need to have?' }).click()
      await page.getByLabel('Changing Places toilet').check()
      const res = await navigation(page, () => page.getByRole('button', { name: 'Search' }).click())
      assert.equal(res.status(), 200)
      assert.match(await page.locator('#results').innerText(), /1 service found/)
      assert.match(
        await page.locator('.hub-results').innerText(),
        /Public computers, printing and Wi-Fi[\s\S]*Nearest: Kensal Library, 0\.\d km away/,
      )
      // the answers are kept in the form
      assert.equal(await page.getByLabel('Your postcode (optional)').inputValue(), 'W10 4NE')
      await check()
    })

    test('a wrong postcode shows the error summary, linked to the field', async () => {
      await page.goto('/find-help')
      await page.getByLabel('Your postcode (optional)').fill('nowhere')
      const res = await navigation(page, () => page.getByRole('button', { name: 'Search' }).click())
      assert.equal(res.status(), 400)
      assert.match(await page.title(), /^Error: /)
      const link = page.locator('.govuk-error-summary__list a')
      assert.equal(await link.innerText(), 'Enter a postcode in London, like W10 5PF')
      assert.equal(await link.getAttribute('href'), '#postcode')
      assert.equal(await page.getByLabel('Your postcode (optional)').inputValue(), 'nowhere')
      await check()
    })

    test('a service page, its place, and reporting a problem', async () => {
      await page.goto('/find-help?need=skills-drop-in')
      await navigation(page, () => page.getByRole('link', { name: 'IT clinic' }).click())
      assert.equal(await page.locator('h1').innerText(), 'IT clinic')
      assert.match(await page.locator('main').innerText(), /How to get it\s+Drop in/)
      await check()
      await navigation(page, () => page.getByRole('link', { name: 'Chelsea Library' }).click())
      assert.equal(await page.locator('h1').innerText(), 'Chelsea Library')
      assert.match(await page.locator('table').first().innerText(), /Monday\s+09:30 to 19:00/)
      assert.match(await page.locator('main').innerText(), /Free Wi-Fi/)
      await check()
      await navigation(page, () =>
        page.getByRole('link', { name: 'Report a problem with this page' }).click(),
      )
      await check()
      await navigation(page, () => page.getByRole('button', { name: 'Send' }).click())
      assert.equal(
        await page.locator('.govuk-error-summary__list a').innerText(),
        'Enter what is wrong with the page',
      )
      await page.getByLabel('Report a problem with this page').fill('The lift is out of order')
      const sent = await navigation(page, () => page.getByRole('button', { name: 'Send' }).click())
      assert.equal(sent.status(), 200)
      assert.match(await page.locator('h1').innerText(), /Thank you/)
      await check()
    })

    test('every library, and the online library', async () => {
      await page.goto('/find-help/places')
      assert.equal(await page.locator('main a[href^="/find-help/places/"]').count(), 17)
      await check()
      await page.goto('/find-help/online')
      assert.match(await page.locator('main').innerText(), /PressReader/)
      await check()
    })

    test('an editor’s directory pages', async () => {
      const staff = await createStaff(env.hub, { roles: ['directory-editor'], boroughs: 'all' })
      await page.goto('/staff/sign-in')
      await page.getByLabel('Email address').fill(staff.email)
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
      await page.goto('/staff/directory')
      await check()
      await navigation(page, () => page.getByRole('link', { name: 'IT clinic' }).click())
      await check()
      await page.getByLabel('Description').fill('')
      const bad = await navigation(page, () => page.getByRole('button', { name: 'Save' }).click())
      assert.equal(bad.status(), 400)
      assert.equal(
        await page.locator('.govuk-error-summary__list a').first().getAttribute('href'),
        '#description',
      )
      await check()
      // a service's times at one of its places
      await page.goto('/staff/directory')
      await navigation(page, () => page.getByRole('link', { name: 'Code Club' }).click())
      await navigation(page, () =>
        page.getByRole('link', { name: 'Change times at Paddington Library' }).click(),
      )
      assert.equal(await page.locator('h1').innerText(), 'Times at Paddington Library')
      await check()
      await page.getByLabel('Saturday from').fill('25:00')
      const wrongTime = await navigation(page, () => page.getByRole('button', { name: 'Save' }).click())
      assert.equal(wrongTime.status(), 400)
      const summary = page.locator('.govuk-error-summary__list a')
      assert.equal(await summary.getAttribute('href'), '#open6')
      assert.equal(await page.getByLabel('Saturday from').inputValue(), '25:00')
      await check()
      await page.getByLabel('Saturday from').fill('10:30')
      const saved = await navigation(page, () => page.getByRole('button', { name: 'Save' }).click())
      assert.equal(saved.status(), 200)
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /Times at Paddington Library saved/,
      )
      assert.match(
        await page.locator('.govuk-summary-list__row', { hasText: 'Paddington Library' }).innerText(),
        /Saturday 10:30 to 12:30/,
      )
      await check()
      await page.goto('/staff/directory/places/new')
      await check()
      await page.goto('/staff/directory/import')
      await check()
    })
  })
}
