/**
 * The partnership's mailing list in a real Chromium: a person signs up, confirms from the emailed link and
 * changes their lists; the partnership lead writes a bulletin, previews it and sends it; the person
 * unsubscribes from the link in it and reads its web version. With JavaScript on (axe on every page) and off.
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
})

after(async () => {
  await env?.close()
})

/** The path of a link in the newest outbox message of a template to a recipient (the worker is off). */
async function emailedPath(template: string, recipient: string, field: string): Promise<string> {
  const { rows } = await env.hub.platform.outbox.list({ scope: null, limit: 500, offset: 0 })
  const url = rows.find((r) => r.template === template && r.recipient === recipient)?.personalisation_json[
    field
  ]
  assert.ok(url, `no ${template} to ${recipient}`)
  return new URL(url).pathname
}

for (const javaScript of [true, false]) {
  describe(`mailing list and bulletins with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    const email = `reader.${javaScript ? 'on' : 'off'}@example.org`
    const subject = `Funding news ${javaScript ? 'A' : 'B'}`
    let page: Page
    const check = async (p: Page = page) => {
      if (javaScript) await expectNoAxeViolations(p)
    }

    before(async () => {
      page = await (await env.newContext({ javaScript })).newPage()
    })

    test('sign up, a refused address, confirm from the email, change lists', async () => {
      await page.goto('/subscribe')
      await check()
      await page.getByLabel('Email address').fill('someone@mailinator.com')
      await page.getByLabel('Funding').check()
      await navigation(page, () => page.getByRole('button', { name: 'Continue' }).click())
      await check()
      assert.match(await page.locator('.govuk-error-summary').innerText(), /temporary email service/)
      assert.ok(await page.getByLabel('Funding').isChecked())
      await page.getByLabel('Email address').fill(email)
      await navigation(page, () => page.getByRole('button', { name: 'Continue' }).click())
      await check()
      assert.match(await page.locator('h1').innerText(), /Check your email/)

      await page.goto(await emailedPath('partnership-mailing-confirm', email, 'confirmUrl'))
      await check()
      await navigation(page, () => page.getByRole('button', { name: 'Confirm' }).click())
      await check()
      assert.match(await page.locator('h1').innerText(), /You are subscribed/)
      const manage = new URL(
        String(await page.getByRole('link', { name: 'See or change your lists' }).getAttribute('href')),
      )
      await page.goto(manage.pathname)
      await check()
      await page.getByLabel('Training').check()
      await navigation(page, () => page.getByRole('button', { name: 'Save my choices' }).click())
      await check()
      assert.match(await page.locator('main').innerText(), /Your choices are saved/)
      assert.ok(await page.getByLabel('Training').isChecked())
    })

    test('the lead writes, previews and sends a bulletin; the reader unsubscribes and reads it on the web', async () => {
      const lead = await createStaff(env.hub, { roles: ['partnership-lead'], boroughs: 'all' })
      const staffPage = await (await env.newContext({ javaScript })).newPage()
      await staffPage.goto('/staff/sign-in')
      await staffPage.getByLabel('Email address').fill(lead.email)
      await staffPage.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Sign in' }).click())
      await staffPage.goto('/staff/partnership/bulletins')
      await check(staffPage)
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Write a bulletin' }).click())
      await check(staffPage)
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save and preview' }).click())
      await check(staffPage)
      assert.match(await staffPage.locator('.govuk-error-summary').innerText(), /Enter a subject/)
      await staffPage.getByLabel('Subject').fill(subject)
      await staffPage.getByLabel('Text').fill('## Grants\nThe fund opens on Monday: https://example.org/fund')
      await staffPage.getByLabel('Funding').check()
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save and preview' }).click())
      await check(staffPage)
      assert.match(await staffPage.locator('.hub-email-preview').innerText(), /Unsubscribe: http/)
      assert.ok(await staffPage.getByRole('radio', { name: /Subscribers to the list “Funding”/ }).isChecked())
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Send the bulletin' }).click())
      await check(staffPage)
      assert.match(await staffPage.locator('main').innerText(), new RegExp(email.replace('.', '\\.')))

      await page.goto(await emailedPath('partnership-bulletin', email, 'unsubscribeUrl'))
      await check()
      assert.match(await page.locator('h1').innerText(), /Unsubscribe from Funding/)
      await navigation(page, () => page.getByRole('button', { name: 'Unsubscribe' }).click())
      await check()
      assert.match(await page.locator('h1').innerText(), /You are unsubscribed/)

      await page.goto(await emailedPath('partnership-bulletin', email, 'webUrl'))
      await check()
      assert.equal(await page.locator('h1').innerText(), subject)
      assert.equal(await page.getByRole('link', { name: 'https://example.org/fund' }).count(), 1)
    })
  })
}
