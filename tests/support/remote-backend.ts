/**
 * The contract tests pointed at a real Supabase project instead of the local backend (see README,
 * "Running the contract tests against a real Supabase project"). Set SUPABASE_URL, SUPABASE_ANON_KEY,
 * SUPABASE_SERVICE_ROLE_KEY, SUPABASE_JWT_SIGNING_KEY (a private ES256 JWK the project trusts) and,
 * for the tests that run SQL as superuser, SUPABASE_DB_URL.
 */
import { SignJWT, importJWK, type JWK } from 'jose'
import { openPostgres, type Db } from '../../supabase/local/db'
import type { LocalBackend } from '../../supabase/local/server'

function need(name: string): string {
  const v = process.env[name]
  if (!v) throw new Error(`${name} must be set to run the tests against a Supabase project`)
  return v
}

const unavailable = (what: string) => () => {
  throw new Error(`${what} is not available against a hosted Supabase project`)
}

export async function connectRemoteBackend(): Promise<LocalBackend> {
  const url = need('SUPABASE_URL').replace(/\/$/, '')
  const jwk = JSON.parse(need('SUPABASE_JWT_SIGNING_KEY')) as JWK
  const key = await importJWK(jwk, 'ES256')
  const dbUrl = process.env.SUPABASE_DB_URL
  const db: Db = dbUrl
    ? await openPostgres(dbUrl)
    : (new Proxy({}, { get: () => unavailable('SQL as superuser (set SUPABASE_DB_URL)') }) as Db)
  return {
    url,
    port: Number(new URL(url).port || 443),
    anonKey: need('SUPABASE_ANON_KEY'),
    serviceRoleKey: need('SUPABASE_SERVICE_ROLE_KEY'),
    db,
    signToken: ({ exp, ...claims }: { exp?: number; [k: string]: unknown }, expiresIn?: string | number) =>
      new SignJWT({ role: 'authenticated', aud: 'authenticated', ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: jwk.kid })
        .setIssuedAt()
        .setExpirationTime(exp ?? expiresIn ?? '1h')
        .sign(key),
    async close() {
      if (dbUrl) await db.close()
    },
    get keys(): never {
      return unavailable('the local signing key')()
    },
    catalog: unavailable('the local schema cache'),
    reloadSchema: async () => {
      if (dbUrl) await db.exec(`notify pgrst, 'reload schema'`)
    },
  } as unknown as LocalBackend
}
