/**
 * Parses PostgREST's query-string language into plain trees: the select list with embedded resources,
 * horizontal filters, and/or/not trees, order terms, column lists. Nothing here touches SQL.
 *
 * One scanner serves every pass and follows PostgREST's grammar (ApiRequest/QueryParams.hs): a name is
 * a quoted value or letters, digits, `_`, `$` and spaces joined by dashes; a JSON path is `->`/`->>`
 * steps whose operand is an array index (an integer) or a key; a cast is one type name that must be in
 * the catalogue. Whatever does not fit is PostgREST's PGRST100, before any SQL is built.
 */
import { apiError, parseError } from './errors'

/** One step of a JSON path: `->key`, `->>key`, `->0`, `->>-1`. */
export type JsonStep = { arrow: '->' | '->>'; key: string } | { arrow: '->' | '->>'; index: number }

export interface FieldRef {
  column: string
  jsonPath: JsonStep[]
}

export type SelectItem =
  | { type: 'star' }
  /** `cast` is the SQL the catalogue gave for the type name (a qualified, quoted identifier). */
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

const QUANTIFIABLE = ['eq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']
const FTS = ['fts', 'plfts', 'phfts', 'wfts']

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

/** Type names a cast may use, each mapped to the SQL that names it (from the schema cache). */
export type CastTypes = ReadonlyMap<string, string>

/** The largest array index PostgreSQL's `->` takes (int4). */
const MAX_JSON_INDEX = 2147483647

const IDENT_CHAR = /[\p{L}\p{N}_ $]/u

/**
 * A cursor over one query-string value with PostgREST's building blocks. Errors name the value and the
 * column as PostgREST's parser does: `"failed to parse <what> (<text>)" (line 1, column <n>)`.
 */
class Scanner {
  pos = 0
  constructor(
    readonly text: string,
    readonly what: string,
  ) {}

  get done() {
    return this.pos >= this.text.length
  }

  peek(): string {
    return this.text[this.pos] ?? ''
  }

  at(s: string): boolean {
    return this.text.startsWith(s, this.pos)
  }

  eat(s: string): boolean {
    if (!this.at(s)) return false
    this.pos += s.length
    return true
  }

  expect(s: string) {
    if (!this.eat(s)) this.fail(JSON.stringify(s))
  }

  spaces() {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++
  }

  fail(expecting: string, at = this.pos): never {
    const unexpected = at >= this.text.length ? 'end of input' : JSON.stringify(this.text[at])
    throw parseError(`"failed to parse ${this.what} (${this.text})" (line 1, column ${at + 1})`, `unexpected ${unexpected} expecting ${expecting}`)
  }

  /** Runs `p`; if it fails, puts the cursor back and answers null. */
  attempt<T>(p: () => T): T | null {
    const start = this.pos
    try {
      return p()
    } catch {
      this.pos = start
      return null
    }
  }

