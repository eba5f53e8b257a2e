/**
 * mDNS query packets: questions (with the QU bit), known answers, name compression, and a byte budget.
 *
 * Ours, although dns-packet 5.6.1 is installed for encoding: it cannot set the QU bit (dns-packet #21), cannot
 * encode a label that contains a dot (DNS-SD instance names may, RFC 6763 §4.3) and cannot say how many known
 * answers fit until it has encoded them. A querier needs all three: QU on the
 * first batch (RFC 6762 §5.4), known answers owned by instance names (§7.1), and packets that stay within
 * the interface MTU (§17), continued in TC packets when the known answers do not fit (§7.2).
 */
import { answerBound, rdataFields, recordIdentity, type KnownAnswerRecord } from './known-answer'
import { QU_BIT, wireLength, type DnsName } from './wire'

export type { KnownAnswerRecord, ResourceRecordLike } from './known-answer'

/** One question for a query packet, with the known answers that go with it. */
export interface QueryQuestion {
  name: DnsName
  type: number
  class: number
  /** Ask for a unicast response (RFC 6762 §5.4): the top bit of the class. */
  qu: boolean
  knownAnswers: readonly KnownAnswerRecord[]
}

/** The address family of an interface, as Node's os.networkInterfaces() spells it. */
export type AddressFamily = 'IPv4' | 'IPv6'

const HEADER_OCTETS = 12
const UDP_HEADER = 8
const IP_HEADER: Record<AddressFamily, number> = { IPv4: 20, IPv6: 40 }
/** RFC 6762 §17: an mDNS packet, IP and UDP headers included, MUST NOT exceed 9000 bytes. */
const MAX_PACKET_OCTETS = 9000
/** Room for encapsulation we cannot see (PPPoE takes 8, many VPNs and overlays more) when the MTU is unknown. */
const UNKNOWN_MTU_MARGIN = 32
/** Classic DNS's 512-byte UDP payload (RFC 1035 §4.2.1) fits every legal link (IPv4 576, IPv6 1280). */
const MIN_BUDGET = 512
const TC_FLAG = 0x0200
const CLASS_MASK = 0x7fff
const EMPTY = new Uint8Array(0)

/**
 * Bytes of DNS payload a packet may take on an interface without IP fragmentation (RFC 6762 §17): the MTU
 * minus the IP header (20 bytes IPv4 without options, 40 IPv6 without extension headers) and 8 for UDP,
 * at most 9000 bytes with headers and never below 512. Unknown MTU: 1500-byte Ethernet less a 32-byte margin,
 * so 1440 (IPv4, @homebridge/ciao's figure) or 1420 (IPv6).
 */
export function payloadBudget(family: AddressFamily, mtu?: number): number {
  const overhead = IP_HEADER[family] + UDP_HEADER
  const known = mtu !== undefined && Number.isFinite(mtu) && mtu > 0
  const link = known ? Math.min(Math.floor(mtu), MAX_PACKET_OCTETS) : 1500 - UNKNOWN_MTU_MARGIN
  return Math.max(MIN_BUDGET, link - overhead)
}

/**
 * Encodes the questions into as few packets as fit `budget` bytes each. A question travels with its known
 * answers; when the pair does not fit what is left of a packet, a new packet starts. Only when a question's
 * known answers overflow a packet of their own does that packet get TC, the rest following at once in packets
 * without questions, TC on all but the last (RFC 6762 §7.2). A known answer too big for an empty packet is
 * left out: fragmenting is worse (§17), and a missing known answer costs only a redundant response.
 */
export function buildQueryPackets(questions: readonly QueryQuestion[], budget: number): Uint8Array[] {
  const packets: Uint8Array[] = []
  let draft = new Draft(budget)
  let listed = new Set<string>() // known answers already in this query or its continuations
  const flush = (truncated: boolean) => {
    packets.push(draft.encode(truncated))
    draft = new Draft(budget)
    if (!truncated) listed = new Set()
  }
  for (const question of questions) {
    const answers = newAnswers(question, listed, budget)
    if (draft.add([question], answers.map(([record]) => record))) {
      for (const [, identity] of answers) listed.add(identity)
      continue
    }
    if (!draft.isEmpty) flush(false)
    // Unreachable with valid names: a question takes at most 259 bytes and a budget is at least 512.
    if (!draft.add([question], [])) throw new RangeError(`a question does not fit a ${budget}-byte packet`)
    for (const [record, identity] of newAnswers(question, listed, budget)) {
      listed.add(identity)
      if (draft.add([], [record])) continue
      flush(true)
      draft.add([], [record])
    }
    if (draft.questions.length === 0) flush(false) // the last continuation ends its query
  }
  if (!draft.isEmpty) flush(false)
  return packets
}

