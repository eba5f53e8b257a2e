/**
 * Imported first by main.tsx: zod probes for eval with `Function('')` when its schemas are built, which our
 * CSP refuses (and reports). `jitless` skips the probe; it has to be set before any schema module loads.
 */
import { z } from 'zod'

z.config({ jitless: true })