  /** `"..."` with backslash escapes; null when not at a quote. */
  quoted(): string | null {
    if (this.peek() !== '"') return null
    let out = ''
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const ch = this.text[i]
      if (ch === '\\' && i + 1 < this.text.length) out += this.text[++i]
      else if (ch === '"') {
        this.pos = i + 1
        return out
      } else out += ch
    }
    return this.fail('closing quote (")', this.text.length)
  }

  /** Characters while `ok` holds, stripped of surrounding spaces; null when there are none. */
  private run(ok: (ch: string) => boolean): string | null {
    const start = this.pos
    while (!this.done && ok(this.peek())) this.pos++
    return this.pos > start ? this.text.slice(start, this.pos).trim() : null
  }

  /** Parts read by `part`, joined by dashes that do not start an arrow. */
  private dashed(part: () => string | null): string | null {
    const first = part()
    if (first === null) return null
    const parts = [first]
    while (this.at('-') && !this.at('->')) {
      const save = this.pos
      this.pos++
      const next = part()
      if (next === null) {
        this.pos = save
        break
      }
      parts.push(next)
    }
    return parts.join('-')
  }

  identifier(): string | null {
    return this.run((ch) => IDENT_CHAR.test(ch))
  }

  /** A column, relation, alias or hint: quoted, or identifiers joined by dashes. */
  fieldName(): string {
    const name = this.quoted() ?? this.dashed(() => this.identifier())
    if (name === null || name === '') return this.fail('field name (* or [a..z0..9_$])')
    return name
  }

  jsonPath(): JsonStep[] {
    const steps: JsonStep[] = []
    for (;;) {
      const arrow = this.eat('->>') ? '->>' : this.eat('->') ? '->' : null
      if (arrow === null) return steps
      const index = /^-?\d+/.exec(this.text.slice(this.pos))
      const after = index ? this.pos + index[0].length : -1
      if (index && (after === this.text.length || ['->', '::', '.', ',', ')'].some((s) => this.text.startsWith(s, after)))) {
        const n = Number(index[0])
        if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_JSON_INDEX) this.fail(`an array index between -${MAX_JSON_INDEX} and ${MAX_JSON_INDEX}`)
        this.pos = after
        steps.push({ arrow, index: n })
        continue
      }
      const key = this.quoted() ?? this.dashed(() => this.run((ch) => !'(-:.,>)'.includes(ch)))
      if (key === null || key === '') this.fail('a JSON key or array index')
      steps.push({ arrow, key })
    }
  }

  field(): FieldRef {
    const column = this.fieldName()
    const jsonPath = this.jsonPath()
    this.spaces()
    return { column, jsonPath }
  }

  /** `::type`, checked against the catalogue's type names; null when there is no cast. */
  cast(types: CastTypes): string | null {
    if (!this.eat('::')) return null
    const start = this.pos
    const name = this.identifier()
    if (name === null) return this.fail('letter or digit')
    const sql = types.get(name.toLowerCase().replace(/\s+/g, ' '))
    if (!sql) this.fail(`a type name, not ${JSON.stringify(name)}`, start)
    return sql
  }

  /** Characters up to (not including) any of `stops`. */
  until(stops: string): string {
    const start = this.pos
    while (!this.done && !stops.includes(this.peek())) this.pos++
    return this.text.slice(start, this.pos)
  }

  end(expecting: string) {
    if (!this.done) this.fail(expecting)
  }
}

// ---------------------------------------------------------------------------------------------------
// select
// ---------------------------------------------------------------------------------------------------

export function parseSelect(raw: string | null, types: CastTypes): SelectItem[] {
  if (raw === null || raw.trim() === '') return [{ type: 'star' }]
  const s = new Scanner(raw, 'select parameter')
  const items = selectForest(s, types, 0)
  s.end('",", "->", "::" or end of input')
  return items
}

/**
 * How deep embeds may nest. PostgREST sets no number, but a select nested thousands deep (it fits in a
 * URL) would exhaust this parser's stack; no real query comes near this.
 */
export const MAX_EMBED_DEPTH = 32

function selectForest(s: Scanner, types: CastTypes, depth: number): SelectItem[] {
  if (depth > MAX_EMBED_DEPTH) s.fail(`at most ${MAX_EMBED_DEPTH} levels of embedded resources`)
  const items: SelectItem[] = []
  s.spaces()
  if (s.done || s.peek() === ')') return items
  for (;;) {
    items.push(selectItem(s, types, depth))
    s.spaces()
    if (!s.eat(',')) return items
    s.spaces()
  }
}

function itemEnd(s: Scanner) {
  s.spaces()
  if (!s.done && s.peek() !== ',' && s.peek() !== ')') s.fail('"->", "::", ",", ")" or end of input')
}

function refuseAggregate(s: Scanner) {
  if (/^\.(sum|avg|min|max|count)\(\)/.test(s.text.slice(s.pos)) || s.at('count()')) {
    throw apiError(400, 'PGRST123', 'Use of aggregate functions is not allowed')
  }
}