/** The question's known answers not yet listed in this query (each once) that can be encoded at all. */
function newAnswers(question: QueryQuestion, listed: ReadonlySet<string>, budget: number): [KnownAnswerRecord, string][] {
  const fresh = new Map<string, KnownAnswerRecord>()
  for (const record of question.knownAnswers) {
    const identity = recordIdentity(record)
    if (!listed.has(identity) && !fresh.has(identity) && fitsEmptyPacket(record, budget)) fresh.set(identity, record)
  }
  return [...fresh].map(([identity, record]) => [record, identity])
}

/** Also rejects names the encoder cannot write, so a bad record from the cache is skipped, not thrown on. */
function fitsEmptyPacket(record: KnownAnswerRecord, budget: number): boolean {
  return HEADER_OCTETS + answerBound(record) <= budget
}

/**
 * The contents of one packet being filled. Questions precede answers on the wire and compression offsets
 * depend on both, so the packet is encoded whole; uncompressed sizes bound it cheaply until it is nearly full.
 */
class Draft {
  readonly questions: QueryQuestion[] = []
  readonly answers: KnownAnswerRecord[] = []
  private size = HEADER_OCTETS

  constructor(private readonly budget: number) {}

  get isEmpty(): boolean {
    return this.questions.length + this.answers.length === 0
  }

  /** Adds all of the items if the packet stays within budget, else none. */
  add(questions: readonly QueryQuestion[], answers: readonly KnownAnswerRecord[]): boolean {
    const bound = [...questions.map((q) => wireLength(q.name.labels) + 4), ...answers.map(answerBound)].reduce((a, b) => a + b, this.size)
    this.questions.push(...questions)
    this.answers.push(...answers)
    if (bound <= this.budget) {
      this.size = bound
      return true
    }
    const exact = this.encode(false).length
    if (exact <= this.budget) {
      this.size = exact
      return true
    }
    this.questions.length -= questions.length
    this.answers.length -= answers.length
    return false
  }

  /** The packet: ID 0, QR 0 (query), OPCODE 0, TC as given (RFC 1035 §4.1.1, RFC 6762 §18). */
  encode(truncated: boolean): Uint8Array {
    const writer = new PacketWriter()
    for (const question of this.questions) writer.question(question)
    for (const answer of this.answers) writer.answer(answer)
    return writer.finish(truncated, this.questions.length, this.answers.length)
  }
}

/** Writes a packet front to back, compressing names against those already written (RFC 1035 §4.1.4). */
class PacketWriter {
  private readonly bytes: number[] = new Array<number>(HEADER_OCTETS).fill(0)
  /** Offsets of name suffixes already written; keyed by exact bytes, so letter case is kept. */
  private readonly suffixes = new Map<string, number>()

  question(question: QueryQuestion): void {
    this.name(question.name.labels, true)
    this.u16(question.type)
    this.u16((question.class & CLASS_MASK) | (question.qu ? QU_BIT : 0))
  }

  /** Callers pass only records whose `answerBound` is finite. */
  answer(record: KnownAnswerRecord): void {
    const rdata = rdataFields(record) ?? { kind: 'bytes', bytes: EMPTY }
    this.name(record.name.labels, true)
    this.u16(record.type)
    this.u16(record.class & CLASS_MASK)
    const ttl = Math.max(0, Math.min(0x7fffffff, Math.floor(record.ttl)))
    this.u16(Math.floor(ttl / 0x10000))
    this.u16(ttl & 0xffff)
    const lengthAt = this.bytes.length
    this.u16(0)
    if (rdata.kind === 'bytes') for (const byte of rdata.bytes) this.bytes.push(byte)
    else {
      this.bytes.push(...rdata.prefix)
      this.name(rdata.name, rdata.compress)
      this.bytes.push(...rdata.suffix)
    }
    const length = this.bytes.length - lengthAt - 2
    this.bytes[lengthAt] = length >> 8
    this.bytes[lengthAt + 1] = length & 0xff
  }

  finish(truncated: boolean, questions: number, answers: number): Uint8Array {
    ;[0, truncated ? TC_FLAG : 0, questions, answers, 0, 0].forEach((value, i) => {
      this.bytes[i * 2] = value >> 8
      this.bytes[i * 2 + 1] = value & 0xff
    })
    return Uint8Array.from(this.bytes)
  }

  private name(labels: readonly Uint8Array[], compress: boolean): void {
    for (let i = 0; i < labels.length; i++) {
      const key = compress ? suffixKey(labels, i) : undefined
      const earlier = key === undefined ? undefined : this.suffixes.get(key)
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier)
        return
      }
      if (key !== undefined && this.bytes.length < 0x4000) this.suffixes.set(key, this.bytes.length)
      const label = labels[i] ?? EMPTY
      this.bytes.push(label.length, ...label)
    }
    this.bytes.push(0)
  }

  private u16(value: number): void {
    this.bytes.push((value >> 8) & 0xff, value & 0xff)
  }
}

function suffixKey(labels: readonly Uint8Array[], from: number): string {
  return labels.slice(from).map((label) => `${label.length}:${String.fromCharCode(...label)}`).join('')
}
