import type { Platform } from '#platform/platform.ts'
import type { DeviceService } from './device.service.ts'

export async function seedDemoDevices(_platform: Platform, _devices: DeviceService): Promise<void> {}
