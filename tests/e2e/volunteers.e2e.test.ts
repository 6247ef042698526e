/**
 * Volunteers in a real Chromium against the real Hub: someone applies at /volunteer one question a page;
 * the coordinator finds them on the board, moves them on and records their DBS check; a volunteer takes
 * a shift on a phone-sized screen, where a lapsed check shows its reason instead of a button; a volunteer
 * adds hours they gave (a day over 24 hours refused, answers kept) and the coordinator approves them. Once with
 * JavaScript on (axe scans every page) and once with it off (everything still works).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { activeVolunteer, CTX, staffIn } from '#modules/volunteers/testing.ts'
import { addDays, londonToday } from '#platform/london.ts'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { fillDateInput } from '#tests/support/date-input.ts'
import { boroughId, createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})
after(async () => {
  await env?.close()
})

async function signIn(page: Page, email: string) {
  await page.goto('/staff/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
}

for (const javaScript of [true, false]) {
  describe(`volunteers with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    const applicant = javaScript ? 'Saoirse Scripted' : 'Saoirse Plain'
    const check = async (page: Page) => {
      if (javaScript) await expectNoAxeViolations(page)
    }

    test('someone applies, one question a page, and sees what happens next', async () => {
      const page = await (await env.newContext({ javaScript })).newPage()
      await page.goto('/volunteer')
      await check(page)
      await navigation(page, () => page.getByRole('button', { name: 'Start now' }).click())
      const next = () => navigation(page, () => page.getByRole('button', { name: 'Continue' }).click())
      await check(page)
      await next()
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your name/)
      await check(page)
      await page.getByLabel('Full name').fill(applicant)
      await next()
      await page.getByLabel('Email address').fill('saoirse@example.com')
      await page.getByLabel('Phone number').fill('07700 900 321')
      await check(page)
      await next()
      await page.locator('#slots').check()
      await check(page)
      await next()
      await page.getByLabel('Which languages do you speak?').fill('English, Irish')
      await next()
      await page
        .getByLabel('What skills and experience could you bring?')
        .fill('Patient with new computer users')
      await next()
      await page.locator('#libraries').check()
      await check(page)
      await next()
      await page.getByLabel('Who could give you a reference?').fill('Ann Smith 07700 900111')
      await next()
      await page.getByLabel('A DBS check').check()
      await check(page)
      await next()
      assert.match(await page.locator('main').innerText(), new RegExp(applicant))
      await check(page)
      await navigation(page, () => page.getByRole('button', { name: 'Send my application' }).click())
      assert.match(await page.locator('h1').innerText(), /Application sent/)
      await check(page)
    })

    test('the coordinator moves the application on and records the check', async () => {
      const coordinator = await createStaff(env.hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const page = await (await env.newContext({ javaScript })).newPage()
      await signIn(page, coordinator.email)
      await page.goto('/staff/volunteers')
      await check(page)
      await navigation(page, () => page.getByRole('link', { name: applicant }).click())
      await check(page)
      await page.getByLabel('Contacted').check()
      await navigation(page, () => page.getByRole('button', { name: 'Move', exact: true }).click())
      assert.match(await page.locator('main').innerText(), /Contacted, .* by /)
      await navigation(page, () => page.getByRole('link', { name: 'DBS check and references' }).click())
      await check(page)
      await page.getByLabel('Enhanced').check()
      await page.locator('#barredList').check()
      await page.getByLabel('Certificate number').fill('001234567890')
      await fillDateInput(page, 'issuedOn', '2026-01-10')
      await page.locator('#updateService-2').check()
      await fillDateInput(page, 'renewsOn', addDays(londonToday(), 700))
      await page.getByLabel('References received').fill('2')
      await navigation(page, () => page.getByRole('button', { name: 'Save' }).click())
      assert.equal(await page.locator('[data-check-state]').getAttribute('data-check-state'), 'in-date')
      await check(page)
    })

    test('a volunteer takes a shift on a phone; a lapsed check shows its reason', async () => {
      const { hub } = env
      const rbkc = await boroughId(hub, 'rbkc')
      const tag = javaScript ? 'on' : 'off'
      const ready = await activeVolunteer(hub, 'rbkc', `Phone Ready ${tag}`, {
        renewsOn: addDays(londonToday(), 400),
      })
      const lapsed = await activeVolunteer(hub, 'rbkc', `Phone Lapsed ${tag}`, {
        renewsOn: addDays(londonToday(), 1),
      })
      await hub.volunteers.rota.createShift(
        staffIn([rbkc]),
        {
          borough: rbkc,
          title: `Tablet clinic ${tag}`,
          place: 'Chelsea Library',
          date: addDays(londonToday(), 6),
          start: '10:00',
          end: '12:00',
          places: 3,
          checkNeeded: 'basic',
          courses: [],
        },
        CTX,
      )
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await page.setViewportSize({ width: 320, height: 640 })
      await signIn(page, lapsed.account.email)
      await page.goto('/staff/volunteering')
      assert.match(await page.locator('main').innerText(), /The DBS check will have lapsed by then/)
      await check(page)
      await page.context().clearCookies()
      await signIn(page, ready.account.email)
      await page.goto('/staff/volunteering')
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(wide <= 320, `the page is ${wide}px wide at 320px`)
      await navigation(page, () =>
        page.getByRole('button', { name: new RegExp(`Take this shift: Tablet clinic ${tag}`) }).click(),
      )
      assert.match(await page.locator('#mine + ul').innerText(), new RegExp(`Tablet clinic ${tag}`))
      await check(page)
    })

    test('a volunteer adds hours they gave; a day over 24 hours is refused; the coordinator approves them', async () => {
      const { hub } = env
      const tag = javaScript ? 'on' : 'off'
      const helper = await activeVolunteer(hub, 'rbkc', `Hours Helper ${tag}`, {
        renewsOn: addDays(londonToday(), 400),
      })
      const coordinator = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const context = await env.newContext({ javaScript })
      const page = await context.newPage()
      await signIn(page, helper.account.email)
      await page.goto('/staff/volunteering')
      const day = addDays(londonToday(), -2)
      await fillDateInput(page, 'hours-workedOn', day)
      await page.getByLabel('Hours', { exact: true }).fill('25')
      await page.getByLabel('Where').fill('Chelsea Library')
      await page.getByLabel('What you did').fill(`Helped at the tablet drop-in ${tag}`)
      await navigation(page, () => page.getByRole('button', { name: 'Add hours' }).click())
      assert.match(
        await page.locator('.govuk-error-summary').innerText(),
        /A day cannot have more than 24 hours/,
      )
      assert.equal(await page.getByLabel('What you did').inputValue(), `Helped at the tablet drop-in ${tag}`)
      await check(page)
      await page.getByLabel('Hours', { exact: true }).fill('2.5')
      await navigation(page, () => page.getByRole('button', { name: 'Add hours' }).click())
      assert.match(
        await page.locator('main').innerText(),
        /2\.5 hours, Helped at the tablet drop-in .* Waiting for approval/,
      )

      await page.context().clearCookies()
      await signIn(page, coordinator.email)
      await page.goto('/staff/volunteers/hours')
      await check(page)
      await navigation(page, () =>
        page.getByRole('button', { name: new RegExp(`Approve Hours Helper ${tag}'s hours`) }).click(),
      )
      await page.context().clearCookies()
      await signIn(page, helper.account.email)
      await page.goto('/staff/volunteering')
      assert.match(await page.locator('main').innerText(), /Helped at the tablet drop-in .* Approved/)
    })
  })
}
