/**
 * Whether a parsed JSON value nests deeper than `max` arrays and objects. Iterative, so a hostile body
 * cannot overflow the stack here; anything this answers false for is safe to hash or stringify.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (typeof v !== 'object' || v === null) continue
    if (depth >= max) return true
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}
