import path from 'node:path'
import type { z } from 'zod'
import { moduleSettings } from './config.ts'
import { EventBus } from './events.ts'
import { registerTemplates } from './messages.ts'
import type { HubMigration } from './migrate.ts'
import type { ModuleManifest, ModuleParts, PermissionDeclaration, RoleDeclaration } from './module.ts'
import type { PersonalDataTable } from './personal-data.ts'
import { platformManifest } from './platform.manifest.ts'
import type { Platform } from './platform.ts'

/** A role as the `roles` table holds it: the declaration and the permissions every manifest gives it. */
export interface ShippedRole extends RoleDeclaration {
  permissions: string[]
}

/** Everything the platform and the registry's modules declare, merged and checked once at start. */
export interface Composition {
  /** The modules in registry order: the order they are built in. */
  modules: ModuleManifest[]
  migrations: Record<string, HubMigration>
  permissions: Map<string, PermissionDeclaration & { module: string }>
  roles: ShippedRole[]
  settings: z.ZodObject[]
  /** Folders of words, relative to APP_ROOT: the platform's, then each module's. */
  localeFolders: string[]
  /** Folders holding module folders, relative to APP_ROOT, for `<module>/views/<page>.njk` names. */
  viewFolders: string[]
  personalData: Map<string, PersonalDataTable & { module: string }>
  directoryTables: string[]
}

const NAME = /^[a-z][a-z0-9-]*$/

/**
 * Reads the manifests. Anything declared twice or pointing at nothing stops the start with a message
 * that names it: two owners of a permission, a migration, a table or a role; a role that no module ships;
 * a module used before it is built; an event named for another module.
 */
export function composeHub(modules: ModuleManifest[]): Composition {
  const all = [platformManifest, ...modules]
  const names = new Set<string>()
  const migrations: Record<string, HubMigration> = {}
  const permissions = new Map<string, PermissionDeclaration & { module: string }>()
  const declaredRoles = new Map<string, RoleDeclaration>()
  const personalData = new Map<string, PersonalDataTable & { module: string }>()
  const directoryTables: string[] = []

  for (const m of all) {
    if (!NAME.test(m.name)) throw new Error(`Module name ${m.name} must be lower-case words with hyphens`)
    if (names.has(m.name)) throw new Error(`Module ${m.name} is in the registry twice`)
    for (const used of m.uses ?? []) {
      if (!names.has(used)) throw new Error(`Module ${m.name} uses ${used}, which must come before it`)
    }
    names.add(m.name)
    for (const [name, migration] of Object.entries(m.migrations)) {
      if (migrations[name]) throw new Error(`Migration ${name} of ${m.name} has the name of another`)
      migrations[name] = migration
    }
    for (const [name, declaration] of Object.entries(m.permissions)) {
      const owner = permissions.get(name)
      if (owner) throw new Error(`Permission ${name} is declared by ${owner.module} and ${m.name}`)
      permissions.set(name, { ...declaration, module: m.name })
    }
    for (const role of m.roles ?? []) {
      if (declaredRoles.has(role.code)) throw new Error(`Role ${role.code} is declared twice`)
      declaredRoles.set(role.code, role)
    }
    for (const [table, entry] of Object.entries(m.personalData)) {
      const owner = personalData.get(table)
      if (owner) throw new Error(`Table ${table} is claimed by ${owner.module} and ${m.name}`)
      personalData.set(table, { ...entry, module: m.name })
    }
    for (const event of m.events?.publishes ?? []) {
      if (!event.startsWith(`${m.name}.`))
        throw new Error(`Event ${event} of ${m.name} must be named ${m.name}.<what happened>`)
    }
    directoryTables.push(...(m.directoryTables ?? []))
    registerTemplates(m.name, m.messages ?? {})
  }

  // An event of a module in the registry must be one it publishes; one of a module not here yet may wait.
  const published = new Set(all.flatMap((m) => m.events?.publishes ?? []))
  for (const m of all) {
    for (const event of m.events?.listens ?? []) {
      if (names.has(event.split('.')[0] ?? '') && !published.has(event))
        throw new Error(`Module ${m.name} listens to ${event}, which no module publishes`)
    }
  }

  const roles = [...declaredRoles.values()].map((r) => ({ ...r, permissions: [] as string[] }))
  for (const [name, declaration] of permissions) {
    for (const code of declaration.roles) {
      const role = roles.find((r) => r.code === code)
      if (!role) throw new Error(`Permission ${name} is given to role ${code}, which no module ships`)
      role.permissions.push(name)
    }
  }

  return {
    modules,
    migrations,
    permissions,
    roles,
    settings: all.flatMap((m) => (m.settings ? [m.settings] : [])),
    localeFolders: all.map((m) => path.join(m.folder, 'locales')),
    viewFolders: [...new Set(modules.map((m) => path.dirname(m.folder)))],
    personalData,
    directoryTables,
  }
}

/** A module once built: its manifest and what its `create` gave. */
export interface BuiltModule {
  manifest: ModuleManifest
  parts: ModuleParts
}

/**
 * Builds every module in registry order, each with its settings, its view of the event bus and the
 * services of the modules it uses. Nothing is built twice and nothing waits on a module built later.
 */
export function buildModules(platform: Platform, composition: Composition): BuiltModule[] {
  const bus = new EventBus()
  const built: BuiltModule[] = []
  for (const manifest of composition.modules) {
    const uses = new Set(manifest.uses ?? [])
    const parts = manifest.create({
      platform,
      settings: manifest.settings ? moduleSettings(platform.config, manifest.settings) : {},
      events: bus.forModule(manifest.name, manifest.events),
      shippedRoles: composition.roles,
      service<T>(name: string): T {
        const found = built.find((b) => b.manifest.name === name)
        if (!uses.has(name) || !found?.parts.service)
          throw new Error(
            `Module ${manifest.name} asks for the service of ${name}: list it in uses, before it`,
          )
        return found.parts.service as T
      },
    })
    built.push({ manifest, parts })
  }
  return built
}
