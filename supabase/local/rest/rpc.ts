/** Functions under /rpc/<name>: GET and HEAD with query-string arguments, POST with a JSON body. */
import { quoteIdent as q, type Catalog, type DbFunction, type Relation } from './catalog'
import { apiError } from './errors'
import { selectRows, withRequestTransaction } from './execute'
import { checkMaxAffected } from './prefer'
import { parseBody, parseRequest, refuseCsv } from './request'
import { contentRange, contentType, rangeStatus, singleCheck } from './respond'
import { Params } from './sql'
import type { Caller, RestContext, RestRequest, RestResponse } from './types'

/** A `returns table (...)` function's result, described as a relation so select and filters apply. */
function outRelation(fn: DbFunction): Relation {
  return {
    schema: 'public',
    name: fn.name,
    kind: 'view',
    columns: new Map(
      fn.outColumns.map((c) => [
        c.name,
        { name: c.name, type: c.type, udtName: c.type, typeKind: 'b', elementUdt: null, nullable: true, hasDefault: false, generated: false, identity: false, defaultSql: null },
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

/**
 * A JSON array body, read as PostgREST (v12 on, which dropped bulk calls) reads it: its objects must all
 * have the same keys, and the function is called once, with the first object's values. An empty array
 * names no argument, so the function is called without arguments, exactly as PostgREST calls it.
 */
function argumentsOfArray(body: unknown[]): Record<string, unknown> {
  if (body.length === 0) return {}
  const first = body[0]
  const keysOf = (o: unknown) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o).sort().join('\u0000') : null)
  const keys = keysOf(first)
  if (keys === null || body.some((o) => keysOf(o) !== keys)) throw apiError(400, 'PGRST102', 'All object keys must match')
  return first as Record<string, unknown>
}

export async function rpc(ctx: RestContext, req: RestRequest, caller: Caller, name: string): Promise<RestResponse> {
  const cat = ctx.catalog()
  if (!['GET', 'HEAD', 'POST'].includes(req.method)) throw apiError(405, 'PGRST101', `Cannot use the ${req.method} method on RPC`)
  const candidates = cat.functions.get(name) ?? []
  const argNames = new Set(candidates.flatMap((f) => f.args.map((a) => a.name)).filter(Boolean))
  const parsed = parseRequest(req, cat, req.method === 'POST' ? new Set() : argNames)
  refuseCsv(req, parsed)
  let args: Record<string, unknown>
  let rawBody: unknown = null
  if (req.method === 'POST') {
    rawBody = parseBody(req) ?? {}
    args = Array.isArray(rawBody) ? argumentsOfArray(rawBody) : rawBody !== null && typeof rawBody === 'object' ? (rawBody as Record<string, unknown>) : {}
  } else {
    args = Object.fromEntries(parsed.rest)
  }
  const fn = pickFunction(cat, name, Object.keys(args), req.method === 'POST' && rawBody !== null && (Array.isArray(rawBody) || Object.keys(args).some((k) => !argNames.has(k))), req.method === 'POST')
  const readOnly = req.method !== 'POST'
  if (parsed.prefer.handling === 'strict' && parsed.prefer.maxAffected !== null && !fn.returnsSet) {
    throw apiError(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict')
  }

  return withRequestTransaction(ctx, req, caller, readOnly, async (tx): Promise<RestResponse> => {
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
    // PostgREST counts a function's result exactly for count=exact and count=estimated, and does not
    // plan one for count=planned (MainTx.hs: only reads use the planner's estimate).
    const rpcCount = parsed.prefer.count === 'exact' || parsed.prefer.count === 'estimated' ? 'exact' : null
    const relation = fn.returnsRelation ? cat.relations.get(fn.returnsRelation) : fn.outColumns.length ? outRelation(fn) : undefined
    if (fn.returnsVoid) {
      await tx.query(`select ${call}`, params.values)
      return { status: 204, headers: {}, body: '' }
    }
    if (relation) {
      const { body, n, total } = await selectRows(tx, cat, relation, call, { ...parsed, single: parsed.single || !fn.returnsSet }, params, rpcCount)
      const offset = parsed.levels.get('')!.offset ?? 0
      const status = rangeStatus(offset, n, total)
      singleCheck(parsed.single, n)
      checkMaxAffected(parsed.prefer, n)
      return {
        status,
        headers: {
          'Content-Type': contentType(parsed.single),
          'Content-Range': contentRange(offset, n, total),
        },
        body: req.method === 'HEAD' ? '' : body === '' ? 'null' : body,
      }
    }
    const r = fn.returnsSet
      ? await tx.query(`select coalesce(json_agg(t_root.v), '[]'::json)::text as body, count(*) as n from ${call} as t_root(v)`, params.values)
      : await tx.query(`select to_json(${call})::text as body`, params.values)
    // A scalar result is one row; a set of scalars as many as it holds (PostgREST's page count).
    const n = fn.returnsSet ? Number(r.rows[0].n) : 1
    if (fn.returnsSet) checkMaxAffected(parsed.prefer, n)
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Range': contentRange(0, n, rpcCount ? n : null) },
      body: req.method === 'HEAD' ? '' : String(r.rows[0].body ?? 'null'),
    }
  })
}
