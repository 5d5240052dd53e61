/** POST (insert, upsert), PATCH and DELETE on a table or view. */
import type { Tx } from '../db'
import { quoteIdent as q, type Relation } from './catalog'
import { apiError } from './errors'
import { bodyColumns, withRequestTransaction } from './execute'
import { appliedHeader, checkMaxAffected } from './prefer'
import { parseColumns } from './parse'
import { parseBody, parseRequest, refuseCsv, type Parsed } from './request'
import { contentType, singleCheck } from './respond'
import { Params, QueryBuilder, emptyLevel, levelSql } from './sql'
import type { Caller, RestContext, RestRequest, RestResponse } from './types'

type Privilege = 'INSERT' | 'UPDATE' | 'DELETE'

/**
 * Refuses a write the role may not make before PostgreSQL reads a single row of the body, with the
 * error PostgreSQL itself gives (42501: 401 for anon, 403 for a signed-in user, as PostgREST maps it).
 */
async function checkPrivilege(tx: Tx, rel: Relation, privilege: Privilege) {
  const check = privilege === 'DELETE' ? 'has_table_privilege' : 'has_any_column_privilege'
  const r = await tx.query(`select ${check}($1, $2) as ok`, [`public.${q(rel.name)}`, privilege])
  if (!r.rows[0].ok) {
    throw Object.assign(new Error(`permission denied for ${rel.kind === 'view' ? 'view' : 'table'} ${rel.name}`), { code: '42501' })
  }
}

/**
 * PostgREST's count of the rows an upsert created (QueryBuilder.hs, addConfigPgrstInserted): each row
 * read from the body adds one, each row that DO UPDATE takes back subtracts one, so what is left is the
 * number inserted. The conditions are always true; they only count.
 */
const countInserted = (sign: '+' | '-') =>
  `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) ${sign} 1)::text, true) <> '${sign === '+' ? '0' : '-1'}'`

/**
 * Responds to a mutation, rolling back when a single object was asked for and not exactly one row
 * changed. An insert answers 201 whatever the representation; a merging upsert 200 when it created no
 * row (PostgREST's Response.hs); an update or delete 200 with a representation, else 204.
 */
async function mutate(
  ctx: RestContext,
  req: RestRequest,
  caller: Caller,
  rel: Relation,
  parsed: Parsed,
  privilege: Privilege,
  dml: (params: Params, returning: boolean) => string,
  kind: 'insert' | 'merge' | 'change',
): Promise<RestResponse> {
  refuseCsv(req, parsed)
  const representation = parsed.prefer.return === 'representation'
  return withRequestTransaction(ctx, req, caller, false, async (tx) => {
    await checkPrivilege(tx, rel, privilege)
    const params = new Params()
    let body = ''
    let n: number
    if (representation || parsed.single) {
      const statement = dml(params, true)
      const builder = new QueryBuilder(ctx.catalog(), params, new Map([['', emptyLevel()], ...[...parsed.levels].filter(([k]) => k !== '')]))
      const root = builder.buildLevel(rel, 'pgrst_source', 't_root', parsed.select, [], null)
      const r = await tx.query(
        `with pgrst_source as (${statement}) select ${bodyColumns(parsed.single)} from (${levelSql(root)}) pgrst_t`,
        params.values,
      )
      body = String(r.rows[0].body)
      n = Number(r.rows[0].n)
    } else {
      const r = await tx.query(dml(params, false), params.values)
      n = r.rowCount
    }
    singleCheck(parsed.single, n)
    if (kind === 'change') checkMaxAffected(parsed.prefer, n)
    let status = representation ? 200 : 204
    if (kind === 'insert') status = 201
    if (kind === 'merge') {
      const r = await tx.query(`select nullif(current_setting('pgrst.inserted', true), '')::int as inserted`)
      status = Number(r.rows[0].inserted ?? 0) > 0 ? 201 : 200
    }
    return {
      status,
      headers: {
        ...(representation ? { 'Content-Type': contentType(parsed.single) } : {}),
        'Content-Range': `*/${parsed.prefer.count ? n : '*'}`,
        ...appliedHeader(parsed.prefer),
      },
      body: representation ? body : '',
    }
  })
}

function checkPayloadColumns(rel: Relation, keys: string[]) {
  for (const k of keys) {
    if (!rel.columns.has(k)) {
      throw apiError(400, 'PGRST204', `Could not find the '${k}' column of '${rel.name}' in the schema cache`)
    }
  }
}

/**
 * Supabase loads pg-safeupdate for the API, so an UPDATE or DELETE without a filter on the table itself
 * is refused (21000, which PostgREST answers with 400) instead of touching every row. The extension
 * refuses while the statement is analysed, so before any privilege is checked.
 */
function requireFilter(parsed: Parsed, command: 'UPDATE' | 'DELETE') {
  if (parsed.levels.get('')!.filters.length === 0) throw apiError(400, '21000', `${command} requires a WHERE clause`)
}

function whereFor(ctx: RestContext, rel: Relation, alias: string, parsed: Parsed, params: Params): string {
  const builder = new QueryBuilder(ctx.catalog(), params, parsed.levels)
  const root = parsed.levels.get('')!
  return ` where ${root.filters.map((f) => builder.filterSql(rel, alias, f, [])).join(' and ')}`
}

