// Subscription messages (订阅消息) from notification rows: the template configuration (the WECHAT_TEMPLATES
// secret) and WeChat's rules for each kind of template value. Plain TypeScript without Deno or npm
// imports, so the Node tests import this file as it is.
//
// WECHAT_TEMPLATES is JSON: push_template key → template. A template's `fields` maps each data key of the
// template as the mini-program console lists it (thing1, time2, phrase3, …) to where its value comes from:
//   "title" | "body" | "kind" | "link" | "created_at" | "id"   a column of the notification
//   "payload.<key>[.<key>…]"                                   a value in its payload
//   { "value": "已变更" }                                       a fixed text
//   { "from": "payload.new_role", "map": { "butler": "创业管家" } }   a value looked up in a table
//   { "from": "body", "default": "详见消息中心" }                 a source with a text for when it is
//                                                              empty or missing (also with "map")
// and `page` (optional) is where tapping the card leads; without it, the notification's own link.
//
//   {"account_change": {"id": "<template id from 订阅消息 → 我的模板>",
//                       "fields": {"thing1": "title", "thing2": "body", "time3": "created_at"},
//                       "page": "pages/me/index"}}
//
// The value rules, as WeChat's subscribeMessage.send documents them (参数值内容限制), and what we do when a
// value breaks one. Free text is shortened; values whose meaning a cut would change are refused, and the
// push fails as a bug in the template mapping (it would fail at WeChat with 47003 anyway):
//
//   kind              WeChat's rule                                         here
//   thing             ≤ 20 characters: Chinese, digits, letters, symbols    cut to 19 + '…'
//   short_thing       ≤ 5 characters                                        cut to 4 + '…'
//   name              ≤ 10 Chinese characters, or ≤ 20 letters/symbols;     cut to 10 (any Chinese in it)
//                     mixed counts as Chinese                               or 20 characters
//   phrase            ≤ 5 Chinese characters, nothing else                  refused otherwise
//   character_string  ≤ 32 digits, letters or symbols                       refused otherwise
//   number            ≤ 32 digits, a decimal point allowed                  refused otherwise
//   letter            ≤ 32 letters                                          refused otherwise
//   symbol            ≤ 5 symbols                                           refused otherwise
//   amount            one currency sign + ≤ 10 digits, decimals allowed,    a number becomes ¥12.50;
//                     may end in 元                                          other text refused
//   time              24-hour time, optionally with the date; a range       timestamps become
//                     joins two with ~ (15:01, 2019年10月1日 15:01)           2026年11月21日 15:01 (China time)
//   date              a date, optionally with the time (2019年10月1日)       YYYY-MM-DD becomes 2026年11月21日,
//                                                                          timestamps as for time
//   phone_number      ≤ 17 digits and symbols (+86-0766-66888866)           refused otherwise
//   car_number        ≤ 8; first and last may be Chinese, the rest letters  refused otherwise
//                     or digits (粤A8Z888挂)
//   enum              one of the template's values                          passed as is (WeChat checks)
// Every value is trimmed, its line breaks and runs of spaces made one space; an empty value is refused.

export type FieldKind =
  | 'thing'
  | 'short_thing'
  | 'name'
  | 'phrase'
  | 'character_string'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'amount'
  | 'time'
  | 'date'
  | 'phone_number'
  | 'car_number'
  | 'enum'

export const FIELD_KINDS: readonly FieldKind[] = [
  'thing',
  'short_thing',
  'name',
  'phrase',
  'character_string',
  'number',
  'letter',
  'symbol',
  'amount',
  'time',
  'date',
  'phone_number',
  'car_number',
  'enum',
]

export type FieldSource = string | { value: string } | { from: string; map?: Record<string, string>; default?: string }

export interface TemplateConfig {
  /** The template id WeChat gave (订阅消息 → 我的模板). */
  id: string
  /** Data key → where its value comes from. */
  fields: Record<string, FieldSource>
  /** Where tapping the card leads; default: the notification's link. */
  page?: string
}

export type Templates = Record<string, TemplateConfig>

/** The notification columns a template can use (what public.claim_pushes returns). */
export interface PushRow {
  id: number | string
  kind: string
  title: string
  body: string
  link: string | null
  payload: Record<string, unknown> | null
  created_at: string
}

