/**
 * Watches a page for what untrusted network data must never cause (a dialog, an uncaught error, a request
 * for an injected `src`, a new global, a CSP violation), and for the `discovery:changed` messages that reach
 * it over the web host's WebSocket, so a test can say what arrived while it measured.
 */
import type { BrowserContext, Page } from '@playwright/test'

/** Symbol.for key of the probe's store: a symbol is not an own property *name*, so it never shows as a global. */
const PROBE_KEY = 'plx-e2e-page-probe'

/** Runs in the page before any of its scripts: records the window's own property names and CSP violations. */
function installProbe(key: string): void {
  const store = { names: Object.getOwnPropertyNames(window), violations: [] as string[] }
  ;(window as unknown as Record<symbol, unknown>)[Symbol.for(key)] = store
  document.addEventListener('securitypolicyviolation', (e) =>
    store.violations.push(`${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`))
}

/** Runs in the page: globals added since the probe was installed, and the CSP violations seen. */
function readProbe(key: string): PageProbe {
  const store = (window as unknown as Record<symbol, { names: string[]; violations: string[] } | undefined>)[Symbol.for(key)]
  if (!store) return { addedGlobals: [], violations: ['the probe was not installed'] }
  const before = new Set(store.names)
  return { addedGlobals: Object.getOwnPropertyNames(window).filter((n) => !before.has(n)), violations: [...store.violations] }
}

/** What the probe found in one page. */
export interface PageProbe {
  addedGlobals: string[]
  /** "directive blockedURI at source:line:column". */
  violations: string[]
}

/** Installs the globals/CSP probe in every page of `context` (call before opening pages). */
export async function installPageProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript(installProbe, PROBE_KEY)
}

/** Reads the probe of a page opened after {@link installPageProbe}. */
export function readPageProbe(page: Page): Promise<PageProbe> {
  return page.evaluate(readProbe, PROBE_KEY)
}

/** Collects dialogs (dismissed), uncaught errors and requests whose path ends in `/<src>`; returns the live list. */
export function watchForHarm(page: Page, injectedSrc: string): string[] {
  const harm: string[] = []
  page.on('dialog', (dialog) => {
    harm.push(`dialog ${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss().catch(() => undefined)
  })
  page.on('pageerror', (error) => harm.push(`uncaught: ${error.message}`))
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith(`/${injectedSrc}`)) harm.push(`request for the injected src: ${request.url()}`)
  })
  return harm
}

/** `discovery:changed` traffic in a time window. */
export interface ChangeTraffic {
  messages: number
  devices: number
  kB: number
}

/** Records `discovery:changed` frames as they reach the page; returns "what arrived between two performance.now() times". */
export function watchDiscoveryChanges(page: Page): (from: number, to: number) => ChangeTraffic {
  const changes: { at: number; bytes: number; devices: number }[] = []
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8')
    if (!text.includes('"discovery:changed"')) return
    const message = JSON.parse(text) as { payload?: { devices?: unknown[] } }
    changes.push({ at: performance.now(), bytes: Buffer.byteLength(text), devices: message.payload?.devices?.length ?? 0 })
  }))
  return (from, to) => {
    const within = changes.filter((c) => c.at >= from && c.at <= to)
    const sum = (pick: (c: (typeof changes)[number]) => number) => within.reduce((n, c) => n + pick(c), 0)
    return { messages: within.length, devices: sum((c) => c.devices), kB: Math.round(sum((c) => c.bytes) / 1024) }
  }
}
