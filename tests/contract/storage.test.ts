/**
 * Supabase Storage's object API as storage-js uses it, against the local /storage/v1 (or a real project
 * with SUPABASE_URL): uploads, downloads, signed URLs, listing, moves and copies, with Storage's answers
 * and errors (HTTP 400 with the error's own status in `statusCode`, as Storage renders refusals).
 * The avatars bucket (public read, a person writes under <own id>/) is the one under test here; who may
 * do what in every bucket is tests/db/storage-access.test.ts.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, type Client } from '../support/clients'

let be: TestBackend
let worker1: Client
let worker2: Client
let anon: Client
const run = randomUUID().slice(0, 8)
const mine = (file: string) => `${people.worker1}/${run}-${file}`

/** The smallest valid PNG header bytes followed by filler, so the content looks like what it claims. */
const png = (size = 64) => {
  const b = Buffer.alloc(size, 7)
  Buffer.from('89504e470d0a1a0a', 'hex').copy(b)
  return b
}

interface StorageErrorLike {
  message: string
  status?: number
  statusCode?: string
  code?: string
}

function expectStorageError(error: unknown, statusCode: string, code: string, message: string | RegExp) {
  expect(error).not.toBeNull()
  const e = error as StorageErrorLike
  expect(e.status).toBe(400)
  expect(e.statusCode).toBe(statusCode)
  expect(e.code).toBe(code)
  if (typeof message === 'string') expect(e.message).toBe(message)
  else expect(e.message).toMatch(message)
}

beforeAll(async () => {
  be = await startTestBackend()
  worker1 = await clientAs(be, 'worker1')
  worker2 = await clientAs(be, 'worker2')
  anon = clientFor(be)
})
afterAll(async () => {
  if (worker1) {
    const { data } = await worker1.storage.from('avatars').list(people.worker1, { limit: 1000 })
    const names = (data ?? []).filter((f) => f.name.startsWith(run)).map((f) => `${people.worker1}/${f.name}`)
    if (names.length) await worker1.storage.from('avatars').remove(names)
  }
  await be?.close()
})

describe('upload', () => {
  it('stores a raw body and answers its id and full path', async () => {
    const { data, error } = await worker1.storage.from('avatars').upload(mine('raw.png'), png(), { contentType: 'image/png' })
    expect(error).toBeNull()
    expect(data).toEqual({ id: expect.any(String), path: mine('raw.png'), fullPath: `avatars/${mine('raw.png')}` })
  })

  it('stores a multipart body (a Blob) with the type the Blob carries', async () => {
    const { error } = await worker1.storage.from('avatars').upload(mine('blob.png'), new Blob([png()], { type: 'image/png' }))
    expect(error).toBeNull()
    const info = await worker1.storage.from('avatars').info(mine('blob.png'))
    expect(info.error).toBeNull()
    expect(info.data).toMatchObject({ contentType: 'image/png', size: 64 })
  })

  it('refuses a second upload to the same path (409 Duplicate)', async () => {
    await worker1.storage.from('avatars').upload(mine('twice.png'), png(), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').upload(mine('twice.png'), png(), { contentType: 'image/png' })
    expect(data).toBeNull()
    expectStorageError(error, '409', 'ResourceAlreadyExists', 'The resource already exists')
  })

  it('replaces the file with x-upsert, keeping the object id', async () => {
    const first = await worker1.storage.from('avatars').upload(mine('upsert.png'), png(64), { contentType: 'image/png' })
    const second = await worker1.storage.from('avatars').upload(mine('upsert.png'), png(128), { contentType: 'image/png', upsert: true })
    expect(second.error).toBeNull()
    expect(second.data?.id).toBe(first.data?.id)
    const { data } = await worker1.storage.from('avatars').download(mine('upsert.png'))
    expect(data?.size).toBe(128)
  })

  it('refuses a type the bucket does not allow (415 InvalidMimeType)', async () => {
    const { error } = await worker1.storage.from('avatars').upload(mine('x.exe'), Buffer.from('MZ'), { contentType: 'application/x-msdownload' })
    expectStorageError(error, '415', 'InvalidMimeType', 'mime type application/x-msdownload is not supported')
  })

  it('refuses a file over the bucket limit (413 EntityTooLarge)', async () => {
    const { error } = await worker1.storage.from('avatars').upload(mine('big.png'), png(10 * 1024 * 1024 + 1), { contentType: 'image/png' })
    expectStorageError(error, '413', 'EntityTooLarge', 'The object exceeded the maximum allowed size')
  })

  it('refuses a bucket that does not exist (404 Bucket not found)', async () => {
    const { error } = await worker1.storage.from('no-such-bucket').upload(mine('a.png'), png(), { contentType: 'image/png' })
    expectStorageError(error, '404', 'NoSuchBucket', 'Bucket not found')
  })

  it('refuses a key with characters Storage does not allow (InvalidKey)', async () => {
    const { error } = await worker1.storage.from('avatars').upload(`${people.worker1}/头像.png`, png(), { contentType: 'image/png' })
    expectStorageError(error, '400', 'InvalidKey', `Invalid key: ${people.worker1}/头像.png`)
  })

  it('refuses a request without a valid token (403 AccessDenied)', async () => {
    const res = await fetch(`${be.url}/storage/v1/object/avatars/${mine('notoken.png')}`, {
      method: 'POST',
      headers: { apikey: be.anonKey, Authorization: 'Bearer not-a-jwt', 'Content-Type': 'image/png' },
      body: png(),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ statusCode: '403', code: 'AccessDenied', error: 'Unauthorized' })
  })
})

describe('download', () => {
  it('gives the bytes back to the uploader', async () => {
    await worker1.storage.from('avatars').upload(mine('back.png'), png(300), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').download(mine('back.png'))
    expect(error).toBeNull()
    expect(Buffer.from(await data!.arrayBuffer()).equals(png(300))).toBe(true)
    expect(data!.type).toBe('image/png')
  })

  it('serves a public bucket at its public URL without a token', async () => {
    await worker1.storage.from('avatars').upload(mine('public.png'), png(), { contentType: 'image/png' })
    const res = await fetch(anon.storage.from('avatars').getPublicUrl(mine('public.png')).data.publicUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).equals(png())).toBe(true)
  })

  it('refuses the public URL of a private bucket (Bucket not found)', async () => {
    const res = await fetch(`${be.url}/storage/v1/object/public/chat-images/x/y/z.png`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ statusCode: '404', code: 'NoSuchBucket', message: 'Bucket not found' })
  })

  it('answers NoSuchKey for a missing object', async () => {
    const { data, error } = await worker1.storage.from('avatars').download(mine('missing.png'))
    expect(data).toBeNull()
    expectStorageError(error, '404', 'NoSuchKey', 'Object not found')
  })
})

