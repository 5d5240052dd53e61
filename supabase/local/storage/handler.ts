/**
 * The local /storage/v1: the part of Supabase Storage's object API that storage-js uses, with Storage's
 * routes, answers and errors (supabase/storage src/http/routes/object). Every object is a row in
 * storage.objects written or read under the caller's role with `request.jwt.claims` set, so bucket
 * policies decide exactly as in production; bytes live in ./files.
 *
 *   POST   /object/{bucket}/{name}            upload (raw body or multipart), x-upsert
 *   PUT    /object/{bucket}/{name}            replace an existing object
 *   GET    /object/[authenticated/]{bucket}/{name}   download under the caller's policies
 *   GET    /object/public/{bucket}/{name}     download from a public bucket, no token needed
 *   GET    /object/info/[authenticated/|public/]{bucket}/{name}
 *   POST   /object/sign/{bucket}/{name}       one signed download URL; POST /object/sign/{bucket} many
 *   GET    /object/sign/{bucket}/{name}?token=
 *   POST   /object/upload/sign/{bucket}/{name}   signed upload URL (policy checked now, 2 hours)
 *   PUT    /object/upload/sign/{bucket}/{name}?token=
 *   DELETE /object/{bucket}                   { prefixes }
 *   POST   /object/list/{bucket}              { prefix, limit, offset, sortBy, search }
 *   POST   /object/move, /object/copy
 */
import { createHash, randomUUID } from 'node:crypto'
import type http from 'node:http'
import { readBody } from '../body'
import { SignJWT, jwtVerify, type JWTPayload } from 'jose'
import type { Db, Tx } from '../db'
import type { Keys } from '../keys'
import { errors, fromDatabaseError, StorageApiError } from './errors'
import type { FileStore } from './files'

/** Storage's global upload limit on a hosted project's free plan; a bucket's own limit can only lower it. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024
/** JSON bodies (list, sign, delete, move) are small. */
const MAX_JSON_BYTES = 1024 * 1024
/** Room for multipart boundaries and fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024
/** Signed upload URLs last two hours, as in Supabase. */
const UPLOAD_URL_SECONDS = 2 * 60 * 60
/** Most names one delete or one batch of signed URLs may carry. */
const MAX_BATCH = 1000
/** Storage's object key characters (supabase/storage src/storage/limits.ts). */
const VALID_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, apikey, content-type, cache-control, x-upsert, x-metadata, x-client-info, x-supabase-api-version, content-encoding',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Type, ETag, Last-Modified, Cache-Control',
  'Access-Control-Max-Age': '86400',
}

interface Caller {
  role: 'anon' | 'authenticated' | 'service_role'
  claims: JWTPayload
  /** The token's subject: the owner of what the caller uploads. */
  sub: string | null
  /** The request's headers as JSON, for `request.headers` (Storage sets it for every statement, as PostgREST does). */
  headers: string
}

interface Bucket {
  id: string
  public: boolean
  file_size_limit: number | null
  allowed_mime_types: string[] | null
}

interface Upload {
  bytes: Buffer
  mimetype: string
  cacheControl: string
  userMetadata: unknown
}

interface ObjectRow {
  id: string
  name: string
  bucket_id: string
  version: string | null
  metadata: Record<string, unknown> | null
  user_metadata: unknown
  created_at: string
  updated_at: string
}

export interface StorageContext {
  db: Db
  keys: Keys
  files: FileStore
  log: (line: string) => void
}

type Answer = { status: number; headers: Record<string, string>; body: Buffer | string }

const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
})

