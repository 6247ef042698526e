/**
 * Digital help sessions in a real Chromium: a resident books a place, another joins the waiting list, the
 * first cancels with the reference, the second takes the offered place; a volunteer coordinator books
 * someone in by phone, takes the register and the learner's skills check. With JavaScript on (axe scans every page) and off.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import type { StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub
const CTX = { userId: null, actor: 'test', ip: null, requestId: null }

before(async () => {
  env = await startBrowserHub()
})

after(async () => {
  await env?.close()
})

/** No sideways scrolling: nothing reaches past the viewport's right edge. */
const fits = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

async function oneSession(title: string): Promise<string> {
  const boroughs = await env.hub.sessions.boroughs()
  const rbkc = boroughs.find((b) => b.code === 'rbkc')?.id as string
  const library = (await env.hub.directory.listLibraries()).find((l) => l.borough_id === rbkc)?.id as string
  const manager: StaffUser = {
    id: newId(),
    name: 'Set-up',
    email: 'setup@example.org',
    roles: [],
    permissions: new Set(['sessions.view', 'sessions.manage']),
    boroughs: 'all',
  }
  const start = `${new Date().getUTCFullYear() + 1}-02-02`
  const id = await env.hub.sessions.createSession(
    manager,
    {
      boroughId: rbkc,
      kind: 'drop-in',
      title,
      description: 'Help with phones, tablets and laptops',
      venue: 'place',
      locationId: library,
      serviceCode: null,
      onlineLink: null,
      language: 'English',
      whatToBring: 'Your phone',
      capacity: 1,
      facilitators: [],
      rule: { start, startTime: '10:00', endTime: '12:00', byDay: ['TU'], count: 2, exdates: [] },
    },
    CTX,
  )
  const { occurrences } = await env.hub.sessions.staffSession(manager, id)
  return occurrences[0]?.id as string
}

