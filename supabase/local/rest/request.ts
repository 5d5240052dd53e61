/**
 * Parse: a request's query string, headers and body turned into a plan (select tree, per-level
 * filters, order and paging, media type, preferences) before any SQL is built.
 */
import { apiError } from './errors'
import { parseCondition, parseLogic, parseNonNegativeInt, parseOrder, parseSelect, type SelectItem } from './parse'
import { parsePrefer, type Prefer } from './prefer'
import { emptyLevel, type Level, type Levels } from './sql'
import type { RestRequest } from './types'

/** PostgREST's db-max-rows as a new Supabase project sets it (Settings → API → Max rows). */
export const MAX_ROWS = 1000

export interface Parsed {
  select: SelectItem[]
  levels: Levels
  single: boolean
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
  const headerLower = Number(m[1])
  const headerUpper = m[2] === '' ? null : Number(m[2])
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
export function parseRequest(req: RestRequest, argNames: Set<string> = new Set()): Parsed {
  const levels: Levels = new Map()
  const root = levelFor(levels, '')
  const rest = new Map<string, string>()
  for (const [key, value] of req.query) {
    if (key === 'select' || key === 'columns' || key === 'on_conflict' || key === 'apikey') continue
    if (argNames.has(key)) {
      rest.set(key, value)
      continue
    }
    const segments = key.split('.')
    let last = segments[segments.length - 1]
    let pathSegs = segments.slice(0, -1)
    if (last === 'or' || last === 'and') {
      if (pathSegs[pathSegs.length - 1] === 'not') {
        pathSegs = pathSegs.slice(0, -1)
        last = `not.${last}`
      }
      levelFor(levels, pathSegs.join('.')).filters.push(parseLogic(last, value))
    } else if (last === 'order') {
      levelFor(levels, pathSegs.join('.')).order.push(...parseOrder(value))
    } else if (last === 'limit') {
      levelFor(levels, pathSegs.join('.')).limit = parseNonNegativeInt(value, 'limit')
    } else if (last === 'offset') {
      levelFor(levels, pathSegs.join('.')).offset = parseNonNegativeInt(value, 'offset')
    } else if (key.includes('->')) {
      root.filters.push(parseCondition(key, value))
    } else {
      levelFor(levels, pathSegs.join('.')).filters.push(parseCondition(last, value))
    }
  }
  applyRangeHeader(req, root)
  // Supabase's default "max rows": no response carries more rows than this, whatever the limit asked.
  root.limit = Math.min(root.limit ?? MAX_ROWS, MAX_ROWS)
  const accept = (req.headers['accept'] ?? 'application/json').toLowerCase()
  const single = accept.includes('application/vnd.pgrst.object')
  if (!single && !/(application\/json|\*\/\*|application\/\*|^$)/.test(accept)) {
    throw apiError(406, 'PGRST107', `None of these media types are available: ${accept}`)
  }
  return {
    select: parseSelect(req.query.get('select')),
    levels,
    single,
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
