import type { HowToGet } from './reference-taxonomy.ts'

/**
 * The digital inclusion services the partnership runs, loaded at every start (upsert by code).
 * Times and places are the partnership's usual pattern; each listing starts with no `assured_date`, so the
 * review list shows it until an editor has checked it against what the library actually does this term.
 */
export interface ServiceDefinition {
  code: string
  organisation: string
  /** null: run by the whole partnership, shown in every borough */
  borough: string | null
  name: string
  description: string
  who_for: string
  eligibility?: string
  cost: string
  how_to_get: HowToGet
  how_to_get_details: string
  minimum_age?: number
  maximum_age?: number
  url?: string
  needs: string[]
  languages: string[]
  /** library codes, or 'all' for every library of the service's borough (all libraries when shared) */
  at: string[] | 'all'
  /** weekday (1 Monday) and times; none means "whenever the place is open" */
  schedule?: { at?: string; weekday: number; opens_at: string; closes_at: string }[]
}

export const PARTNERSHIP_ORGANISATION = {
  code: 'bi-borough-libraries',
  name: 'Kensington and Chelsea and Westminster Libraries',
  description:
    'The libraries of the Royal Borough of Kensington and Chelsea and Westminster City Council, working together on digital inclusion.',
  website: 'https://www.rbkc.gov.uk/libraries',
}

export const SERVICES: ServiceDefinition[] = [
  {
    code: 'it-clinic',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'IT clinic',
    description:
      'Drop in with your phone, tablet or laptop, or use ours. Library staff and volunteers help with email, forms, apps, video calls and staying safe online.',
    who_for: 'Anyone who wants help with a device or with something online.',
    cost: 'Free',
    how_to_get: 'drop-in',
    how_to_get_details: 'Come to the library during the clinic. You do not need to book.',
    needs: ['skills', 'skills-drop-in'],
    languages: ['en'],
    at: ['kensington-central', 'north-kensington', 'chelsea', 'church-street', 'marylebone', 'pimlico'],
    schedule: [
      { at: 'kensington-central', weekday: 2, opens_at: '14:00', closes_at: '16:00' },
      { at: 'north-kensington', weekday: 4, opens_at: '10:00', closes_at: '12:00' },
      { at: 'chelsea', weekday: 3, opens_at: '14:00', closes_at: '16:00' },
      { at: 'church-street', weekday: 1, opens_at: '14:00', closes_at: '16:00' },
      { at: 'marylebone', weekday: 5, opens_at: '10:00', closes_at: '12:00' },
      { at: 'pimlico', weekday: 3, opens_at: '10:30', closes_at: '12:30' },
    ],
  },
  {
    code: 'digital-helper-one-to-one',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'One-to-one help from a digital helper',
    description:
      'An hour with a trained digital helper (a digital ambassador), at your own pace, to learn what you want to do online.',
    who_for: 'Adults who are new to the internet or lack confidence online.',
    cost: 'Free',
    how_to_get: 'book',
    how_to_get_details: 'Book at any library, by phone, or ask someone who supports you to refer you.',
    minimum_age: 18,
    needs: ['skills', 'skills-one-to-one'],
    languages: ['en', 'ar', 'bn', 'so'],
    at: 'all',
  },
  {
    code: 'code-club',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Code Club',
    description: 'A free after-school club where children make games, animations and websites.',
    who_for: 'Children aged 9 to 13.',
    cost: 'Free',
    how_to_get: 'book',
    how_to_get_details: 'Book a place at the library. Places are limited.',
    minimum_age: 9,
    maximum_age: 13,
    needs: ['skills', 'coding'],
    languages: ['en'],
    at: ['kensington-central', 'paddington'],
    schedule: [
      { at: 'kensington-central', weekday: 3, opens_at: '16:00', closes_at: '17:30' },
      { at: 'paddington', weekday: 6, opens_at: '11:00', closes_at: '12:30' },
    ],
  },
  {
    code: 'digital-skills-courses',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Digital skills courses for adults',
    description:
      'Short courses from complete beginner to Essential Digital Skills, run with the councils’ adult learning services.',
    who_for: 'Adults who live, work or study in either borough.',
    eligibility: 'Aged 19 or over. Some courses have a small fee unless you get benefits.',
    cost: 'Free for most learners',
    how_to_get: 'referral',
    how_to_get_details:
      'Ask at any library or be referred by a partner. We will find a course that suits you.',
    minimum_age: 19,
    needs: ['skills', 'skills-courses'],
    languages: ['en'],
    at: [],
  },
  {
    code: 'device-lending',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Borrow or keep a laptop or tablet',
    description:
      'Laptops and tablets, wiped and set up, to borrow for up to 3 months, or to keep if you have no other way to get one.',
    who_for: 'Residents who have no device of their own at home.',
    eligibility: 'You live in one of the boroughs and have no working computer or tablet.',
    cost: 'Free',
    how_to_get: 'referral',
    how_to_get_details: 'Ask at any library, or ask someone who supports you to refer you.',
    needs: ['devices'],
    languages: ['en'],
    at: [],
  },
  {
    code: 'free-sim-cards',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Free SIM cards and mobile data',
    description:
      'A free SIM card with mobile data, calls and texts from the National Databank, for people who cannot afford to get online.',
    who_for: 'People on a low income or who cannot afford mobile data.',
    eligibility: 'Aged 18 or over, on a low income.',
    cost: 'Free',
    how_to_get: 'drop-in',
    how_to_get_details: 'Ask at the library counter. Bring nothing: we do not need proof.',
    minimum_age: 18,
    needs: ['connectivity'],
    languages: ['en'],
    at: 'all',
  },
  {
    code: 'home-library-service',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Home Library Service',
    description:
      'If you cannot get to a library because of illness, disability or caring, we bring books, audiobooks and help with devices to your home.',
    who_for: 'People who cannot get to a library.',
    eligibility: 'You live in one of the boroughs and cannot get to a library on your own.',
    cost: 'Free',
    how_to_get: 'home-visit',
    how_to_get_details: 'Ask for yourself, or someone can ask for you with your agreement.',
    needs: ['home-library'],
    languages: ['en'],
    at: [],
  },
  {
    code: 'public-computers-wifi',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'Public computers, printing and Wi-Fi',
    description: 'Free computers, printing, scanning and Wi-Fi at every library, with staff on hand to help.',
    who_for: 'Everyone. You need a library card to book a computer: joining is free.',
    cost: 'Computers and Wi-Fi are free. Printing has a small charge per page.',
    how_to_get: 'drop-in',
    how_to_get_details: 'Come to any library when it is open.',
    needs: ['computers', 'accessibility'],
    languages: ['en'],
    at: 'all',
  },
  {
    code: 'digital-library',
    organisation: 'bi-borough-libraries',
    borough: null,
    name: 'The digital library',
    description:
      'E-books, audiobooks, newspapers, magazines and research databases, free online with your library card.',
    who_for: 'Library members. Joining is free for anyone who lives, works or studies in London.',
    cost: 'Free',
    how_to_get: 'online',
    how_to_get_details: 'Sign in with your library card number and PIN.',
    url: 'https://www.rbkc.gov.uk/libraries',
    needs: ['digital-library'],
    languages: ['en'],
    at: [],
  },
]