/** WECHAT_TEMPLATES cannot be used: the whole deployment is misconfigured. */
export class TemplateConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateConfigError'
  }
}

/** One value breaks WeChat's rules for its kind: this push cannot be sent as configured. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`)
    this.name = 'FieldError'
  }
}

const TEMPLATE_KEY = /^[a-z][a-z0-9_]{1,39}$/
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/
const PAGE = /^\/?[A-Za-z0-9/_-]+(\?\S*)?$/
const FIELD_KEY = /^([a-z]+(?:_[a-z]+)*)(\d+)$/
const COLUMNS = new Set(['id', 'kind', 'title', 'body', 'link', 'created_at'])
const PAYLOAD_PATH = /^payload(\.[A-Za-z0-9_]+)+$/

/** The kind of a data key (`thing1` → thing, `character_string12` → character_string), or null. */
export function fieldKind(key: string): FieldKind | null {
  const m = FIELD_KEY.exec(key)
  return m && (FIELD_KINDS as readonly string[]).includes(m[1]) ? (m[1] as FieldKind) : null
}

function isSourcePath(s: unknown): s is string {
  return typeof s === 'string' && (COLUMNS.has(s) || PAYLOAD_PATH.test(s))
}

/** WECHAT_TEMPLATES parsed and checked; anything unusable is a TemplateConfigError naming the problem. */
export function parseTemplates(json: string | undefined): Templates {
  if (!json?.trim()) throw new TemplateConfigError('WECHAT_TEMPLATES is not set')
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new TemplateConfigError('WECHAT_TEMPLATES is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TemplateConfigError('WECHAT_TEMPLATES must be an object: template key → { id, fields, page? }')
  }
  const out: Templates = {}
  for (const [key, raw] of Object.entries(parsed)) {
    const where = `WECHAT_TEMPLATES.${key}`
    if (!TEMPLATE_KEY.test(key)) throw new TemplateConfigError(`${where}: a template key is like account_change`)
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TemplateConfigError(`${where} must be an object`)
    const t = raw as Record<string, unknown>
    if (typeof t.id !== 'string' || !TEMPLATE_ID.test(t.id)) throw new TemplateConfigError(`${where}.id must be the template id WeChat gave`)
    if (t.page !== undefined && (typeof t.page !== 'string' || !PAGE.test(t.page))) {
      throw new TemplateConfigError(`${where}.page must be a page path such as pages/me/index`)
    }
    if (typeof t.fields !== 'object' || t.fields === null || Array.isArray(t.fields) || Object.keys(t.fields).length === 0) {
      throw new TemplateConfigError(`${where}.fields must map the template's data keys to values`)
    }
    const fields: Record<string, FieldSource> = {}
    for (const [field, source] of Object.entries(t.fields as Record<string, unknown>)) {
      if (!fieldKind(field)) {
        throw new TemplateConfigError(`${where}.fields.${field}: not a data key WeChat knows (one of ${FIELD_KINDS.join(', ')}, then a number)`)
      }
      fields[field] = parseSource(source, `${where}.fields.${field}`)
    }
    out[key] = { id: t.id, fields, ...(t.page !== undefined ? { page: t.page as string } : {}) }
  }
  return out
}

function parseSource(source: unknown, where: string): FieldSource {
  if (isSourcePath(source)) return source
  if (typeof source === 'object' && source !== null && !Array.isArray(source)) {
    const s = source as Record<string, unknown>
    if (typeof s.value === 'string' && Object.keys(s).length === 1) return { value: s.value }
    const known = Object.keys(s).every((k) => k === 'from' || k === 'map' || k === 'default')
    const map = s.map as Record<string, unknown> | undefined
    const mapOk = map === undefined || (typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((v) => typeof v === 'string'))
    const defaultOk = s.default === undefined || (typeof s.default === 'string' && s.default.trim() !== '')
    if (known && isSourcePath(s.from) && mapOk && defaultOk && (map !== undefined || s.default !== undefined)) {
      return {
        from: s.from,
        ...(map !== undefined ? { map: map as Record<string, string> } : {}),
        ...(s.default !== undefined ? { default: s.default as string } : {}),
      }
    }
  }
  throw new TemplateConfigError(
    `${where}: one of ${[...COLUMNS].join(', ')}, payload.<key>, { "value": "<text>" } or { "from": "<source>", "map"?: { … }, "default"?: "<text>" }`,
  )
}