/**
 * The rows of a body, read once by PostgreSQL from one bound parameter (as PostgREST does), so the
 * work grows with the body and the SQL text does not grow at all. With `Prefer: missing=default` a key
 * missing from a row takes the column's default expression, evaluated for that row alone.
 */
function bodyRows(rel: Relation, columns: string[], missingDefault: boolean, params: Params, body: string, where: string): string {
  const table = `public.${q(rel.name)}`
  if (!missingDefault) {
    return `select ${columns.map((c) => `pgrst_body.${q(c)}`).join(', ')} from json_populate_recordset(null::${table}, ${params.add(body)}::json) pgrst_body${where}`
  }
  const values = columns.map((c) => {
    const fallback = rel.columns.get(c)!.defaultSql ?? 'null'
    return `case when pgrst_elem.e ? ${params.add(c)}::text then pgrst_body.${q(c)} else ${fallback} end`
  })
  return `select ${values.join(', ')} from jsonb_array_elements(${params.add(body)}::jsonb) pgrst_elem(e), lateral jsonb_populate_record(null::${table}, pgrst_elem.e) pgrst_body${where}`
}

export async function insert(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  const payload = parseBody(req)
  if (payload === null || typeof payload !== 'object') throw apiError(400, 'PGRST102', 'Empty or invalid json')
  const rows = (Array.isArray(payload) ? payload : [payload]) as Record<string, unknown>[]
  if (rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw apiError(400, 'PGRST102', 'All object keys must match', 'Every element of a bulk insert must be an object')
  }
  const columnsParam = req.query.get('columns')
  let columns: string[]
  if (columnsParam !== null) columns = parseColumns(columnsParam, 'columns parameter')
  else {
    const keys = new Set<string>()
    for (const r of rows) for (const k in r) keys.add(k)
    columns = [...keys]
  }
  checkPayloadColumns(rel, columns)
  const onConflictParam = req.query.get('on_conflict')
  const onConflict = onConflictParam !== null ? parseColumns(onConflictParam, 'on_conflict parameter') : undefined
  if (onConflict) checkPayloadColumns(rel, onConflict)
  const conflictCols = onConflict ?? rel.primaryKey
  if (parsed.prefer.resolution && conflictCols.length === 0) {
    throw apiError(400, 'PGRST127', 'Feature not implemented', `An upsert on '${rel.name}' needs on_conflict or a primary key`)
  }
  // The body goes to PostgreSQL as it came, always as an array.
  const body = Array.isArray(payload) ? req.body : `[${req.body}]`
  const merge = parsed.prefer.resolution === 'merge-duplicates' && columns.length > 0
  return mutate(ctx, req, caller, rel, parsed, 'INSERT', (params, returning) => {
    let sql: string
    if (columns.length === 0) {
      sql = rows.length === 1
        ? `insert into public.${q(rel.name)} as t0 default values`
        : `insert into public.${q(rel.name)} as t0 select from json_array_elements(${params.add(body)}::json)`
    } else {
      sql = `insert into public.${q(rel.name)} as t0 (${columns.map(q).join(', ')}) ${bodyRows(rel, columns, parsed.prefer.missing === 'default', params, body, merge ? ` where ${countInserted('+')}` : '')}`
    }
    if (parsed.prefer.resolution) {
      // Like PostgREST, a merge sets every column of the payload (the conflict columns too), so it
      // needs UPDATE rights on them; only an empty payload turns into DO NOTHING.
      sql += ` on conflict (${conflictCols.map(q).join(', ')}) do ${
        parsed.prefer.resolution === 'ignore-duplicates' || columns.length === 0
          ? 'nothing'
          : `update set ${columns.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')} where ${countInserted('-')}`
      }`
    }
    return returning ? `${sql} returning t0.*` : sql
  }, merge ? 'merge' : 'insert')
}

export async function update(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  const payload = parseBody(req)
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw apiError(400, 'PGRST102', 'Empty or invalid json')
  const columns = Object.keys(payload)
  checkPayloadColumns(rel, columns)
  requireFilter(parsed, 'UPDATE')
  if (columns.length === 0) {
    return { status: parsed.prefer.return === 'representation' ? 200 : 204, headers: { 'Content-Range': '*/*' }, body: parsed.prefer.return === 'representation' ? '[]' : '' }
  }
  return mutate(ctx, req, caller, rel, parsed, 'UPDATE', (params, returning) => {
    const data = params.add(req.body)
    const sets = columns.map((c) => `${q(c)} = pgrst_body.${q(c)}`)
    const where = whereFor(ctx, rel, 't0', parsed, params)
    const sql = `update public.${q(rel.name)} as t0 set ${sets.join(', ')} from json_populate_record(null::public.${q(rel.name)}, ${data}::json) pgrst_body${where}`
    return returning ? `${sql} returning t0.*` : sql
  }, 'change')
}

export async function remove(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  requireFilter(parsed, 'DELETE')
  return mutate(ctx, req, caller, rel, parsed, 'DELETE', (params, returning) => {
    const sql = `delete from public.${q(rel.name)} as t0${whereFor(ctx, rel, 't0', parsed, params)}`
    return returning ? `${sql} returning t0.*` : sql
  }, 'change')
}
