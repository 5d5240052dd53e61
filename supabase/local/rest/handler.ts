/**
 * A PostgREST-compatible handler for /rest/v1: the subset of PostgREST that supabase-js emits, with
 * PostgREST's status codes and error bodies. Every request runs in one transaction under the caller's
 * role with `request.jwt.claims` set, so row-level security decides exactly as on Supabase.
 */
import type { Db, Tx } from '../db'
import type { Keys } from '../keys'
import { JwtError } from '../keys'
import { quoteIdent as q, type Catalog, type DbFunction, type Relation } from './catalog'
import { ApiError, apiError, fromDatabaseError } from './errors'
import { parseCondition, parseLogic, parseNonNegativeInt, parseOrder, parseSelect, type SelectItem } from './parse'
import { Params, QueryBuilder, countSql, emptyLevel, levelSql, type Level, type Levels } from './sql'

export interface RestRequest {
  method: string
  /** Path below /rest/v1, e.g. `/posts` or `/rpc/search_posts`. */
  path: string
  query: URLSearchParams
  headers: Record<string, string | undefined>
  body: string
}

export interface RestResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface RestContext {
  db: Db
  keys: Keys
  catalog(): Catalog
}

const API_ROLES = new Set(['anon', 'authenticated', 'service_role'])
/** PostgREST's db-max-rows as a new Supabase project sets it (Settings → API → Max rows). */
export const MAX_ROWS = 1000

interface Prefer {
  return: 'representation' | 'minimal' | 'headers-only' | null
  count: 'exact' | 'planned' | 'estimated' | null
  resolution: 'merge-duplicates' | 'ignore-duplicates' | null
  missing: 'default' | 'null' | null
  handling: 'strict' | 'lenient'
  applied: string[]
}

function parsePrefer(header: string | undefined): Prefer {
  const p: Prefer = { return: null, count: null, resolution: null, missing: null, handling: 'lenient', applied: [] }
  const invalid: string[] = []
  for (const raw of (header ?? '').split(',')) {
    const item = raw.trim()
    if (!item) continue
    const [k, v] = item.split('=').map((s) => s.trim())
    if (k === 'return' && ['representation', 'minimal', 'headers-only'].includes(v)) p.return = v as Prefer['return']
    else if (k === 'count' && ['exact', 'planned', 'estimated'].includes(v)) p.count = v as Prefer['count']
    else if (k === 'resolution' && ['merge-duplicates', 'ignore-duplicates'].includes(v)) p.resolution = v as Prefer['resolution']
    else if (k === 'missing' && ['default', 'null'].includes(v)) p.missing = v as Prefer['missing']
    else if (k === 'handling' && ['strict', 'lenient'].includes(v)) p.handling = v as Prefer['handling']
    // Supabase runs PostgREST with db-tx-end = commit, which does not let a client choose the end of
    // the transaction: a tx preference is invalid (ignored, or refused with handling=strict).
    else if (k === 'params' && v === 'single-object') continue
    else {
      invalid.push(item)
      continue
    }
    p.applied.push(item)
  }
  if (p.handling === 'strict' && invalid.length) {
    throw apiError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${invalid.join(', ')}`)
  }
  return p
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): RestResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) }
}

export function errorResponse(e: ApiError): RestResponse {
  return json(e.status, e.body, e.headers)
}

/**
 * The role and claims of a request. Like Supabase's gateway, an API key of the project is required (the
 * apikey header or query parameter); the bearer token, when there is one, says who is calling, else the
 * API key itself does. Token errors are PostgREST's.
 */
export async function authenticate(
  keys: Keys,
  headers: RestRequest['headers'],
  query?: URLSearchParams,
): Promise<{ role: string; claims: Record<string, unknown> }> {
  const apikey = headers['apikey'] ?? query?.get('apikey') ?? ''
  if (!apikey) {
    throw new ApiError(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' })
  }
  if (apikey !== keys.anonKey && apikey !== keys.serviceRoleKey) {
    throw new ApiError(401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' })
  }
  const auth = headers['authorization']
  let token = apikey
  if (auth !== undefined) {
    const [scheme, value] = auth.trim().split(/\s+/)
    token = /^bearer$/i.test(scheme ?? '') ? (value ?? '') : ''
  }
  try {
    if (token === '') throw new JwtError('PGRST301', 'Empty JWT is sent in Authorization header')
    const claims = (await keys.verify(token)) as Record<string, unknown>
    const role = typeof claims.role === 'string' ? claims.role : 'anon'
    if (!API_ROLES.has(role)) throw new JwtError('PGRST303', `JWT role "${role}" is not allowed`)
    return { role, claims }
  } catch (e) {
    if (e instanceof JwtError) {
      throw new ApiError(401, { code: e.code, details: null, hint: null, message: e.message }, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${e.message}"`,
      })
    }
    throw e
  }
}