/** The digital library's online resources; `access` says how to get in. */
export const ONLINE_RESOURCES = [
  {
    code: 'libby',
    name: 'Libby',
    description: 'E-books, audiobooks and magazines to read or listen to on your phone, tablet or computer.',
    category: 'ebooks',
    access: 'library-card',
    url: 'https://libbyapp.com',
  },
  {
    code: 'borrowbox',
    name: 'BorrowBox',
    description: 'E-books and audiobooks to borrow.',
    category: 'audiobooks',
    access: 'library-card',
    url: 'https://www.borrowbox.com',
  },
  {
    code: 'pressreader',
    name: 'PressReader',
    description: 'Thousands of newspapers and magazines from the UK and around the world, in many languages.',
    category: 'news',
    access: 'library-card',
    url: 'https://www.pressreader.com',
  },
  {
    code: 'oxford-reference',
    name: 'Oxford Reference',
    description: 'Dictionaries and encyclopaedias on every subject.',
    category: 'research',
    access: 'library-card',
    url: 'https://www.oxfordreference.com',
  },
  {
    code: 'ancestry',
    name: 'Ancestry Library Edition',
    description: 'Family history records.',
    category: 'research',
    access: 'in-library',
    url: 'https://www.ancestrylibrary.com',
  },
  {
    code: 'theory-test-pro',
    name: 'Theory Test Pro',
    description: 'Practise for the driving theory test.',
    category: 'learning',
    access: 'library-card',
    url: 'https://www.theorytestpro.co.uk',
  },
] as const

export const RESOURCE_CATEGORIES = ['ebooks', 'audiobooks', 'news', 'research', 'learning'] as const
export const RESOURCE_ACCESS = ['library-card', 'in-library', 'free'] as const

/** The usual opening pattern of a library until an editor sets its own. */
export const DEFAULT_LIBRARY_HOURS = [1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  opens_at: weekday === 6 ? '10:00' : '09:30',
  closes_at: weekday === 6 ? '17:00' : '19:00',
}))

/** Bank holidays in England (GOV.UK), when the libraries are closed. */
export const BANK_HOLIDAYS = [
  ['2026-01-01', 'New Year’s Day'],
  ['2026-04-03', 'Good Friday'],
  ['2026-04-06', 'Easter Monday'],
  ['2026-05-04', 'Early May bank holiday'],
  ['2026-05-25', 'Spring bank holiday'],
  ['2026-08-31', 'Summer bank holiday'],
  ['2026-12-25', 'Christmas Day'],
  ['2026-12-28', 'Boxing Day (substitute day)'],
  ['2027-01-01', 'New Year’s Day'],
  ['2027-03-26', 'Good Friday'],
  ['2027-03-29', 'Easter Monday'],
  ['2027-05-03', 'Early May bank holiday'],
  ['2027-05-31', 'Spring bank holiday'],
  ['2027-08-30', 'Summer bank holiday'],
  ['2027-12-27', 'Christmas Day (substitute day)'],
  ['2027-12-28', 'Boxing Day (substitute day)'],
] as const

/** Every library has these (the partnership's promise on the home page). */
export const EVERY_LIBRARY_FEATURES = ['public-computers', 'free-wifi', 'printing-scanning']
