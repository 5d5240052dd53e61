/**
 * Parse: a request's query string, headers and body turned into a plan (select tree, per-level
 * filters, order and paging, media type, preferences) before any SQL is built.
 */
import { apiError } from './errors'
import type { Catalog } from './catalog'
import { parseCondition, parseEmbedPath, parseLogic, parseNonNegativeInt, parseOrder, parseSelect, parseTreePath, type SelectItem } from './parse'
import { parsePrefer, type Prefer } from './prefer'
import { emptyLevel, type Level, type Levels } from './sql'
import type { RestRequest } from './types'

/** PostgREST's db-max-rows as a new Supabase project sets it (Settings → API → Max rows). */
export const MAX_ROWS = 1000

export interface Parsed {
  select: SelectItem[]
  levels: Levels
  single: boolean
  /** `Accept: text/csv` (first of the types listed): the rows as PostgREST's CSV. Reads only. */
  csv: boolean
  prefer: Prefer
  /** Query parameters left over (RPC arguments on GET). */
  rest: Map<string, string>
}

function levelFor(levels: Levels, path: string): Level {
  let l = levels.get(path)
  if (!l) {
    l = emptyLevel()
    levels.set(path, l)
  }
  return l
}

/**
 * A `Range: <from>-[<to>]` header on GET narrows the root's page to its intersection with limit/offset,
 * as PostgREST does; a header in any other form is ignored, and so is the header on other methods.
 */
function applyRangeHeader(req: RestRequest, root: Level) {
  const range = req.headers['range']
  const m = req.method === 'GET' && range ? /^(\d+)-(\d*)$/.exec(range.trim()) : null
  if (!m) return
  // Bounds stay exact numbers: a lower bound past 2^53 is past any table's end, an upper bound there
  // is no bound at all.
  const headerLower = Number(m[1])
  if (!Number.isSafeInteger(headerLower)) {
    throw apiError(416, 'PGRST103', 'Requested range not satisfiable', `The lower boundary of the Range header must be at most ${Number.MAX_SAFE_INTEGER}.`)
  }
  const headerUpper = m[2] === '' || !Number.isSafeInteger(Number(m[2])) ? null : Number(m[2])
  if (headerUpper !== null && headerUpper < headerLower) {
    throw apiError(416, 'PGRST103', 'Requested range not satisfiable', 'The lower boundary must be lower than or equal to the upper boundary in the Range header.')
  }
  if (root.limit === 0) return // limit=0 asks for no rows whatever the header says
  const paramLower = root.offset ?? 0
  const paramUpper = root.limit === null ? null : paramLower + root.limit - 1
  const lower = Math.max(headerLower, paramLower)
  const uppers = [headerUpper, paramUpper].filter((u): u is number => u !== null)
  const upper = uppers.length ? Math.min(...uppers) : null
  if (upper !== null && upper < lower) {
    throw apiError(416, 'PGRST103', 'Requested range not satisfiable', 'Limit should be greater than or equal to zero.')
  }
  root.offset = lower
  root.limit = upper === null ? null : upper - lower + 1
}

/** The plan shared by every kind of request; `argNames` are query parameters that are RPC arguments. */
export function parseRequest(req: RestRequest, cat: Catalog, argNames: Set<string> = new Set()): Parsed {
  const levels: Levels = new Map()
  const root = levelFor(levels, '')
  const rest = new Map<string, string>()
  for (const [key, value] of req.query) {
    if (key === 'select' || key === 'columns' || key === 'on_conflict' || key === 'apikey') continue
    if (argNames.has(key)) {
      rest.set(key, value)
      continue
    }
    // Like PostgREST, the last dot-separated word of the key says what the parameter is.
    const last = key.slice(key.lastIndexOf('.') + 1)
    if (last === 'or' || last === 'and') {
      const names = parseEmbedPath(key, 'logic path').slice(0, -1)
      const negate = names[names.length - 1] === 'not'
      if (negate) names.pop()
      levelFor(levels, names.join('.')).filters.push(parseLogic(last, negate, value))
    } else if (last === 'order' || last === 'limit' || last === 'offset') {
      const level = levelFor(levels, parseEmbedPath(key, 'tree path').slice(0, -1).join('.'))
      if (last === 'order') level.order.push(...parseOrder(value))
      else level[last] = parseNonNegativeInt(value, last)
    } else {
      const { path, field } = parseTreePath(key)
      levelFor(levels, path.join('.')).filters.push(parseCondition(field, value))
    }
  }
  applyRangeHeader(req, root)
  // Supabase's default "max rows": no response carries more rows than this, whatever the limit asked.
  root.limit = Math.min(root.limit ?? MAX_ROWS, MAX_ROWS)
  const accept = (req.headers['accept'] ?? 'application/json').toLowerCase()
  const single = accept.includes('application/vnd.pgrst.object')
  const csv = !single && accept.split(',')[0].split(';')[0].trim() === 'text/csv'
  if (!single && !csv && !/(application\/json|\*\/\*|application\/\*|^$)/.test(accept)) {
    throw apiError(406, 'PGRST107', `None of these media types are available: ${accept}`)
  }
  return {
    select: parseSelect(req.query.get('select'), cat.castTypes),
    levels,
    single,
    csv,
    prefer: parsePrefer(req.headers['prefer']),
    rest,
  }
}

export function parseBody(req: RestRequest): unknown {
  const ct = (req.headers['content-type'] ?? 'application/json').toLowerCase()
  if (!ct.includes('json')) throw apiError(415, 'PGRST107', `Content-Type not acceptable: ${ct}`)
  if (req.body.trim() === '') return null
  try {
    return JSON.parse(req.body)
  } catch {
    throw apiError(400, 'PGRST102', 'Empty or invalid json')
  }
}

/** Bytes of a /rest/v1 request body the local backend reads at most (server.ts answers 413 past it). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024

/**
 * The query string, decoded strictly: `+` is a space and `%XX` a byte of UTF-8, and anything else that
 * starts with `%`, or bytes that are not UTF-8, is PostgREST's PGRST100 rather than silently read as
 * something else (URLSearchParams would turn it into U+FFFD or leave the `%`).
 */
export function parseQueryString(raw: string): URLSearchParams {
  const out = new URLSearchParams()
  for (const part of raw.replace(/^\?/, '').split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]
    out.append(decodeQueryComponent(k, raw), decodeQueryComponent(v, raw))
  }
  return out
}

function decodeQueryComponent(s: string, whole: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    throw apiError(400, 'PGRST100', `"failed to parse query string (${whole})"`, `malformed percent-encoding in ${JSON.stringify(s)}`)
  }
}

/** CSV is served for reads of tables and views; elsewhere it is a media type the request cannot have. */
export function refuseCsv(req: RestRequest, parsed: Parsed) {
  if (parsed.csv) throw apiError(406, 'PGRST107', `None of these media types are available: ${(req.headers['accept'] ?? '').toLowerCase()}`)
}
