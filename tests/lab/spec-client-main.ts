/**
 * Runs the spec client inside a lab namespace (the app host): reads one JSON script on stdin — the base URL
 * and a list of steps — and prints one JSON line per step result. The script arrives on stdin rather than
 * argv so passphrases never show in a process listing.
 */
import { z } from 'zod'
import { SpecClient } from './spec-client'

const Step = z.discriminatedUnion('op', [
  z.object({ op: z.literal('open'), security: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(), pop: z.string().optional(), username: z.string().optional() }),
  z.object({ op: z.literal('scan') }),
  z.object({ op: z.literal('send'), ssid: z.string(), passphrase: z.string() }),
  z.object({ op: z.literal('wait'), pollMs: z.number().optional(), limit: z.number().optional() }),
  z.object({ op: z.literal('status') }),
  z.object({ op: z.literal('reset') }),
  z.object({ op: z.literal('custom'), data: z.string() }),
  z.object({ op: z.literal('sleep'), ms: z.number() }),
  z.object({ op: z.literal('localCtrl'), pop: z.string().optional() }),
  z.object({ op: z.literal('properties') }),
])
const Script = z.object({ baseUrl: z.string(), timeoutMs: z.number().optional(), steps: z.array(Step) })

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const script = Script.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
const client = new SpecClient(script.baseUrl, script.timeoutMs ?? 5000)
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}\n`)

for (const step of script.steps) {
  const started = performance.now()
  try {
    const result = await runStep(step)
    print({ op: step.op, ok: true, ms: Math.round(performance.now() - started), result })
  } catch (error) {
    print({ op: step.op, ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message })
    break
  }
}
client.close()

async function runStep(step: z.infer<typeof Step>): Promise<unknown> {
  switch (step.op) {
    case 'open':
      await client.open({ ...(step.security !== undefined && { security: step.security }), ...(step.pop && { pop: step.pop }), ...(step.username && { username: step.username }) })
      return client.info
    case 'scan':
      return client.scan()
    case 'send':
      return client.sendCredentials(step.ssid, step.passphrase)
    case 'wait':
      return client.waitForOutcome(step.pollMs ?? 200, step.limit ?? 50)
    case 'status':
      return client.status()
    case 'reset':
      return client.reset()
    case 'custom':
      return client.custom(step.data)
    case 'sleep':
      return new Promise((r) => setTimeout(r, step.ms))
    case 'localCtrl':
      return client.openLocalCtrl(step.pop ? { pop: step.pop } : {})
    case 'properties':
      return client.properties()
  }
}
