import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { StaffUser } from './access.ts'
import type { ShippedRole } from './compose.ts'
import type { ModuleEvents } from './events.ts'
import type { NavItem } from './http.ts'
import type { PeriodicJob } from './jobs.ts'
import type { MessageTemplate } from './messages.ts'
import type { HubMigration } from './migrate.ts'
import type { PersonalDataRegister } from './personal-data.ts'
import type { Platform } from './platform.ts'

/**
 * A module declares everything it brings in one manifest, its folder's `index.ts`; the registry
 * (`src/modules/index.ts`) lists the manifests and the platform reads them. Adding a module is a new folder
 * and one registry line: no edit anywhere else.
 */
export interface ModuleManifest<Settings = unknown, Service = unknown, Name extends string = string> {
  /** Lower-case words with hyphens; the folder's name, the prefix of its events. */
  name: Name
  /** Where the module lives, relative to APP_ROOT: its `views/` and `locales/` are found there. */
  folder: string
  /** A permission per key, with what it allows and the shipped roles that have it by default. */
  permissions: Record<string, PermissionDeclaration>
  /** Roles the module ships (another module's permissions may be given to them too). */
  roles?: RoleDeclaration[]
  /**
   * Its migrations by name. All modules' migrations run in one order, by name, so a new one is named
   * `YYYYMMDDHHMM_<module>_<what>` from the time it was written. Names that shipped never change.
   */
  migrations: Record<string, HubMigration>
  /** Message templates the outbox can send, by name. */
  messages?: Record<string, MessageTemplate>
  /** Its environment variables: a zod object with defaults and descriptions, checked at start with the rest. */
  settings?: z.ZodObject
  /** Tables whose rows the public directory shows: a change to one moves the directory's version. */
  directoryTables?: string[]
  /** Every table it creates, and what each column holds about a person (see personal-data.ts). */
  personalData: PersonalDataRegister
  /** Events it publishes and listens to (typed in `HubEvents`, delivered inside the same transaction). */
  events?: { publishes?: string[]; listens?: string[] }
  /** Modules whose services it uses; they must come before it in the registry. */
  uses?: string[]
  /** Builds the module once its dependencies are built. */
  create(context: ModuleContext<Settings>): ModuleParts<Service>
}

export interface PermissionDeclaration {
  description: string
  /** Shipped roles that have it by default; a council may change roles in the `roles` table. */
  roles: string[]
}

export interface RoleDeclaration {
  code: string
  name: string
  description: string
}

export interface ModuleContext<Settings> {
  platform: Platform
  /** This module's settings, parsed and checked at start. */
  settings: Settings
  /** Publishing and listening, limited to what the manifest declares. */
  events: ModuleEvents
  /** Another module's service; that module must be in `uses` and come earlier in the registry. */
  service<T>(module: string): T
  /** The shipped roles with the permissions every manifest gives them, for the module that keeps roles. */
  shippedRoles: ShippedRole[]
}

export interface ModuleParts<Service = unknown> {
  /** What other modules may call. */
  service?: Service
  staffNav?: NavItem[]
  routes?(app: FastifyInstance): void
  /** Rows needed on every start (libraries, taxonomy...). Idempotent. */
  loadReferenceData?(): Promise<void>
  /** Fictional data for demonstrations and training (`npm run hub -- seed-demo`); lines saying what is there. */
  seedDemo?(): Promise<string[]> | Promise<void>
  /** Housekeeping and digests, run by the worker. */
  jobs?: PeriodicJob[]
  /** What this person can do in the module and what waits for them there, for the staff home. */
  dashboard?(user: StaffUser): Promise<DashboardItem[]>
  /**
   * Who is signing in with this request, for the one module that keeps accounts. The platform asks it on
   * every request and applies each route's access policy to the answer.
   */
  signedIn?(request: FastifyRequest): Promise<{ user: StaffUser; sessionIdHash: string } | null>
  /** People's names by account id, from the one module that keeps accounts: the audit shows names. */
  userNames?(ids: readonly string[]): Promise<Map<string, string>>
}

/**
 * One line of the staff home. `waiting`: how many things wait for the person (shown when there are some);
 * `can`: something they can do; `access`: how to get or give other roles. Words are locale keys.
 */
export interface DashboardItem {
  section: 'waiting' | 'can' | 'access'
  /** A locale key, given `{ count }` and `params`. */
  text: string
  count?: number
  params?: Record<string, string>
  href?: string
  /** A locale key: one line more about it. */
  hint?: string
}

/** Keeps a manifest's name, settings and service types flowing to `create` and to the registry. */
export function defineModule<const Name extends string, Schema extends z.ZodObject, Service>(
  manifest: Omit<ModuleManifest<unknown, Service, Name>, 'settings' | 'create'> & {
    settings?: Schema
    create(context: ModuleContext<z.infer<Schema>>): ModuleParts<Service>
  },
): ModuleManifest<unknown, Service, Name> {
  return manifest as ModuleManifest<unknown, Service, Name>
}

/** A module's service type, from its manifest: `ServiceOf<typeof referralsModule>`. */
export type ServiceOf<M> = M extends ModuleManifest<unknown, infer S, string> ? S : never