function selectItem(s: Scanner, types: CastTypes, depth: number): SelectItem {
  if (s.eat('*')) {
    itemEnd(s)
    return { type: 'star' }
  }
  if (s.eat('...')) return embed(s, types, s.fieldName(), null, true, depth)
  const alias = s.attempt(() => {
    const a = s.fieldName()
    s.expect(':')
    if (s.peek() === ':') s.fail('alias separator')
    return a
  })
  refuseAggregate(s)
  const start = s.pos
  const name = s.fieldName()
  if (s.peek() === '!' || s.peek() === '(') return embed(s, types, name, alias, false, depth)
  s.pos = start
  const field = s.field()
  const cast = s.cast(types)
  refuseAggregate(s)
  itemEnd(s)
  return { type: 'field', field, alias, cast }
}

function embed(s: Scanner, types: CastTypes, name: string, alias: string | null, spread: boolean, depth: number): SelectItem {
  let joinType: 'left' | 'inner' = 'left'
  let hint: string | null = null
  while (s.eat('!')) {
    const h = s.fieldName()
    if (h === 'inner' || h === 'left') joinType = h
    else hint = h
  }
  s.expect('(')
  const select = selectForest(s, types, depth + 1)
  s.expect(')')
  itemEnd(s)
  return { type: 'embed', name, alias, hint, joinType, spread, select }
}

// ---------------------------------------------------------------------------------------------------
// keys: `a.b.column->path`, `a.b.or`, `a.order`, `columns`, `on_conflict`
// ---------------------------------------------------------------------------------------------------

/** A filter's key: the embed path and the field it filters. */
export function parseTreePath(key: string): { path: string[]; field: FieldRef } {
  const s = new Scanner(key, 'tree path')
  const names = [s.fieldName()]
  while (s.eat('.')) names.push(s.fieldName())
  const jsonPath = s.jsonPath()
  s.spaces()
  s.end('".", "->" or end of input')
  return { path: names.slice(0, -1), field: { column: names[names.length - 1], jsonPath } }
}

/** The embed path before a reserved last word (`order`, `limit`, `offset`, `or`, `and`, `not.or`). */
export function parseEmbedPath(key: string, what: string): string[] {
  const s = new Scanner(key, what)
  const names = [s.fieldName()]
  while (s.eat('.')) names.push(s.fieldName())
  s.end('"." or end of input')
  return names
}

/** `columns` and `on_conflict`: names separated by commas. */
export function parseColumns(raw: string, what: string): string[] {
  const s = new Scanner(raw, what)
  const names: string[] = []
  for (;;) {
    s.spaces()
    names.push(s.fieldName())
    s.spaces()
    if (!s.eat(',')) break
  }
  s.end('"," or end of input')
  return names
}

// ---------------------------------------------------------------------------------------------------
// filters and logic trees
// ---------------------------------------------------------------------------------------------------

