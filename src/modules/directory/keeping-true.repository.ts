import type { Executor } from '#platform/database.ts'
import type { DirectoryProblemTable } from './directory.tables.ts'

/** SQL for reviews of listings and for problems the public report. */
export const keepingTrueRepository = {
  /** Services and places not checked since `before` (or never), and not reminded since `remindedBefore`. */
  async dueForReminder(db: Executor, before: string, remindedBefore: string) {
    const [services, places] = await Promise.all([
      db
        .selectFrom('services')
        .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
        .select([
          'services.id',
          'services.name',
          'services.owner_email',
          'organisations.email as organisation_email',
        ])
        .where('services.status', '!=', 'defunct')
        .where((eb) =>
          eb.or([eb('services.assured_date', 'is', null), eb('services.assured_date', '<', before)]),
        )
        .where((eb) =>
          eb.or([
            eb('services.review_reminded_at', 'is', null),
            eb('services.review_reminded_at', '<', remindedBefore),
          ]),
        )
        .orderBy('services.name')
        .execute(),
      db
        .selectFrom('locations')
        .innerJoin('organisations', 'organisations.id', 'locations.organisation_id')
        .select([
          'locations.id',
          'locations.name',
          'locations.email as owner_email',
          'organisations.email as organisation_email',
        ])
        .where((eb) =>
          eb.or([eb('locations.assured_date', 'is', null), eb('locations.assured_date', '<', before)]),
        )
        .where((eb) =>
          eb.or([
            eb('locations.review_reminded_at', 'is', null),
            eb('locations.review_reminded_at', '<', remindedBefore),
          ]),
        )
        .orderBy('locations.name')
        .execute(),
    ])
    return { services, places }
  },

  markReminded(db: Executor, table: 'services' | 'locations', ids: string[], at: string) {
    if (!ids.length) return Promise.resolve()
    return db.updateTable(table).set({ review_reminded_at: at }).where('id', 'in', ids).execute()
  },

  insertProblem(db: Executor, row: DirectoryProblemTable) {
    return db.insertInto('directory_problems').values(row).execute()
  },

  openProblems(db: Executor) {
    return db
      .selectFrom('directory_problems')
      .leftJoin('services', (j) =>
        j
          .onRef('services.id', '=', 'directory_problems.record_id')
          .on('directory_problems.record_type', '=', 'service'),
      )
      .leftJoin('locations', (j) =>
        j
          .onRef('locations.id', '=', 'directory_problems.record_id')
          .on('directory_problems.record_type', '=', 'location'),
      )
      .select([
        'directory_problems.id',
        'directory_problems.record_type',
        'directory_problems.record_id',
        'directory_problems.details',
        'directory_problems.created_at',
        'services.name as service_name',
        'services.borough_id as service_borough_id',
        'locations.name as place_name',
        'locations.borough_id as place_borough_id',
      ])
      .where('directory_problems.resolved_at', 'is', null)
      .orderBy('directory_problems.created_at')
      .limit(500)
      .execute()
  },

  findProblem(db: Executor, id: string) {
    return db.selectFrom('directory_problems').selectAll().where('id', '=', id).executeTakeFirst()
  },

  resolveProblem(db: Executor, id: string, at: string) {
    return db.updateTable('directory_problems').set({ resolved_at: at }).where('id', '=', id).execute()
  },
}