function lookup(row: PushRow, path: string): unknown {
  if (COLUMNS.has(path)) return row[path as keyof PushRow]
  let v: unknown = row.payload ?? {}
  for (const key of path.split('.').slice(1)) {
    v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined
  }
  return v
}

/** The raw value a source gives for a row (before WeChat's rules). */
export function sourceValue(row: PushRow, source: FieldSource): unknown {
  if (typeof source === 'string') return lookup(row, source)
  if ('value' in source) return source.value
  const v = lookup(row, source.from)
  const scalar = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
  const out = source.map ? (scalar ? source.map[String(v)] : undefined) : v
  const empty = out === undefined || out === null || (typeof out === 'string' && out.trim() === '')
  return empty && source.default !== undefined ? source.default : out
}

// ---------------------------------------------------------------------------------------------------
// values
// ---------------------------------------------------------------------------------------------------

const chars = (s: string) => [...s]
const HAN = /\p{Script=Han}/u

/** Trimmed, control characters and runs of whitespace made one space. */
function clean(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()
}

function cut(s: string, max: number, ellipsis: boolean): string {
  const c = chars(s)
  if (c.length <= max) return s
  return ellipsis ? c.slice(0, max - 1).join('') + '…' : c.slice(0, max).join('')
}

function asText(field: string, v: unknown): string {
  if (v === null || v === undefined) throw new FieldError(field, 'has no value')
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new FieldError(field, `${v} is not a number WeChat can show`)
    return String(v)
  }
  if (typeof v === 'boolean') return String(v)
  if (typeof v !== 'string') throw new FieldError(field, 'is not text')
  const s = clean(v)
  if (!s) throw new FieldError(field, 'is empty')
  return s
}

const pad2 = (n: number) => String(n).padStart(2, '0')
/** China Standard Time: UTC+8 all year (no daylight saving). */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/
const WX_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/
const WX_DATE_TIME = /^\d{4}年\d{1,2}月\d{1,2}日 ?\d{1,2}:\d{2}$/
const WX_TIME = /^\d{1,2}:\d{2}$/

function zoneOffsetMs(zone: string | undefined): number {
  // A timestamp without a zone is read as China time, as a person in China wrote it.
  if (zone === undefined) return CHINA_OFFSET_MS
  if (zone === 'Z') return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 * 1000
}

function chinaDate(ms: number): string {
  const d = new Date(ms + CHINA_OFFSET_MS)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

function chinaDateTime(ms: number): string {
  const d = new Date(ms + CHINA_OFFSET_MS)
  return `${chinaDate(ms)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`
}

/** One point in time for a time or date value, or null when the text is no point in time we know. */
function formatPoint(kind: 'time' | 'date', s: string): string | null {
  const dt = ISO_DATE_TIME.exec(s)
  if (dt) {
    const [, y, mo, d, h, mi, sec, zone] = dt
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0)) - zoneOffsetMs(zone)
    return Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 ? null : chinaDateTime(ms)
  }
  const date = ISO_DATE.exec(s)
  if (date) {
    // A date alone is no time of day: a time value needs one.
    if (kind === 'time' || Number(date[2]) > 12 || Number(date[3]) > 31) return null
    return `${Number(date[1])}年${Number(date[2])}月${Number(date[3])}日`
  }
  if (WX_DATE_TIME.test(s)) return s
  if (kind === 'date' && WX_DATE.test(s)) return s
  if (kind === 'time' && WX_TIME.test(s)) {
    const [h, m] = s.split(':').map(Number)
    return h <= 23 && m <= 59 ? s : null
  }
  return null
}

function formatTime(kind: 'time' | 'date', field: string, v: unknown): string {
  if (v instanceof Date) return chinaDateTime(v.getTime())
  const s = asText(field, v)
  const parts = s.split(/\s*~\s*/)
  if (parts.length > 2) throw new FieldError(field, 'a range has two ends joined by ~')
  const out = parts.map((p) => formatPoint(kind, p))
  if (out.some((p) => p === null)) {
    throw new FieldError(field, kind === 'time' ? `"${s}" is not a time (15:01 or 2019年10月1日 15:01)` : `"${s}" is not a date (2019年10月1日)`)
  }
  return out.join('~')
}

