/**
 * The local backend: one HTTP server that speaks the parts of a Supabase project's API the app uses,
 * on PGlite (default) or a real PostgreSQL server. See ARCHITECTURE.md §2.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { readBody } from './body'
import { openPglite, openPostgres, type Db } from './db'
import { FunctionStartError, FunctionsRunner } from './functions/runner'
import { loadKeys, type Keys } from './keys'
import { migrate, supabaseDir } from './migrate'
import { loadCatalog, type Catalog } from './rest/catalog'
import { errorResponse, handleRest, MAX_BODY_BYTES, parseQueryString } from './rest/handler'
import { fromDatabaseError } from './rest/errors'
import { startScheduler, type Scheduler } from './scheduler'
import { openFileStore } from './storage/files'
import { handleStorage } from './storage/handler'
import { FAKE_WECHAT_APP_ID, FAKE_WECHAT_APP_SECRET, FAKE_WECHAT_PUSH_TOKEN } from './wechat/handlers'
import { startFakeWechat, type FakeWechat } from './wechat/server'
import { LOCAL_WECHAT_TEMPLATES } from './wechat/templates'

/** The body of a 503 for a function that cannot start (its short code is what support asks for). */
export const FUNCTION_UNAVAILABLE = { code: 'FUNCTION_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' } as const

export interface LocalBackendOptions {
  /** 0 picks a free port. Default 54321. */
  port?: number
  host?: string
  /** Folder for the PGlite database, the signing key and env.json; null keeps everything in memory. */
  dataDir?: string | null
  /** Use this PostgreSQL server instead of PGlite. */
  databaseUrl?: string
  /** Start from an empty database (drops what the data folder or the server's database holds). */
  reset?: boolean
  /** PGlite only: start from this copy of a data folder (PGlite's dumpDataDir) instead of an empty one. */
  loadDataDir?: Blob
  migrationsDir?: string
  seedFile?: string | null
  functionsDir?: string
  functionsEnvFile?: string
  /**
   * Variables for every function, applied last. The local backend already gives JWT_SIGNING_KEY (its
   * private key, so functions can sign user tokens), ALLOW_DEMO_LOGIN=true, and WECHAT_APP_ID,
   * WECHAT_APP_SECRET and WECHAT_API_BASE for the fake WeChat API, WECHAT_TEMPLATES (./wechat/templates)
   * and WECHAT_MINIPROGRAM_STATE=developer; a test can override them to run the functions under a
   * production configuration. Passing WECHAT_API_BASE means no fake WeChat is started.
   */
  functionsEnv?: Record<string, string>
  /** The local pg_cron (./scheduler): on by default; false turns it off. */
  scheduler?: boolean | { intervalMs?: number }
  log?: (line: string) => void
}

export interface LocalBackend {
  url: string
  port: number
  anonKey: string
  serviceRoleKey: string
  keys: Keys
  db: Db
  catalog(): Catalog
  reloadSchema(): Promise<void>
  /** Signs a user token the way the wechat-login function does. */
  signToken(claims: { sub: string; role?: string; exp?: number; [k: string]: unknown }, expiresIn?: string | number): Promise<string>
  /** The fake WeChat API the functions call (null when functionsEnv gave WECHAT_API_BASE). */
  wechat: FakeWechat | null
  /** The local pg_cron calling notify-dispatch (null when turned off). */
  scheduler: Scheduler | null
  close(): Promise<void>
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, apikey, content-type, prefer, range, range-unit, accept, accept-profile, content-profile, x-client-info, x-supabase-api-version, x-retry-count',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Location, Preference-Applied, Location, X-Relay-Error-Message',
  'Access-Control-Max-Age': '86400',
}

/** Bytes of a request body outside /rest/v1 (function calls) the server reads at most. */
const MAX_OTHER_BODY_BYTES = 50 * 1024 * 1024
/** Time a client has to send its headers, and its whole request (slow senders hold no connection longer). */
const HEADERS_TIMEOUT_MS = 15_000
const REQUEST_TIMEOUT_MS = 30_000