/** Answers one request under /storage/v1; reads the body itself, within the limits above. */
export async function handleStorage(ctx: StorageContext, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const send = (a: Answer) => {
    res.writeHead(a.status, { ...CORS_HEADERS, ...a.headers })
    res.end(req.method === 'HEAD' ? undefined : a.body)
  }
  try {
    if (req.method === 'OPTIONS') return send({ status: 204, headers: {}, body: '' })
    send(await route(ctx, req, url))
  } catch (e) {
    let err: StorageApiError
    if (e instanceof StorageApiError) err = e
    else {
      try {
        err = fromDatabaseError(e)
      } catch {
        ctx.log(`storage request failed: ${(e as Error).stack ?? e}`)
        err = errors.internal()
      }
    }
    if (err.code === 'EntityTooLarge') {
      res.shouldKeepAlive = false
      const a = json(err.httpStatus, err.body())
      a.headers.Connection = 'close'
      return send(a)
    }
    send(json(err.httpStatus, err.body()))
  }
}

async function route(ctx: StorageContext, req: http.IncomingMessage, url: URL): Promise<Answer> {
  const method = req.method ?? 'GET'
  const rest = url.pathname.slice('/storage/v1'.length)
  const m = /^\/object\/(.*)$/.exec(rest)
  if (!m) return notFound(method, url)
  const parts = m[1].split('/')
  const head = parts[0]
  const tail = (n: number) => splitTarget(parts.slice(n))

  if (method === 'POST' && head === 'move' && parts.length === 1) return moveOrCopy(ctx, req, 'move')
  if (method === 'POST' && head === 'copy' && parts.length === 1) return moveOrCopy(ctx, req, 'copy')
  if (method === 'POST' && head === 'list' && parts.length === 2) return list(ctx, req, decode(parts[1]))
  if (head === 'sign') {
    if (method === 'POST' && parts.length === 2) return signMany(ctx, req, decode(parts[1]))
    const t = tail(1)
    if (method === 'POST') return signOne(ctx, req, t.bucket, t.name)
    if (method === 'GET' || method === 'HEAD') return signedDownload(ctx, url, t.bucket, t.name)
  }
  if (head === 'upload' && parts[1] === 'sign') {
    const t = tail(2)
    if (method === 'POST') return signUpload(ctx, req, t.bucket, t.name)
    if (method === 'PUT') return signedUpload(ctx, req, url, t.bucket, t.name)
  }
  if (head === 'info' && (method === 'GET' || method === 'HEAD')) {
    if (parts[1] === 'public') return info(ctx, req, tail(2), true)
    return info(ctx, req, tail(parts[1] === 'authenticated' ? 2 : 1), false)
  }
  if ((method === 'GET' || method === 'HEAD') && head === 'public') return download(ctx, req, url, tail(1), true)
  if ((method === 'GET' || method === 'HEAD') && head === 'authenticated') return download(ctx, req, url, tail(1), false)
  if (method === 'DELETE' && parts.length === 1) return remove(ctx, req, decode(head))
  if (parts.length >= 2) {
    const t = tail(0)
    if (method === 'GET' || method === 'HEAD') return download(ctx, req, url, t, false)
    if (method === 'POST') return upload(ctx, req, t.bucket, t.name, req.headers['x-upsert'] === 'true')
    if (method === 'PUT') return update(ctx, req, t.bucket, t.name)
  }
  return notFound(method, url)
}

function notFound(method: string, url: URL): Answer {
  return json(404, { message: `Route ${method}:${url.pathname} not found`, error: 'Not Found', statusCode: 404 })
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw errors.invalidKey(s)
  }
}

function splitTarget(parts: string[]): { bucket: string; name: string } {
  const [bucket, ...rest] = parts
  return { bucket: decode(bucket ?? ''), name: rest.map(decode).join('/') }
}

function mustBeValidKey(name: string) {
  if (!name || !VALID_KEY.test(name)) throw errors.invalidKey(name)
}

// ---------------------------------------------------------------------------------------------------
// who is calling
// ---------------------------------------------------------------------------------------------------

/**
 * The caller, from the bearer token (Storage's jwt plugin): a token is required on every route but the
 * public and signed ones; anything wrong with it is Storage's AccessDenied with jose's message.
 */
