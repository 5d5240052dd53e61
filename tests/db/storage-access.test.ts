/**
 * The access matrix of the storage buckets: every persona × read / upload / replace / delete in each
 * bucket, through supabase-js's storage client against /storage/v1, so the policies on storage.objects
 * (supabase/migrations/20261201140000_storage_buckets_and_policies.sql) decide as they do in production.
 * Then the malicious attempts: another person's folder, `..` and empty segments, oversize, a wrong type,
 * a forged token, deleting rows behind Storage's back.
 *
 * How to read a cell:
 *   OK        the request succeeds (read: the bytes come back)
 *   HIDDEN    Storage answers 404 NoSuchKey: the policies hide the object from this persona
 *   RLS       Storage answers 403 AccessDenied "new row violates row-level security policy"
 *   ONE       remove() removed the object
 *   NONE      remove() succeeded and removed nothing (the policies hide it from this persona's delete)
 *
 * The fixtures: each bucket holds one object of someone else, re-uploaded by its owner before every
 * test, so cells are independent:
 *   avatars                <workerB>/fixture.png            by workerB
 *   chat-images            <group 1>/<workerB>/fixture.png  by workerB (group 1: workerB, butlerX and
 *                          butlerY are in it; workerA and admin are not)
 *   application-materials  <workerB>/<workerB's seeded draft>/fixture.pdf  by workerB (a draft is the
 *                          applicant's alone: group 1's butlers and admins read materials only once it is
 *                          submitted, tests/db/applications.test.ts)
 *   post-covers            covers/fixture.png               by butlerX
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, type Client } from '../support/clients'
import { personaNames, personas, type PersonaName, type Personas } from '../support/personas'

let be: TestBackend
let p: Personas
/** The seeded 兴隆路 group: butlerX and butlerY are its butlers, workerB a member; workerA and admin are not in it. */
const group1 = '20000000-0000-4000-8000-000000000001'
const run = randomUUID().slice(0, 8)
/** workerB's seeded draft application (supabase/seed.sql): its folder is the only editable one here. */
const app1 = '50000000-0000-4000-8000-000000000001'

const pngBytes = (size = 64) => {
  const b = Buffer.alloc(size, 1)
  Buffer.from('89504e470d0a1a0a', 'hex').copy(b)
  return b
}
const pdfBytes = (size = 64) => {
  const b = Buffer.alloc(size, 0x20)
  Buffer.from('%PDF-1.7\n').copy(b)
  return b
}

type Bucket = 'avatars' | 'chat-images' | 'application-materials' | 'post-covers'

const id = (persona: PersonaName) => (persona === 'anon' || persona === 'service' ? persona : p.ids[persona])

const fixtures: Record<Bucket, { owner: 'workerB' | 'butlerX'; path: () => string; type: string; bytes: (size?: number) => Buffer }> = {
  avatars: { owner: 'workerB', path: () => `${p.ids.workerB}/fixture.png`, type: 'image/png', bytes: pngBytes },
  'chat-images': { owner: 'workerB', path: () => `${group1}/${p.ids.workerB}/fixture.png`, type: 'image/png', bytes: pngBytes },
  'application-materials': { owner: 'workerB', path: () => `${p.ids.workerB}/${app1}/fixture.pdf`, type: 'application/pdf', bytes: pdfBytes },
  'post-covers': { owner: 'butlerX', path: () => 'covers/fixture.png', type: 'image/png', bytes: pngBytes },
}

/** Where a persona's own upload goes in each bucket (post-covers has no per-person folder). */
const ownPath: Record<Bucket, (who: PersonaName) => string> = {
  avatars: (who) => `${id(who)}/${run}-own.png`,
  'chat-images': (who) => `${group1}/${id(who)}/${run}-own.png`,
  'application-materials': (who) => `${id(who)}/${app1}/${run}-own.pdf`,
  'post-covers': (who) => `covers/${run}-${who}.png`,
}
/** A new file in the fixture owner's folder. */
const theirPath: Record<Bucket, (who: PersonaName) => string> = {
  avatars: (who) => `${p.ids.workerB}/${run}-planted-${who}.png`,
  'chat-images': (who) => `${group1}/${p.ids.workerB}/${run}-planted-${who}.png`,
  'application-materials': (who) => `${p.ids.workerB}/${app1}/${run}-planted-${who}.pdf`,
  'post-covers': (who) => `covers/${run}-planted-${who}.png`,
}

