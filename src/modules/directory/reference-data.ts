/**
 * The partnership's public libraries, loaded at every start (idempotent, keyed by code).
 * Addresses are the libraries' own; coordinates are approximate, for "nearest first".
 */
export const LIBRARY_SERVICES = [
  {
    code: 'rbkc-libraries',
    borough: 'rbkc',
    name: 'Kensington and Chelsea Libraries',
    description: 'The public library service of the Royal Borough of Kensington and Chelsea.',
    website: 'https://www.rbkc.gov.uk/libraries',
  },
  {
    code: 'wcc-libraries',
    borough: 'wcc',
    name: 'Westminster Libraries',
    description: 'The public library service of Westminster City Council.',
    website: 'https://www.westminster.gov.uk/libraries',
  },
]

export const LIBRARIES = [
  { code: 'brompton', organisation: 'rbkc-libraries', name: 'Brompton Library', address_1: '210 Old Brompton Road', postcode: 'SW5 0BS', latitude: 51.4903, longitude: -0.1872 },
  { code: 'chelsea', organisation: 'rbkc-libraries', name: 'Chelsea Library', address_1: "Chelsea Old Town Hall, King's Road", postcode: 'SW3 5EZ', latitude: 51.4874, longitude: -0.1687 },
  { code: 'kensal', organisation: 'rbkc-libraries', name: 'Kensal Library', address_1: '20 Golborne Road', postcode: 'W10 5PF', latitude: 51.5228, longitude: -0.2067 },
  { code: 'kensington-central', organisation: 'rbkc-libraries', name: 'Kensington Central Library', address_1: '12 Phillimore Walk', postcode: 'W8 7RX', latitude: 51.5013, longitude: -0.1951 },
  { code: 'north-kensington', organisation: 'rbkc-libraries', name: 'North Kensington Library', address_1: '108 Ladbroke Grove', postcode: 'W11 1PZ', latitude: 51.5171, longitude: -0.2104 },
  { code: 'notting-hill-gate', organisation: 'rbkc-libraries', name: 'Notting Hill Gate Library', address_1: '1 Pembridge Square', postcode: 'W2 4EW', latitude: 51.5107, longitude: -0.1955 },
  { code: 'charing-cross', organisation: 'wcc-libraries', name: 'Charing Cross Library', address_1: '4 Charing Cross Road', postcode: 'WC2H 0HF', latitude: 51.5099, longitude: -0.1281 },
  { code: 'church-street', organisation: 'wcc-libraries', name: 'Church Street Library', address_1: 'Church Street', postcode: 'NW8 8EU', latitude: 51.5233, longitude: -0.1693 },
  { code: 'maida-vale', organisation: 'wcc-libraries', name: 'Maida Vale Library', address_1: 'Sutherland Avenue', postcode: 'W9 2QT', latitude: 51.5264, longitude: -0.1924 },
  { code: 'marylebone', organisation: 'wcc-libraries', name: 'Marylebone Library', address_1: 'Council House, 97-113 Marylebone Road', postcode: 'NW1 5PT', latitude: 51.5222, longitude: -0.1625 },
  { code: 'mayfair', organisation: 'wcc-libraries', name: 'Mayfair Library', address_1: '25 South Audley Street', postcode: 'W1K 2PB', latitude: 51.5094, longitude: -0.1528 },
  { code: 'paddington', organisation: 'wcc-libraries', name: 'Paddington Library', address_1: 'Porchester Road', postcode: 'W2 5DU', latitude: 51.5185, longitude: -0.1893 },
  { code: 'pimlico', organisation: 'wcc-libraries', name: 'Pimlico Library', address_1: 'Rampayne Street', postcode: 'SW1V 2PU', latitude: 51.4899, longitude: -0.1337 },
  { code: 'queens-park', organisation: 'wcc-libraries', name: "Queen's Park Library", address_1: '666 Harrow Road', postcode: 'W10 4NE', latitude: 51.5285, longitude: -0.2075 },
  { code: 'st-johns-wood', organisation: 'wcc-libraries', name: "St John's Wood Library", address_1: '20 Circus Road', postcode: 'NW8 6PD', latitude: 51.5326, longitude: -0.1736 },
  { code: 'victoria', organisation: 'wcc-libraries', name: 'Victoria Library', address_1: '160 Buckingham Palace Road', postcode: 'SW1W 9UD', latitude: 51.4929, longitude: -0.1478 },
  { code: 'westminster-reference', organisation: 'wcc-libraries', name: 'Westminster Reference Library', address_1: "35 St Martin's Street", postcode: 'WC2H 7HP', latitude: 51.5096, longitude: -0.1298 },
]
