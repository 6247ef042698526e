import type { HubMigration } from '#platform/migrate.ts'
import { migration as m0001 } from './0001_platform.ts'
import { migration as m0002 } from './0002_accounts.ts'
import { migration as m0003 } from './0003_directory.ts'
import { migration as m0004 } from './0004_directory_services.ts'
import { migration as m0010 } from './0010_people.ts'
import { migration as m0011 } from './0011_referrals.ts'
import { migration as m0012 } from './0012_referral_queue_indexes.ts'
import { migration as m0013 } from './0013_user_organisation.ts'
import { migration as m0014 } from './0014_referral_queue_needs.ts'
import { migration as m0015 } from './0015_partial_indexes.ts'
import { migration as m0020 } from './0020_directory_version.ts'
import { migration as m0035 } from './0035_outbox_borough.ts'
import { migration as m0036 } from './0036_import_per_borough.ts'
import { migration as m0037 } from './0037_audit_key.ts'

/** Every migration, in order. Names sort as they run; never rename or edit one that has shipped. */
export const migrations: Record<string, HubMigration> = {
  '0001_platform': m0001,
  '0002_accounts': m0002,
  '0003_directory': m0003,
  '0004_directory_services': m0004,
  '0010_people': m0010,
  '0011_referrals': m0011,
  '0012_referral_queue_indexes': m0012,
  '0013_user_organisation': m0013,
  '0014_referral_queue_needs': m0014,
  '0015_partial_indexes': m0015,
  '0020_directory_version': m0020,
  '0035_outbox_borough': m0035,
  '0036_import_per_borough': m0036,
  '0037_audit_key': m0037,
}