type Cell = 'OK' | 'HIDDEN' | 'RLS' | 'ONE' | 'NONE'
type Row = Record<PersonaName, Cell>
const row = (anon: Cell, workerA: Cell, workerB: Cell, butlerX: Cell, butlerY: Cell, admin: Cell, service: Cell): Row =>
  ({ anon, workerA, workerB, butlerX, butlerY, admin, service })

interface Probe {
  run(c: Client, who: PersonaName): Promise<{ data: unknown; error: unknown }>
  row: Row
}

const matrix: Record<string, Probe> = {}
function probes(bucket: Bucket, rows: { read: Row; uploadOwn: Row; uploadTheirs: Row; replaceTheirs: Row; deleteTheirs: Row }) {
  const f = fixtures[bucket]
  const type = f.type
  matrix[`${bucket}: read ${f.owner}'s file`] = {
    row: rows.read,
    run: async (c) => {
      const r = await c.storage.from(bucket).download(f.path())
      return { data: r.data ? await r.data.arrayBuffer() : null, error: r.error }
    },
  }
  matrix[`${bucket}: upload into their own folder`] = {
    row: rows.uploadOwn,
    run: (c, who) => c.storage.from(bucket).upload(ownPath[bucket](who), f.bytes(), { contentType: type, upsert: true }),
  }
  matrix[`${bucket}: upload a new file into ${f.owner}'s folder`] = {
    row: rows.uploadTheirs,
    run: (c, who) => c.storage.from(bucket).upload(theirPath[bucket](who), f.bytes(), { contentType: type, upsert: true }),
  }
  matrix[`${bucket}: replace ${f.owner}'s file (upsert)`] = {
    row: rows.replaceTheirs,
    run: (c) => c.storage.from(bucket).upload(f.path(), f.bytes(99), { contentType: type, upsert: true }),
  }
  matrix[`${bucket}: delete ${f.owner}'s file`] = {
    row: rows.deleteTheirs,
    run: (c) => c.storage.from(bucket).remove([f.path()]),
  }
}

//                                 anon      workerA   workerB   butlerX   butlerY   admin     service
probes('avatars', {
  read:          row('OK',     'OK',     'OK',     'OK',     'OK',     'OK',     'OK'),
  uploadOwn:     row('RLS',    'OK',     'OK',     'OK',     'OK',     'OK',     'OK'),
  uploadTheirs:  row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  replaceTheirs: row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  deleteTheirs:  row('NONE',   'NONE',   'ONE',    'NONE',   'NONE',   'NONE',   'ONE'),
})
probes('chat-images', {
  read:          row('HIDDEN', 'HIDDEN', 'OK',     'OK',     'OK',     'OK',     'OK'),
  uploadOwn:     row('RLS',    'RLS',    'OK',     'OK',     'OK',     'RLS',    'OK'),
  uploadTheirs:  row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  replaceTheirs: row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  deleteTheirs:  row('NONE',   'NONE',   'ONE',    'NONE',   'NONE',   'NONE',   'ONE'),
})
probes('application-materials', {
  read:          row('HIDDEN', 'HIDDEN', 'OK',     'HIDDEN', 'HIDDEN', 'HIDDEN', 'OK'),
  uploadOwn:     row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  uploadTheirs:  row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  replaceTheirs: row('RLS',    'RLS',    'OK',     'RLS',    'RLS',    'RLS',    'OK'),
  deleteTheirs:  row('NONE',   'NONE',   'ONE',    'NONE',   'NONE',   'NONE',   'ONE'),
})
probes('post-covers', {
  read:          row('OK',     'OK',     'OK',     'OK',     'OK',     'OK',     'OK'),
  uploadOwn:     row('RLS',    'RLS',    'RLS',    'OK',     'OK',     'OK',     'OK'),
  uploadTheirs:  row('RLS',    'RLS',    'RLS',    'OK',     'OK',     'OK',     'OK'),
  replaceTheirs: row('RLS',    'RLS',    'RLS',    'OK',     'RLS',    'OK',     'OK'),
  deleteTheirs:  row('NONE',   'NONE',   'NONE',   'ONE',    'NONE',   'ONE',    'ONE'),
})