for (const javaScript of [true, false]) {
  describe(`sessions with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    const title = `Phone help ${javaScript ? 'A' : 'B'}`
    let dateId: string
    let page: Page
    let waitingReference: string

    before(async () => {
      dateId = await oneSession(title)
      page = await (await env.newContext({ javaScript })).newPage()
    })

    const check = async () => {
      if (javaScript) await expectNoAxeViolations(page)
    }

    async function book(name: string, email: string): Promise<string> {
      await page.goto('/sessions')
      await check()
      await navigation(page, () => page.getByRole('link', { name: title }).first().click())
      await check()
      await navigation(page, () =>
        page.getByRole('button', { name: /Book a place|Join the waiting list/ }).click(),
      )
      await check()
      await page.getByLabel('Your name').fill(name)
      await page.getByLabel('Email', { exact: true }).check()
      await page.getByLabel('Email address').fill(email)
      await page.getByLabel('It is safe to send reminders').check()
      await navigation(page, () => page.getByRole('button', { name: 'Book', exact: true }).click())
      await check()
      return (await page.locator('.govuk-panel strong').innerText()).trim()
    }

    async function findBooking(reference: string, contact: string) {
      await page.goto('/sessions/booking')
      await check()
      await page.getByLabel('Booking reference').fill(reference)
      await page.getByLabel('The email address or phone number you gave').fill(contact)
      await navigation(page, () => page.getByRole('button', { name: 'Find my booking' }).click())
      await check()
    }

    test('book, join the waiting list, cancel, and take the offered place', async () => {
      const first = await book('Ana Resident', 'ana@example.org')
      assert.match(first, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
      assert.match(await page.locator('h1, .govuk-panel__title').first().innerText(), /Booking confirmed/)
      const second = await book('Ben Resident', 'ben@example.org')
      waitingReference = second
      assert.match(await page.locator('.govuk-panel__title').innerText(), /You are on the waiting list/)

      await findBooking(first, 'ana@example.org')
      await navigation(page, () => page.getByRole('button', { name: 'Cancel this booking' }).click())
      await check()
      assert.match(await page.locator('.govuk-panel__title').innerText(), /Your booking is cancelled/)

      await findBooking(second, 'BEN@example.org')
      assert.match(await page.locator('main').innerText(), /Place offered/)
      await navigation(page, () => page.getByRole('button', { name: 'Take the place' }).click())
      await check()
      assert.match(await page.locator('.govuk-panel__title').innerText(), /The place is yours/)
    })

    test('a volunteer coordinator books someone in by phone and takes the register', async () => {
      const staff = await createStaff(env.hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const staffPage = await (await env.newContext({ javaScript })).newPage()
      const checkStaff = async () => {
        if (javaScript) await expectNoAxeViolations(staffPage)
      }
      await staffPage.goto('/staff/sign-in')
      await staffPage.getByLabel('Email address').fill(staff.email)
      await staffPage.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Sign in' }).click())
      await staffPage.goto('/staff/sessions')
      await checkStaff()
      await navigation(staffPage, () => staffPage.getByRole('link', { name: title }).click())
      await checkStaff()
      const second = staffPage.locator('a[href^="/staff/sessions/dates/"]').nth(1)
      await navigation(staffPage, () => second.click())
      await checkStaff()
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Book someone in' }).click())
      await checkStaff()
      await staffPage.getByLabel('Your name').fill('Cy Caller')
      await staffPage.getByLabel('Phone', { exact: true }).check()
      await staffPage.getByLabel('Phone number').fill('07700 900123')
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Book them in' }).click())
      await checkStaff()
      await staffPage
        .getByRole('group', { name: /Cy Caller/ })
        .getByLabel('Attended')
        .check()
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save' }).first().click())
      await checkStaff()
      assert.match(await staffPage.locator('main').innerText(), /Register saved/)
      assert.ok(dateId)

      // The learner's baseline skills check, on a phone-sized screen: thirteen questions, then their progress.
      await staffPage.setViewportSize({ width: 320, height: 800 })
      await navigation(staffPage, () => staffPage.locator('a[href$="/skills"]').click())
      await checkStaff()
      assert.ok(await fits(staffPage), 'the skills check fits 320 px')
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save skills check' }).click())
      await checkStaff()
      assert.match(
        await staffPage.locator('.govuk-error-summary').innerText(),
        /Select how well they can do this/,
      )
      const withHelp = staffPage.getByLabel('I can do this with help')
      for (let i = 0; i < (await withHelp.count()); i++) await withHelp.nth(i).check()
      await staffPage
        .getByRole('group', { name: 'Transacting' })
        .getByLabel('I can do this on my own')
        .check()
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save skills check' }).click())
      await checkStaff()
      assert.match(await staffPage.locator('h1').innerText(), /Cy Caller/)
      assert.match(await staffPage.locator('main').innerText(), /Skills check saved/)
      assert.ok(await fits(staffPage), 'the progress page fits 320 px')
    })

    test('a coordinator sees the week, changes a date for a reason, and a resident moves their booking to it', async () => {
      const staff = await createStaff(env.hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const staffPage = await (await env.newContext({ javaScript })).newPage()
      const checkStaff = async () => {
        if (javaScript) await expectNoAxeViolations(staffPage)
      }
      await staffPage.setViewportSize({ width: 320, height: 800 })
      await staffPage.goto('/staff/sign-in')
      await staffPage.getByLabel('Email address').fill(staff.email)
      await staffPage.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Sign in' }).click())

      // The week of the second date at its library, on a phone.
      await staffPage.goto('/staff/sessions')
      await navigation(staffPage, () => staffPage.getByRole('link', { name: 'Week at a library' }).click())
      await checkStaff()
      assert.ok(await fits(staffPage), 'the week fits 320 px')
      await staffPage.goto(`/staff/sessions/week?week=${new Date().getUTCFullYear() + 1}-02-09`)
      await checkStaff()
      assert.match(
        await staffPage.locator('main').innerText(),
        new RegExp(`${title}\\s+1 of 1 places booked · 0 waiting`),
      )
      await navigation(staffPage, () =>
        staffPage.getByRole('link', { name: `10am to 12pm: ${title}` }).click(),
      )
      await checkStaff()

      await navigation(staffPage, () =>
        staffPage.getByRole('button', { name: 'Change or cancel this date' }).click(),
      )
      await checkStaff()
      assert.ok(await fits(staffPage), 'the change page fits 320 px')
      await staffPage.getByLabel('Places at each date').fill('2')
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save change' }).click())
      await checkStaff()
      assert.match(await staffPage.locator('.govuk-error-summary').innerText(), /Say why it is changing/)
      assert.equal(await staffPage.getByLabel('Places at each date').inputValue(), '2', 'the answer is kept')
      await staffPage.getByLabel('Why it is changing').fill('A second volunteer is free')
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Save change' }).click())
      await checkStaff()
      assert.match(await staffPage.locator('main').innerText(), /Change saved/)
      assert.match(await staffPage.locator('main').innerText(), /Changed because: A second volunteer is free/)

      await navigation(staffPage, () => staffPage.getByRole('link', { name: 'Back' }).click())
      await navigation(staffPage, () => staffPage.getByRole('button', { name: 'Change this series' }).click())
      await checkStaff()
      assert.ok(await fits(staffPage), 'the series page fits 320 px')
      assert.match(await staffPage.locator('main').innerText(), /A second volunteer is free/)

      // The resident booked on the first date moves to the second, which now has a place.
      await findBooking(waitingReference, 'ben@example.org')
      await navigation(page, () => page.getByRole('button', { name: 'Change to another date' }).click())
      await check()
      await navigation(page, () => page.getByRole('button', { name: 'Change my booking' }).click())
      await check()
      assert.match(
        await page.locator('.govuk-error-summary').innerText(),
        /Choose another date of this session/,
      )
      await page.getByLabel(/Tuesday 9 February/).check()
      await navigation(page, () => page.getByRole('button', { name: 'Change my booking' }).click())
      await check()
      assert.match(await page.locator('.govuk-panel__title').innerText(), /Your booking is changed/)
      assert.match(await page.locator('main').innerText(), /Tuesday 9 February/)
    })
  })
}
