import { registerTemplates } from './messages.ts'

/** Two message templates for the platform's own tests, which run without any module. */
export function registerTestTemplates(): void {
  registerTemplates('platform tests', {
    'test-invite': (p) => ({
      subject: `You have been invited to ${p.serviceName}`,
      body: `Hello ${p.name},\n\nChoose your password at:\n\n${p.link}`,
    }),
    'test-notice': (p) => ({ subject: `A notice from ${p.serviceName}`, body: `Hello ${p.name}.` }),
  })
}
