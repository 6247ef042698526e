import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, type BrowserContext, chromium, type Page, type Response } from 'playwright-core'
import { type TestHub, testHub } from './hub.ts'

/** Debian's Chromium; `npm test` installs it (scripts/test-deps.sh). */
export const CHROMIUM = '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The WCAG levels the Hub promises (DESIGN.md: WCAG 2.2 AA). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

const AXE_TIMEOUT_MS = 30_000

export interface BrowserHub {
  /** The real Hub, on its own fresh SQLite database, listening on a free loopback port. */
  hub: TestHub
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  browser: Browser
  /** Requests a page tried to make to any other origin (blocked; the Hub must need none). */
  foreignRequests: string[]
  /** A new browser profile with JavaScript on or off. Only the Hub's own origin is reachable. */
  newContext(opts: { javaScript: boolean }): Promise<BrowserContext>
  close(): Promise<void>
}

/** Contexts made with JavaScript off: axe cannot run in them (it hangs), so it refuses to try. */
const withoutJavaScript = new WeakSet<BrowserContext>()

/**
 * Starts the real Hub (the same buildApp as `npm start`) on a fresh SQLite database, listening on
 * 127.0.0.1, and launches Chromium. One per test file: contexts are cheap, browsers are not.
 */
export async function startBrowserHub(overrides: Record<string, string> = {}): Promise<BrowserHub> {
  const hub = await testHub('sqlite', overrides)
  let browser: Browser | undefined
  try {
    await hub.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = hub.app.server.address() as AddressInfo
    const baseUrl = `http://127.0.0.1:${port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    const launched = browser
    const foreignRequests: string[] = []

    return {
      hub,
      baseUrl,
      browser: launched,
      foreignRequests,
      async newContext({ javaScript }) {
        const context = await launched.newContext({ javaScriptEnabled: javaScript, baseURL: baseUrl })
        if (!javaScript) withoutJavaScript.add(context)
        // A page on loopback that takes longer than this is a failure, not a reason to wait.
        context.setDefaultTimeout(10_000)
        // No network but the Hub: anything else is recorded and refused.
        await context.route(
          (url) => url.origin !== baseUrl && url.protocol !== 'data:',
          (route) => {
            foreignRequests.push(route.request().url())
            return route.abort('blockedbyclient')
          },
        )
        return context
      },
      async close() {
        await launched.close()
        await hub.close()
      },
    }
  } catch (error) {
    await browser?.close()
    await hub.close()
    throw error
  }
}

/** Whether the context of this page was made with JavaScript off (by `newContext` above). */
export function javaScriptOff(page: Page): boolean {
  return withoutJavaScript.has(page.context())
}

/**
 * Runs axe on the page as it is now and fails with one readable line per problem and element.
 * Needs a context with JavaScript on: axe hangs when it is off.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  if (javaScriptOff(page)) {
    throw new Error('axe cannot run with JavaScript off: scan in a context made with { javaScript: true }')
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`axe did not finish within ${AXE_TIMEOUT_MS / 1000}s on ${page.url()}`)),
      AXE_TIMEOUT_MS,
    )
  })
  try {
    // Legacy mode runs axe in the page itself. The default mode opens a blank page on every scan to
    // merge the results of frames, which makes each scan about twice as slow; the Hub has no frames.
    const axe = new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true)
    const results = await Promise.race([axe.analyze(), timeout])
    // A scan that checked nothing (a wrong tag, an empty page) must not pass for a clean one.
    if (!results.passes.length) throw new Error(`axe checked no rules on ${page.url()}`)
    if (results.violations.length) {
      throw new Error(
        `axe found accessibility problems on ${page.url()}:\n${formatViolations(results.violations)}`,
      )
    }
  } finally {
    clearTimeout(timer)
  }
}

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number]

export function formatViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${n.target.join(' ')}  ${n.html.slice(0, 160)}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`,
        )
        .join('\n')
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`
    })
    .join('\n')
}

/**
 * Does something that loads a new page (a click, a key press) and answers with the final response:
 * after a post/redirect/get, the page the browser landed on, not the 303.
 */
export async function navigation(page: Page, act: () => Promise<unknown>): Promise<Response> {
  const landed = page.waitForResponse(
    (r) =>
      r.request().isNavigationRequest() &&
      r.frame() === page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400),
  )
  // The response comes before the new page replaces the old one; wait for that too.
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() })
  await act()
  const [response] = await Promise.all([landed, committed])
  await page.waitForLoadState('load')
  return response
}

/** The element that has the keyboard focus, described for assertions: tag, id, classes and text. */
export async function focused(
  page: Page,
): Promise<{ tag: string; id: string; className: string; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      className: typeof el?.className === 'string' ? el.className : '',
      text: (el?.textContent ?? '').trim(),
    }
  })
}
