/**
 * A property of the local /rest/v1: whatever the query string says, the SQL it builds contains nothing
 * from the request except double-quoted identifiers (checked against the schema cache) and bound
 * parameters ($n). Thousands of seeded random query strings, made of PostgREST's syntax, SQL fragments,
 * quotes, comments, unicode and huge numbers, go through the same parsing and planning a GET does; every
 * token of the SQL produced must be a keyword or operator from a fixed list, a quoted identifier or a
 * placeholder. A request that is refused must be refused with PostgREST's error, never a crash.
 */
import { describe, expect, it } from 'vitest'
import type { Catalog, Column, Relation } from '../../supabase/local/rest/catalog'
import { ApiError } from '../../supabase/local/rest/errors'
import { parseRequest } from '../../supabase/local/rest/request'
import { Params, QueryBuilder, countSql, levelSql } from '../../supabase/local/rest/sql'

function column(name: string, type: string): Column {
  return { name, type, udtName: type, typeKind: 'b', elementUdt: null, nullable: true, hasDefault: false, generated: false, identity: false, defaultSql: null }
}

function relation(name: string, columns: [string, string][], primaryKey: string[]): Relation {
  return {
    schema: 'public',
    name,
    kind: 'table',
    columns: new Map(columns.map(([n, t]) => [n, column(n, t)])),
    primaryKey,
    uniques: [primaryKey],
    insertable: true,
  }
}

/** A small schema with a jsonb column, odd column names and relationships of every cardinality. */
const catalog: Catalog = {
  relations: new Map([
    ['things', relation('things', [['id', 'int4'], ['title', 'text'], ['data', 'jsonb'], ['tags', 'text[]'], ['owner_id', 'int4'], ['parent_id', 'int4'], ['we"ird', 'text'], ['has space', 'text']], ['id'])],
    ['owners', relation('owners', [['id', 'int4'], ['name', 'text']], ['id'])],
    ['notes', relation('notes', [['id', 'int4'], ['thing_id', 'int4'], ['body', 'text']], ['id'])],
  ]),
  foreignKeys: [
    { name: 'things_owner_id_fkey', from: 'things', fromColumns: ['owner_id'], to: 'owners', toColumns: ['id'], table: 'things' },
    { name: 'notes_thing_id_fkey', from: 'notes', fromColumns: ['thing_id'], to: 'things', toColumns: ['id'], table: 'notes' },
    { name: 'things_parent_id_fkey', from: 'things', fromColumns: ['parent_id'], to: 'things', toColumns: ['id'], table: 'things' },
  ],
  // A computed field of things: selected, filtered and ordered like a column.
  functions: new Map([
    [
      'label',
      [
        {
          name: 'label', args: [{ name: '', type: 'things', hasDefault: false }], returnType: 'text', returnsRelation: null, returnsSet: false,
          returnsComposite: false, returnsVoid: false, outColumns: [], volatility: 's', argRelation: 'things',
        },
      ],
    ],
  ]),
  enums: [],
  compositeTypes: [],
  roleSettings: new Map(),
  castTypes: new Map([
    ['text', '"pg_catalog"."text"'],
    ['int4', '"pg_catalog"."int4"'],
    ['integer', '"pg_catalog"."int4"'],
    ['json', '"pg_catalog"."json"'],
    ['varchar', '"pg_catalog"."varchar"'],
    ['double precision', '"pg_catalog"."float8"'],
  ]),
}

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FRAGMENTS = [
  // names and PostgREST syntax
  'id', 'title', 'data', 'tags', 'owner_id', 'owners', 'notes', 'owner', 'nope', 'things', 'parent_id', 'label', 'count', '"we""ird"', 'we"ird', 'has space', '"has space"',
  '*', ',', '.', ':', '::', '->', '->>', '!', '!inner', '!left', '(', ')', '{', '}', '[', ']', '...', 'not.', 'eq.', 'in.', 'is.',
  'null', 'asc', 'desc', 'nullsfirst', 'or', 'and', 'cs.', 'ov.', 'fts(english).', 'like(any).', 'count()', '.sum()',
  // casts, good and bad
  'text', 'int4', 'integer', 'json', 'double precision', 'text[]', 'json from things t_root where false union all select session_user',
  // SQL and its escape hatches
  "'", "''", '"', '\\', ';', '--', '/*', '*/', '$1', '$$', '$q$', ' ', '\t', '\n', 'union all select', 'session_user',
  'pg_sleep(10)', 'drop table things', '=', '<>', '||', 'E\'\\x27\'', 'U&"\\0022"',
  // unicode and numbers
  '创业', 'é', '\u202e', '😀', '0', '-1', '42', '99999999999999999999999', '1e+23', '2147483648', '-0',
]

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]
}

function noise(r: () => number, max: number, from: readonly string[] = FRAGMENTS): string {
  const n = 1 + Math.floor(r() * max)
  let s = ''
  for (let i = 0; i < n; i++) s += pick(r, from)
  return s
}

