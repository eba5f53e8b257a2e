/**
 * How a host wires Wi-Fi onboarding into its core: which Wi-Fi adapter (this OS's, or the lab's when a test
 * hands one over with PORCHLIGHT_LAB_WIFI), and where the onboarding journal and the encrypted trust store
 * live (the host's data directory). Shared by the Electron app, the web host and the CLI.
 */
import { join } from 'node:path'
import type { SetupOptions } from '../main/core'
import { createKeyFileSealer, type Sealer } from '../main/pairing/sealer'
import { createTrustStore } from '../main/pairing/trust-store'
import type { TrustPort, WifiChoice } from '../main/provisioning/setup-service'
import type { Clock } from '../main/util/clock'
import type { RunCommand } from '../main/util/exec'
import { createLabWifiFromFile } from '../main/wifi/lab-config'
import { createHostWifi } from '../main/wifi/select'

/** What the wiring needs from the host. */
export interface SetupWiring {
  /** Where the journal and the trust store live; omitted: in memory only, nothing is remembered. */
  dataDir?: string
  /**
   * Seals the trust store (Electron: safeStorage, in `trusted.bin`); default a 0600 key file in `dataDir`
   * sealing `trusted.keyfile.bin` — a separate file, because the CLI cannot open what safeStorage sealed.
   */
  sealer?: { sealer: Sealer; fileName: string }
  platform: NodeJS.Platform
  run: RunCommand
  clock: Clock
  env: NodeJS.ProcessEnv
  log: (message: string) => void
}

/** The core's setup options for this host. */
export function setupOptionsFor(wiring: SetupWiring): SetupOptions {
  const { dataDir } = wiring
  return {
    wifi: () => chooseWifi(wiring),
    ...(dataDir !== undefined && { journalFile: join(dataDir, 'onboarding.json'), trust: trustPort(dataDir, wiring) }),
  }
}

async function chooseWifi(wiring: SetupWiring): Promise<WifiChoice> {
  // The lab's Wi-Fi (docs/lab.md) for tests that run a host inside the lab's app namespace: the file holds
  // lab network passphrases, so it is passed by path and must be 0600 (checked by createLabWifiFromFile).
  const labFile = wiring.env.PORCHLIGHT_LAB_WIFI
  if (labFile) {
    const lab = await createLabWifiFromFile(labFile, { run: wiring.run, clock: wiring.clock })
    if (lab.ok) return { wifi: lab.value }
    wiring.log(`the lab Wi-Fi file could not be used: ${lab.error.message}`)
    return { wifi: undefined, reason: lab.error.message }
  }
  const chosen = await createHostWifi({ platform: wiring.platform, run: wiring.run, clock: wiring.clock })
  return chosen.availability.available ? { wifi: chosen.wifi } : { wifi: undefined, ...(chosen.availability.reason && { reason: chosen.availability.reason }) }
}

function trustPort(dataDir: string, wiring: SetupWiring): TrustPort {
  const store = createTrustStore({
    file: join(dataDir, wiring.sealer?.fileName ?? 'trusted.keyfile.bin'),
    sealer: wiring.sealer?.sealer ?? createKeyFileSealer({ dir: dataDir, platform: wiring.platform }),
    log: wiring.log,
  })
  return {
    async put(record) {
      const saved = await store.put(record)
      // The flow turns a throw into a notice; the message names the problem, never the entry.
      if (!saved.ok) throw new Error(saved.error.message)
    },
    list: () => store.list(),
    remove: (deviceId) => store.remove(deviceId),
  }
}

/** The per-user data directory of the CLI (the Electron app uses its userData, the web host PORCHLIGHT_DATA_DIR). */
export function cliDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.PORCHLIGHT_DATA_DIR) return env.PORCHLIGHT_DATA_DIR
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Porchlight')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Porchlight')
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Porchlight')
}
