/**
 * Approximate centres of the postcode districts (and the sub-districts of W1, SW1, WC1 and WC2) of both
 * boroughs and their neighbours: enough to put the nearest places first without a network lookup.
 * Accurate to a few hundred metres. Another borough adds its districts here.
 */
const CENTROIDS: Record<string, [number, number]> = {
  W1: [51.5155, -0.144],
  W1A: [51.5185, -0.1435],
  W1B: [51.515, -0.141],
  W1C: [51.5145, -0.1495],
  W1D: [51.513, -0.132],
  W1F: [51.513, -0.136],
  W1G: [51.519, -0.147],
  W1H: [51.517, -0.16],
  W1J: [51.507, -0.143],
  W1K: [51.51, -0.15],
  W1S: [51.512, -0.141],
  W1T: [51.52, -0.135],
  W1U: [51.519, -0.154],
  W1W: [51.52, -0.141],
  W2: [51.514, -0.18],
  W3: [51.512, -0.267],
  W4: [51.492, -0.265],
  W5: [51.513, -0.304],
  W6: [51.493, -0.228],
  W7: [51.511, -0.333],
  W8: [51.501, -0.194],
  W9: [51.527, -0.193],
  W10: [51.521, -0.215],
  W11: [51.513, -0.205],
  W12: [51.508, -0.235],
  W13: [51.513, -0.32],
  W14: [51.495, -0.209],
  SW1: [51.496, -0.141],
  SW1A: [51.502, -0.135],
  SW1E: [51.498, -0.14],
  SW1H: [51.499, -0.132],
  SW1P: [51.495, -0.13],
  SW1V: [51.49, -0.138],
  SW1W: [51.493, -0.149],
  SW1X: [51.498, -0.156],
  SW1Y: [51.507, -0.135],
  SW2: [51.448, -0.119],
  SW3: [51.49, -0.168],
  SW4: [51.462, -0.138],
  SW5: [51.49, -0.191],
  SW6: [51.475, -0.201],
  SW7: [51.496, -0.174],
  SW8: [51.476, -0.126],
  SW9: [51.468, -0.113],
  SW10: [51.483, -0.183],
  SW11: [51.465, -0.163],
  SW12: [51.445, -0.153],
  SW13: [51.475, -0.245],
  SW14: [51.465, -0.265],
  SW15: [51.458, -0.222],
  SW16: [51.42, -0.128],
  SW17: [51.428, -0.165],
  SW18: [51.452, -0.195],
  SW19: [51.423, -0.205],
  SW20: [51.41, -0.226],
  NW1: [51.531, -0.143],
  NW2: [51.556, -0.218],
  NW3: [51.552, -0.172],
  NW5: [51.553, -0.142],
  NW6: [51.542, -0.196],
  NW8: [51.532, -0.173],
  NW10: [51.54, -0.248],
  NW11: [51.577, -0.198],
  WC1: [51.522, -0.123],
  WC1A: [51.518, -0.126],
  WC1B: [51.519, -0.126],
  WC1E: [51.521, -0.132],
  WC1H: [51.526, -0.127],
  WC1N: [51.522, -0.12],
  WC1R: [51.52, -0.115],
  WC1V: [51.518, -0.117],
  WC1X: [51.527, -0.115],
  WC2: [51.512, -0.123],
  WC2A: [51.516, -0.114],
  WC2B: [51.515, -0.12],
  WC2E: [51.5115, -0.123],
  WC2H: [51.513, -0.128],
  WC2N: [51.509, -0.125],
  WC2R: [51.511, -0.118],
  EC1: [51.524, -0.1],
  EC4: [51.514, -0.101],
  SE1: [51.501, -0.095],
  SE11: [51.488, -0.111],
}

/** A full postcode (SW5 0BS) or just its district (SW5, w1k), any case and spacing. */
const POSTCODE = /^([A-Z]{1,2}[0-9][0-9A-Z]?)(?:\s*([0-9][A-Z]{2}))?$/

export function normalisePostcode(input: string): string | null {
  const compact = input.toUpperCase().replace(/\s+/g, '')
  const m = POSTCODE.exec(compact)
  if (!m) return null
  return m[2] ? `${m[1]} ${m[2]}` : (m[1] as string)
}

export interface Point {
  latitude: number
  longitude: number
}

/** The centre of the postcode's district, trying the sub-district first (W1K, then W1). */
export function postcodeCentroid(input: string): Point | null {
  const postcode = normalisePostcode(input)
  if (!postcode) return null
  const outward = postcode.split(' ')[0] as string
  const found = CENTROIDS[outward] ?? CENTROIDS[outward.replace(/[A-Z]$/, '')]
  return found ? { latitude: found[0], longitude: found[1] } : null
}

const EARTH_METRES = 6_371_000

/** Great-circle distance in metres. */
export function distanceMetres(a: Point, b: Point): number {
  const rad = Math.PI / 180
  const dLat = (b.latitude - a.latitude) * rad
  const dLng = (b.longitude - a.longitude) * rad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_METRES * Math.asin(Math.sqrt(h))
}

/** Metres per degree of latitude, and of longitude at a latitude: for a flat approximation in SQL. */
export const METRES_PER_DEGREE = 111_320
export function metresPerDegreeLongitude(latitude: number): number {
  return METRES_PER_DEGREE * Math.cos((latitude * Math.PI) / 180)
}