async function authenticate(ctx: StorageContext, req: http.IncomingMessage): Promise<Caller> {
  const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '')
  let claims: JWTPayload
  try {
    ;({ payload: claims } = await jwtVerify(token, ctx.keys.publicKey, { algorithms: ['ES256'] }))
  } catch (e) {
    throw errors.accessDenied((e as Error).message)
  }
  const role = typeof claims.role === 'string' ? claims.role : 'anon'
  if (role !== 'anon' && role !== 'authenticated' && role !== 'service_role') {
    throw new StorageApiError(403, 'AccessDenied', 'Unauthorized', 'Access denied: Invalid role', 403)
  }
  return { role, claims, sub: typeof claims.sub === 'string' ? claims.sub : null, headers: JSON.stringify(req.headers) }
}

const SERVICE: Caller = { role: 'service_role', claims: { role: 'service_role' }, sub: null, headers: '{}' }

/**
 * One transaction as the caller: the role, its claims (so auth.uid() and policies see the token), the
 * request's headers (policies may read `request.headers`, as on Supabase) and Storage's permission to delete rows (storage.protect_delete). Role settings such as the statement
 * timeout are applied by hand, since `set local role` does not bring them.
 */
async function asCaller<T>(ctx: StorageContext, caller: Caller | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    if (caller) {
      await tx.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                set_config('request.headers', $3, true),
                set_config('storage.allow_delete_query', 'true', true),
                set_config('statement_timeout', coalesce((
                  select split_part(c, '=', 2) from pg_db_role_setting s join pg_roles r on r.oid = s.setrole,
                         unnest(s.setconfig) c
                   where r.rolname = $1 and s.setdatabase = 0 and c like 'statement_timeout=%'), '0'), true)`,
        [caller.role, JSON.stringify(caller.claims), caller.headers],
      )
    } else {
      await tx.query(`select set_config('storage.allow_delete_query', 'true', true)`)
    }
    return fn(tx)
  })
}

async function findBucket(ctx: StorageContext, id: string): Promise<Bucket | null> {
  const r = await ctx.db.query(
    'select id, public, file_size_limit::float8 as file_size_limit, allowed_mime_types from storage.buckets where id = $1',
    [id],
  )
  return (r.rows[0] as unknown as Bucket | undefined) ?? null
}

async function mustFindBucket(ctx: StorageContext, id: string): Promise<Bucket> {
  const b = await findBucket(ctx, id)
  if (!b) throw errors.noSuchBucket()
  return b
}

const OBJECT_COLUMNS = 'id, name, bucket_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at, owner, owner_id'

async function findObject(tx: Tx, bucket: string, name: string): Promise<ObjectRow> {
  const r = await tx.query(`select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`, [bucket, name])
  if (!r.rows[0]) throw errors.noSuchKey()
  return parseJsonColumns(r.rows[0]) as unknown as ObjectRow
}

// ---------------------------------------------------------------------------------------------------
// bodies
// ---------------------------------------------------------------------------------------------------

/**
 * Reads at most `limit` bytes (../body): past it `tooLarge()` is thrown, answered with Connection: close;
 * a client that went away mid-body ends the request.
 */
async function readLimited(req: http.IncomingMessage, limit: number, tooLarge: () => StorageApiError): Promise<Buffer> {
  const r = await readBody(req, limit)
  if (r === 'over') throw tooLarge()
  if (r === 'aborted') throw new Error('the client went away before its request body arrived')
  return r
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readLimited(req, MAX_JSON_BYTES, () => errors.entityTooLarge())
  try {
    const v = JSON.parse(raw.toString('utf8') || '{}') as unknown
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    /* answered below */
  }
  throw errors.invalidRequest('Body is not valid JSON')
}

function requireString(body: Record<string, unknown>, key: string): string {
  const v = body[key]
  if (typeof v !== 'string') throw errors.invalidRequest(`body must have required property '${key}'`)
  return v
}

function parseUserMetadata(header: string | string[] | undefined): unknown {
  if (typeof header !== 'string') return null
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
  } catch {
    return null
  }
}

/** Storage's mime check: `type/subtype` matched exactly or by `type/*` (src/storage/uploader.ts). */
function validateMimeType(mime: string, allowed: string[] | null) {
  if (!allowed || allowed.length === 0) return
  const [type, sub] = mime.split(';')[0].trim().split('/')
  if (!type || !sub) throw errors.invalidMimeType(mime)
  for (const a of allowed) {
    const [at, as] = a.split('/')
    if (at === type && (as === '*' || as === sub)) return
  }
  throw errors.invalidMimeType(mime)
}

/** The file of an upload request, raw or multipart, held to the bucket's size limit and mime types. */
async function readUpload(req: http.IncomingMessage, bucket: Bucket): Promise<Upload> {
  const limit = Math.min(bucket.file_size_limit ?? MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES)
  const contentType = req.headers['content-type'] ?? ''
  if (contentType.startsWith('multipart/form-data')) {
    const raw = await readLimited(req, limit + MULTIPART_OVERHEAD, () => errors.entityTooLarge())
    let form: FormData
    try {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData()
    } catch {
      throw errors.noContent()
    }
    let file: File | null = null
    for (const [, v] of form) if (typeof v !== 'string' && !file) file = v
    if (!file) throw errors.noContent()
    const fieldType = form.get('contentType')
    const mimetype = (typeof fieldType === 'string' && fieldType) || file.type || 'text/plain'
    validateMimeType(mimetype, bucket.allowed_mime_types)
    if (file.size > limit) throw errors.entityTooLarge()
    const cache = form.get('cacheControl')
    const md = form.get('metadata')
    let userMetadata: unknown = null
    if (typeof md === 'string') {
      try {
        userMetadata = JSON.parse(md)
      } catch {
        userMetadata = null
      }
    }
    return {
      bytes: Buffer.from(await file.arrayBuffer()),
      mimetype,
      cacheControl: typeof cache === 'string' && cache ? `max-age=${cache}` : 'no-cache',
      userMetadata,
    }
  }
  const mimetype = contentType || 'application/octet-stream'
  validateMimeType(mimetype, bucket.allowed_mime_types)
  const bytes = await readLimited(req, limit, () => errors.entityTooLarge())
  return {
    bytes,
    mimetype,
    cacheControl: req.headers['cache-control'] ?? 'no-cache',
    userMetadata: parseUserMetadata(req.headers['x-metadata']),
  }
}

function objectMetadata(u: Upload) {
  return {
    eTag: `"${createHash('md5').update(u.bytes).digest('hex')}"`,
    size: u.bytes.length,
    mimetype: u.mimetype,
    cacheControl: u.cacheControl,
    lastModified: new Date().toUTCString(),
    contentLength: u.bytes.length,
    httpStatusCode: 200,
  }
}

/** jsonb arrives as text (the REST layer's parsers keep it raw); objects go out as JSON values. */
function parseJsonColumns<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row }
  for (const k of ['metadata', 'user_metadata']) {
    if (typeof out[k] === 'string') out[k] = JSON.parse(out[k] as string)
  }
  return out as T
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// ---------------------------------------------------------------------------------------------------
// writes
// ---------------------------------------------------------------------------------------------------

/**
 * Writes the bytes, then the row under `caller`. Like Storage, a write without an owner (the service
 * role has no `sub`) keeps the owner a replaced object had. The row is an insert, or insert … on conflict do update when
 * upserting, which is what Storage's policies see); the bytes are removed again if the row is refused,
 * and the version it replaced once it is committed.
 */
async function store(
  ctx: StorageContext,
  caller: Caller,
  owner: string | null,
  bucket: string,
  name: string,
  u: Upload,
  mode: 'insert' | 'upsert' | 'update',
): Promise<ObjectRow> {
  const version = randomUUID()
  await ctx.files.write(bucket, version, u.bytes)
  try {
    // The version this write may replace, read as the system (the caller may not see it); its bytes go
    // once the new row is committed. (Outside the transaction: PGlite runs one statement at a time.)
    const before = await ctx.db.query('select version from storage.objects where bucket_id = $1 and name = $2', [bucket, name])
    const replaced = (before.rows[0]?.version as string | undefined) ?? null
    const row = await asCaller(ctx, caller, async (tx) => {
      const values = [bucket, name, owner && UUID.test(owner) ? owner : null, owner, JSON.stringify(objectMetadata(u)), JSON.stringify(u.userMetadata), version]
      let r
      if (mode === 'update') {
        r = await tx.query(
          `update storage.objects set owner = case when $4::text is null then owner else $3 end, owner_id = coalesce($4, owner_id), metadata = $5, user_metadata = $6, version = $7, updated_at = now()
            where bucket_id = $1 and name = $2 returning ${OBJECT_COLUMNS}`,
          values,
        )
        if (!r.rows[0]) throw errors.noSuchKey()
      } else {
        r = await tx.query(
          `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
           values ($1, $2, $3, $4, $5, $6, $7)
           ${mode === 'upsert' ? `on conflict (bucket_id, name) do update set
             owner = case when excluded.owner_id is null then storage.objects.owner else excluded.owner end,
             owner_id = coalesce(excluded.owner_id, storage.objects.owner_id), metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version, updated_at = now()` : ''}
           returning ${OBJECT_COLUMNS}`,
          values,
        )
      }
      return parseJsonColumns(r.rows[0]) as unknown as ObjectRow
    })
    if (replaced && replaced !== version) await ctx.files.remove(bucket, replaced)
    return row
  } catch (e) {
    await ctx.files.remove(bucket, version)
    throw e
  }
}

async function upload(ctx: StorageContext, req: http.IncomingMessage, bucketId: string, name: string, upsert: boolean): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  mustBeValidKey(name)
  const bucket = await mustFindBucket(ctx, bucketId)
  const u = await readUpload(req, bucket)
  const row = await store(ctx, caller, caller.sub, bucketId, name, u, upsert ? 'upsert' : 'insert')
  return json(200, { Id: row.id, Key: `${bucketId}/${name}` })
}