async function resetFixtures() {
  for (const [bucket, f] of Object.entries(fixtures) as [Bucket, (typeof fixtures)[Bucket]][]) {
    // Removed by the system first: a cell may have left it owned by someone else.
    await p.service.storage.from(bucket).remove([f.path()])
    const { error } = await p[f.owner].storage.from(bucket).upload(f.path(), f.bytes(), { contentType: f.type })
    if (error) throw new Error(`fixture ${bucket}: ${error.message}`)
  }
}

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})

function expectCell(cell: Cell, res: { data: unknown; error: unknown }) {
  const e = res.error as { statusCode?: string; code?: string; message?: string } | null
  switch (cell) {
    case 'OK':
      expect(e).toBeNull()
      expect(res.data).not.toBeNull()
      return
    case 'HIDDEN':
      expect(e).toMatchObject({ statusCode: '404', code: 'NoSuchKey', message: 'Object not found' })
      return
    case 'RLS':
      expect(e).toMatchObject({ statusCode: '403', code: 'AccessDenied', message: 'new row violates row-level security policy' })
      return
    case 'ONE':
    case 'NONE':
      expect(e).toBeNull()
      expect((res.data as unknown[]).length).toBe(cell === 'ONE' ? 1 : 0)
  }
}

describe('storage access matrix', () => {
  beforeEach(resetFixtures)
  for (const [name, probe] of Object.entries(matrix)) {
    describe(name, () => {
      for (const persona of personaNames) {
        const cell = probe.row[persona]
        it(`${persona} ${cell}`, async () => {
          expectCell(cell, await probe.run(p[persona], persona))
          // A refused write leaves the fixture as it was.
          if (cell === 'RLS' || cell === 'NONE') {
            const f = Object.entries(fixtures).find(([b]) => name.startsWith(`${b}:`))!
            const [bucket, fx] = f as [Bucket, (typeof fixtures)[Bucket]]
            const back = await p.service.storage.from(bucket).download(fx.path())
            expect(back.data?.size).toBe(64)
          }
        })
      }
    })
  }
})