/** Fragments a JSON key may hold unquoted (anything but `(-:.,>)`): these parse, so their SQL is checked. */
const KEY_FRAGMENTS = FRAGMENTS.filter((f) => !/[(\-:.,>)]/.test(f) && f.trim() !== '')
const key = (r: () => number) => noise(r, 3, KEY_FRAGMENTS)

/**
 * Half the query strings are built only from shapes that parse (JSON keys and filter values may hold
 * anything, so quotes, comments and SQL still reach the builder); the other half splice noise anywhere.
 */
function selectValue(r: () => number, clean: boolean): string {
  const parsing = [
    () => `data->${key(r)}->>${key(r)}${r() < 0.3 ? `::${pick(r, ['text', 'integer', 'double precision', 'JSON'])}` : ''}`,
    () => `${pick(r, ['id', 'title', '"we""ird"', 'has space'])}${r() < 0.3 ? '::text' : ''}`,
    () => `${pick(r, ['a', '创业', '"x,y"'])}:data->${key(r)}->${pick(r, ['0', '-1', '2147483647'])}`,
    () => `${pick(r, ['owners', 'owner_id', 'notes'])}${pick(r, ['', '!inner', '!left'])}(${pick(r, ['*', 'id', 'name', 'body', ''])})`,
    () => `...${pick(r, ['owners', 'notes', 'things'])}(${pick(r, ['name', 'body', 'id', 'b:body', 'owners(name)'])})`,
    // self-reference (children, parent by column, children by column hint), computed fields, counts
    () => `${pick(r, ['things', 'parent_id', 'things!parent_id', 'kids:things', 'notes'])}(${pick(r, ['id', 'label', 'count', 'things(count)'])})`,
    () => pick(r, ['label', 'count', 'l:label::text', 'notes(count)']),
  ]
  const noisy = [
    () => `${pick(r, ['id', 'title', 'data'])}${r() < 0.5 ? `->${noise(r, 2)}` : ''}${r() < 0.5 ? `::${noise(r, 2)}` : ''}`,
    () => `${noise(r, 2)}:${pick(r, ['title', 'data->>a', 'data->0'])}`,
    () => `${pick(r, ['owners', 'notes', 'owner_id', '...owners'])}${r() < 0.3 ? '!inner' : ''}(${noise(r, 3)})`,
    () => noise(r, 6),
  ]
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, clean ? parsing : [...parsing, ...noisy])()).join(',')
}

function filterValue(r: () => number, clean: boolean): string {
  const parsing = [
    () => `${pick(r, ['eq', 'neq', 'like', 'ilike', 'match', 'gt', 'isdistinct', 'plfts', 'cs'])}.${noise(r, 4)}`,
    () => `${pick(r, ['', 'not.'])}in.(${noise(r, 2, KEY_FRAGMENTS)},"${noise(r, 2).replace(/["\\]/g, '')}")`,
    () => `like(any).{${noise(r, 2, KEY_FRAGMENTS)},${noise(r, 2, KEY_FRAGMENTS)}}`,
    () => `fts(${pick(r, ['english', 'simple'])}).${noise(r, 3)}`,
    () => `is.${pick(r, ['null', 'NOT_NULL', 'true', 'unknown'])}`,
  ]
  const noisy = [() => `${pick(r, ['eq', 'in', 'is', 'fts', 'ov'])}${noise(r, 3)}`, () => noise(r, 4)]
  return pick(r, clean ? parsing : [...parsing, ...noisy])()
}

function filterKey(r: () => number, clean: boolean): string {
  const parsing = [() => pick(r, ['id', 'title', 'tags', 'owners.name', 'notes.body', 'label', 'things.label']), () => `data->${key(r)}->>${pick(r, ['0', '-1', key(r)])}`]
  return pick(r, clean ? parsing : [...parsing, () => noise(r, 3)])()
}

/** A logic tree's children are only values that stop at `,` and `)`, as in PostgREST. */
function logicValue(r: () => number, clean: boolean, depth = 0): string {
  const child = () =>
    depth < 2 && r() < 0.3
      ? `${pick(r, ['and', 'or', 'not.and'])}${logicValue(r, clean, depth + 1)}`
      : `${pick(r, ['id', 'title', 'data->>a', `data->${key(r)}`])}.${pick(r, ['eq', 'not.like', 'gt'])}.${clean ? noise(r, 2, KEY_FRAGMENTS) : noise(r, 3)}`
  return `(${Array.from({ length: 1 + Math.floor(r() * 3) }, child).join(',')})`
}