async function update(ctx: StorageContext, req: http.IncomingMessage, bucketId: string, name: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  mustBeValidKey(name)
  const bucket = await mustFindBucket(ctx, bucketId)
  const u = await readUpload(req, bucket)
  const row = await store(ctx, caller, caller.sub, bucketId, name, u, 'update')
  return json(200, { Id: row.id, Key: `${bucketId}/${name}` })
}

/** Signed upload URL: the caller's policies are checked now (a row inserted and rolled back), as Storage does. */
async function signUpload(ctx: StorageContext, req: http.IncomingMessage, bucketId: string, name: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  mustBeValidKey(name)
  await mustFindBucket(ctx, bucketId)
  const upsert = req.headers['x-upsert'] === 'true'
  const rollback = new Error('rollback')
  try {
    await asCaller(ctx, caller, async (tx) => {
      await tx.query(
        `insert into storage.objects (bucket_id, name, owner, owner_id, metadata) values ($1, $2, $3, $4, $5)
         ${upsert ? 'on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata' : ''}`,
        [bucketId, name, caller.sub && UUID.test(caller.sub) ? caller.sub : null, caller.sub, JSON.stringify({ mimetype: req.headers['content-type'] ?? null })],
      )
      throw rollback
    })
  } catch (e) {
    if (e !== rollback) throw e
  }
  const url = `${bucketId}/${name}`
  const token = await sign(ctx, { owner: caller.sub ?? undefined, url, upsert, scope: 'upload' }, UPLOAD_URL_SECONDS)
  return json(200, { url: `/object/upload/sign/${url}?token=${token}`, token })
}