function formatAmount(field: string, v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new FieldError(field, `${v} is not an amount`)
    const s = v.toFixed(2)
    if (s.replace('.', '').length > 10) throw new FieldError(field, `${s} has more than 10 digits`)
    return `¥${s}`
  }
  const s = asText(field, v)
  const m = /^(\p{Sc})?(\d+(?:\.\d+)?)(元)?$/u.exec(s)
  if (!m) throw new FieldError(field, `"${s}" is not an amount (a currency sign and digits, e.g. ¥12.50)`)
  if (m[2].replace('.', '').length > 10) throw new FieldError(field, `"${s}" has more than 10 digits`)
  return s
}

/** A value under WeChat's rules for the kind its data key names; a FieldError when it cannot be. */
export function formatField(field: string, v: unknown): string {
  const kind = fieldKind(field)
  if (!kind) throw new FieldError(field, 'not a data key WeChat knows')
  switch (kind) {
    case 'thing':
      return cut(asText(field, v), 20, true)
    case 'short_thing':
      return cut(asText(field, v), 5, true)
    case 'name': {
      const s = asText(field, v)
      // Chinese, or Chinese mixed with letters, counts as a Chinese name (10); letters or symbols only, 20.
      return cut(s, HAN.test(s) || /[^\x20-\x7e]/.test(s) ? 10 : 20, false)
    }
    case 'phrase': {
      const s = asText(field, v)
      if (!/^\p{Script=Han}{1,5}$/u.test(s)) throw new FieldError(field, `"${s}" is not 1 to 5 Chinese characters`)
      return s
    }
    case 'character_string': {
      const s = asText(field, v)
      if (!/^[\x21-\x7e]+$/.test(s)) throw new FieldError(field, `"${s}" has characters other than digits, letters and symbols`)
      if (s.length > 32) throw new FieldError(field, `"${s}" is longer than 32`)
      return s
    }
    case 'number': {
      const s = asText(field, v)
      if (!/^\d+(\.\d+)?$/.test(s)) throw new FieldError(field, `"${s}" is not a number`)
      if (s.length > 32) throw new FieldError(field, `"${s}" is longer than 32`)
      return s
    }
    case 'letter': {
      const s = asText(field, v)
      if (!/^[A-Za-z]{1,32}$/.test(s)) throw new FieldError(field, `"${s}" is not 1 to 32 letters`)
      return s
    }
    case 'symbol': {
      const s = asText(field, v)
      if (!/^[^\p{L}\p{N}\s]{1,5}$/u.test(s)) throw new FieldError(field, `"${s}" is not 1 to 5 symbols`)
      return s
    }
    case 'amount':
      return formatAmount(field, v)
    case 'time':
    case 'date':
      return formatTime(kind, field, v)
    case 'phone_number': {
      const s = asText(field, v)
      if (!/^[0-9!-/:-@[-`{-~]{1,17}$/.test(s) || !/\d/.test(s)) throw new FieldError(field, `"${s}" is not a phone number of at most 17 digits and symbols`)
      return s
    }
    case 'car_number': {
      const s = asText(field, v)
      const c = chars(s)
      const ends = /^[\p{Script=Han}A-Za-z0-9]$/u
      const ok = c.length >= 2 && c.length <= 8 && ends.test(c[0]) && ends.test(c[c.length - 1]) && c.slice(1, -1).every((ch) => /^[A-Za-z0-9]$/.test(ch))
      if (!ok) throw new FieldError(field, `"${s}" is not a licence plate`)
      return s
    }
    case 'enum':
      return asText(field, v)
  }
}

/** The `data` of subscribeMessage.send for a row. */
export function buildMessageData(template: TemplateConfig, row: PushRow): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {}
  for (const [field, source] of Object.entries(template.fields)) {
    data[field] = { value: formatField(field, sourceValue(row, source)) }
  }
  return data
}

/** The page tapping the card opens (no leading slash, as WeChat's examples write it), if any. */
export function pageFor(template: TemplateConfig, row: PushRow): string | undefined {
  const page = template.page ?? row.link ?? undefined
  return page ? page.replace(/^\/+/, '') : undefined
}