describe('malicious attempts', () => {
  beforeEach(resetFixtures)

  /**
   * A raw upload with node:http, so the path reaches the server exactly as written: fetch (WHATWG URL)
   * would resolve `..`, `.`, `%2E%2E` and `%2E` segments before sending.
   */
  const rawUpload = (token: string, path: string, body: Buffer, type: string) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const u = new URL(be.url)
      const req = http.request(
        { host: u.hostname, port: u.port, method: 'POST', path: `/storage/v1/object/${path}`,
          headers: { apikey: be.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': type, 'x-upsert': 'true', 'Content-Length': body.length } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })

  it("workerA cannot reach workerB's avatar folder through ../ in the name", async () => {
    const token = await be.signToken({ sub: p.ids.workerA })
    for (const path of [`avatars/${p.ids.workerA}/../${p.ids.workerB}/fixture.png`, `avatars/${p.ids.workerA}/%2E%2E/${p.ids.workerB}/x.png`]) {
      const res = await rawUpload(token, path, pngBytes(), 'image/png')
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ statusCode: '403', code: 'AccessDenied', message: 'new row violates row-level security policy' })
    }
  })

  it('workerA cannot hide a file in an empty segment or a subfolder of their avatar folder', async () => {
    const token = await be.signToken({ sub: p.ids.workerA })
    for (const path of [`avatars/${p.ids.workerA}//x.png`, `avatars/${p.ids.workerA}/sub/x.png`]) {
      const res = await rawUpload(token, path, pngBytes(), 'image/png')
      expect(res.body).toMatchObject({ statusCode: '403', code: 'AccessDenied' })
    }
  })

  it('workerA cannot put application materials at the top of their folder (no application folder)', async () => {
    const { error } = await p.workerA.storage.from('application-materials').upload(`${p.ids.workerA}/loose.pdf`, pdfBytes(), { contentType: 'application/pdf' })
    expect(error).toMatchObject({ statusCode: '403', code: 'AccessDenied' })
  })

  it('an application material over 20 MB is refused (413)', async () => {
    const { error } = await p.workerA.storage
      .from('application-materials')
      .upload(`${p.ids.workerA}/app1/${run}-huge.pdf`, pdfBytes(20 * 1024 * 1024 + 1), { contentType: 'application/pdf' })
    expect(error).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' })
  })

  it('a chat image over 10 MB is refused (413)', async () => {
    const { error } = await p.workerB.storage.from('chat-images').upload(`${group1}/${p.ids.workerB}/${run}-huge.png`, pngBytes(10 * 1024 * 1024 + 1), { contentType: 'image/png' })
    expect(error).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' })
  })

  it('a PDF is not a chat image, and HTML is not an application material (415)', async () => {
    const a = await p.workerB.storage.from('chat-images').upload(`${group1}/${p.ids.workerB}/${run}.pdf`, pdfBytes(), { contentType: 'application/pdf' })
    expect(a.error).toMatchObject({ statusCode: '415', code: 'InvalidMimeType', message: 'mime type application/pdf is not supported' })
    const b = await p.workerA.storage.from('application-materials').upload(`${p.ids.workerA}/app1/${run}.html`, Buffer.from('<script>'), { contentType: 'text/html' })
    expect(b.error).toMatchObject({ statusCode: '415', code: 'InvalidMimeType', message: 'mime type text/html is not supported' })
  })

  it("a token signed by another key, claiming to be workerB, is refused (403 AccessDenied)", async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    const kid = (await exportJWK(publicKey)).x
    const forged = await new SignJWT({ role: 'authenticated', sub: p.ids.workerB })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
    const { error } = await clientFor(be, forged).storage.from('avatars').upload(`${p.ids.workerB}/${run}-forged.png`, pngBytes(), { contentType: 'image/png' })
    expect(error).toMatchObject({ statusCode: '403', code: 'AccessDenied' })
  })

  it('the owner of an upload is the token, whatever metadata the client sends', async () => {
    const path = `${p.ids.workerA}/${run}-owner.png`
    const { error } = await p.workerA.storage.from('avatars').upload(path, pngBytes(), { contentType: 'image/png', metadata: { owner: p.ids.workerB, owner_id: p.ids.workerB } })
    expect(error).toBeNull()
    const r = await be.db.query('select owner::text, owner_id from storage.objects where bucket_id = $1 and name = $2', ['avatars', path])
    expect(r.rows[0]).toEqual({ owner: p.ids.workerA, owner_id: p.ids.workerA })
  })

  it('rows cannot be deleted behind the Storage API (the bytes would be orphaned)', async () => {
    await expect(be.db.query(`delete from storage.objects where bucket_id = 'avatars'`)).rejects.toMatchObject({ code: '42501' })
  })
})

/**
 * Who may write and read upload verdicts (supabase/migrations/20261201150000_verified_uploads.sql), on
 * workerB's avatar fixture. Cells:
 *   OK(v)      the call succeeds and answers v
 *   DENY_ANON  401 42501 permission denied for function …: no grant to anon
 *   DENY       403 42501 permission denied for function …: no grant to this role
 *   PRIVATE    406 PGRST106: the private schema is not in the API
 */
