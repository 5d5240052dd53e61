/**
 * 开启消息提醒: after a tap (WeChat only shows its sheet in response to one), asks the person to accept
 * the configured subscription-message templates with requestSubscribeMessage, then records the keys they
 * accepted with record_subscriptions, which gives the dispatcher one push per acceptance. On H5 there
 * are no subscription messages: nothing happens.
 *
 * The platform calls come in as dependencies so the flow is tested without Taro (tests/unit).
 */
import { MAX_TEMPLATES_PER_REQUEST, type SubscribeTemplate } from './subscribe-templates'

/** What requestSubscribeMessage resolves with: one entry per template id ('accept', 'reject', 'ban', 'filter'). */
export type SubscribeResult = Record<string, unknown>

export interface SubscribeDeps {
  platform: string | undefined
  templates: readonly SubscribeTemplate[]
  requestSubscribeMessage: (tmplIds: string[]) => Promise<SubscribeResult>
  recordSubscriptions: (keys: string[]) => Promise<void>
}

export type SubscribeOutcome =
  | { kind: 'unsupported' } // not WeChat (H5)
  | { kind: 'not-configured' } // the build has no templates
  | { kind: 'done'; accepted: string[]; rejected: string[] }

export async function subscribeToMessages(deps: SubscribeDeps): Promise<SubscribeOutcome> {
  if (deps.platform !== 'weapp') return { kind: 'unsupported' }
  const templates = deps.templates.slice(0, MAX_TEMPLATES_PER_REQUEST)
  if (templates.length === 0) return { kind: 'not-configured' }
  const result = await deps.requestSubscribeMessage(templates.map((t) => t.id))
  const accepted = templates.filter((t) => result[t.id] === 'accept').map((t) => t.key)
  const rejected = templates.filter((t) => result[t.id] !== 'accept').map((t) => t.key)
  if (accepted.length > 0) await deps.recordSubscriptions(accepted)
  return { kind: 'done', accepted, rejected }
}
