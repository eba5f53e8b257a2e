/**
 * Runs the product ESP driver inside a lab namespace (the app host): reads one JSON script on stdin — the
 * endpoint and a list of steps — and prints one JSON line per step with its result and wall time. The
 * script arrives on stdin so setup codes and passphrases never show in a process listing; results carry
 * only DriverResult values, which never hold secrets. Used by esp-driver.lab.test.ts and bench:onboarding.
 */
import { z } from 'zod'
import type { DriverResult, ProvisioningSession } from '../../main/provisioning/driver'
import { createEspDriver } from '../../main/provisioning/esp/driver'

const Step = z.discriminatedUnion('op', [
  z.object({ op: z.literal('probe') }),
  z.object({ op: z.literal('open'), pop: z.string().optional(), username: z.string().optional(), security: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional() }),
  z.object({ op: z.literal('scan') }),
  z.object({ op: z.literal('send'), ssid: z.string(), passphrase: z.string().optional() }),
  z.object({ op: z.literal('status') }),
  /** Polls status until it is not `connecting` or a poll fails (bounded by `limit`). */
  z.object({ op: z.literal('wait'), pollMs: z.number().default(100), limit: z.number().default(100) }),
  z.object({ op: z.literal('reset') }),
  z.object({ op: z.literal('close') }),
  /** probe + open + close, `runs` times; prints each run's probe+open time. */
  z.object({ op: z.literal('handshakes'), runs: z.number().int().min(1).max(1000), pop: z.string().optional(), username: z.string().optional() }),
])
const Script = z.object({
  endpoint: z.object({ host: z.string(), port: z.number(), localAddress: z.string().optional() }),
  requestTimeoutMs: z.number().optional(),
  steps: z.array(Step),
})

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const script = Script.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
const driver = createEspDriver({ ...(script.requestTimeoutMs !== undefined && { requestTimeoutMs: script.requestTimeoutMs }) })
const endpoint = { host: script.endpoint.host, port: script.endpoint.port, ...(script.endpoint.localAddress !== undefined && { localAddress: script.endpoint.localAddress }) }
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)
let session: ProvisioningSession | undefined

const secretOf = (s: { pop?: string | undefined; username?: string | undefined; security?: 0 | 1 | 2 | undefined }) => ({
  ...(s.pop !== undefined && { pop: s.pop }),
  ...(s.username !== undefined && { username: s.username }),
  ...(s.security !== undefined && { security: s.security }),
})

async function run(step: z.infer<typeof Step>): Promise<DriverResult<unknown>> {
  const noSession = { ok: false as const, error: { code: 'invalid-state' as const, message: 'no session' } }
  switch (step.op) {
    case 'probe':
      return driver.probe(endpoint)
    case 'open': {
      const opened = await driver.openSession(endpoint, secretOf(step))
      if (!opened.ok) return opened
      session = opened.value
      return { ok: true, value: session.info }
    }
    case 'scan':
      return session ? session.scanNetworks() : noSession
    case 'send':
      return session ? session.sendCredentials({ ssid: step.ssid, ...(step.passphrase !== undefined && { passphrase: step.passphrase }) }) : noSession
    case 'status':
      return session ? session.status() : noSession
    case 'wait': {
      if (!session) return noSession
      const seen: unknown[] = []
      for (let i = 0; i < step.limit; i++) {
        const status = await session.status()
        if (!status.ok) return { ok: false, error: status.error, seen } as DriverResult<unknown>
        seen.push(status.value)
        if (status.value.state !== 'connecting') return { ok: true, value: { last: status.value, polls: seen.length } }
        await new Promise((r) => setTimeout(r, step.pollMs))
      }
      return { ok: false, error: { code: 'connection-lost', message: 'still connecting after the poll limit', detail: 'poll-limit' } }
    }
    case 'reset':
      return session ? session.reset() : noSession
    case 'close':
      session?.close()
      session = undefined
      return { ok: true, value: undefined }
    case 'handshakes':
      return handshakes(step)
  }
}

/** Timed probe + openSession runs, each on a fresh connection (the previous session closed). */
async function handshakes(step: Extract<z.infer<typeof Step>, { op: 'handshakes' }>): Promise<DriverResult<unknown>> {
  const times: (number | null)[] = []
  const errors: string[] = []
  for (let i = 0; i < step.runs; i++) {
    const started = performance.now()
    const probed = await driver.probe(endpoint)
    const opened = probed.ok ? await driver.openSession(endpoint, secretOf(step)) : probed
    const ms = performance.now() - started
    if (opened.ok) opened.value.close()
    else errors.push(opened.error.code)
    times.push(opened.ok ? Math.round(ms * 10) / 10 : null)
  }
  return { ok: true, value: { times, errors } }
}

for (const step of script.steps) {
  const started = performance.now()
  const result = await run(step)
  print({ op: step.op, ms: Math.round(performance.now() - started), ...result })
}
session?.close()
driver.dispose()
