/**
 * Parses PostgREST's query-string language into plain trees: the select list with embedded resources,
 * horizontal filters, and/or/not trees, order terms. Nothing here touches SQL.
 */
import { apiError, parseError } from './errors'

export interface FieldRef {
  column: string
  /** JSON path after the column: [['->', 'a'], ['->>', 'b']] */
  jsonPath: [string, string][]
}

export type SelectItem =
  | { type: 'star' }
  | { type: 'field'; field: FieldRef; alias: string | null; cast: string | null }
  | {
      type: 'embed'
      name: string
      alias: string | null
      hint: string | null
      joinType: 'left' | 'inner'
      spread: boolean
      select: SelectItem[]
    }

export const OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'in', 'is', 'isdistinct',
  'fts', 'plfts', 'phfts', 'wfts', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj',
] as const
export type Operator = (typeof OPERATORS)[number]

export interface Condition {
  type: 'condition'
  field: FieldRef
  negate: boolean
  op: Operator
  modifier: { kind: 'any' | 'all' } | { kind: 'config'; config: string } | null
  value: string
  /** For `in`, and for any/all: the listed values. */
  list: (string | null)[] | null
}

export interface Logic {
  type: 'logic'
  op: 'and' | 'or'
  negate: boolean
  children: (Condition | Logic)[]
}

export type Filter = Condition | Logic

export interface OrderTerm {
  /** Set when ordering by a column of a to-one embedded resource: `author(display_name)`. */
  relation: string | null
  field: FieldRef
  direction: 'asc' | 'desc' | null
  nulls: 'first' | 'last' | null
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_$ -]*$/u

function checkName(name: string, whole: string): string {
  if (!IDENT.test(name)) throw parseError(`"failed to parse select parameter (${whole})"`)
  return name
}

/** Splits at top-level commas, keeping quoted strings and parenthesised or braced groups together. */
export function splitTopLevel(s: string, what: string): string[] {
  const out: string[] = []
  let depth = 0
  let quoted = false
  let cur = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted) {
      cur += ch
      if (ch === '\\' && i + 1 < s.length) cur += s[++i]
      else if (ch === '"') quoted = false
      continue
    }
    if (ch === '"') quoted = true
    else if (ch === '(' || ch === '{' || ch === '[') depth++
    else if (ch === ')' || ch === '}' || ch === ']') depth--
    if (depth < 0) throw parseError(`failed to parse ${what}`, `unexpected "${ch}"`)
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  if (depth !== 0 || quoted) throw parseError(`failed to parse ${what}`, 'unbalanced parentheses or quotes')
  out.push(cur)
  return out
}

export function parseField(raw: string, whole: string): FieldRef {
  const parts = raw.split(/(->>|->)/)
  const column = checkName(unquoteIdent(parts[0].trim()), whole)
  const jsonPath: [string, string][] = []
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i + 1]
    if (key === undefined || key === '') throw parseError(`failed to parse json path in (${whole})`)
    jsonPath.push([parts[i], unquoteIdent(key)])
  }
  return { column, jsonPath }
}

function unquoteIdent(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1).replace(/""/g, '"') : s
}

export function parseSelect(raw: string | null): SelectItem[] {
  if (raw === null || raw.trim() === '') return [{ type: 'star' }]
  return parseSelectList(raw.replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ''), raw)
}

function parseSelectList(s: string, whole: string): SelectItem[] {
  if (s === '') return []
  return splitTopLevel(s, `select parameter (${whole})`).map((item) => parseSelectItem(item, whole))
}

