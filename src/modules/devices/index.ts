import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { seedDemoDevices } from './demo.ts'
import { deviceMessages } from './device.messages.ts'
import { devicePersonalData } from './device.personal-data.ts'
import { deviceRoutes } from './device.routes.ts'
import { deviceService, type RequestLookup } from './device.service.ts'
import { migration as stock } from './migrations/202612012300_devices_stock.ts'
import { migration as followUp } from './migrations/202612020200_devices_follow_up.ts'
import { migration as stockOrder } from './migrations/202612020500_devices_stock_order.ts'
import { migration as stockNewest } from './migrations/202612020530_devices_stock_newest.ts'
import { migration as allocationsOfDevice } from './migrations/202612020720_devices_allocations_of_device.ts'
import { migration as stockVersion } from './migrations/202612020730_devices_stock_version.ts'
import { migration as remindersDue } from './migrations/202612031200_devices_reminders_due.ts'
import { sendDeviceReminders } from './reminders.ts'

const permissions = {
  'devices.view': {
    description: 'See the device stock, loans and figures of your boroughs',
    roles: ['device-coordinator', 'manager'],
  },
  'devices.manage': {
    description: 'Take in donations and devices, record wipes, allocate, hand over and take back devices',
    roles: ['device-coordinator'],
  },
  'devices.vouchers': {
    description: 'See the voucher codes of SIM cards and data (each look is audited)',
    roles: ['device-coordinator'],
  },
  'devices.lend': {
    description: 'Lend a ready device to a resident and hand it over in one step (Home Library visits)',
    roles: ['device-coordinator', 'home-library-coordinator'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** A device or SIM card is with a resident: a loan began or a gift was given. */
    'devices.handed-over': {
      allocationId: string
      deviceId: string
      personId: string
      /** The referral's request it fulfils, when it came from one. */
      referralNeedId: string | null
      kind: 'loan' | 'gift'
    }
  }
}

/**
 * Devices and connectivity: donated and bought devices, their data wiping, loans and gifts, SIM cards and
 * data. Stock is published to the directory as live capacity, in the transaction that changes it.
 */
export const devicesModule = defineModule({
  name: 'devices',
  folder: 'src/modules/devices',
  permissions,
  migrations: {
    '202612012300_devices_stock': stock,
    '202612020200_devices_follow_up': followUp,
    '202612020500_devices_stock_order': stockOrder,
    '202612020530_devices_stock_newest': stockNewest,
    '202612020720_devices_allocations_of_device': allocationsOfDevice,
    '202612020730_devices_stock_version': stockVersion,
    '202612031200_devices_reminders_due': remindersDue,
  },
  messages: deviceMessages,
  personalData: devicePersonalData,
  events: { publishes: ['devices.handed-over'] },
  uses: ['directory', 'accounts', 'people', 'referrals'],
  create({ platform, events, service }) {
    const devices = deviceService(platform, {
      directory: service<DirectoryService>('directory'),
      people: service<PersonService>('people'),
      referrals: service<RequestLookup>('referrals'),
      events,
    })
    return {
      service: devices,
      staffNav: [{ href: '/staff/devices', text: 'Devices', access: 'devices.view' }],
      routes: (app) => deviceRoutes(app, devices),
      seedDemo: () => seedDemoDevices(platform, devices),
      jobs: [
        {
          // Hourly; each loan and SIM card is reminded once, and each handover followed up once.
          name: 'devices.reminders',
          everyMinutes: 60,
          run: async () => {
            const accounts = service<AccountService>('accounts')
            const people = service<PersonService>('people')
            await sendDeviceReminders(platform, {
              staffEmail: async (id) => (await accounts.loadStaffUser(id))?.email ?? null,
              contact: (personId) => people.contact(personId),
            })
          },
        },
      ],
    }
  },
})

export type DevicesModuleService = ServiceOf<typeof devicesModule>
/** What may go with a device at handover, for modules that lend one (the Home Library). */
export { HANDOVER_ITEMS } from './device.ts'