async function signedUpload(ctx: StorageContext, req: http.IncomingMessage, url: URL, bucketId: string, name: string): Promise<Answer> {
  const payload = await verifySigned(ctx, url, bucketId, name, 'upload')
  const bucket = await mustFindBucket(ctx, bucketId)
  const u = await readUpload(req, bucket)
  const owner = typeof payload.owner === 'string' ? payload.owner : null
  // The policies were checked when the URL was signed; like Storage, the upload itself runs as the system.
  await store(ctx, SERVICE, owner, bucketId, name, u, payload.upsert === true ? 'upsert' : 'insert')
  return json(200, { Key: `${bucketId}/${name}` })
}

async function remove(ctx: StorageContext, req: http.IncomingMessage, bucketId: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  const body = await readJson(req)
  const prefixes = body.prefixes
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw errors.invalidRequest("body must have required property 'prefixes'")
  if (prefixes.length > MAX_BATCH) throw errors.invalidRequest(`body/prefixes must NOT have more than ${MAX_BATCH} items`)
  const names = prefixes.map((p) => (typeof p === 'string' ? p : typeof p?.path === 'string' ? (p.path as string) : ''))
  const rows = await asCaller(ctx, caller, async (tx) => {
    const r = await tx.query(`delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning ${OBJECT_COLUMNS}`, [bucketId, names])
    return r.rows.map(parseJsonColumns) as unknown as ObjectRow[]
  })
  for (const row of rows) if (row.version) await ctx.files.remove(bucketId, row.version)
  return json(200, rows)
}