describe('signed URLs', () => {
  it('downloads through a signed URL with no other credentials', async () => {
    await worker1.storage.from('avatars').upload(mine('signed.png'), png(), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').createSignedUrl(mine('signed.png'), 60)
    expect(error).toBeNull()
    const res = await fetch(data!.signedUrl)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(png())).toBe(true)
  })

  it('refuses a signed URL once it has expired', async () => {
    await worker1.storage.from('avatars').upload(mine('expiring.png'), png(), { contentType: 'image/png' })
    const { data } = await worker1.storage.from('avatars').createSignedUrl(mine('expiring.png'), 1)
    await new Promise((r) => setTimeout(r, 2100))
    const res = await fetch(data!.signedUrl)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ statusCode: '400', code: 'InvalidJWT', message: '"exp" claim timestamp check failed' })
  })

  it("refuses a signed URL's token for another path", async () => {
    await worker1.storage.from('avatars').upload(mine('one.png'), png(), { contentType: 'image/png' })
    const { data } = await worker1.storage.from('avatars').createSignedUrl(mine('one.png'), 60)
    const res = await fetch(data!.signedUrl.replace(`${run}-one.png`, `${run}-other.png`))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature', message: 'Invalid signature' })
  })

  it('refuses an upload token on the download route', async () => {
    const { data } = await worker1.storage.from('avatars').createSignedUploadUrl(mine('scoped.png'))
    const res = await fetch(`${be.url}/storage/v1/object/sign/avatars/${mine('scoped.png')}?token=${data!.token}`)
    expect(await res.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature', message: 'Token is not scoped for download' })
  })

  it('refuses to sign an object the caller cannot see', async () => {
    const { error } = await worker2.storage.from('avatars').createSignedUrl(mine('never-uploaded.png'), 60)
    expectStorageError(error, '404', 'NoSuchKey', 'Object not found')
  })

  it('signs many paths in one call, with an error for each missing one', async () => {
    await worker1.storage.from('avatars').upload(mine('many.png'), png(), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').createSignedUrls([mine('many.png'), mine('nope.png')], 60)
    expect(error).toBeNull()
    expect(data![0]).toMatchObject({ error: null, path: mine('many.png'), signedUrl: expect.stringContaining('token=') })
    expect(data![1]).toEqual({
      error: 'Either the object does not exist or you do not have access to it',
      path: mine('nope.png'),
      signedURL: null,
      signedUrl: null,
    })
  })

  it('refuses a non-positive expiry (InvalidParameter)', async () => {
    await worker1.storage.from('avatars').upload(mine('zero.png'), png(), { contentType: 'image/png' })
    const { error } = await worker1.storage.from('avatars').createSignedUrl(mine('zero.png'), 0)
    expectStorageError(error, '400', 'InvalidParameter', 'Invalid Parameter expiresIn')
  })

  it('uploads through a signed upload URL, owned by the person who asked for it', async () => {
    const signed = await worker1.storage.from('avatars').createSignedUploadUrl(mine('via-url.png'))
    expect(signed.error).toBeNull()
    const up = await anon.storage.from('avatars').uploadToSignedUrl(mine('via-url.png'), signed.data!.token, png(), { contentType: 'image/png' })
    expect(up.error).toBeNull()
    expect(up.data).toEqual({ path: mine('via-url.png'), fullPath: `avatars/${mine('via-url.png')}` })
    // The owner is the signer: they (not anyone else) may now remove it.
    const other = await worker2.storage.from('avatars').remove([mine('via-url.png')])
    expect(other.data).toEqual([])
    const own = await worker1.storage.from('avatars').remove([mine('via-url.png')])
    expect(own.data?.map((o) => o.name)).toEqual([mine('via-url.png')])
  })

  it("refuses a signed upload URL for another person's folder when it is asked for", async () => {
    const { error } = await worker1.storage.from('avatars').createSignedUploadUrl(`${people.worker2}/${run}-x.png`)
    expectStorageError(error, '403', 'AccessDenied', 'new row violates row-level security policy')
  })
})

