/** POST (insert, upsert), PATCH and DELETE on a table or view. */
import { quoteIdent as q, type Relation } from './catalog'
import { apiError } from './errors'
import { bodyColumns, withRequestTransaction } from './execute'
import { appliedHeader } from './prefer'
import { parseColumns } from './parse'
import { parseBody, parseRequest, type Parsed } from './request'
import { contentType, singleCheck } from './respond'
import { Params, QueryBuilder, emptyLevel, levelSql } from './sql'
import type { Caller, RestContext, RestRequest, RestResponse } from './types'

/** Responds to a mutation, rolling back when a single object was asked for and not exactly one row changed. */
async function mutate(
  ctx: RestContext,
  req: RestRequest,
  caller: Caller,
  rel: Relation,
  parsed: Parsed,
  dml: (params: Params, returning: boolean) => string,
  createdStatus: number,
): Promise<RestResponse> {
  const representation = parsed.prefer.return === 'representation'
  return withRequestTransaction(ctx, req, caller, false, async (tx) => {
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
    return {
      status: representation ? createdStatus : createdStatus === 201 ? 201 : 204,
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

function whereFor(ctx: RestContext, rel: Relation, alias: string, parsed: Parsed, params: Params): string {
  const builder = new QueryBuilder(ctx.catalog(), params, parsed.levels)
  const root = parsed.levels.get('')!
  const parts = root.filters.map((f) => builder.filterSql(rel, alias, f, []))
  return parts.length ? ` where ${parts.join(' and ')}` : ''
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
  const columns = columnsParam !== null ? parseColumns(columnsParam, 'columns parameter') : [...new Set(rows.flatMap((r) => Object.keys(r)))]
  checkPayloadColumns(rel, columns)
  const onConflictParam = req.query.get('on_conflict')
  const onConflict = onConflictParam !== null ? parseColumns(onConflictParam, 'on_conflict parameter') : undefined
  if (onConflict) checkPayloadColumns(rel, onConflict)
  const conflictCols = onConflict ?? rel.primaryKey
  if (parsed.prefer.resolution && conflictCols.length === 0) {
    throw apiError(400, 'PGRST127', 'Feature not implemented', `An upsert on '${rel.name}' needs on_conflict or a primary key`)
  }
  return mutate(ctx, req, caller, rel, parsed, (params, returning) => {
    const data = params.add(JSON.stringify(rows))
    let sql: string
    if (columns.length === 0) {
      sql = `insert into public.${q(rel.name)} as t0 select from json_array_elements(${data}::json)`
      if (rows.length === 1) sql = `insert into public.${q(rel.name)} as t0 default values`
    } else {
      const values = rows.map((r, i) =>
        `(${columns
          .map((c) =>
            c in r || parsed.prefer.missing !== 'default'
              ? `(json_populate_record(null::public.${q(rel.name)}, ${data}::json->${i})).${q(c)}`
              : 'default',
          )
          .join(', ')})`,
      )
      sql = `insert into public.${q(rel.name)} as t0 (${columns.map(q).join(', ')}) values ${values.join(', ')}`
    }
    if (parsed.prefer.resolution) {
      // Like PostgREST, a merge sets every column of the payload (the conflict columns too), so it
      // needs UPDATE rights on them; only an empty payload turns into DO NOTHING.
      sql += ` on conflict (${conflictCols.map(q).join(', ')}) do ${
        parsed.prefer.resolution === 'ignore-duplicates' || columns.length === 0
          ? 'nothing'
          : `update set ${columns.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
      }`
    }
    return returning ? `${sql} returning t0.*` : sql
  }, 201)
}

export async function update(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  const payload = parseBody(req)
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw apiError(400, 'PGRST102', 'Empty or invalid json')
  const columns = Object.keys(payload)
  checkPayloadColumns(rel, columns)
  if (columns.length === 0) {
    return { status: parsed.prefer.return === 'representation' ? 200 : 204, headers: { 'Content-Range': '*/*' }, body: parsed.prefer.return === 'representation' ? '[]' : '' }
  }
  return mutate(ctx, req, caller, rel, parsed, (params, returning) => {
    const data = params.add(JSON.stringify(payload))
    const sets = columns.map((c) => `${q(c)} = (json_populate_record(null::public.${q(rel.name)}, ${data}::json)).${q(c)}`)
    const sql = `update public.${q(rel.name)} as t0 set ${sets.join(', ')}${whereFor(ctx, rel, 't0', parsed, params)}`
    return returning ? `${sql} returning t0.*` : sql
  }, 200)
}

export async function remove(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  return mutate(ctx, req, caller, rel, parsed, (params, returning) => {
    const sql = `delete from public.${q(rel.name)} as t0${whereFor(ctx, rel, 't0', parsed, params)}`
    return returning ? `${sql} returning t0.*` : sql
  }, 200)
}
