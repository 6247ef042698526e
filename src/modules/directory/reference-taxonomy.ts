/**
 * The directory's two controlled vocabularies, loaded at every start (upsert by code).
 * Residents see each term's words from the directory's locales/ (findHelp.needs.* and findHelp.features.*);
 * `name` and `description` here are what the Open Referral API publishes.
 */
export interface TermDefinition {
  code: string
  name: string
  description: string
  parent?: string
}

export const NEEDS_TAXONOMY = {
  code: 'hub-digital-inclusion',
  name: 'Digital inclusion needs',
  description: 'The kinds of help with getting online that the partnership and its partners give.',
  version: '1',
}

export const NEEDS: TermDefinition[] = [
  { code: 'devices', name: 'Devices', description: 'Borrow or keep a laptop, tablet or phone.' },
  {
    code: 'connectivity',
    name: 'Getting connected',
    description: 'Free SIM cards, mobile data and Wi-Fi.',
  },
  { code: 'skills', name: 'Digital skills', description: 'Help to learn to use computers and the internet.' },
  {
    code: 'skills-drop-in',
    name: 'Drop-in help',
    description: 'Turn up and get help with a device or something online.',
    parent: 'skills',
  },
  {
    code: 'skills-one-to-one',
    name: 'One-to-one help',
    description: 'Booked time with a digital helper.',
    parent: 'skills',
  },
  {
    code: 'skills-courses',
    name: 'Courses',
    description: 'Courses in digital skills for adults.',
    parent: 'skills',
  },
  {
    code: 'coding',
    name: 'Coding',
    description: 'Clubs where children and young people learn to code.',
    parent: 'skills',
  },
  {
    code: 'accessibility',
    name: 'Accessible technology',
    description: 'Screen readers, magnifiers and other technology for disabled people.',
  },
  {
    code: 'home-library',
    name: 'Help at home',
    description: 'For people who cannot get to a library.',
  },
  {
    code: 'computers',
    name: 'Computers, printing and Wi-Fi',
    description: 'Free public computers, printing, scanning and Wi-Fi.',
  },
  {
    code: 'digital-library',
    name: 'Online library',
    description: 'E-books, audiobooks, newspapers, magazines and research online.',
  },
]

export const FEATURES_TAXONOMY = {
  code: 'hub-access-features',
  name: 'Access features',
  description: 'What a place has that makes it easier to get in and to use.',
  version: '1',
}

export const ACCESS_FEATURES: TermDefinition[] = [
  { code: 'step-free', name: 'Step-free access', description: 'Step-free access to the building.' },
  { code: 'lift', name: 'Lift', description: 'A lift to the public floors.' },
  { code: 'accessible-toilet', name: 'Accessible toilet', description: 'An accessible toilet.' },
  { code: 'changing-places', name: 'Changing Places toilet', description: 'A Changing Places toilet.' },
  { code: 'hearing-loop', name: 'Hearing loop', description: 'A hearing loop at the counter.' },
  {
    code: 'height-adjustable-desks',
    name: 'Height-adjustable desks',
    description: 'Computer desks that go up and down.',
  },
  { code: 'large-print-keyboards', name: 'Large-print keyboards', description: 'Large-print keyboards.' },
  { code: 'screen-readers', name: 'Screen readers', description: 'Screen reader software on computers.' },
  { code: 'magnifiers', name: 'Magnifiers', description: 'Screen magnifiers and video magnifiers.' },
  { code: 'bsl', name: 'British Sign Language', description: 'Staff who use British Sign Language.' },
  { code: 'quiet-space', name: 'Quiet space', description: 'A quiet room or area.' },
  { code: 'seating', name: 'Seating', description: 'Seats near the entrance and the counter.' },
  { code: 'assistance-dogs', name: 'Assistance dogs welcome', description: 'Assistance dogs are welcome.' },
  { code: 'public-computers', name: 'Public computers', description: 'Free computers for the public.' },
  { code: 'free-wifi', name: 'Free Wi-Fi', description: 'Free Wi-Fi.' },
  {
    code: 'printing-scanning',
    name: 'Printing and scanning',
    description: 'Printing, copying and scanning.',
  },
  { code: 'baby-changing', name: 'Baby changing', description: 'Baby changing facilities.' },
]

/** Ways to get a service: a closed list, so pages and filters can rely on it. */
export const HOW_TO_GET = ['drop-in', 'book', 'referral', 'online', 'home-visit'] as const
export type HowToGet = (typeof HOW_TO_GET)[number]

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

/** Languages a service can be offered in (ISO 639-1 codes), in English; the most asked-for in both boroughs. */
export const LANGUAGES: Record<string, string> = {
  en: 'English',
  ar: 'Arabic',
  bn: 'Bengali',
  fa: 'Farsi',
  fr: 'French',
  pl: 'Polish',
  pt: 'Portuguese',
  so: 'Somali',
  es: 'Spanish',
  ti: 'Tigrinya',
  tr: 'Turkish',
  ur: 'Urdu',
  bsl: 'British Sign Language',
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
/** iCalendar BYDAY codes, ISO weekday order. */
export const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
