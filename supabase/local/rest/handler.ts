/**
 * A PostgREST-compatible handler for /rest/v1: the subset of PostgREST that supabase-js emits, with
 * PostgREST's status codes and error bodies. A request goes one way: gateway (API key, JWT, role) →
 * parse (request → plan) → execute (SQL in one transaction under the caller's role, so row-level
 * security decides exactly as on Supabase) → respond (status, headers, body). This file only routes.
 */
import type { Catalog } from './catalog'
import { apiError, fromDatabaseError } from './errors'
import { authenticate } from './gateway'
import { read } from './read'
import { errorResponse, json } from './respond'
import { rpc } from './rpc'
import type { Caller, RestContext, RestRequest, RestResponse } from './types'
import { insert, remove, update } from './write'

export type { RestContext, RestRequest, RestResponse } from './types'
export { authenticate } from './gateway'
export { errorResponse } from './respond'
export { MAX_BODY_BYTES, MAX_ROWS, parseQueryString } from './request'

/**
 * A request as the server hands it over: the body may be a reader, called only once the caller passed
 * the gateway, so a request without a valid API key or token is refused before its body is read. The
 * reader answers null when it has answered itself (413) or the client went away; then so does this.
 */
export type IncomingRestRequest = Omit<RestRequest, 'body'> & { body: string | (() => Promise<string | null>) }

export async function handleRest(ctx: RestContext, req: IncomingRestRequest): Promise<RestResponse | null> {
  let authenticated = false
  try {
    const caller = await authenticate(ctx.keys, req.headers, req.query)
    authenticated = caller.role !== 'anon'
    const body = typeof req.body === 'string' ? req.body : await req.body()
    if (body === null) return null
    return await route(ctx, { ...req, body }, caller)
  } catch (e) {
    const error = fromDatabaseError(e, authenticated)
    if ('code' in error.body && error.body.code === 'PGRSTX00') ctx.log?.(`rest: ${req.method} ${req.path} failed: ${(e as Error)?.stack ?? e}`)
    return errorResponse(error)
  }
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

async function route(ctx: RestContext, req: RestRequest, caller: Caller): Promise<RestResponse> {
  const cat = ctx.catalog()
  // supabase-js names the schema in Accept-Profile (reads) or Content-Profile (writes); only public is exposed.
  const profile = ['GET', 'HEAD'].includes(req.method) ? req.headers['accept-profile'] : req.headers['content-profile']
  if (profile !== undefined && profile !== 'public') {
    throw apiError(406, 'PGRST106', `Invalid schema: ${profile}`, null, 'Only the following schemas are exposed: public')
  }
  let segments: string[]
  try {
    segments = req.path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    throw apiError(400, 'PGRST100', `"failed to parse path (${req.path})"`, 'malformed percent-encoding')
  }
  if (segments.length === 0) {
    return json(200, { swagger: '2.0', info: { title: 'local PostgREST-compatible API' }, paths: Object.fromEntries([...cat.relations.keys()].map((k) => [`/${k}`, {}])) })
  }
  if (segments[0] === 'rpc' && segments.length === 2) return rpc(ctx, req, caller, segments[1])
  if (segments.length !== 1) throw apiError(404, 'PGRST125', `Invalid path specified in request URL`)
  const rel = cat.relations.get(segments[0])
  if (!rel) throw tableNotFound(cat, segments[0])

  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return read(ctx, req, caller, rel)
    case 'POST':
      return insert(ctx, req, caller, rel)
    case 'PATCH':
      return update(ctx, req, caller, rel)
    case 'DELETE':
      return remove(ctx, req, caller, rel)
    case 'OPTIONS':
      return { status: 200, headers: { Allow: 'OPTIONS,GET,HEAD,POST,PATCH,DELETE' }, body: '' }
    case 'PUT':
      throw apiError(400, 'PGRST127', 'Feature not implemented', 'PUT upserts are not supported by the local backend; use POST with Prefer: resolution=merge-duplicates')
    default:
      throw apiError(405, 'PGRST117', `Unsupported HTTP method: ${req.method}`)
  }
}
