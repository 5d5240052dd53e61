/**
 * The WeChat subscription-message templates the app asks people to accept, from TARO_APP_SUBSCRIBE_TEMPLATES
 * (a JSON object: template key → WeChat template id, e.g. {"account_change":"<id>"}). The keys are the
 * ones the database and the notify-dispatch function use (notifications.push_template).
 *
 * Parsed defensively: a build with a broken value asks for nothing rather than failing to start.
 */

/** What a template key must look like (the database's check on push_template). */
const KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/
/** WeChat template ids are URL-safe base64-ish strings; anything else cannot be one. */
const TEMPLATE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
/** wx.requestSubscribeMessage accepts at most this many template ids in one call. */
export const MAX_TEMPLATES_PER_REQUEST = 3

export interface SubscribeTemplate {
  /** Our key, recorded with record_subscriptions. */
  readonly key: string
  /** WeChat's template id, passed to requestSubscribeMessage. */
  readonly id: string
}

/** The valid key → id pairs of a TARO_APP_SUBSCRIBE_TEMPLATES value, in their order; invalid ones are left out. */
export function parseSubscribeTemplates(raw: string | undefined | null): SubscribeTemplate[] {
  if (!raw || !raw.trim()) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return []
  const templates: SubscribeTemplate[] = []
  const seenIds = new Set<string>()
  for (const [key, id] of Object.entries(parsed as Record<string, unknown>)) {
    if (!KEY_PATTERN.test(key) || typeof id !== 'string') continue
    const trimmed = id.trim()
    if (!TEMPLATE_ID_PATTERN.test(trimmed) || seenIds.has(trimmed)) continue
    seenIds.add(trimmed)
    templates.push({ key, id: trimmed })
  }
  return templates
}

/** The templates this build was configured with (replaced by its value at build time). */
export function configuredTemplates(): SubscribeTemplate[] {
  return parseSubscribeTemplates(process.env.TARO_APP_SUBSCRIBE_TEMPLATES)
}
