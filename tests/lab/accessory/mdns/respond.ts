/**
 * How to answer one received query on one interface (RFC 6762 §5.4, §6, §6.7, §7.1, §8.1): which
 * records, to whom (multicast, QU unicast, or legacy unicast) and after what delay. Pure: the caller
 * sends what this returns.
 */
import { type AnswerPlan, planAnswers } from './records'
import { MDNS_PORT, type MdnsMessage, type MdnsQuestion, type OutRecord, type ResponseMode, ttlOf } from './wire'

/** One response to send. */
export interface ResponseDecision {
  to: 'multicast' | { address: string; port: number }
  delayMs: number
  plan: AnswerPlan
  mode: ResponseMode
  /** Legacy unicast only: the query ID and questions to echo (RFC 6762 §6.7). */
  echo?: { id: number; questions: MdnsQuestion[] }
}

/** What `decideResponses` needs to know. */
export interface QueryContext {
  message: MdnsMessage
  from: { address: string; port: number }
  /** The records owned on the interface the query arrived on. */
  records: readonly OutRecord[]
  /** Milliseconds since a record was last multicast on this interface, or undefined if never. */
  multicastAgeMs: (record: OutRecord) => number | undefined
  additionals: boolean
  random: () => number
}

/** Shared records may have many responders: wait uniformly 20–120 ms (RFC 6762 §6). */
function sharedDelay(random: () => number): number {
  return 20 + random() * 100
}

/** Decides the responses to a query; an empty list means stay silent. */
export function decideResponses(ctx: QueryContext): ResponseDecision[] {
  const { message, from, records, random } = ctx
  const options = { additionals: ctx.additionals }
  if (message.questions.length === 0) return []

  // Legacy unicast (source port ≠ 5353): answer at once, to that port, echoing ID and question (§6.7).
  if (from.port !== MDNS_PORT) {
    const plan = planAnswers(records, message.questions, [], options)
    if (plan.answers.length === 0) return []
    return [{ to: { ...from }, delayMs: 0, plan, mode: 'legacy', echo: { id: message.id, questions: message.questions } }]
  }

  // A probe (proposed records in Authority) is answered at once and is exempt from the rate limit (§6, §8.1).
  // It is multicast, so every prober sharing port 5353 on its host sees it (§15).
  if (message.authorities.length > 0) {
    const plan = planAnswers(records.filter((r) => r.unique), message.questions, [], options)
    return plan.answers.length === 0 ? [] : [{ to: 'multicast', delayMs: 0, plan, mode: 'multicast' }]
  }

  const decisions: ResponseDecision[] = []
  let multicastQuestions = message.questions.filter((q) => !q.unicastResponse)
  const quQuestions = message.questions.filter((q) => q.unicastResponse)
  if (quQuestions.length > 0) {
    const plan = planAnswers(records, quQuestions, message.answers, options)
    // QU is answered by unicast only if each record was multicast here within a quarter of its TTL;
    // otherwise the answer is multicast so other caches refresh too (§5.4).
    const fresh = plan.answers.every((r) => {
      const age = ctx.multicastAgeMs(r)
      return age !== undefined && age < (ttlOf(r.answer) * 1000) / 4
    })
    if (!fresh) multicastQuestions = message.questions
    else if (plan.answers.length > 0) decisions.push({ to: { ...from }, delayMs: delayFor(plan, message.truncated, random), plan, mode: 'multicast' })
  }

  if (multicastQuestions.length > 0) {
    // A record is not multicast again on an interface within 1 s (§6): treat those as known answers.
    const recent = records.filter((r) => (ctx.multicastAgeMs(r) ?? Infinity) < 1000).map((r) => r.answer)
    const plan = planAnswers(records, multicastQuestions, [...message.answers, ...recent], options)
    if (plan.answers.length > 0) decisions.push({ to: 'multicast', delayMs: delayFor(plan, message.truncated, random), plan, mode: 'multicast' })
  }
  return decisions
}

/** No delay for unique-only answers (§6: "SHOULD respond within 10 ms"); 20–120 ms with shared ones; 400–500 ms if TC (§6). */
function delayFor(plan: AnswerPlan, truncated: boolean, random: () => number): number {
  if (truncated) return 400 + random() * 100
  return plan.answers.some((r) => !r.unique) ? sharedDelay(random) : 0
}