describe('upload verdicts access matrix', () => {
  type VerdictCell = { ok: unknown } | 'DENY_ANON' | 'DENY' | 'PRIVATE'
  const OK = (v: unknown): VerdictCell => ({ ok: v })
  const vrow = (anon: VerdictCell, workerA: VerdictCell, workerB: VerdictCell, butlerX: VerdictCell, butlerY: VerdictCell, admin: VerdictCell, service: VerdictCell) =>
    ({ anon, workerA, workerB, butlerX, butlerY, admin, service }) as Record<PersonaName, VerdictCell>
  const avatar = () => fixtures.avatars.path()
  const version = async () => (await be.db.query(`select version from storage.objects where bucket_id = 'avatars' and name = $1`, [avatar()])).rows[0].version as string
  const verified = async () => (await be.db.query(`select private.is_verified_object('avatars', $1) as v`, [avatar()])).rows[0].v as boolean
  /** workerB's fixture as the system verified it (for the read rows). */
  const markVerified = async () => {
    const { error } = await p.service.rpc('record_upload_verdict', { p_owner: p.ids.workerB, p_bucket: 'avatars', p_name: avatar(), p_version: await version(), p_passed: true, p_kind: 'image/png', p_reason: null as unknown as string })
    if (error) throw new Error(error.message)
  }

  const verdictProbes: Record<string, { object: string; before?: () => Promise<void>; run: (c: Client) => PromiseLike<{ data: unknown; error: { code?: string; message: string } | null; status: number }>; row: Record<PersonaName, VerdictCell> }> = {
    "rpc record_upload_verdict: mark workerB's avatar as passed": {
      object: 'function record_upload_verdict',
      run: async (c) => c.rpc('record_upload_verdict', { p_owner: p.ids.workerB, p_bucket: 'avatars', p_name: avatar(), p_version: await version(), p_passed: true, p_kind: 'image/png', p_reason: null as unknown as string }),
      //   anon         workerA  workerB  butlerX  butlerY  admin    service
      row: vrow('DENY_ANON', 'DENY', 'DENY', 'DENY', 'DENY', 'DENY', OK(null)),
    },
    "rpc is_own_upload_verified: workerB's verified avatar": {
      object: 'function is_own_upload_verified',
      before: markVerified,
      run: (c) => c.rpc('is_own_upload_verified', { p_bucket: 'avatars', p_name: avatar() }),
      row: vrow('DENY_ANON', OK(false), OK(true), OK(false), OK(false), OK(false), OK(false)),
    },
    'private.verified_objects: select': {
      object: 'table verified_objects',
      before: markVerified,
      run: (c) => (c as unknown as { schema: (s: string) => Client }).schema('private').from('verified_objects' as 'profiles').select('*'),
      row: vrow('PRIVATE', 'PRIVATE', 'PRIVATE', 'PRIVATE', 'PRIVATE', 'PRIVATE', 'PRIVATE'),
    },
  }

  beforeEach(resetFixtures)
  for (const [name, probe] of Object.entries(verdictProbes)) {
    describe(name, () => {
      for (const persona of personaNames) {
        const cell = probe.row[persona]
        it(`${persona} ${typeof cell === 'string' ? cell : `OK(${JSON.stringify(cell.ok)})`}`, async () => {
          await probe.before?.()
          const wasVerified = await verified()
          const res = await probe.run(p[persona])
          const got = { status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null }
          if (cell === 'PRIVATE') expect(got).toEqual({ status: 406, code: 'PGRST106', message: 'Invalid schema: private' })
          else if (cell === 'DENY_ANON' || cell === 'DENY') {
            expect(got).toEqual({ status: cell === 'DENY' ? 403 : 401, code: '42501', message: `permission denied for ${probe.object}` })
          } else {
            expect(got).toMatchObject({ code: null, message: null })
            expect(res.data).toEqual(cell.ok)
          }
          // Only the service role's write changes whether the file counts.
          expect(await verified()).toBe(name.startsWith('rpc record_upload_verdict') && persona === 'service' ? true : wasVerified)
        })
      }
    })
  }

  it('a verdict is refused for a version that is no longer the current one (55000)', async () => {
    const old = await version()
    await p.workerB.storage.from('avatars').upload(avatar(), pngBytes(70), { contentType: 'image/png', upsert: true })
    const { error } = await p.service.rpc('record_upload_verdict', { p_owner: p.ids.workerB, p_bucket: 'avatars', p_name: avatar(), p_version: old, p_passed: true, p_kind: 'image/png', p_reason: null as unknown as string })
    expect(error).toMatchObject({ code: '55000', message: '文件已被重新上传，请重新校验' })
    expect(await verified()).toBe(false)
  })

  it("the service role cannot mark a file as someone else's verified upload (42501)", async () => {
    const { error } = await p.service.rpc('record_upload_verdict', { p_owner: p.ids.workerA, p_bucket: 'avatars', p_name: avatar(), p_version: await version(), p_passed: true, p_kind: 'image/png', p_reason: null as unknown as string })
    expect(error).toMatchObject({ code: '42501', message: '只能校验自己上传的文件' })
  })

  it('a passing verdict must name its kind, a failing one its reason', async () => {
    const { error } = await p.service.rpc('record_upload_verdict', { p_owner: p.ids.workerB, p_bucket: 'avatars', p_name: avatar(), p_version: await version(), p_passed: false, p_kind: null as unknown as string, p_reason: null as unknown as string })
    expect(error?.code).toBe('23514')
    expect(await verified()).toBe(false)
  })
})