function parseSelectItem(item: string, whole: string): SelectItem {
  if (item === '') throw parseError(`"failed to parse select parameter (${whole})"`, 'empty item')
  if (item === '*') return { type: 'star' }
  const open = item.indexOf('(')
  if (open >= 0 && item.endsWith(')') && !/\.(sum|avg|min|max|count)\(\)$/.test(item)) {
    let head = item.slice(0, open)
    const inner = item.slice(open + 1, -1)
    let spread = false
    if (head.startsWith('...')) {
      spread = true
      head = head.slice(3)
    }
    let alias: string | null = null
    const colon = head.indexOf(':')
    if (colon >= 0) {
      alias = checkName(head.slice(0, colon), whole)
      head = head.slice(colon + 1)
    }
    const [name, ...hints] = head.split('!')
    let joinType: 'left' | 'inner' = 'left'
    let hint: string | null = null
    for (const h of hints) {
      if (h === 'inner') joinType = 'inner'
      else if (h === 'left') joinType = 'left'
      else hint = checkName(h, whole)
    }
    return {
      type: 'embed',
      name: checkName(unquoteIdent(name), whole),
      alias,
      hint,
      joinType,
      spread,
      select: inner === '' ? [] : parseSelectList(inner, whole),
    }
  }
  if (/\.(sum|avg|min|max|count)\(\)/.test(item) || item === 'count()') {
    throw apiError(400, 'PGRST123', 'Use of aggregate functions is not allowed')
  }
  let rest = item
  let alias: string | null = null
  const aliasMatch = /^([^:"]+|"[^"]+"):(?!:)/.exec(rest)
  if (aliasMatch && !rest.startsWith(aliasMatch[1] + '::')) {
    alias = checkName(unquoteIdent(aliasMatch[1]), whole)
    rest = rest.slice(aliasMatch[0].length)
  }
  let cast: string | null = null
  const castAt = rest.lastIndexOf('::')
  if (castAt >= 0) {
    cast = rest.slice(castAt + 2)
    rest = rest.slice(0, castAt)
    if (!/^[a-z_][a-z0-9_ ]*(\[\])?$/i.test(cast)) throw parseError(`"failed to parse select parameter (${whole})"`, `invalid cast ${cast}`)
  }
  return { type: 'field', field: parseField(rest, whole), alias, cast }
}

/** `[not.]op[(modifier)].value` */
export function parseCondition(fieldRaw: string, valueRaw: string): Condition {
  const whole = `${fieldRaw}=${valueRaw}`
  let rest = valueRaw
  let negate = false
  if (rest.startsWith('not.')) {
    negate = true
    rest = rest.slice(4)
  }
  const m = /^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/.exec(rest)
  if (!m || !(OPERATORS as readonly string[]).includes(m[1])) {
    throw parseError(`"failed to parse filter (${valueRaw})" (line 1, column ${negate ? 5 : 1})`, `unexpected "${rest.slice(0, 1)}" expecting an operator`)
  }
  const op = m[1] as Operator
  const modRaw = m[2]
  const value = m[3]
  let modifier: Condition['modifier'] = null
  let list: Condition['list'] = null
  if (modRaw !== undefined) {
    if (['fts', 'plfts', 'phfts', 'wfts'].includes(op)) {
      if (!/^[a-z_][a-z0-9_]*$/i.test(modRaw)) throw parseError(`"failed to parse filter (${valueRaw})"`, 'invalid text search config')
      modifier = { kind: 'config', config: modRaw }
    } else if ((modRaw === 'any' || modRaw === 'all') && ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch'].includes(op)) {
      modifier = { kind: modRaw }
      list = parseList(value, whole, '{', '}')
    } else {
      throw parseError(`"failed to parse filter (${valueRaw})"`, `unexpected modifier ${modRaw}`)
    }
  }
  if (op === 'in') list = parseList(value, whole, '(', ')')
  if (op === 'is' && !['null', 'not_null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
    throw parseError(`"failed to parse filter (${valueRaw})"`, 'is accepts null, not_null, true, false or unknown')
  }
  return { type: 'condition', field: parseField(fieldRaw, whole), negate, op, modifier, value, list }
}

function parseList(value: string, whole: string, open: string, close: string): (string | null)[] {
  if (!value.startsWith(open) || !value.endsWith(close)) {
    throw parseError(`"failed to parse filter (${whole})"`, `expecting a list in ${open}${close}`)
  }
  const inner = value.slice(1, -1)
  if (inner === '') return []
  return splitTopLevel(inner, `filter (${whole})`).map((v) => {
    const t = v.trim()
    if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/\\(.)/g, '$1')
    return t
  })
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))`: key is `or`, `and`, `not.or` or `not.and`. */
export function parseLogic(key: string, value: string): Logic {
  const negate = key.startsWith('not.')
  const op = (negate ? key.slice(4) : key) as 'and' | 'or'
  if (!value.startsWith('(') || !value.endsWith(')')) {
    throw parseError(`"failed to parse logic tree (${value})" (line 1, column 1)`, 'expecting "("')
  }
  const children = splitTopLevel(value.slice(1, -1), `logic tree (${value})`).map((item): Filter => {
    const lm = /^(not\.)?(and|or)(\(.*\))$/s.exec(item)
    if (lm) return parseLogic(`${lm[1] ?? ''}${lm[2]}`, lm[3])
    const dot = findFieldEnd(item)
    if (dot < 0) throw parseError(`"failed to parse logic tree (${value})"`, `unexpected "${item}"`)
    return parseCondition(item.slice(0, dot), item.slice(dot + 1))
  })
  return { type: 'logic', op, negate, children }
}

/** Index of the dot that ends the field name in `field.op.value` (json arrows may contain no dots). */
function findFieldEnd(item: string): number {
  let quoted = false
  for (let i = 0; i < item.length; i++) {
    if (item[i] === '"') quoted = !quoted
    else if (item[i] === '.' && !quoted) return i
  }
  return -1
}

export function parseOrder(value: string): OrderTerm[] {
  return splitTopLevel(value, `order (${value})`).map((term) => {
    let relation: string | null = null
    let rest = term
    const rm = /^([^.(]+)\(([^)]+)\)(.*)$/.exec(term)
    if (rm) {
      relation = checkName(rm[1], term)
      rest = rm[2] + rm[3]
    }
    const parts = rest.split('.')
    const field = parseField(parts[0], term)
    let direction: OrderTerm['direction'] = null
    let nulls: OrderTerm['nulls'] = null
    for (const p of parts.slice(1)) {
      if (p === 'asc' || p === 'desc') direction = p
      else if (p === 'nullsfirst') nulls = 'first'
      else if (p === 'nullslast') nulls = 'last'
      else throw parseError(`"failed to parse order (${value})" (line 1, column ${term.length})`, `unexpected "${p}" expecting "asc", "desc", "nullsfirst" or "nullslast"`)
    }
    return { relation, field, direction, nulls }
  })
}

export function parseNonNegativeInt(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw parseError(`"failed to parse ${what} parameter (${value})"`, 'expecting a non-negative integer')
  return Number(value)
}