export async function handleRest(ctx: RestContext, req: RestRequest): Promise<RestResponse> {
  let authenticated = false
  try {
    const { role, claims } = await authenticate(ctx.keys, req.headers, req.query)
    authenticated = role !== 'anon'
    return await route(ctx, req, role, claims)
  } catch (e) {
    return errorResponse(fromDatabaseError(e, authenticated))
  }
}

interface Parsed {
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

function parseCommon(req: RestRequest, argNames: Set<string> = new Set()): Parsed {
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

function parseBody(req: RestRequest): unknown {
  const ct = (req.headers['content-type'] ?? 'application/json').toLowerCase()
  if (!ct.includes('json')) throw apiError(415, 'PGRST107', `Content-Type not acceptable: ${ct}`)
  if (req.body.trim() === '') return null
  try {
    return JSON.parse(req.body)
  } catch {
    throw apiError(400, 'PGRST102', 'Empty or invalid json')
  }
}

async function withRequestTransaction<T>(
  ctx: RestContext,
  req: RestRequest,
  role: string,
  claims: Record<string, unknown>,
  readOnly: boolean,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    if (readOnly) await tx.query('set transaction read only')
    await tx.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.method', $3, true), set_config('request.path', $4, true),
              set_config('request.headers', $5, true)`,
      [role, JSON.stringify(claims), req.method, req.path, JSON.stringify(req.headers)],
    )
    return fn(tx)
  })
}

function tableNotFound(cat: Catalog, name: string) {
  const similar = [...cat.relations.keys()].find((r) => r.includes(name) || name.includes(r))
  return apiError(
    404,
    'PGRST205',
    `Could not find the table 'public.${name}' in the schema cache`,
    null,
    similar ? `Perhaps you meant the table 'public.${similar}'` : null,
  )
}

async function route(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>): Promise<RestResponse> {
  const cat = ctx.catalog()
  // supabase-js names the schema in Accept-Profile (reads) or Content-Profile (writes); only public is exposed.
  const profile = ['GET', 'HEAD'].includes(req.method) ? req.headers['accept-profile'] : req.headers['content-profile']
  if (profile !== undefined && profile !== 'public') {
    throw apiError(406, 'PGRST106', `Invalid schema: ${profile}`, null, 'Only the following schemas are exposed: public')
  }
  const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent)
  if (segments.length === 0) {
    return json(200, { swagger: '2.0', info: { title: 'local PostgREST-compatible API' }, paths: Object.fromEntries([...cat.relations.keys()].map((k) => [`/${k}`, {}])) })
  }
  if (segments[0] === 'rpc' && segments.length === 2) return rpc(ctx, req, role, claims, segments[1])
  if (segments.length !== 1) throw apiError(404, 'PGRST125', `Invalid path specified in request URL`)
  const rel = cat.relations.get(segments[0])
  if (!rel) throw tableNotFound(cat, segments[0])

  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return read(ctx, req, role, claims, rel)
    case 'POST':
      return insert(ctx, req, role, claims, rel)
    case 'PATCH':
      return update(ctx, req, role, claims, rel)
    case 'DELETE':
      return remove(ctx, req, role, claims, rel)
    case 'OPTIONS':
      return { status: 200, headers: { Allow: 'OPTIONS,GET,HEAD,POST,PATCH,DELETE' }, body: '' }
    case 'PUT':
      throw apiError(400, 'PGRST127', 'Feature not implemented', 'PUT upserts are not supported by the local backend; use POST with Prefer: resolution=merge-duplicates')
    default:
      throw apiError(405, 'PGRST117', `Unsupported HTTP method: ${req.method}`)
  }
}

function contentRange(offset: number, n: number, total: number | null) {
  const t = total === null ? '*' : String(total)
  return n > 0 ? `${offset}-${offset + n - 1}/${t}` : `*/${t}`
}

/**
 * PostgREST's status for a page of rows: without a count 200; with one, 416 past the end, 206 for a
 * page smaller than the total, else 200.
 */
function rangeStatus(offset: number, n: number, total: number | null): number {
  if (total === null) return 200
  if (offset > total) {
    throw apiError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${offset} was requested, but there are only ${total} rows.`)
  }
  return n < total ? 206 : 200
}