async function moveOrCopy(ctx: StorageContext, req: http.IncomingMessage, op: 'move' | 'copy'): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  const body = await readJson(req)
  const bucketId = requireString(body, 'bucketId')
  const sourceKey = requireString(body, 'sourceKey')
  const destinationKey = requireString(body, 'destinationKey')
  const destBucket = typeof body.destinationBucket === 'string' && body.destinationBucket ? body.destinationBucket : bucketId
  mustBeValidKey(sourceKey)
  mustBeValidKey(destinationKey)
  await mustFindBucket(ctx, bucketId)
  if (destBucket !== bucketId) await mustFindBucket(ctx, destBucket)
  const owner = caller.sub
  const ownerUuid = owner && UUID.test(owner) ? owner : null
  if (op === 'move') {
    const row = await asCaller(ctx, caller, async (tx) => {
      await findObject(tx, bucketId, sourceKey)
      const r = await tx.query(
        `update storage.objects set bucket_id = $3, name = $4, owner = $5, owner_id = $6, updated_at = now()
          where bucket_id = $1 and name = $2 returning id, name, version`,
        [bucketId, sourceKey, destBucket, destinationKey, ownerUuid, owner],
      )
      if (!r.rows[0]) throw errors.noSuchKey()
      return r.rows[0] as { id: string; name: string; version: string | null }
    })
    if (destBucket !== bucketId && row.version) {
      await ctx.files.copy(bucketId, row.version, destBucket, row.version)
      await ctx.files.remove(bucketId, row.version)
    }
    return json(200, { message: 'Successfully moved', Id: row.id, Key: row.name })
  }
  const version = randomUUID()
  let copied = false
  try {
    const row = await asCaller(ctx, caller, async (tx) => {
      const src = await findObject(tx, bucketId, sourceKey)
      if (!src.version) throw errors.noSuchKey()
      await ctx.files.copy(bucketId, src.version, destBucket, version)
      copied = true
      const r = await tx.query(
        `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${OBJECT_COLUMNS}`,
        [destBucket, destinationKey, ownerUuid, owner, JSON.stringify(src.metadata), JSON.stringify(src.user_metadata), version],
      )
      return parseJsonColumns(r.rows[0]) as unknown as ObjectRow
    })
    return json(200, { Id: row.id, Key: `${destBucket}/${destinationKey}`, ...row })
  } catch (e) {
    if (copied) await ctx.files.remove(destBucket, version)
    throw e
  }
}

// ---------------------------------------------------------------------------------------------------
// reads
// ---------------------------------------------------------------------------------------------------

