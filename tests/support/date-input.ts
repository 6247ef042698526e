import type { Page } from 'playwright-core'

/** Types a date (YYYY-MM-DD) into a GOV.UK date input whose fields are `#<id>-day`, `-month` and `-year`. */
export async function fillDateInput(page: Page, id: string, date: string): Promise<void> {
  const [year = '', month = '', day = ''] = date.split('-')
  await page.locator(`#${id}-day`).fill(String(Number(day)))
  await page.locator(`#${id}-month`).fill(String(Number(month)))
  await page.locator(`#${id}-year`).fill(year)
}
