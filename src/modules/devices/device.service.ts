import type { Platform } from '#platform/platform.ts'
import { allocationService } from './allocation.service.ts'
import { type DeviceDeps, deviceCore } from './device.core.ts'
import { figuresService } from './figures.service.ts'
import { intakeService } from './intake.service.ts'
import { returnsService } from './returns.service.ts'
import { stockService } from './stock.service.ts'

export type { DeviceDeps } from './device.core.ts'
export * from './device.inputs.ts'

/**
 * The use cases of the device stock, one service made of its parts: intake, wiping and disposal; the stock
 * and a device's life; allocation and handover; returns and follow-up; figures. Each part is in its own file
 * and shares the core (`device.core.ts`): scope, the conditional move, the directory's live count.
 */
export function deviceService(platform: Platform, deps: DeviceDeps) {
  const core = deviceCore(platform, deps)
  return {
    librariesInScope: core.librariesInScope,
    ...intakeService(core),
    ...stockService(core),
    ...allocationService(core),
    ...returnsService(core),
    ...figuresService(core),
  }
}

export type DeviceService = ReturnType<typeof deviceService>