function randomQuery(r: () => number): URLSearchParams {
  const clean = r() < 0.5
  const q = new URLSearchParams()
  if (r() < 0.9) q.set('select', selectValue(r, clean))
  for (let i = Math.floor(r() * 3); i > 0; i--) q.append(filterKey(r, clean), filterValue(r, clean))
  if (r() < 0.4) q.set(pick(r, ['or', 'and', 'not.or', 'notes.or']), logicValue(r, clean))
  if (r() < 0.4) {
    const term = `${pick(r, ['id', 'title', 'label', `data->${key(r)}`, 'owners(name)'])}${pick(r, ['', '.asc', '.desc.nullslast', '.nullsfirst'])}`
    q.set(pick(r, ['order', 'notes.order']), clean ? term : pick(r, [term, noise(r, 3)]))
  }
  if (r() < 0.2) q.set(pick(r, ['limit', 'offset', 'notes.limit']), clean ? pick(r, ['0', '10', '9007199254740991']) : pick(r, ['99999999999999999999999', '1e+23', '-1', noise(r, 1)]))
  return q
}

/** Every keyword, function and alias the SQL builder may write itself. */
const WORDS = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'as', 'left', 'join', 'lateral', 'on', 'true', 'false', 'limit', 'offset',
  'order', 'by', 'asc', 'desc', 'nulls', 'first', 'last', 'is', 'null', 'distinct', 'any', 'all', 'like', 'ilike', 'cast',
  'unknown', 'exists', 'count', 'coalesce', 'json_agg', 'row_to_json', 'to_tsquery', 'plainto_tsquery', 'phraseto_tsquery',
  'websearch_to_tsquery', 'json', 'text', 'int', 'bigint', 'regconfig', 'public', 'body', 'n', 'total', 'v',
  'pgrst_e', 'pgrst_t',
])
const ALIAS = /^(t_root|[teo]\d+)$/
const OPERATORS = new Set(['=', '<>', '>', '>=', '<', '<=', '->', '->>', '::', '~', '~*', '@>', '<@', '&&', '<<', '>>', '&<', '&>', '-|-', '@@', '*'])
/** The only literals the builder writes: an empty JSON array and the `limit 1` of a to-one embed. */
const LITERALS = new Set(["'[]'", '1'])

/** Returns the first token of `sql` that did not come from the builder itself, or null. */
function foreignToken(sql: string, paramCount: number): string | null {
  let i = 0
  while (i < sql.length) {
    const rest = sql.slice(i)
    const token =
      /^\s+/.exec(rest) ?? /^"(?:[^"]|"")*"/.exec(rest) ?? /^\$\d+/.exec(rest) ?? /^'[^']*'/.exec(rest) ?? /^\d+(?![A-Za-z_.])/.exec(rest) ?? /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ??
      /^[(),.]/.exec(rest) ?? /^[-+*/<>=~!@#%^&|`?:]+/.exec(rest)
    if (!token) return rest.slice(0, 20)
    const t = token[0]
    i += t.length
    if (/^\s+$/.test(t) || /^"/.test(t) || /^[(),.]$/.test(t)) continue
    if (/^\$\d+$/.test(t)) {
      if (Number(t.slice(1)) < 1 || Number(t.slice(1)) > paramCount) return t
      continue
    }
    if (/^['\d]/.test(t)) {
      if (!LITERALS.has(t)) return t
      continue
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (!WORDS.has(t) && !ALIAS.test(t)) return t
      continue
    }
    if (!OPERATORS.has(t)) return t
  }
  return null
}

describe('the SQL built from a query string', () => {
  it('holds nothing from the request but quoted identifiers and bound parameters, for 5,000 random query strings', () => {
    const r = rng(20240611)
    const things = catalog.relations.get('things')!
    let built = 0
    let refused = 0
    for (let n = 0; n < 5000; n++) {
      const query = randomQuery(r)
      const where = `GET /things?${query.toString()}`
      let sql: string
      let params: Params
      try {
        const parsed = parseRequest({ method: 'GET', path: '/things', query, headers: {}, body: '' }, catalog)
        params = new Params()
        const root = new QueryBuilder(catalog, params, parsed.levels).buildLevel(things, 'public."things"', 't_root', parsed.select, [], null)
        sql = `${levelSql(root)} ${countSql(root)}`
      } catch (e) {
        if (!(e instanceof ApiError)) throw new Error(`${where} crashed: ${(e as Error).stack}`)
        expect(e.status, where).toBeGreaterThanOrEqual(400)
        expect(e.status, where).toBeLessThan(500)
        refused++
        continue
      }
      built++
      expect(foreignToken(sql, params.values.length), `${where}\n${sql}`).toBeNull()
    }
    // Both paths must have been exercised for the property to mean anything.
    expect(built).toBeGreaterThan(500)
    expect(refused).toBeGreaterThan(500)
  })

  it('finds a smuggled token (the check itself can fail)', () => {
    expect(foreignToken(`select t_root."title" from public."things" t_root where false union all select session_user`, 0)).toBe('union')
    expect(foreignToken(`select cast(t_root."title" as json) -- x`, 0)).toBe('--')
    expect(foreignToken(`select t_root."data"->'a''; drop' as "a"`, 0)).toBe("'a'")
    expect(foreignToken(`select t_root."id" limit 1e+23`, 0)).toMatch(/^1e/)
    expect(foreignToken(`select t_root."id" where t_root."id" = $2`, 1)).toBe('$2')
  })
})
