// Our user tokens: ES256, signed with the project's own signing key (JWT_SIGNING_KEY, a private JWK whose
// public half the project publishes in its JWKS), so PostgREST and Storage accept them as they accept
// Supabase Auth's tokens. And the other direction: verifying a caller's token against that JWKS.
import { SignJWT, createRemoteJWKSet, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTVerifyGetKey } from 'npm:jose@6'
import { AppError } from './errors.ts'
import type { Env } from './http.ts'

/** How long a user token lives. Expiry means a silent re-login with a new wx.login code. */
export const USER_TOKEN_TTL_SECONDS = 2 * 60 * 60

export interface SigningKey {
  kid: string
  key: CryptoKey
}

let cached: { json: string; key: Promise<SigningKey> } | null = null

/** The private key from JWT_SIGNING_KEY (JSON JWK with kid); anything unusable is `server_misconfigured`. */
export function signingKeyFromEnv(env: Env): Promise<SigningKey> {
  const json = env('JWT_SIGNING_KEY')?.trim() ?? ''
  if (cached?.json === json) return cached.key
  const key = importSigningKey(json)
  cached = { json, key }
  key.catch(() => {
    if (cached?.key === key) cached = null
  })
  return key
}

async function importSigningKey(json: string): Promise<SigningKey> {
  const misconfigured = (detail: string) => new AppError('server_misconfigured', undefined, { detail: `JWT_SIGNING_KEY ${detail}` })
  if (!json) throw misconfigured('is not set')
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw misconfigured('is not JSON')
  }
  // One JWK; also accepted: an array of keys (as `supabase gen signing-key` writes them) or a JWKS, whose
  // first private key is used.
  const list = Array.isArray(parsed) ? parsed : Array.isArray((parsed as { keys?: unknown })?.keys) ? (parsed as { keys: unknown[] }).keys : [parsed]
  const jwk = (list.find((k) => typeof k === 'object' && k !== null && 'd' in k) ?? list[0] ?? {}) as JWK
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) throw misconfigured('must be a private EC P-256 JWK (ES256)')
  if (!jwk.kid) throw misconfigured('has no kid (the key id published in the JWKS)')
  try {
    const key = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey
    return { kid: jwk.kid, key }
  } catch (e) {
    throw misconfigured(`cannot be imported: ${e}`)
  }
}

export interface UserTokenClaims {
  sub: string
  /** Informational only, for the client's first screen: the database decides what a person may do. */
  appRole: string
  /** Issuer, as Supabase Auth sets it: `${SUPABASE_URL}/auth/v1`. */
  issuer?: string
}

/** A user token for `sub`: role and aud `authenticated`, iat now, exp in two hours. */
export async function signUserToken(
  key: SigningKey,
  claims: UserTokenClaims,
  nowMs: number,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(nowMs / 1000)
  const expiresAt = iat + USER_TOKEN_TTL_SECONDS
  const jwt = new SignJWT({ role: 'authenticated', app_role: claims.appRole })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    .setSubject(claims.sub)
    .setAudience('authenticated')
    .setIssuedAt(iat)
    .setExpirationTime(expiresAt)
  if (claims.issuer) jwt.setIssuer(claims.issuer)
  return { token: await jwt.sign(key.key), expiresAt }
}

export interface Caller {
  /** The person's id (profiles.id). */
  sub: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Verifies the caller's `Authorization: Bearer <token>` against the project's JWKS
 * (`${SUPABASE_URL}/auth/v1/.well-known/jwks.json`, fetched once and cached by jose) and insists on a
 * signed-in person: role `authenticated` and a uuid `sub`. The anon or service-role key is not a person.
 * Missing, malformed, forged or expired → 401 `unauthorized`.
 */
export function createCallerVerifier(supabaseUrl: string, now: () => number): (authorization: string | null) => Promise<Caller> {
  let jwks: JWTVerifyGetKey | null = null
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) throw new AppError('unauthorized', '请先登录')
    if (!supabaseUrl) throw new AppError('server_misconfigured', undefined, { detail: 'SUPABASE_URL is not set' })
    jwks ??= createRemoteJWKSet(new URL(`${supabaseUrl.replace(/\/+$/, '')}/auth/v1/.well-known/jwks.json`))
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['ES256', 'RS256'],
        currentDate: new Date(now()),
      }))
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout || (e instanceof TypeError && !(e instanceof joseErrors.JOSEError))) {
        // We could not fetch our own JWKS: not the caller's fault.
        throw new AppError('internal', undefined, { cause: e, detail: `JWKS unavailable: ${e}` })
      }
      const expired = e instanceof joseErrors.JWTExpired
      throw new AppError('unauthorized', expired ? '登录已过期，请重新登录' : undefined, { detail: `caller token rejected: ${e}` })
    }
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
      throw new AppError('unauthorized', '请先登录', { detail: `token role ${String(payload.role)} is not a signed-in person` })
    }
    return { sub: payload.sub }
  }
}

/** Equal strings, compared in time that does not depend on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a)
  const y = new TextEncoder().encode(b)
  let diff = x.length ^ y.length
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return diff === 0
}

/**
 * For functions only the system may call (the push dispatcher, run by pg_cron): `Authorization: Bearer`
 * must be the project's service-role key (SUPABASE_SERVICE_ROLE_KEY, as the platform gives it to every
 * function: on hosted Supabase the legacy HS256 service_role JWT, which no JWKS publishes) or a project
 * JWT, verified against the JWKS, whose role is `service_role`.
 * Missing, malformed, forged or expired → 401 `unauthorized`; a valid token of another role (the anon
 * key, a person) → 403 `forbidden`.
 */
export function createServiceRoleVerifier(
  supabaseUrl: string,
  serviceRoleKey: string,
  now: () => number,
): (authorization: string | null) => Promise<void> {
  let jwks: JWTVerifyGetKey | null = null
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) throw new AppError('unauthorized', '缺少服务密钥', { detail: 'no bearer token' })
    if (serviceRoleKey && constantTimeEqual(token, serviceRoleKey)) return
    if (!supabaseUrl) throw new AppError('server_misconfigured', undefined, { detail: 'SUPABASE_URL is not set' })
    jwks ??= createRemoteJWKSet(new URL(`${supabaseUrl.replace(/\/+$/, '')}/auth/v1/.well-known/jwks.json`))
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jwtVerify(token, jwks, { algorithms: ['ES256', 'RS256'], currentDate: new Date(now()) }))
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout || (e instanceof TypeError && !(e instanceof joseErrors.JOSEError))) {
        throw new AppError('internal', undefined, { cause: e, detail: `JWKS unavailable: ${e}` })
      }
      throw new AppError('unauthorized', '服务密钥无效', { detail: `token rejected: ${e}` })
    }
    if (payload.role !== 'service_role') {
      throw new AppError('forbidden', '只有系统可以调用该功能', { detail: `token role ${String(payload.role)} is not service_role` })
    }
  }
}
