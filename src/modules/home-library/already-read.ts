/**
 * "Already read": a title matches another when their titles and authors agree once case, accents,
 * punctuation and a leading "The" are set aside; an author written "Austen, Jane" matches "Jane Austen".
 */

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
}

export function titleKey(title: string): string {
  const w = words(title)
  if (w[0] === 'the' && w.length > 1) w.shift()
  return w.join(' ')
}

export function authorKey(author: string): string {
  return words(author).sort().join(' ')
}

/** The key an item is matched on. */
export function matchKey(title: string, author: string): string {
  return `${titleKey(title)}|${authorKey(author)}`
}