describe('list, info, exists, remove, move, copy', () => {
  it('lists one level under a prefix, folders first as id null', async () => {
    await worker1.storage.from('avatars').upload(mine('listed.png'), png(), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').list(people.worker1, { search: `${run}-listed` })
    expect(error).toBeNull()
    expect(data).toEqual([expect.objectContaining({ name: `${run}-listed.png`, id: expect.any(String), metadata: expect.objectContaining({ size: 64, mimetype: 'image/png' }) })])
    const top = await worker1.storage.from('avatars').list('', { search: people.worker1 })
    expect(top.data).toEqual([expect.objectContaining({ name: people.worker1, id: null })])
  })

  it('tells whether an object exists', async () => {
    await worker1.storage.from('avatars').upload(mine('exists.png'), png(), { contentType: 'image/png' })
    expect((await worker1.storage.from('avatars').exists(mine('exists.png'))).data).toBe(true)
    expect((await worker1.storage.from('avatars').exists(mine('absent.png'))).data).toBe(false)
  })

  it('removes only what the caller may delete, answering the removed objects', async () => {
    await worker1.storage.from('avatars').upload(mine('gone.png'), png(), { contentType: 'image/png' })
    const { data, error } = await worker1.storage.from('avatars').remove([mine('gone.png'), mine('never.png')])
    expect(error).toBeNull()
    expect(data!.map((o) => o.name)).toEqual([mine('gone.png')])
    expect((await worker1.storage.from('avatars').download(mine('gone.png'))).error?.message).toBe('Object not found')
  })

  it('moves an object within the own folder, bytes and all', async () => {
    await worker1.storage.from('avatars').upload(mine('from.png'), png(99), { contentType: 'image/png' })
    const moved = await worker1.storage.from('avatars').move(mine('from.png'), mine('to.png'))
    expect(moved.error).toBeNull()
    expect(moved.data?.message).toBe('Successfully moved')
    expect((await worker1.storage.from('avatars').download(mine('to.png'))).data?.size).toBe(99)
    expect((await worker1.storage.from('avatars').exists(mine('from.png'))).data).toBe(false)
  })

  it("refuses to move an object into another person's folder", async () => {
    await worker1.storage.from('avatars').upload(mine('stay.png'), png(), { contentType: 'image/png' })
    const { error } = await worker1.storage.from('avatars').move(mine('stay.png'), `${people.worker2}/${run}-stolen.png`)
    expectStorageError(error, '403', 'AccessDenied', 'new row violates row-level security policy')
  })

  it('copies an object, keeping its content type', async () => {
    await worker1.storage.from('avatars').upload(mine('orig.png'), png(77), { contentType: 'image/png' })
    const copied = await worker1.storage.from('avatars').copy(mine('orig.png'), mine('copy.png'))
    expect(copied.error).toBeNull()
    expect(copied.data).toEqual({ path: `avatars/${mine('copy.png')}` })
    const { data } = await worker1.storage.from('avatars').info(mine('copy.png'))
    expect(data).toMatchObject({ size: 77, contentType: 'image/png' })
  })
})
