/**
 * The local project's signing key: an ES256 pair made on first start and kept in the data folder, the
 * JWKS that publishes its public half, and the long-lived anon and service-role API keys signed with it.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose'

export const ISSUER = 'supabase-local'

export interface Keys {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
  /** The private half as a JWK: given to the edge functions that sign user tokens (JWT_SIGNING_KEY). */
  privateJwk: JWK
  anonKey: string
  serviceRoleKey: string
  sign(claims: JWTPayload, opts?: { expiresIn?: string | number }): Promise<string>
  verify(token: string): Promise<JWTPayload>
}

export class JwtError extends Error {
  constructor(
    readonly code: 'PGRST301' | 'PGRST303',
    message: string,
  ) {
    super(message)
  }
}

export async function loadKeys(dataDir: string | undefined): Promise<Keys> {
  let stored: { privateJwk: JWK; anonKey?: string; serviceRoleKey?: string }
  const file = dataDir ? path.join(dataDir, 'signing-key.json') : null
  if (file && existsSync(file)) {
    stored = JSON.parse(await readFile(file, 'utf8'))
  } else {
    const pair = await generateKeyPair('ES256', { extractable: true })
    const privateJwk = await exportJWK(pair.privateKey)
    privateJwk.kid = await calculateJwkThumbprint(privateJwk)
    privateJwk.alg = 'ES256'
    stored = { privateJwk }
  }
  const privateJwk = stored.privateJwk
  const kid = privateJwk.kid!
  const { d: _d, ...publicJwk } = privateJwk
  publicJwk.use = 'sig'
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey
  const publicKey = (await importJWK(publicJwk, 'ES256')) as CryptoKey

  const sign: Keys['sign'] = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .setIssuedAt()
      .setIssuer(ISSUER)
      .setExpirationTime(opts.expiresIn ?? '1h')
      .sign(privateKey)

  const verify: Keys['verify'] = async (token) => {
    if (token.split('.').length !== 3) {
      throw new JwtError('PGRST301', `Expected 3 parts in JWT; got ${token.split('.').length}`)
    }
    try {
      // PostgREST allows 30 seconds of clock skew on exp, nbf and iat.
      const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], clockTolerance: 30 })
      return payload
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new JwtError('PGRST303', 'JWT expired')
      if (e instanceof joseErrors.JWTClaimValidationFailed) throw new JwtError('PGRST303', e.message)
      if (e instanceof joseErrors.JOSEAlgNotAllowed) throw new JwtError('PGRST301', 'Wrong or unknown algorithm')
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new JwtError('PGRST301', 'No suitable key or wrong key type')
      }
      throw new JwtError('PGRST301', 'JWT could not be decoded')
    }
  }

  // The API keys stay the same across restarts, so a client built against them keeps working.
  stored.anonKey ??= await sign({ role: 'anon' }, { expiresIn: '10y' })
  stored.serviceRoleKey ??= await sign({ role: 'service_role' }, { expiresIn: '10y' })
  if (file) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 })
  }
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk,
    privateJwk,
    anonKey: stored.anonKey,
    serviceRoleKey: stored.serviceRoleKey,
    sign,
    verify,
  }
}
