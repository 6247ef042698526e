/**
 * The partnership in a real Chromium, as its lead works: adds a partner's contact, drafts a data-sharing
 * agreement (a review date before the start refused, every answer kept), records a meeting with two
 * actions for two partners and closes its minutes, finds the actions among the open ones, and sends the
 * follow-up bulletin to the meeting's attendees. With JavaScript on (axe on every page) and off; the
 * meeting, open actions and bulletin pages at 320 pixels wide without sideways scrolling.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { CTX, lead } from '#modules/partnership/testing.ts'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { fillDateInput } from '#tests/support/date-input.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})

after(async () => {
  await env?.close()
})

/** Nothing on the page is wider than a 320 px screen. */
async function fitsNarrowScreen(page: Page) {
  await page.setViewportSize({ width: 320, height: 640 })
  const wide = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(wide <= 320, `${page.url()} is ${wide}px wide at 320px`)
  await page.setViewportSize({ width: 1024, height: 768 })
}

for (const javaScript of [true, false]) {
  describe(`the partnership's partners, agreements, meetings and actions with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    const tag = javaScript ? 'on' : 'off'
    const first = `Riverside Digital Trust ${tag}`
    const second = `Northside Learning ${tag}`
    const contact = `Jo Contact ${tag}`
    const otherContact = `Lee Other ${tag}`
    let page: Page
    const check = async () => {
      if (javaScript) await expectNoAxeViolations(page)
    }
    const click = (name: string | RegExp) =>
      navigation(page, () => page.getByRole('button', { name, exact: typeof name === 'string' }).click())
    const errorSummary = () => page.locator('.govuk-error-summary').innerText()

    before(async () => {
      const { directory, partnership } = env.hub
      await directory.findOrCreatePartnerOrganisation({ name: first }, CTX)
      const other = await directory.findOrCreatePartnerOrganisation({ name: second }, CTX)
      await partnership.addContact(
        lead(),
        other.id,
        { name: otherContact, role: 'Tutor', email: `lee.${tag}@northside.test`, phone: null },
        CTX,
      )
      const pat = await createStaff(env.hub, { roles: ['partnership-lead'], boroughs: 'all' })
      page = await (await env.newContext({ javaScript })).newPage()
      await page.goto('/staff/sign-in')
      await page.getByLabel('Email address').fill(pat.email)
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
    })

    test('the lead adds a contact to a partner', async () => {
      await page.goto('/staff/partnership')
      await check()
      await navigation(page, () => page.getByRole('link', { name: first }).click())
      await check()
      await click('Add a contact')
      await check()
      assert.match(await errorSummary(), /Enter the contact's full name/)
      await page.getByLabel('Full name').fill(contact)
      await page.getByLabel('Their role').fill('Digital champion')
      await page.getByLabel('Email address (optional)').fill(`jo.${tag}@riverside.test`)
      await click('Add a contact')
      await check()
      assert.match(
        await page.locator('#contacts ~ ul').first().innerText(),
        new RegExp(`${contact}, Digital champion`),
      )
    })

    test('a draft agreement: a review date before its start is refused with every answer kept', async () => {
      await navigation(page, () =>
        page.getByRole('link', { name: 'Record a data-sharing agreement' }).click(),
      )
      await check()
      await page.getByLabel('Name of the agreement').fill(`Device referrals ${tag}`)
      await page.getByLabel('Purpose of the sharing').fill('Sending residents who need a device to the trust')
      await page.getByLabel("Sending them residents' referrals to act on").check()
      await page
        .getByLabel('Parties and their roles')
        .fill('The councils as joint controllers; the trust as controller')
      await page.getByLabel('Name', { exact: true }).check()
      await page.getByLabel('Contact details').check()
      await page.getByLabel('Lawful basis').fill('Public task')
      await page.getByLabel("How individuals' rights are met").fill('Either council answers requests')
      await page.getByLabel('Retention and deletion').fill('Deleted 12 months after the help ends')
      await page.getByLabel('Security').fill('The Hub only')
      await fillDateInput(page, 'startsOn', '2027-04-01')
      await fillDateInput(page, 'reviewOn', '2027-03-01')
      await click('Record the agreement')
      await check()
      assert.match(await errorSummary(), /The review date must be the same as or after the start date/)
      assert.equal(await page.getByLabel('Name of the agreement').inputValue(), `Device referrals ${tag}`)
      assert.ok(await page.getByLabel('Contact details').isChecked())
      assert.equal(await page.locator('#startsOn-day').inputValue(), '1')
      assert.equal(await page.locator('#startsOn-month').inputValue(), '4')
      assert.equal(await page.locator('#startsOn-year').inputValue(), '2027')
      await fillDateInput(page, 'reviewOn', '2028-03-31')
      await click('Record the agreement')
      await check()
      assert.equal(await page.locator('h1').innerText(), `Device referrals ${tag}`)
      assert.match(await page.locator('main').innerText(), /Draft/)
    })

    test('a meeting with two actions for two partners; minutes closed; the actions open; the follow-up to those who came', async () => {
      const meeting = `Partnership meeting ${tag}`
      await page.goto('/staff/partnership/meetings')
      await check()
      await page.getByLabel('Title').fill(meeting)
      await fillDateInput(page, 'heldOn', '2027-05-12')
      await page.getByLabel('Where').fill('Kensington Central Library')
      await page.getByLabel('Agenda').fill('1. Devices\n2. Courses')
      await click('Add meeting')
      await check()
      assert.equal(await page.locator('h1').innerText(), meeting)

      for (const person of [`${contact}, ${first}`, `${otherContact}, ${second}`]) {
        await page.getByLabel('Person', { exact: true }).selectOption({ label: person })
        await click('Add')
      }
      await check()
      assert.match(await page.locator('#attendees').innerText(), new RegExp(`${contact}, ${first}`))

      await page.getByLabel('Decision').fill('Run a device amnesty in June')
      await click('Add the decision')
      const actions: [string, string][] = [
        ['Collect donated laptops', `${contact}, ${first}`],
        ['Run two beginners’ courses', `${otherContact}, ${second}`],
      ]
      await click('Add the action')
      await check()
      assert.match(await errorSummary(), /owner/i)
      for (const [text, owner] of actions) {
        await page.getByLabel('What is to be done').fill(text)
        await page.getByLabel(owner, { exact: true }).check()
        await fillDateInput(page, 'dueOn', '2027-06-30')
        await page.getByLabel('Share this action in the follow-up bulletin').check()
        await click('Add the action')
      }
      await check()
      const listed = await page.locator('#actions').innerText()
      assert.match(listed, new RegExp(`Collect donated laptops[\\s\\S]*${contact} \\(${first}\\)`))
      assert.match(listed, new RegExp(`Run two beginners’ courses[\\s\\S]*${otherContact} \\(${second}\\)`))

      await page.getByLabel('Minutes', { exact: true }).fill('We agreed the amnesty.')
      await click('Save the minutes')
      await fitsNarrowScreen(page)
      await click('Close the minutes')
      await check()
      assert.match(await page.locator('#minutes-section').innerText(), /Minutes closed on/)
      assert.equal(await page.getByRole('button', { name: 'Add the action' }).count(), 0)

      await navigation(page, () => page.getByRole('link', { name: 'Open actions' }).click())
      await check()
      const open = await page.locator('main').innerText()
      for (const name of [first, second]) assert.match(open, new RegExp(name))
      for (const [text] of actions) assert.match(open, new RegExp(text))
      await fitsNarrowScreen(page)

      // The follow-up drafted from the minutes goes, unless the lead says otherwise, to those who came.
      await page.goto('/staff/partnership/bulletins')
      await check()
      await navigation(page, () => page.getByRole('link', { name: new RegExp(meeting) }).click())
      await check()
      assert.ok(await page.getByRole('radio', { name: /The people who attended the meeting/ }).isChecked())
      await fitsNarrowScreen(page)
      await click('Send the bulletin')
      await check()
      const recipients = await page.locator('main').innerText()
      assert.match(recipients, new RegExp(`jo\\.${tag}@riverside\\.test`))
      assert.match(recipients, new RegExp(`lee\\.${tag}@northside\\.test`))
    })
  })
}