function assetAnswer(row: ObjectRow, bytes: Buffer, url: URL, extra: Record<string, string> = {}): Answer {
  const md = row.metadata ?? {}
  const headers: Record<string, string> = {
    'Content-Type': String(md.mimetype ?? 'application/octet-stream'),
    'Content-Length': String(bytes.length),
    'Cache-Control': String(md.cacheControl ?? 'no-cache'),
    'Accept-Ranges': 'bytes',
    'Last-Modified': new Date(row.updated_at).toUTCString(),
    ...extra,
  }
  if (md.eTag) headers.ETag = String(md.eTag)
  const download = url.searchParams.get('download')
  if (download !== null) {
    headers['Content-Disposition'] = download ? `attachment; filename=${encodeURIComponent(download)}` : 'attachment;'
  }
  return { status: 200, headers, body: bytes }
}

async function readBytes(ctx: StorageContext, row: ObjectRow): Promise<Buffer> {
  const bytes = row.version ? await ctx.files.read(row.bucket_id, row.version) : null
  if (!bytes) throw errors.noSuchKey()
  return bytes
}

async function download(ctx: StorageContext, req: http.IncomingMessage, url: URL, t: { bucket: string; name: string }, publicRoute: boolean): Promise<Answer> {
  let row: ObjectRow
  if (publicRoute) {
    const bucket = await findBucket(ctx, t.bucket)
    if (!bucket?.public) throw errors.noSuchBucket()
    row = await asCaller(ctx, null, (tx) => findObject(tx, t.bucket, t.name))
  } else {
    const caller = await authenticate(ctx, req)
    const bucket = await mustFindBucket(ctx, t.bucket)
    // A public bucket's objects need no policy to read; a private one's are read under the caller's.
    row = await asCaller(ctx, bucket.public ? null : caller, (tx) => findObject(tx, t.bucket, t.name))
  }
  return assetAnswer(row, await readBytes(ctx, row), url)
}

async function info(ctx: StorageContext, req: http.IncomingMessage, t: { bucket: string; name: string }, publicRoute: boolean): Promise<Answer> {
  const bucket = await findBucket(ctx, t.bucket)
  let caller: Caller | null = null
  if (publicRoute) {
    if (!bucket?.public) throw errors.noSuchBucket()
  } else {
    caller = await authenticate(ctx, req)
    if (!bucket) throw errors.noSuchBucket()
  }
  const row = await asCaller(ctx, bucket.public ? null : caller, (tx) => findObject(tx, t.bucket, t.name))
  const md = row.metadata ?? {}
  return json(200, {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: md.size ?? null,
    content_type: md.mimetype ?? null,
    cache_control: md.cacheControl ?? null,
    etag: md.eTag ?? null,
    metadata: row.user_metadata ?? null,
    last_modified: row.updated_at,
    created_at: row.created_at,
  })
}

