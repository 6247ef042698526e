/**
 * The platform's journeys in a real Chromium against the real Hub: public pages, sign-in, the
 * administrator's user pages and sign-out, each run with JavaScript on and with it off. With it on,
 * axe scans every page the journey lands on (axe cannot run with JavaScript off).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  type BrowserHub,
  expectNoAxeViolations,
  focused,
  javaScriptOff,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

const SERVICE_NAME = 'Digital Inclusion Hub'
const PARTNERSHIP_NAME = 'Kensington and Chelsea and Westminster Libraries'
const NEW_PASSWORD = 'lantern-orchard-velvet-42'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})

after(async () => {
  await env?.close()
})

/** The GOV.UK error summary as the page shows it: each message and the field it links to. */
async function errorSummary(page: Page): Promise<{ text: string; href: string }[]> {
  const links = page.locator('.govuk-error-summary .govuk-error-summary__list a')
  return links.evaluateAll((as) =>
    as.map((a) => ({ text: (a.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' })),
  )
}

/** The summary lists exactly these errors, each link leads to a field, and each field shows its message. */
async function expectErrors(page: Page, expected: [text: string, field: string][]): Promise<void> {
  assert.equal(await page.locator('.govuk-error-summary__title').innerText(), 'There is a problem')
  assert.deepEqual(
    await errorSummary(page),
    expected.map(([text, field]) => ({ text, href: `#${field}` })),
  )
  assert.match(await page.title(), /^Error: /)
  for (const [text, field] of expected) {
    const target = page.locator(`#${field}`)
    assert.equal(await target.count(), 1, `the summary links to #${field}, which is on the page`)
    assert.equal(await target.evaluate((el) => el.tagName), 'INPUT', `#${field} is a form field`)
    const message = await page.locator(`#${field}-error`).innerText()
    assert.equal(message.replace(/^Error:\s*/, ''), text, `#${field} shows its own message`)
  }
}

/** Tab, Enter on the skip link: the keyboard lands in the main content, past the header. */
async function expectSkipLinkWorks(page: Page, javaScript: boolean): Promise<void> {
  await page.keyboard.press('Tab')
  const first = await focused(page)
  assert.match(first.className, /govuk-skip-link/, 'the first Tab stop is the skip link')
  assert.equal(first.text, 'Skip to main content')
  await page.keyboard.press('Enter')
  // The fragment's navigation is reported after the key press returns, later on a busy machine.
  await page.waitForURL((url) => url.hash === '#main-content', { timeout: 5000 })
  if (javaScript) assert.equal((await focused(page)).id, 'main-content', 'focus moved to <main>')
  await page.keyboard.press('Tab')
  // The next Tab stop is inside <main> or after it, never back in the header.
  const position = await page.evaluate(() => {
    const main = document.getElementById('main-content')
    const el = document.activeElement
    return main && el && el !== document.body ? main.compareDocumentPosition(el) : 0
  })
  const CONTAINED_BY = 16
  const FOLLOWING = 4
  assert.ok(
    position & (CONTAINED_BY | FOLLOWING),
    `after the skip link, Tab went to ${JSON.stringify(await focused(page))}`,
  )
}

async function h1(page: Page): Promise<string> {
  return page.locator('h1').innerText()
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  return navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
}

async function openUserFromList(page: Page, name: string, scan: (on?: Page) => Promise<void>) {
  const users = await navigation(page, () =>
    page.locator('.govuk-service-navigation').getByRole('link', { name: 'Users' }).click(),
  )
  assert.equal(users.status(), 200)
  await scan(page)
  const opened = await navigation(page, () => page.getByRole('link', { name, exact: true }).click())
  assert.equal(opened.status(), 200)
  assert.equal(await h1(page), name)
  await scan(page)
}

function summaryValue(page: Page, key: string) {
  return page.locator('.govuk-summary-list__row', { hasText: key }).locator('.govuk-summary-list__value')
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'on' : 'off'

  describe(`with JavaScript ${mode}`, () => {
    let context: BrowserContext
    let page: Page
    let admin: { id: string; email: string }
    let colleague: { id: string; email: string }
    /** The colleague's own browser, signed in with the keyboard; the administrator disables them later. */
    let colleagueContext: BrowserContext
    const adminName = `Ada Admin ${mode}`
    const colleagueName = `Kim Keyboard ${mode}`
    const inviteeName = `Ivy Invitee ${mode}`
    const inviteeEmail = `ivy.${mode}@hub.test`
    let inviteeId = ''
    const scriptErrors: string[] = []
    /** With JavaScript on, axe scans the page; off, it cannot, and the journey is checked on its own. */
    const scan = (on: Page = page) => (javaScript ? expectNoAxeViolations(on) : Promise.resolve())

    before(async () => {
      admin = await createStaff(env.hub, { roles: ['administrator'], boroughs: 'all', name: adminName })
      colleague = await createStaff(env.hub, {
        roles: ['triage-officer'],
        boroughs: ['wcc'],
        name: colleagueName,
      })
      context = await env.newContext({ javaScript })
      colleagueContext = await env.newContext({ javaScript })
      page = await context.newPage()
      for (const c of [context, colleagueContext]) {
        c.on('weberror', (error) => scriptErrors.push(`${error.page()?.url()}: ${error.error().message}`))
        c.on('console', (message) => {
          // A 400 or 404 page is logged as a failed load; that is the page under test, not a fault.
          if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
            scriptErrors.push(`${message.page()?.url()}: ${message.text()}`)
        })
      }
    })

    after(async () => {
      await colleagueContext?.close()
      await context?.close()
    })

    test(`JavaScript is really ${mode}`, async () => {
      assert.equal(javaScriptOff(page), !javaScript)
      await page.goto('/staff/sign-in')
      // The layout's inline script adds these classes; govuk-frontend's script shows the password toggle.
      const bodyClasses = ((await page.locator('body').getAttribute('class')) ?? '').split(/\s+/)
      assert.equal(bodyClasses.includes('js-enabled'), javaScript)
      assert.equal(bodyClasses.includes('govuk-frontend-supported'), javaScript)
      const toggle = page.locator('.govuk-password-input__toggle')
      assert.equal(await toggle.count(), 1, 'the Show button is in the HTML')
      assert.equal(await toggle.isVisible(), javaScript, 'the Show button appears only with JavaScript')
      if (javaScript) {
        // With JavaScript on, the Show button works.
        const password = page.getByLabel('Password', { exact: true })
        assert.equal(await password.getAttribute('type'), 'password')
        await toggle.click()
        assert.equal(await password.getAttribute('type'), 'text')
        await toggle.click()
      }
    })

    test('home page: what help there is, the libraries of both boroughs, the brand', async () => {
      const response = await page.goto('/')
      assert.equal(response?.status(), 200)
      assert.equal(await page.locator('html').getAttribute('lang'), 'en')
      assert.equal(await page.locator('html').getAttribute('dir'), 'ltr')
      assert.equal(await page.title(), `Get help to use the internet – ${SERVICE_NAME}`)
      assert.equal(await h1(page), 'Get help to use the internet')
      const main = page.locator('main')
      for (const borough of ['Kensington and Chelsea', 'Westminster']) {
        assert.equal(await main.getByRole('heading', { level: 3, name: borough }).count(), 1, borough)
      }
      for (const library of ['Kensington Central Library', 'Brompton Library', 'Marylebone Library']) {
        assert.equal(await main.getByText(library, { exact: true }).count(), 1, library)
      }
      // The partnership's brand: its name and the service name in the header, no crown, Arial.
      const header = page.locator('header')
      assert.equal(await header.locator('.govuk-generic-header__logo').innerText(), PARTNERSHIP_NAME)
      assert.equal(await header.locator('.govuk-service-navigation__service-name').innerText(), SERVICE_NAME)
      assert.equal(await page.locator('header svg, header img, footer svg').count(), 0, 'no crown, no logo')
      for (const selector of ['h1', 'main p', '.govuk-service-navigation__service-name', 'footer a']) {
        const font = await page
          .locator(selector)
          .first()
          .evaluate((el) => getComputedStyle(el).fontFamily)
        assert.match(font, /^arial, sans-serif$/i, `${selector} is in Arial`)
      }
      assert.equal(await page.evaluate(() => document.fonts.size), 0, 'no web fonts (no GDS Transport)')
      const footer = page.locator('footer')
      assert.deepEqual(await footer.getByRole('link').allInnerTexts(), [
        'Accessibility statement',
        'Privacy notice',
        'Cookies',
      ])
      assert.doesNotMatch(await footer.innerText(), /Crown copyright/i)
      assert.match(await footer.innerText(), new RegExp(`Run by ${PARTNERSHIP_NAME}`))
      await scan()
      await expectSkipLinkWorks(page, javaScript)
    })

    test('the footer pages: accessibility statement, privacy notice, cookies', async () => {
      const pages: [link: string, path: string, heading: string][] = [
        ['Accessibility statement', '/accessibility', 'Accessibility statement'],
        ['Privacy notice', '/privacy', 'Privacy notice'],
        ['Cookies', '/cookies', 'Cookies'],
      ]
      for (const [link, path, heading] of pages) {
        await page.goto('/')
        const response = await navigation(page, () =>
          page.locator('footer').getByRole('link', { name: link }).click(),
        )
        assert.equal(response.status(), 200, path)
        assert.equal(new URL(page.url()).pathname, path)
        assert.equal(await h1(page), heading)
        assert.equal(await page.title(), `${heading} – ${SERVICE_NAME}`)
        await scan()
      }
      // Essential cookies only, so the cookies page lists them and there is no banner.
      assert.equal(await page.locator('main [data-cookie]').getByText('hub_lang', { exact: true }).count(), 1)
      assert.equal(await page.locator('.govuk-cookie-banner').count(), 0)
    })

    test('a page that does not exist: plain 404 page', async () => {
      const response = await page.goto('/no-such-page')
      assert.equal(response?.status(), 404)
      assert.equal(await h1(page), 'Page not found')
      assert.equal(await page.locator('main').getByRole('link').count(), 1, 'a way back home')
      await scan()
      await expectSkipLinkWorks(page, javaScript)
    })

    test('signed out, a staff page sends you to sign in', async () => {
      await page.goto('/staff/users')
      assert.equal(new URL(page.url()).pathname, '/staff/sign-in')
      assert.equal(await h1(page), 'Sign in')
      await scan()
    })

    test('sign in with a wrong password: error summary, the email kept, the password not', async () => {
      await page.goto('/staff/sign-in')
      const response = await signIn(page, admin.email, 'not-the-right-password')
      assert.equal(response.status(), 400)
      assert.equal(new URL(page.url()).pathname, '/staff/sign-in')
      await expectErrors(page, [['The email address or password is not right', 'email']])
      assert.equal(await page.getByLabel('Email address').inputValue(), admin.email)
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '')
      if (javaScript) {
        assert.match((await focused(page)).className, /govuk-error-summary/, 'the summary takes the focus')
      }
      await page.locator('.govuk-error-summary__list a').first().click()
      assert.equal((await focused(page)).id, 'email', 'the link puts the cursor in the field')
      // Without JavaScript the browser follows the link; with it, govuk-frontend moves the focus itself.
      if (!javaScript) await page.waitForURL((url) => url.hash === '#email', { timeout: 5000 })
      await scan()

      // An empty form: one message per field.
      await page.getByLabel('Email address').fill('')
      const empty = await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
      assert.equal(empty.status(), 400)
      await expectErrors(page, [
        ['Enter your email address', 'email'],
        ['Enter your password', 'password'],
      ])
      await scan()
    })

    test('sign in with the keyboard only: Tab to the fields, type, Enter', async () => {
      const own = await colleagueContext.newPage()
      await own.goto('/staff/sign-in')
      const stops: string[] = []
      for (let i = 0; i < 20 && (await focused(own)).id !== 'email'; i++) {
        await own.keyboard.press('Tab')
        const f = await focused(own)
        stops.push(`${f.tag}#${f.id}.${f.className}`)
      }
      assert.equal(
        (await focused(own)).id,
        'email',
        `Tab never reached the email field: ${stops.join(' > ')}`,
      )
      await own.keyboard.type(colleague.email)
      await own.keyboard.press('Tab')
      assert.equal((await focused(own)).id, 'password')
      await own.keyboard.type(TEST_PASSWORD)
      const response = await navigation(own, () => own.keyboard.press('Enter'))
      assert.equal(response.status(), 200)
      assert.equal(new URL(own.url()).pathname, '/staff')
      assert.equal(await h1(own), `Hello, ${colleagueName}`)
      await scan(own)
      // A triage officer has no administrator pages.
      assert.equal(await own.getByRole('link', { name: 'Users' }).count(), 0)
      const forbidden = await own.goto('/staff/users')
      assert.equal(forbidden?.status(), 403)
      assert.equal(await h1(own), 'You cannot see this page')
      await scan(own)
      await own.close()
    })

    test('sign in with the right password reaches the staff home page', async () => {
      await page.goto('/staff/sign-in')
      const response = await signIn(page, admin.email, TEST_PASSWORD)
      assert.equal(response.status(), 200)
      assert.equal(new URL(page.url()).pathname, '/staff')
      assert.equal(await h1(page), `Hello, ${adminName}`)
      const nav = page.locator('.govuk-service-navigation')
      assert.equal(await nav.locator('.govuk-service-navigation__service-name').innerText(), SERVICE_NAME)
      for (const item of ['Users', 'Outbox', 'Audit', 'Your account']) {
        assert.equal(await nav.getByRole('link', { name: item }).count(), 1, item)
      }
      await scan()
      // Signed in, the sign-in page sends you on to the staff home page.
      await page.goto('/staff/sign-in')
      assert.equal(new URL(page.url()).pathname, '/staff')
    })

    test('users: the list, then invite a user (errors first)', async () => {
      const list = await navigation(page, () =>
        page.locator('.govuk-service-navigation').getByRole('link', { name: 'Users' }).click(),
      )
      assert.equal(list.status(), 200)
      assert.equal(await h1(page), 'Users')
      const rows = page.locator('main table tbody tr')
      const adminRow = rows.filter({ hasText: admin.email })
      assert.equal(await adminRow.count(), 1)
      assert.match(await adminRow.innerText(), /Administrator\s+Every borough\s+Active/)
      const colleagueRow = rows.filter({ hasText: colleague.email })
      assert.match(await colleagueRow.innerText(), /Triage officer\s+Westminster City Council\s+Active/)
      await scan()

      const form = await navigation(page, () => page.getByRole('button', { name: 'Invite a user' }).click())
      assert.equal(form.status(), 200)
      assert.equal(new URL(page.url()).pathname, '/staff/users/new')
      assert.equal(await h1(page), 'Invite a user')
      await scan()

      // Nothing filled in: one message per question, each linked to its field.
      const empty = await navigation(page, () =>
        page.getByRole('button', { name: 'Send invitation' }).click(),
      )
      assert.equal(empty.status(), 400)
      await expectErrors(page, [
        ['Enter their full name', 'name'],
        ['Enter an email address', 'email'],
        ['Select at least one role', 'roles'],
        ['Select at least one borough', 'boroughs'],
      ])
      await page.locator('.govuk-error-summary__list a', { hasText: 'Select at least one role' }).click()
      assert.equal((await focused(page)).id, 'roles', 'the link goes to the first role')
      await scan()

      // Partly right: what was typed and ticked is kept.
      await page.getByLabel('Full name').fill(inviteeName)
      await page.getByLabel('Work email address').fill('not an email')
      await page.getByLabel('Triage officer').check()
      const partly = await navigation(page, () =>
        page.getByRole('button', { name: 'Send invitation' }).click(),
      )
      assert.equal(partly.status(), 400)
      await expectErrors(page, [
        ['Enter an email address in the correct format, like name@example.com', 'email'],
        ['Select at least one borough', 'boroughs'],
      ])
      assert.equal(await page.getByLabel('Full name').inputValue(), inviteeName)
      assert.equal(await page.getByLabel('Work email address').inputValue(), 'not an email')
      assert.equal(await page.getByLabel('Triage officer').isChecked(), true)
      await scan()

      await page.getByLabel('Work email address').fill(inviteeEmail)
      await page.getByLabel('Westminster City Council').check()
      const sent = await navigation(page, () => page.getByRole('button', { name: 'Send invitation' }).click())
      assert.equal(sent.status(), 200)
      assert.match(new URL(page.url()).pathname, /^\/staff\/users\/[0-9a-f-]{36}$/)
      inviteeId = new URL(page.url()).pathname.split('/').pop() ?? ''
      assert.equal(await h1(page), inviteeName)
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        new RegExp(`Invitation sent to ${inviteeEmail}`),
      )
      assert.equal(await summaryValue(page, 'Status').innerText(), 'Invited, no password yet')
      await scan()

      // The invitation went to the outbox, addressed to them.
      const { rows: messages } = await env.hub.platform.outbox.list({ scope: null, limit: 100, offset: 0 })
      assert.ok(messages.some((m) => m.recipient === inviteeEmail && m.template === 'account-invite'))

      // The same email again is refused on the field.
      await page.goto('/staff/users/new')
      await page.getByLabel('Full name').fill(inviteeName)
      await page.getByLabel('Work email address').fill(inviteeEmail)
      await page.getByLabel('Manager').check()
      await page.getByLabel('Westminster City Council').check()
      const twice = await navigation(page, () =>
        page.getByRole('button', { name: 'Send invitation' }).click(),
      )
      assert.equal(twice.status(), 400)
      await expectErrors(page, [['There is already an account with this email address', 'email']])
      await scan()
    })

    test('users: open the invited user and change their roles and boroughs', async () => {
      await openUserFromList(page, inviteeName, scan)
      assert.equal(await page.getByLabel('Triage officer').isChecked(), true)
      assert.equal(await page.getByLabel('Westminster City Council').isChecked(), true)
      assert.equal(await page.getByLabel('Royal Borough of Kensington and Chelsea').isChecked(), false)

      // No borough at all is refused, and the ticks are kept.
      await page.getByLabel('Westminster City Council').uncheck()
      await page.getByLabel('Manager').check()
      const refused = await navigation(page, () => page.getByRole('button', { name: 'Save access' }).click())
      assert.equal(refused.status(), 400)
      await expectErrors(page, [['Select at least one borough', 'boroughs']])
      assert.equal(await page.getByLabel('Manager').isChecked(), true)
      await scan()

      await page.getByLabel('Triage officer').uncheck()
      await page.getByLabel('Royal Borough of Kensington and Chelsea').check()
      await page.getByLabel('Westminster City Council').check()
      const saved = await navigation(page, () => page.getByRole('button', { name: 'Save access' }).click())
      assert.equal(saved.status(), 200)
      assert.equal(new URL(page.url()).search, '?saved=access')
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /Roles, boroughs and organisation saved/,
      )
      assert.equal(await page.getByLabel('Manager').isChecked(), true)
      assert.equal(await page.getByLabel('Triage officer').isChecked(), false)
      assert.equal(await page.getByLabel('Royal Borough of Kensington and Chelsea').isChecked(), true)
      assert.equal(await page.getByLabel('Westminster City Council').isChecked(), true)
      await scan()

      await page.goto('/staff/users')
      await scan()
      const row = page.locator('main table tbody tr', { hasText: inviteeEmail })
      assert.match(
        await row.innerText(),
        /Manager\s+(Royal Borough of Kensington and Chelsea, Westminster City Council|Westminster City Council, Royal Borough of Kensington and Chelsea)\s+Invited/,
      )
    })

    test('outbox and audit: the invitation waits to be sent, the audit shows what was done', async () => {
      const nav = page.locator('.govuk-service-navigation')
      const outbox = await navigation(page, () => nav.getByRole('link', { name: 'Outbox' }).click())
      assert.equal(outbox.status(), 200)
      assert.equal(await h1(page), 'Outbox')
      // No worker runs in tests, so the invitation (the newest message) is still pending. The list names
      // no one; the message's own page shows the recipient, with the one-time link masked.
      // Each message by its subject with every personal value as "…", and its channel, in words.
      const invitation = 'You have been invited to …'
      const row = page.locator('main table tbody tr', { hasText: invitation }).first()
      assert.match(await row.innerText(), /Email[\s\S]*Pending/)
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(inviteeEmail))
      assert.doesNotMatch(await page.locator('main').innerText(), /account-invite/)
      await scan()
      const message = await navigation(page, () => row.getByRole('link', { name: invitation }).click())
      assert.equal(message.status(), 200)
      const text = await page.locator('main').innerText()
      assert.match(text, new RegExp(`To\\s+${inviteeEmail}\\s+Sent by\\s+Email`))
      assert.match(text, /hidden: sent to the recipient only/)
      assert.doesNotMatch(text, /\/staff\/invite\//)
      await scan()

      const audit = await navigation(page, () => nav.getByRole('link', { name: 'Audit' }).click())
      assert.equal(audit.status(), 200)
      assert.equal(await h1(page), 'Audit')
      await scan()
      await page.getByLabel('Record id').fill(inviteeId)
      const found = await navigation(page, () => page.getByRole('button', { name: 'Search' }).click())
      assert.equal(found.status(), 200)
      // Who by name and what in words, not account ids and action codes.
      const actions = await page.locator('main table tbody tr td:nth-child(3)').allInnerTexts()
      assert.ok(actions.includes('Invited someone'), `audit rows: ${actions.join(', ')}`)
      assert.ok(actions.includes('Changed someone’s roles or boroughs'), `audit rows: ${actions.join(', ')}`)
      const who = await page.locator('main table tbody tr td:nth-child(2)').allInnerTexts()
      assert.ok(who.includes(adminName), `audit rows: ${who.join(', ')}`)
      // The audit holds identifiers, never the person's details.
      assert.doesNotMatch(await page.locator('main table').innerText(), new RegExp(inviteeEmail))
      await scan()

      // Dates are asked as day, month and year (the GOV.UK date input), and kept when wrong.
      await page.fill('#from-day', '3')
      await page.fill('#from-month', '13')
      await page.fill('#from-year', '2026')
      const wrong = await navigation(page, () => page.getByRole('button', { name: 'Search' }).click())
      assert.equal(wrong.status(), 400)
      assert.deepEqual(await errorSummary(page), [
        { text: 'Enter the from date as a real date, like 27 3 2026', href: '#from-day' },
      ])
      assert.match(await page.locator('#from-error').innerText(), /Enter the from date as a real date/)
      assert.equal(await page.locator('#from-month').inputValue(), '13')
      await scan()
    })

    test('users: disable a signed-in colleague (signed out at once), then enable them again', async () => {
      const theirs = await colleagueContext.newPage()
      await theirs.goto('/staff')
      assert.equal(new URL(theirs.url()).pathname, '/staff', 'the colleague is signed in')

      await openUserFromList(page, colleagueName, scan)
      assert.equal(await summaryValue(page, 'Status').innerText(), 'Active')
      const disabled = await navigation(page, () =>
        page.getByRole('button', { name: 'Disable account' }).click(),
      )
      assert.equal(disabled.status(), 200)
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /Account disabled. They have been signed out./,
      )
      assert.match(await summaryValue(page, 'Status').innerText(), /^Disabled since /)
      await scan()

      await theirs.reload()
      assert.equal(new URL(theirs.url()).pathname, '/staff/sign-in', 'their session ended at once')
      await scan(theirs)
      const refused = await signIn(theirs, colleague.email, TEST_PASSWORD)
      assert.equal(refused.status(), 400, 'a disabled account cannot sign in')
      await expectErrors(theirs, [['The email address or password is not right', 'email']])
      await scan(theirs)

      await page.goto('/staff/users')
      assert.match(
        await page.locator('main table tbody tr', { hasText: colleague.email }).innerText(),
        /Disabled/,
      )
      await scan()

      await openUserFromList(page, colleagueName, scan)
      const enabled = await navigation(page, () =>
        page.getByRole('button', { name: 'Enable account' }).click(),
      )
      assert.equal(enabled.status(), 200)
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Account enabled/)
      assert.equal(await summaryValue(page, 'Status').innerText(), 'Active')
      await scan()

      await theirs.goto('/staff/sign-in')
      const back = await signIn(theirs, colleague.email, TEST_PASSWORD)
      assert.equal(back.status(), 200)
      assert.equal(new URL(theirs.url()).pathname, '/staff')
      await scan(theirs)
      await theirs.close()
    })

    test('change password: the errors, then a new password', async () => {
      const form = await navigation(page, () =>
        page.locator('.govuk-service-navigation').getByRole('link', { name: 'Your account' }).click(),
      )
      assert.equal(form.status(), 200)
      assert.equal(await h1(page), 'Change your password')
      await scan()

      const submit = () =>
        navigation(page, () => page.getByRole('button', { name: 'Change password' }).click())
      const fill = async (current: string, next: string, confirm: string) => {
        await page.getByLabel('Current password').fill(current)
        await page.getByLabel('New password').fill(next)
        await page.getByLabel('Type it again').fill(confirm)
      }

      assert.equal((await submit()).status(), 400)
      await expectErrors(page, [
        ['Enter your current password', 'current'],
        ['Enter a new password', 'next'],
        ['Enter the new password again', 'confirm'],
      ])
      await scan()

      await fill(TEST_PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}x`)
      assert.equal((await submit()).status(), 400)
      await expectErrors(page, [['The passwords do not match', 'confirm']])
      // Passwords are never sent back to the browser.
      assert.equal(await page.getByLabel('Current password').inputValue(), '')
      assert.equal(await page.getByLabel('New password').inputValue(), '')
      await scan()

      await fill('not-my-password-at-all', NEW_PASSWORD, NEW_PASSWORD)
      assert.equal((await submit()).status(), 400)
      await expectErrors(page, [['Your current password is not right', 'current']])
      await scan()

      await fill(TEST_PASSWORD, 'short', 'short')
      assert.equal((await submit()).status(), 400)
      await expectErrors(page, [['Password must be 12 characters or more', 'next']])

      await fill(TEST_PASSWORD, 'password1234', 'password1234')
      assert.equal((await submit()).status(), 400)
      await expectErrors(page, [
        ['Choose a password that is harder to guess: this one is on a list of common passwords', 'next'],
      ])
      await scan()

      await fill(TEST_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
      const changed = await submit()
      assert.equal(changed.status(), 200)
      assert.equal(new URL(page.url()).pathname, '/staff')
      assert.match(
        await page.locator('.govuk-notification-banner').innerText(),
        /Your password has been changed/,
      )
      await scan()
    })

    test('sign out ends the session; the new password works, the old one does not', async () => {
      await page.goto('/staff')
      const out = await navigation(page, () => page.getByRole('button', { name: 'Sign out' }).click())
      assert.equal(out.status(), 200)
      assert.equal(new URL(page.url()).pathname, '/staff/signed-out')
      assert.equal(await h1(page), 'You have signed out')
      await scan()

      await page.goto('/staff/users')
      assert.equal(new URL(page.url()).pathname, '/staff/sign-in', 'signed out means signed out')
      await scan()

      assert.equal((await signIn(page, admin.email, TEST_PASSWORD)).status(), 400)
      await scan()
      assert.equal((await signIn(page, admin.email, NEW_PASSWORD)).status(), 200)
      assert.equal(new URL(page.url()).pathname, '/staff')
      await scan()
    })

    test('no script errors and no content security policy violations on any page', () => {
      assert.deepEqual(scriptErrors, [])
    })
  })
}

test('the axe check fails on a page with a real problem, and refuses a context without JavaScript', async () => {
  const on = await env.newContext({ javaScript: true })
  const off = await env.newContext({ javaScript: false })
  try {
    const page = await on.newPage()
    await page.goto('/')
    // An unlabelled field and an image with no text alternative, as a careless template might add.
    await page.evaluate(() => {
      const main = document.querySelector('main')
      main?.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="data:,">')
    })
    await assert.rejects(expectNoAxeViolations(page), (error: Error) => {
      assert.match(error.message, /axe found accessibility problems on http:\/\/127\.0\.0\.1:\d+\//)
      assert.match(error.message, /\] image-alt: /)
      assert.match(error.message, /\] label: /)
      assert.match(error.message, /- input {2}<input type="text" name="x">/)
      return true
    })
    const noScript = await off.newPage()
    await noScript.goto('/')
    await assert.rejects(expectNoAxeViolations(noScript), /axe cannot run with JavaScript off/)
  } finally {
    await on.close()
    await off.close()
  }
})

test('no page asked for anything from another origin', () => {
  assert.deepEqual(env.foreignRequests, [])
})