/** `[not.]op[(modifier)].value`: the value is everything left (top-level) or up to `,`/`)` (logic tree). */
function opExpr(s: Scanner, field: FieldRef, inLogic: boolean): Condition {
  const negate = s.eat('not.')
  const opStart = s.pos
  const opName = /^[a-z]+/.exec(s.text.slice(s.pos))?.[0] ?? ''
  if (!(OPERATORS as readonly string[]).includes(opName)) s.fail('"not" or operator (eq, gt, ...)', opStart)
  s.pos += opName.length
  const op = opName as Operator
  let modifier: Condition['modifier'] = null
  if (s.eat('(')) {
    const mod = s.identifier() ?? ''
    if (FTS.includes(op) && mod !== '') modifier = { kind: 'config', config: mod }
    else if ((mod === 'any' || mod === 'all') && QUANTIFIABLE.includes(op)) modifier = { kind: mod }
    else s.fail(FTS.includes(op) ? 'a text search configuration' : '"any" or "all"')
    s.expect(')')
  }
  s.expect('.')
  let value: string
  let list: Condition['list'] = null
  if (op === 'in') {
    const start = s.pos
    list = listOf(s, '(', ')')
    value = s.text.slice(start, s.pos)
  } else if (modifier?.kind === 'any' || modifier?.kind === 'all') {
    const start = s.pos
    list = listOf(s, '{', '}')
    value = s.text.slice(start, s.pos)
  } else if (inLogic) {
    value = logicValue(s)
  } else {
    value = s.text.slice(s.pos)
    s.pos = s.text.length
  }
  if (op === 'is' && !['null', 'not_null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
    s.fail('isVal: (null, not_null, true, false, unknown)', s.pos - value.length)
  }
  return { type: 'condition', field, negate, op, modifier, value, list }
}

/** `(a,"b,c",d)`: elements quoted (backslash escapes) or bare up to the next `,` or closing bracket. */
function listOf(s: Scanner, open: string, close: string): (string | null)[] {
  s.expect(open)
  const out: string[] = []
  s.spaces()
  if (s.eat(close)) return out
  for (;;) {
    s.spaces()
    const quoted = s.attempt(() => {
      const q = s.quoted()
      s.spaces()
      if (q === null || (s.peek() !== ',' && s.peek() !== close)) s.fail('"," or closing bracket')
      return q
    })
    out.push(quoted ?? s.until(',' + close).trim())
    if (!s.eat(',')) break
  }
  s.expect(close)
  return out
}

/** A value inside a logic tree: quoted, a `{...}` array literal, or characters up to `,` or `)`. */
function logicValue(s: Scanner): string {
  const quoted = s.attempt(() => {
    const q = s.quoted()
    if (q === null || (!s.done && s.peek() !== ',' && s.peek() !== ')')) s.fail('"," or ")"')
    return q
  })
  if (quoted !== null) return quoted
  if (s.peek() === '{') {
    const start = s.pos
    s.until('}')
    s.expect('}')
    return s.text.slice(start, s.pos)
  }
  return s.until(',)')
}

/** A top-level filter: `key=value`, with the field already parsed from the key. */
export function parseCondition(field: FieldRef, valueRaw: string): Condition {
  const s = new Scanner(valueRaw, 'filter')
  return opExpr(s, field, false)
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))`: op is `or` or `and`, possibly negated. */
export function parseLogic(op: 'and' | 'or', negate: boolean, value: string): Logic {
  const s = new Scanner(value, 'logic tree')
  const tree = logicChildren(s, op, negate)
  s.spaces()
  s.end('end of input')
  return tree
}

function logicChildren(s: Scanner, op: 'and' | 'or', negate: boolean): Logic {
  s.spaces()
  s.expect('(')
  const children: Filter[] = []
  for (;;) {
    s.spaces()
    children.push(logicNode(s))
    s.spaces()
    if (!s.eat(',')) break
  }
  s.expect(')')
  return { type: 'logic', op, negate, children }
}

function logicNode(s: Scanner): Filter {
  const nested = /^(not\.)?(and|or)\s*\(/.exec(s.text.slice(s.pos))
  if (nested) {
    s.pos += (nested[1] ?? '').length + nested[2].length
    return logicChildren(s, nested[2] as 'and' | 'or', nested[1] !== undefined)
  }
  const field = s.field()
  s.expect('.')
  return opExpr(s, field, true)
}

// ---------------------------------------------------------------------------------------------------
// order, limit, offset
// ---------------------------------------------------------------------------------------------------

export function parseOrder(value: string): OrderTerm[] {
  const s = new Scanner(value, 'order')
  const terms: OrderTerm[] = []
  for (;;) {
    s.spaces()
    const related = s.attempt(() => {
      const relation = s.fieldName()
      s.expect('(')
      const field = s.field()
      s.expect(')')
      return { relation, field }
    })
    const { relation, field } = related ?? { relation: null, field: s.field() }
    let direction: OrderTerm['direction'] = null
    let nulls: OrderTerm['nulls'] = null
    if (s.eat('.asc')) direction = 'asc'
    else if (s.eat('.desc')) direction = 'desc'
    if (s.eat('.nullsfirst')) nulls = 'first'
    else if (s.eat('.nullslast')) nulls = 'last'
    s.spaces()
    if (!s.done && s.peek() !== ',') s.fail('"asc", "desc", "nullsfirst" or "nullslast"')
    terms.push({ relation, field, direction, nulls })
    if (!s.eat(',')) return terms
  }
}

/** A limit or offset: digits only, and small enough to be an exact number. */
export function parseNonNegativeInt(value: string, what: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw parseError(`"failed to parse ${what} parameter (${value})"`, `expecting an integer between 0 and ${Number.MAX_SAFE_INTEGER}`)
  }
  return n
}