function singleCheck(single: boolean, n: number) {
  if (single && n !== 1) {
    throw apiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${n} rows`)
  }
}

const bodyColumns = (single: boolean) =>
  single
    ? `coalesce((json_agg(pgrst_t)->0)::text, '') as body, count(*) as n`
    : `coalesce(json_agg(pgrst_t), '[]'::json)::text as body, count(*) as n`

/** Rows of `source` (a table, CTE or function call) shaped by select, filters, order and paging. */
async function selectRows(
  tx: Tx,
  cat: Catalog,
  rel: Relation,
  source: string,
  parsed: Parsed,
  params: Params,
  wantCount: boolean,
): Promise<{ body: string; n: number; total: number | null }> {
  const builder = new QueryBuilder(cat, params, parsed.levels)
  const root = builder.buildLevel(rel, source, 't_root', parsed.select, [], null)
  const r = await tx.query(`select ${bodyColumns(parsed.single)} from (${levelSql(root)}) pgrst_t`, params.values)
  let total: number | null = null
  if (wantCount) total = Number((await tx.query(countSql(root), params.values)).rows[0].n)
  return { body: String(r.rows[0].body), n: Number(r.rows[0].n), total }
}

async function read(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>, rel: Relation): Promise<RestResponse> {
  const parsed = parseCommon(req)
  const root = parsed.levels.get('')!
  return withRequestTransaction(ctx, req, role, claims, true, async (tx) => {
    const params = new Params()
    const { body, n, total } = await selectRows(tx, ctx.catalog(), rel, `public.${q(rel.name)}`, parsed, params, parsed.prefer.count !== null)
    const offset = root.offset ?? 0
    const status = rangeStatus(offset, n, total)
    singleCheck(parsed.single, n)
    return {
      status,
      headers: {
        'Content-Type': parsed.single ? 'application/vnd.pgrst.object+json; charset=utf-8' : 'application/json; charset=utf-8',
        'Content-Range': contentRange(offset, n, total),
        ...(parsed.prefer.applied.length ? { 'Preference-Applied': parsed.prefer.applied.join(', ') } : {}),
      },
      body: req.method === 'HEAD' ? '' : body,
    }
  })
}

/** Responds to a mutation, rolling back when a single object was asked for and not exactly one row changed. */
async function mutate(
  ctx: RestContext,
  req: RestRequest,
  role: string,
  claims: Record<string, unknown>,
  rel: Relation,
  parsed: Parsed,
  dml: (params: Params, returning: boolean) => string,
  createdStatus: number,
): Promise<RestResponse> {
  const representation = parsed.prefer.return === 'representation'
  const applied: Record<string, string> = parsed.prefer.applied.length ? { 'Preference-Applied': parsed.prefer.applied.join(', ') } : {}
  return withRequestTransaction(ctx, req, role, claims, false, async (tx) => {
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
    const response: RestResponse = {
      status: representation ? createdStatus : createdStatus === 201 ? 201 : 204,
      headers: {
        ...(representation
          ? { 'Content-Type': parsed.single ? 'application/vnd.pgrst.object+json; charset=utf-8' : 'application/json; charset=utf-8' }
          : {}),
        'Content-Range': `*/${parsed.prefer.count ? n : '*'}`,
        ...applied,
      },
      body: representation ? body : '',
    }
    return response
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

async function insert(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>, rel: Relation): Promise<RestResponse> {
  const parsed = parseCommon(req)
  const payload = parseBody(req)
  if (payload === null || typeof payload !== 'object') throw apiError(400, 'PGRST102', 'Empty or invalid json')
  const rows = (Array.isArray(payload) ? payload : [payload]) as Record<string, unknown>[]
  if (rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw apiError(400, 'PGRST102', 'All object keys must match', 'Every element of a bulk insert must be an object')
  }
  const columnsParam = req.query.get('columns')
  const columns = columnsParam
    ? columnsParam.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))
    : [...new Set(rows.flatMap((r) => Object.keys(r)))]
  checkPayloadColumns(rel, columns)
  const onConflict = req.query.get('on_conflict')?.split(',').map((c) => c.trim())
  if (onConflict) checkPayloadColumns(rel, onConflict)
  const conflictCols = onConflict ?? rel.primaryKey
  if (parsed.prefer.resolution && conflictCols.length === 0) {
    throw apiError(400, 'PGRST127', 'Feature not implemented', `An upsert on '${rel.name}' needs on_conflict or a primary key`)
  }
  return mutate(ctx, req, role, claims, rel, parsed, (params, returning) => {
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

async function update(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>, rel: Relation): Promise<RestResponse> {
  const parsed = parseCommon(req)
  const payload = parseBody(req)
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw apiError(400, 'PGRST102', 'Empty or invalid json')
  const columns = Object.keys(payload)
  checkPayloadColumns(rel, columns)
  if (columns.length === 0) {
    return { status: parsed.prefer.return === 'representation' ? 200 : 204, headers: { 'Content-Range': '*/*' }, body: parsed.prefer.return === 'representation' ? '[]' : '' }
  }
  return mutate(ctx, req, role, claims, rel, parsed, (params, returning) => {
    const data = params.add(JSON.stringify(payload))
    const sets = columns.map((c) => `${q(c)} = (json_populate_record(null::public.${q(rel.name)}, ${data}::json)).${q(c)}`)
    const sql = `update public.${q(rel.name)} as t0 set ${sets.join(', ')}${whereFor(ctx, rel, 't0', parsed, params)}`
    return returning ? `${sql} returning t0.*` : sql
  }, 200)
}

async function remove(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>, rel: Relation): Promise<RestResponse> {
  const parsed = parseCommon(req)
  return mutate(ctx, req, role, claims, rel, parsed, (params, returning) => {
    const sql = `delete from public.${q(rel.name)} as t0${whereFor(ctx, rel, 't0', parsed, params)}`
    return returning ? `${sql} returning t0.*` : sql
  }, 200)
}

// ---------------------------------------------------------------------------------------------------
// RPC
// ---------------------------------------------------------------------------------------------------

/** A `returns table (...)` function's result, described as a relation so select and filters apply. */
function outRelation(fn: DbFunction): Relation {
  return {
    schema: 'public',
    name: fn.name,
    kind: 'view',
    columns: new Map(
      fn.outColumns.map((c) => [
        c.name,
        { name: c.name, type: c.type, udtName: c.type, typeKind: 'b', elementUdt: null, nullable: true, hasDefault: false, generated: false, identity: false },
      ]),
    ),
    primaryKey: [],
    uniques: [],
    insertable: false,
  }
}

function pickFunction(cat: Catalog, name: string, given: string[], singleJsonBody: boolean, viaPost: boolean): DbFunction {
  const candidates = cat.functions.get(name) ?? []
  const matches = candidates.filter((f) => {
    if (singleJsonBody && f.args.length === 1 && f.args[0].name === '' && /^jsonb?$/.test(f.args[0].type)) return true
    const names = new Set(f.args.map((a) => a.name))
    return given.every((g) => names.has(g)) && f.args.every((a) => a.hasDefault || given.includes(a.name))
  })
  if (matches.length === 0) {
    const sorted = [...given].sort()
    const searched = sorted.length ? ` with parameter${sorted.length > 1 ? 's' : ''} ${sorted.join(', ')}` : ' without parameters'
    throw apiError(
      404,
      'PGRST202',
      `Could not find the function public.${name}${sorted.length ? `(${sorted.join(', ')})` : ' without parameters'} in the schema cache`,
      `Searched for the function public.${name}${searched}${viaPost ? ' or with a single unnamed json/jsonb parameter' : ''}, but no matches were found in the schema cache.`,
      candidates.length ? `Perhaps you meant to call the function public.${name}(${candidates[0].args.map((a) => a.name).sort().join(', ')})` : null,
    )
  }
  if (matches.length > 1) {
    throw apiError(300, 'PGRST203', `Could not choose the best candidate function between: ${matches.map((m) => `public.${name}(${m.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`, null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved')
  }
  return matches[0]
}

async function rpc(ctx: RestContext, req: RestRequest, role: string, claims: Record<string, unknown>, name: string): Promise<RestResponse> {
  const cat = ctx.catalog()
  if (!['GET', 'HEAD', 'POST'].includes(req.method)) throw apiError(405, 'PGRST101', `Cannot use the ${req.method} method on RPC`)
  const candidates = cat.functions.get(name) ?? []
  const argNames = new Set(candidates.flatMap((f) => f.args.map((a) => a.name)).filter(Boolean))
  const parsed = parseCommon(req, req.method === 'POST' ? new Set() : argNames)
  let args: Record<string, unknown>
  let rawBody: unknown = null
  if (req.method === 'POST') {
    rawBody = parseBody(req) ?? {}
    args = rawBody !== null && typeof rawBody === 'object' && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {}
  } else {
    args = Object.fromEntries(parsed.rest)
  }
  const fn = pickFunction(cat, name, Object.keys(args), req.method === 'POST' && rawBody !== null && (Array.isArray(rawBody) || Object.keys(args).some((k) => !argNames.has(k))), req.method === 'POST')
  const readOnly = req.method !== 'POST'

  return withRequestTransaction(ctx, req, role, claims, readOnly, async (tx): Promise<RestResponse> => {
    const params = new Params()
    const unnamedJson = fn.args.length === 1 && fn.args[0].name === ''
    let call: string
    if (unnamedJson) {
      call = `public.${q(fn.name)}(${params.add(JSON.stringify(rawBody ?? args))}::${fn.args[0].type})`
    } else {
      const used = fn.args.filter((a) => a.name in args)
      if (used.length) {
        const payload = params.add(JSON.stringify(args))
        const record = used.map((a) => `${q(a.name)} ${a.type}`).join(', ')
        call = `public.${q(fn.name)}(${used.map((a) => `${q(a.name)} => (select pgrst_a.${q(a.name)} from json_to_record(${payload}::json) as pgrst_a(${record}))`).join(', ')})`
      } else {
        call = `public.${q(fn.name)}()`
      }
    }
    const relation = fn.returnsRelation ? cat.relations.get(fn.returnsRelation) : fn.outColumns.length ? outRelation(fn) : undefined
    if (fn.returnsVoid) {
      await tx.query(`select ${call}`, params.values)
      return { status: 204, headers: {}, body: '' }
    }
    if (relation) {
      const { body, n, total } = await selectRows(tx, cat, relation, call, { ...parsed, single: parsed.single || !fn.returnsSet }, params, parsed.prefer.count !== null)
      const offset = parsed.levels.get('')!.offset ?? 0
      const status = rangeStatus(offset, n, total)
      singleCheck(parsed.single, n)
      return {
        status,
        headers: {
          'Content-Type': parsed.single ? 'application/vnd.pgrst.object+json; charset=utf-8' : 'application/json; charset=utf-8',
          'Content-Range': contentRange(offset, n, total),
        },
        body: req.method === 'HEAD' ? '' : body === '' ? 'null' : body,
      }
    }
    const r = fn.returnsSet
      ? await tx.query(`select coalesce(json_agg(t_root.v), '[]'::json)::text as body from ${call} as t_root(v)`, params.values)
      : await tx.query(`select to_json(${call})::text as body`, params.values)
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: req.method === 'HEAD' ? '' : String(r.rows[0].body ?? 'null'),
    }
  })
}
