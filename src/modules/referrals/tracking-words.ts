import { sha256 } from '#platform/hash.ts'

/**
 * Three short words given with a referral's reference, to check it at /track when the resident gave
 * no date of birth or postcode (or does not remember which). They come from the journey's own secret,
 * so the confirmation page can show them again without keeping them; the referral keeps only a hash.
 * 256 words, three of them: one guess in 16 million, on top of the reference and the per-reference limit.
 */
export const TRACKING_WORDS: readonly string[] = [
  'acorn anchor apple apron arrow autumn badge bagel ball banana banjo barn basket beach bean bear bell ',
  'bench berry bike bird biscuit blanket boat bonnet book boot bottle bowl branch bread brick bridge ',
  'brush bucket button cabbage cake camel candle canoe carpet carrot castle cherry chess cloud clover ',
  'coat coconut comet compass cookie copper cotton crayon cricket crown daisy desk diamond dolphin door ',
  'dragon drum duck eagle easel engine fabric feather fence fern ferry fiddle field flag flute forest ',
  'fox frog garden gate ginger glove goat grape guitar hammer harbour hat hazel helmet hill honey horse ',
  'island ivy jacket jam jelly jigsaw jug kettle kite kitten ladder lake lamp lantern leaf lemon letter ',
  'lily lion lobster lock magnet mango maple marble meadow melon mirror mitten monkey moon mountain ',
  'muffin needle nest noodle nut oak ocean olive onion orange otter owl paddle panda paper parcel ',
  'parrot peach pear pebble pencil penguin pepper piano pillow pine pirate planet plum pocket pond ',
  'poppy potato puffin pumpkin puppet quilt rabbit radio raft rainbow raven ribbon river robin rocket ',
  'rope rose saddle sail salmon sandal scarf seal shell ship shoe silver skate sock sofa spoon squirrel ',
  'stamp star stone straw sugar summer swan table teapot tent thimble tiger toast tomato torch tower ',
  'tractor train tree trumpet tulip tunnel turtle umbrella valley vase violin wagon walnut wand whale ',
  'wheel whistle willow window winter wolf wool yacht yoghurt zebra almond bamboo beetle blossom cactus ',
  'canal cedar cocoa dune ember falcon glacier harp heron iris juniper kiwi lagoon lime moth oyster ',
  'pansy pelican prawn',
]
  .join('')
  .split(' ')

/** The three words of a journey, from its secret token: the same every time the page is shown. */
export function trackingWordsFor(journeyToken: string): string {
  const bytes = Buffer.from(sha256(`tracking-words|${journeyToken}`), 'hex')
  return [0, 1, 2].map((i) => TRACKING_WORDS[bytes[i] as number]).join(' ')
}

/** Words as typed: any case, any spaces, commas or hyphens between them. */
export function normaliseTrackingWords(typed: string): string {
  return (typed.toLowerCase().match(/[a-z]+/g) ?? []).join(' ')
}

/** What a referral keeps: the hash of its words, salted with its reference. */
export function trackingWordsHash(reference: string, words: string): string {
  return sha256(`${reference}|${normaliseTrackingWords(words)}`)
}
