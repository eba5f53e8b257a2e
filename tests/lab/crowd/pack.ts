/**
 * Splits a response into packets whose DNS payload stays within a byte budget (RFC 6762 §17: never rely
 * on IP fragmentation), keeping each group whole so every packet is self-contained: a PTR travels with
 * its SRV, TXT and addresses (RFC 6763 §12.1). Additionals are dropped only for a group too big alone.
 */
import { type CrowdRecord, encodeResponse, maxRecordBytes, type Question, recordKey, type SendMode } from './dns'
import type { RecordGroup } from './zone'

/** One packet ready to send. */
export interface PackedPacket {
  buf: Buffer
  answers: number
  additionals: number
}

interface Draft {
  answers: CrowdRecord[]
  additionals: CrowdRecord[]
}

function unique(records: readonly CrowdRecord[], already: ReadonlySet<string> = new Set()): CrowdRecord[] {
  const seen = new Set(already)
  return records.filter((r) => {
    const key = recordKey(r)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Packs `groups` greedily in order; throws RangeError if one answer alone exceeds the budget (a programmer error). */
export function packResponse(
  groups: readonly RecordGroup[],
  p: { maxBytes: number; mode: SendMode; echo?: { id: number; questions: readonly Question[] } },
): PackedPacket[] {
  const encode = (d: Draft) => encodeResponse({ answers: d.answers, additionals: d.additionals, mode: p.mode, ...(p.echo ? { echo: p.echo } : {}) })
  const packets: PackedPacket[] = []
  let draft: Draft = { answers: [], additionals: [] }
  let last: Buffer | undefined
  const echoBytes = encode(draft).length - 12
  // Encoding is only needed near the budget: until then the uncompressed size bounds the packet.
  let bound = 12 + echoBytes
  const flush = () => {
    if (draft.answers.length > 0) packets.push({ buf: last ?? encode(draft), answers: draft.answers.length, additionals: draft.additionals.length })
    draft = { answers: [], additionals: [] }
    bound = 12 + echoBytes
    last = undefined
  }
  const tryAdd = (g: RecordGroup, withAdditionals: boolean): boolean => {
    const answerKeys = new Set(draft.answers.map(recordKey))
    const added = unique(g.answers, answerKeys)
    const next: Draft = {
      answers: [...draft.answers, ...added],
      additionals: withAdditionals ? unique([...draft.additionals, ...g.additionals], new Set([...answerKeys, ...g.answers.map(recordKey)])) : draft.additionals,
    }
    const extra = [...added, ...next.additionals.slice(draft.additionals.length)].reduce((n, r) => n + maxRecordBytes(r), 0)
    if (bound + extra <= p.maxBytes) {
      draft = next
      bound += extra
      last = undefined
      return true
    }
    const buf = encode(next)
    if (buf.length > p.maxBytes) return false
    draft = next
    bound = buf.length
    last = buf
    return true
  }
  for (const g of groups) {
    if (tryAdd(g, true)) continue
    flush()
    if (tryAdd(g, true) || tryAdd(g, false)) continue
    throw new RangeError(`a group of ${g.answers.length} answers does not fit in ${p.maxBytes} bytes`)
  }
  flush()
  return packets
}

/** Packs a flat record list (announcements, goodbyes) as answers only, each record its own group. */
export function packRecords(records: readonly CrowdRecord[], p: { maxBytes: number; mode: SendMode }): PackedPacket[] {
  return packResponse(records.map((r) => ({ answers: [r], additionals: [] })), p)
}
