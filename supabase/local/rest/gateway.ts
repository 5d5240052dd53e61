/**
 * The gateway: what Supabase's API gateway and PostgREST's JWT check decide before any query is read,
 * namely which project key was sent and which role the request runs as.
 */
import type { Keys } from '../keys'
import { JwtError } from '../keys'
import { ApiError } from './errors'
import type { Caller, RestRequest } from './types'

const API_ROLES = new Set(['anon', 'authenticated', 'service_role'])

/**
 * The role and claims of a request. Like Supabase's gateway, an API key of the project is required (the
 * apikey header or query parameter); the bearer token, when there is one, says who is calling, else the
 * API key itself does. Token errors are PostgREST's.
 */
export async function authenticate(keys: Keys, headers: RestRequest['headers'], query?: URLSearchParams): Promise<Caller> {
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
