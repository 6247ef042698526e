/**
 * Public forms carry a `website` field hidden from people (off-screen, aria-hidden, out of the tab
 * order) that form-filling bots complete. A filled one is refused; nobody has to solve a CAPTCHA.
 */
export function honeypotTripped(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false
  const value = (body as Record<string, unknown>).website
  return typeof value === 'string' && value.trim() !== ''
}
