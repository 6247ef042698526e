/**
 * Reads rows for many ids a few hundred at a time and joins them in order: both databases limit the
 * parameters of one statement (SQLite to 32,766 here, PostgreSQL to 65,535).
 */
export async function readInBatches<T>(
  ids: readonly string[],
  read: (batch: readonly string[]) => Promise<T[]>,
  size = 500,
): Promise<T[]> {
  const rows: T[] = []
  for (let i = 0; i < ids.length; i += size) rows.push(...(await read(ids.slice(i, i + size))))
  return rows
}
