import type { ServiceOf } from '#platform/module.ts'
import { accountsModule } from './accounts/index.ts'
import { devicesModule } from './devices/index.ts'
import { directoryModule } from './directory/index.ts'
import { homeLibraryModule } from './home-library/index.ts'
import { peopleModule } from './people/index.ts'
import { referralsModule } from './referrals/index.ts'
import { sessionsModule } from './sessions/index.ts'
import { volunteersModule } from './volunteers/index.ts'

/**
 * The registry: the Hub's modules, in the order they are built (a module comes after those it uses).
 * The app, the command line, the migrations, the worker's jobs, demo data and the access walk all read
 * this list. Adding a module is its folder and one line here.
 */
export const MODULES = [
  directoryModule,
  accountsModule,
  peopleModule,
  referralsModule,
  devicesModule,
  sessionsModule,
  homeLibraryModule,
  volunteersModule,
]

/** Each registered module's service by its name, for the command line and the tests. */
export type ModuleServices = { [M in (typeof MODULES)[number] as M['name']]: ServiceOf<M> }

/** The registry's services of an app built from it. */
export function servicesOf(hub: { services: Record<string, unknown> }): ModuleServices {
  return hub.services as ModuleServices
}