/**
 * The functions supabase/config.toml deploys with `verify_jwt = false` (`[functions.<name>]` sections):
 * the CLI's setting, read here so the local gateway lets the same requests through as production.
 */
export async function functionsWithoutJwt(configFile: string): Promise<Set<string>> {
  let text: string
  try {
    text = await readFile(configFile, 'utf8')
  } catch {
    return new Set()
  }
  const out = new Set<string>()
  let section: string | null = null
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim()
    const header = /^\[([^\]]+)\]$/.exec(line)
    if (header) {
      section = /^functions\.([A-Za-z0-9_-]+)$/.exec(header[1].trim())?.[1] ?? null
      continue
    }
    if (section && /^verify_jwt\s*=\s*false$/.test(line)) out.add(section)
  }
  return out
}

async function resetPostgres(db: Db) {
  await db.exec(`
    drop schema if exists public, private, auth, storage, extensions, supabase_migrations cascade;
    create schema public;
    grant usage on schema public to public;
    grant create on schema public to current_user;
  `)
}

export async function startLocalBackend(opts: LocalBackendOptions = {}): Promise<LocalBackend> {
  const log = opts.log ?? (() => undefined)
  const dataDir = opts.dataDir === undefined ? path.resolve(supabaseDir, '..', '.local') : opts.dataDir
  if (dataDir) await mkdir(dataDir, { recursive: true })

  let db: Db
  if (opts.databaseUrl) {
    db = await openPostgres(opts.databaseUrl)
    if (opts.reset) await resetPostgres(db)
  } else {
    const dbDir = dataDir ? path.join(dataDir, 'db') : undefined
    if (opts.reset && dbDir) await rm(dbDir, { recursive: true, force: true })
    db = await openPglite(dbDir, { loadDataDir: opts.loadDataDir })
  }

  const keys = await loadKeys(dataDir ?? undefined)
  await migrate(db, { migrationsDir: opts.migrationsDir, seedFile: opts.seedFile, log })

  let catalog = await db.transaction((tx) => loadCatalog(tx))
  // Reloads run one after another, so a slow earlier reload never replaces a newer cache.
  let reloading: Promise<void> = Promise.resolve()
  const reloadSchema = () => {
    reloading = reloading
      .catch(() => undefined)
      .then(async () => {
        catalog = await db.transaction((tx) => loadCatalog(tx))
        log('schema cache reloaded')
      })
    return reloading
  }
  const unlisten = await db.listen('pgrst', (payload) => {
    if (payload === '' || payload === 'reload schema') void reloadSchema().catch((e) => log(`schema reload failed: ${e}`))
  })

  // The fake WeChat API (./wechat), unless the functions are pointed at another one.
  const wechat = opts.functionsEnv?.WECHAT_API_BASE ? null : await startFakeWechat({ host: opts.host })

  let baseUrl = ''
  const noJwtFunctions = await functionsWithoutJwt(path.join(supabaseDir, 'config.toml'))
  const functions = new FunctionsRunner({
    functionsDir: opts.functionsDir ?? path.join(supabaseDir, 'functions'),
    envFile: opts.functionsEnvFile ?? path.join(opts.functionsDir ?? path.join(supabaseDir, 'functions'), '.env'),
    env: () => ({
      SUPABASE_URL: baseUrl,
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      JWT_SIGNING_KEY: JSON.stringify(keys.privateJwk),
      ALLOW_DEMO_LOGIN: 'true',
      WECHAT_APP_ID: FAKE_WECHAT_APP_ID,
      WECHAT_APP_SECRET: FAKE_WECHAT_APP_SECRET,
      ...(wechat ? { WECHAT_API_BASE: wechat.url } : {}),
      WECHAT_TEMPLATES: JSON.stringify(LOCAL_WECHAT_TEMPLATES),
      WECHAT_MINIPROGRAM_STATE: 'developer',
      WECHAT_PUSH_TOKEN: FAKE_WECHAT_PUSH_TOKEN,
      ...opts.functionsEnv,
    }),
    log,
  })
  const ctx = { db, keys, catalog: () => catalog, log }
  const storage = { db, keys, files: await openFileStore(dataDir), log }

  const json = { 'Content-Type': 'application/json; charset=utf-8' }
  const tooLarge = (isRest: boolean) => {
    const limit = isRest ? MAX_BODY_BYTES : MAX_OTHER_BODY_BYTES
    return JSON.stringify({
      code: 'PGRST413',
      details: `The request body is larger than ${limit} bytes.`,
      hint: isRest ? 'Send the rows in several smaller requests.' : null,
      message: 'Request body too large',
    })
  }

  // The way of a request: route and headers first (API key, token, function name), the body only for a
  // request that passed them, as Supabase's gateway does; so an anonymous client cannot make the server
  // wait for, or hold, a body it will refuse anyway.
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    // Storage reads its own bodies, within each bucket's limits (./storage).
    if (url.pathname.startsWith('/storage/v1/')) return handleStorage(storage, req, res, url)
    const isRest = url.pathname.startsWith('/rest/v1')
    let bodyRead = false
    const send = (status: number, headers: Record<string, string>, payload: string | Buffer) => {
      if (res.headersSent || res.destroyed) return
      // Header names are case-insensitive: a function's own CORS headers (lower case through fetch's
      // Headers) replace ours instead of doubling them ("*, *" is refused by browsers).
      const merged: Record<string, string> = {}
      for (const [name, value] of Object.entries({ ...CORS_HEADERS, ...headers })) merged[name.toLowerCase()] = value
      // A body that was never read (or was refused) leaves the connection unusable: close it after this.
      if (!bodyRead) {
        merged.connection = 'close'
        res.shouldKeepAlive = false
      }
      res.writeHead(status, merged)
      res.end(req.method === 'HEAD' ? undefined : payload)
    }
    /** The body, or null when an answer was already given (413) or the client is gone. */
    const body = async (): Promise<Buffer | null> => {
      const r = await readBody(req, isRest ? MAX_BODY_BYTES : MAX_OTHER_BODY_BYTES)
      if (r === 'aborted') {
        res.destroy()
        return null
      }
      if (r === 'over') {
        // Past the limit the body was never kept; the connection closes once this answer is sent.
        send(413, json, tooLarge(isRest))
        return null
      }
      bodyRead = true
      return r
    }

    if (req.method === 'OPTIONS') return send(204, {}, '')
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v

    if (isRest) {
      let query: URLSearchParams
      try {
        query = parseQueryString(url.search)
      } catch (e) {
        const r = errorResponse(fromDatabaseError(e, false))
        return send(r.status, r.headers, r.body)
      }
      const r = await handleRest(ctx, {
        method: req.method ?? 'GET',
        path: url.pathname.slice('/rest/v1'.length) || '/',
        query,
        headers,
        // Read only once the caller passed the gateway (handleRest asks after authenticating).
        body: async () => {
          const b = await body()
          return b === null ? null : b.toString('utf8')
        },
      })
      if (r === null) return // 413 sent, or the client went away
      return send(r.status, r.headers, r.body)
    }
    if (url.pathname === '/auth/v1/.well-known/jwks.json') {
      return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ keys: [{ ...keys.publicJwk, key_ops: ['verify'] }] }))
    }
    const fm = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(url.pathname)
    if (fm) {
      const name = fm[1]
      if (!functions.has(name)) {
        return send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ code: 'NOT_FOUND', message: 'Requested function was not found' }))
      }
      // Like Supabase, a function is reached only with a valid project JWT (the anon key will do),
      // unless supabase/config.toml deploys it with verify_jwt = false (it then checks its callers itself).
      if (!noJwtFunctions.has(name)) {
        const token = /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '')?.[1]
        if (!token) return send(401, { 'Content-Type': 'application/json' }, JSON.stringify({ code: 'UNAUTHORIZED_NO_AUTH_HEADER', message: 'Missing authorization header' }))
        try {
          await keys.verify(token)
        } catch {
          return send(401, { 'Content-Type': 'application/json' }, JSON.stringify({ code: 'UNAUTHORIZED_INVALID_JWT_FORMAT', message: 'Invalid JWT' }))
        }
      }
      const payload = await body()
      if (payload === null) return
      let upstream: Response
      try {
        upstream = await functions.invoke(name, { method: req.method ?? 'GET', subpath: fm[2] ?? '', search: url.search, headers, body: payload })
      } catch (e) {
        if (!(e instanceof FunctionStartError)) throw e
        log(`[${name}] ${e.details}`)
        // What Supabase's edge runtime answers for a function that fails to boot is a 503; the
        // person sees a Chinese message, the details stay in this log.
        return send(503, { 'Content-Type': 'application/json' }, JSON.stringify(FUNCTION_UNAVAILABLE))
      }
      const outHeaders: Record<string, string> = {}
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) outHeaders[k] = v
      })
      return send(upstream.status, outHeaders, Buffer.from(await upstream.arrayBuffer()))
    }
    if (url.pathname === '/' || url.pathname === '/health') {
      return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ status: 'ok', db: db.kind }))
    }
    return send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ message: 'no Route matched with those values' }))
  }

  const server = http.createServer((req, res) => {
    // A client that goes away is not an error of ours; without a listener Node would throw it.
    req.on('error', () => undefined)
    handle(req, res).catch((e) => {
      log(`request failed: ${(e as Error).stack ?? e}`)
      if (res.headersSent || res.destroyed) return void res.destroy()
      // Never an internal message (paths, SQL) in an answer: the log has it.
      res.writeHead(500, { ...CORS_HEADERS, 'Content-Type': 'application/json', Connection: 'close' })
      res.end(JSON.stringify({ code: 'INTERNAL', message: '服务器内部错误，请稍后再试' }))
    })
  })
  server.headersTimeout = HEADERS_TIMEOUT_MS
  server.requestTimeout = REQUEST_TIMEOUT_MS

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 54321, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`
  // The fake WeChat pushes its wxa_media_check events where WeChat's message push would.
  wechat?.setPushUrl(`${baseUrl}/functions/v1/wechat-events`)

  const scheduler =
    opts.scheduler === false
      ? null
      : startScheduler({
          db,
          url: () => baseUrl,
          serviceRoleKey: keys.serviceRoleKey,
          hasDispatcher: () => functions.has('notify-dispatch'),
          hasContentCheck: () => functions.has('content-check'),
          intervalMs: typeof opts.scheduler === 'object' ? opts.scheduler.intervalMs : undefined,
          log,
        })

  if (dataDir) {
    await writeFile(
      path.join(dataDir, 'env.json'),
      JSON.stringify({ url: baseUrl, anonKey: keys.anonKey, serviceRoleKey: keys.serviceRoleKey, database: db.kind }, null, 2),
    )
  }

  return {
    url: baseUrl,
    port,
    anonKey: keys.anonKey,
    serviceRoleKey: keys.serviceRoleKey,
    keys,
    db,
    catalog: () => catalog,
    reloadSchema,
    signToken: (claims, expiresIn) => {
      const { exp, ...rest } = claims
      return keys.sign({ role: 'authenticated', ...rest, ...(exp ? { exp } : {}) }, { expiresIn: exp ?? expiresIn ?? '1h' })
    },
    wechat,
    scheduler,
    async close() {
      await scheduler?.stop()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await functions.close()
      await storage.files.close()
      await wechat?.close()
      await unlisten()
      await db.close()
    },
  }
}