/** Storage's `search` for one level under a prefix: folders (id null) and files, sorted together. */
async function list(ctx: StorageContext, req: http.IncomingMessage, bucketId: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  const body = await readJson(req)
  let prefix = typeof body.prefix === 'string' ? body.prefix : ''
  if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`
  const limit = Math.min(Math.max(Number(body.limit ?? 100) || 100, 1), 1000)
  const offset = Math.max(Number(body.offset ?? 0) || 0, 0)
  const sortBy = (body.sortBy ?? {}) as { column?: string; order?: string }
  const column = ['name', 'updated_at', 'created_at', 'last_accessed_at'].includes(sortBy.column ?? '') ? sortBy.column! : 'name'
  const order = String(sortBy.order ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc'
  const search = typeof body.search === 'string' ? body.search : ''
  const rows = await asCaller(ctx, caller, async (tx) => {
    const r = await tx.query(
      `with o as (
         select id, substr(name, length($2) + 1) as rest, updated_at, created_at, last_accessed_at, metadata
           from storage.objects where bucket_id = $1 and starts_with(name, $2)
       ), entries as (
         select distinct on (split_part(rest, '/', 1)) split_part(rest, '/', 1) as name,
                null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
                null::timestamptz as last_accessed_at, null::jsonb as metadata
           from o where position('/' in rest) > 0
         union all
         select rest, id, updated_at, created_at, last_accessed_at, metadata from o where position('/' in rest) = 0
       )
       select * from entries
        where $3 = '' or name ilike replace(replace(replace($3, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
        order by ${column} ${order} nulls ${order === 'asc' ? 'first' : 'last'}, name ${order}
        limit $4 offset $5`,
      [bucketId, prefix, search, limit, offset],
    )
    return r.rows.map(parseJsonColumns)
  })
  return json(200, rows)
}

// ---------------------------------------------------------------------------------------------------
// signed URLs
// ---------------------------------------------------------------------------------------------------

function sign(ctx: StorageContext, claims: JWTPayload, seconds: number): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: ctx.keys.kid }).setIssuedAt().setExpirationTime(`${seconds}s`).sign(ctx.keys.privateKey)
}

function expiresIn(body: Record<string, unknown>): number {
  const v = body.expiresIn
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.invalidParameter('expiresIn')
  const s = Math.floor(v)
  // jose's and Storage's ceiling: the expiry must stay a safe integer of seconds since the epoch.
  if (s < 1 || s > Number.MAX_SAFE_INTEGER - Math.floor(Date.now() / 1000)) throw errors.invalidParameter('expiresIn')
  return s
}

/** A signed token's checks, in Storage's order: signature and expiry (jose), scope, then the object path. */
async function verifySigned(ctx: StorageContext, url: URL, bucket: string, name: string, scope: 'download' | 'upload'): Promise<JWTPayload> {
  const token = url.searchParams.get('token')
  if (!token) throw errors.invalidRequest("querystring must have required property 'token'")
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, ctx.keys.publicKey, { algorithms: ['ES256'] }))
  } catch (e) {
    throw errors.invalidJwt((e as Error).message)
  }
  if (payload.scope !== scope) throw errors.invalidSignature(`Token is not scoped for ${scope}`)
  if (payload.url !== `${bucket}/${name}`) throw errors.invalidSignature()
  return payload
}

async function signOne(ctx: StorageContext, req: http.IncomingMessage, bucketId: string, name: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  const body = await readJson(req)
  const seconds = expiresIn(body)
  // Signing needs the right to read the object: the lookup runs under the caller's policies.
  await asCaller(ctx, caller, (tx) => findObject(tx, bucketId, name))
  const url = `${bucketId}/${name}`
  const token = await sign(ctx, { url, scope: 'download' }, seconds)
  return json(200, { signedURL: `/object/sign/${url}?token=${token}` })
}

async function signMany(ctx: StorageContext, req: http.IncomingMessage, bucketId: string): Promise<Answer> {
  const caller = await authenticate(ctx, req)
  const body = await readJson(req)
  const seconds = expiresIn(body)
  const paths = body.paths
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw errors.invalidRequest("body must have required property 'paths'")
  if (paths.length > MAX_BATCH) throw errors.invalidRequest(`body/paths must NOT have more than ${MAX_BATCH} items`)
  const visible = await asCaller(ctx, caller, async (tx) => {
    const r = await tx.query('select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [bucketId, paths])
    return new Set(r.rows.map((x) => String(x.name)))
  })
  const out = await Promise.all(
    (paths as string[]).map(async (p) => {
      if (!visible.has(p)) return { error: 'Either the object does not exist or you do not have access to it', path: p, signedURL: null }
      const url = `${bucketId}/${p}`
      return { error: null, path: p, signedURL: `/object/sign/${url}?token=${await sign(ctx, { url, scope: 'download' }, seconds)}` }
    }),
  )
  return json(200, out)
}

async function signedDownload(ctx: StorageContext, url: URL, bucketId: string, name: string): Promise<Answer> {
  const payload = await verifySigned(ctx, url, bucketId, name, 'download')
  const row = await asCaller(ctx, null, (tx) => findObject(tx, bucketId, name))
  return assetAnswer(row, await readBytes(ctx, row), url, { Expires: new Date(Number(payload.exp) * 1000).toUTCString() })
}
