/**
 * verify-upload on real Deno behind the local backend: files are uploaded through supabase-js's storage
 * client as the app does, then checked. Sections: the owner / files that are not what they claim /
 * re-uploads / other people / the caller's token / bad requests.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people, serviceClient, type Client } from '../support/clients'
import { callFunction, type FunctionError } from '../support/functions'
import { aacFile, exeFile, jpegFile, m4aFile, mp3File, pdfFile, pngFile } from '../support/sample-files'
import { createHandler } from '../../supabase/functions/verify-upload/handler.ts'
import { storageAsCaller } from '../../supabase/functions/verify-upload/storage.ts'

type Person = keyof typeof people

let be: TestBackend
const run = randomUUID().slice(0, 8)
let seq = 0
const fresh = (ext: string) => `${run}-${seq++}.${ext}`

const tokenFor = (person: Person) => be.signToken({ sub: people[person], aud: 'authenticated' })
const asPerson = async (person: Person): Promise<Client> => clientFor(be, await tokenFor(person))

/** Uploads as `person` and returns the object's name. */
async function upload(person: Person, bucket: string, name: string, bytes: Buffer, contentType: string, upsert = false): Promise<string> {
  const { error } = await (await asPerson(person)).storage.from(bucket).upload(name, bytes, { contentType, upsert })
  expect(error).toBeNull()
  return name
}

async function verify(person: Person | null, body: unknown) {
  return callFunction<{ verified: boolean } & FunctionError>(be, 'verify-upload', { body, token: person ? await tokenFor(person) : null })
}

async function isVerified(bucket: string, name: string): Promise<boolean> {
  const r = await be.db.query('select private.is_verified_object($1, $2) as v', [bucket, name])
  return r.rows[0].v as boolean
}

async function exists(bucket: string, name: string): Promise<boolean> {
  const { data, error } = await serviceClient(be).storage.from(bucket).exists(name)
  if (error && !/not found/i.test(error.message)) throw error
  return data === true
}

const avatar = (person: Person, ext = 'png') => `${people[person]}/${fresh(ext)}`
/** Chat images go under the seeded 兴隆路 group, which worker1 joins in beforeAll (worker2 is a member). */
const group1 = '20000000-0000-4000-8000-000000000001'
const chatImage = (person: Person, ext = 'jpg') => `${group1}/${people[person]}/${fresh(ext)}`
/** worker1's draft application (made in beforeAll): materials go only into one's own editable application's folder. */
const draft = '5a000000-0000-4000-8000-0000000000ab'
const material = (person: Person, ext = 'pdf') => `${people[person]}/${draft}/${fresh(ext)}`

beforeAll(async () => {
  be = await startTestBackend()
  await be.db.query(`insert into public.group_members (group_id, user_id) values ($1, $2)`, [group1, people.worker1])
  // 一次性创业补贴, the seeded programme.
  await be.db.query(
    `insert into public.applications (id, applicant_id, programme_id, group_id, street)
     values ($1, $2, '60000000-0000-4000-8000-000000000001', $3, '四方区兴隆路街道')`,
    [draft, people.worker1, group1],
  )
})
afterAll(async () => {
  await be?.close()
})

describe('the owner', () => {
  it('a real JPEG chat image passes, and the server counts it as verified', async () => {
    const name = await upload('worker1', 'chat-images', chatImage('worker1'), jpegFile(), 'image/jpeg')
    expect(await isVerified('chat-images', name)).toBe(false)
    const res = await verify('worker1', { bucket: 'chat-images', name })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ verified: true })
    expect(await isVerified('chat-images', name)).toBe(true)
  })

  it('a real PNG avatar passes', async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2'), pngFile(), 'image/png')
    const res = await verify('worker2', { bucket: 'avatars', name })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ verified: true })
    expect(await isVerified('avatars', name)).toBe(true)
  })

  it('a real PDF application material passes', async () => {
    const name = await upload('worker1', 'application-materials', material('worker1'), pdfFile(), 'application/pdf')
    const res = await verify('worker1', { bucket: 'application-materials', name })
    expect(res.status).toBe(200)
    expect(await isVerified('application-materials', name)).toBe(true)
  })

  it('can ask whether their own upload is verified through public.is_own_upload_verified', async () => {
    const me = await asPerson('worker1')
    const name = await upload('worker1', 'chat-images', chatImage('worker1'), jpegFile(), 'image/jpeg')
    expect(await me.rpc('is_own_upload_verified', { p_bucket: 'chat-images', p_name: name })).toMatchObject({ data: false, error: null })
    await verify('worker1', { bucket: 'chat-images', name })
    expect(await me.rpc('is_own_upload_verified', { p_bucket: 'chat-images', p_name: name })).toMatchObject({ data: true, error: null })
  })

  it('verifying the same version twice is harmless', async () => {
    const name = await upload('worker1', 'avatars', avatar('worker1'), pngFile(), 'image/png')
    expect((await verify('worker1', { bucket: 'avatars', name })).status).toBe(200)
    expect((await verify('worker1', { bucket: 'avatars', name })).status).toBe(200)
    const r = await be.db.query('select count(*)::int as n from private.verified_objects where bucket_id = $1 and name = $2', ['avatars', name])
    expect(r.rows[0].n).toBe(1)
  })
})

describe('voice clips (chat-voice)', () => {
  const clip = (person: Person, ext: string) => `${group1}/${people[person]}/${fresh(ext)}`

  it('an MP3, an AAC and an M4A (labelled audio/x-m4a, as recorders do) pass and count as verified', async () => {
    for (const [bytes, type, ext] of [[mp3File(), 'audio/mpeg', 'mp3'], [aacFile(), 'audio/aac', 'aac'], [m4aFile(), 'audio/x-m4a', 'm4a']] as const) {
      const name = await upload('worker1', 'chat-voice', clip('worker1', ext), bytes, type)
      const res = await verify('worker1', { bucket: 'chat-voice', name })
      expect(res.status).toBe(200)
      expect(await isVerified('chat-voice', name)).toBe(true)
    }
  })

  it('a JPEG uploaded as audio/mpeg is refused in Chinese and removed', async () => {
    const name = await upload('worker1', 'chat-voice', clip('worker1', 'mp3'), jpegFile(), 'audio/mpeg')
    const res = await verify('worker1', { bucket: 'chat-voice', name })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ error: { code: 'file_rejected', message: '文件不是有效的语音（仅支持 MP3、AAC、M4A），已删除。', retryable: false } })
    expect(await exists('chat-voice', name)).toBe(false)
  })
})

describe('files that are not what they claim', () => {
  it('an .exe renamed .jpg is refused with 422, in Chinese, and removed', async () => {
    const name = await upload('worker1', 'chat-images', chatImage('worker1', 'jpg'), exeFile(), 'image/jpeg')
    const res = await verify('worker1', { bucket: 'chat-images', name })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ error: { code: 'file_rejected', message: '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。', retryable: false } })
    expect(await exists('chat-images', name)).toBe(false)
    expect(await isVerified('chat-images', name)).toBe(false)
  })

  it('the refusal is kept on record with its reason', async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2', 'jpg'), exeFile(), 'image/jpeg')
    await verify('worker2', { bucket: 'avatars', name })
    const r = await be.db.query('select passed, kind, reason, owner_id from private.verified_objects where bucket_id = $1 and name = $2', ['avatars', name])
    expect(r.rows).toEqual([{ passed: false, kind: null, reason: '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。', owner_id: people.worker2 }])
  })

  it('a PDF uploaded as a PNG application material is refused as not matching its type, and removed', async () => {
    const name = await upload('worker1', 'application-materials', material('worker1', 'png'), pdfFile(), 'image/png')
    const res = await verify('worker1', { bucket: 'application-materials', name })
    expect(res.status).toBe(422)
    expect(res.body.error.message).toBe('文件内容与声明的类型不符，已删除。请重新选择文件。')
    expect(await exists('application-materials', name)).toBe(false)
  })

  it('an executable uploaded as a PDF material is refused as an unsupported type', async () => {
    const name = await upload('worker1', 'application-materials', material('worker1', 'pdf'), exeFile(), 'application/pdf')
    const res = await verify('worker1', { bucket: 'application-materials', name })
    expect(res.status).toBe(422)
    expect(res.body.error.message).toBe('文件类型不受支持（仅支持 JPG、PNG、WebP 图片和 PDF），已删除。')
    expect(await exists('application-materials', name)).toBe(false)
  })

  it('an empty file is refused and removed', async () => {
    const name = await upload('worker1', 'avatars', avatar('worker1'), Buffer.alloc(0), 'image/png')
    const res = await verify('worker1', { bucket: 'avatars', name })
    expect(res.status).toBe(422)
    expect(await exists('avatars', name)).toBe(false)
  })
})

describe('re-uploads', () => {
  it('a new version under the same name is unverified until checked again', async () => {
    const name = await upload('worker1', 'avatars', avatar('worker1'), pngFile(), 'image/png')
    expect((await verify('worker1', { bucket: 'avatars', name })).status).toBe(200)
    await upload('worker1', 'avatars', name, pngFile(), 'image/png', true)
    expect(await isVerified('avatars', name)).toBe(false)
    expect((await verify('worker1', { bucket: 'avatars', name })).status).toBe(200)
    expect(await isVerified('avatars', name)).toBe(true)
  })

  it('a verified image replaced by an executable loses its verdict, and checking it removes it', async () => {
    const name = await upload('worker2', 'chat-images', chatImage('worker2'), jpegFile(), 'image/jpeg')
    await verify('worker2', { bucket: 'chat-images', name })
    await upload('worker2', 'chat-images', name, exeFile(), 'image/jpeg', true)
    expect(await isVerified('chat-images', name)).toBe(false)
    expect((await verify('worker2', { bucket: 'chat-images', name })).status).toBe(422)
    expect(await exists('chat-images', name)).toBe(false)
  })
})

describe('a file replaced between a failing verdict and its removal', () => {
  /** The object's current version, read as the system. */
  const versionOf = async (bucket: string, name: string) =>
    (await be.db.query('select version from storage.objects where bucket_id = $1 and name = $2', [bucket, name])).rows[0]?.version as string | undefined

  /**
   * The function's handler with its real Storage requests (storage.ts, against the local backend) and the
   * same verdict RPC the function calls; `between` runs after the failing verdict is recorded and before
   * the removal, where a person's second upload can land.
   */
  function handlerWithPause(person: Person, between: () => Promise<void>) {
    const env = (k: string) => ({ SUPABASE_URL: be.url, SUPABASE_ANON_KEY: be.anonKey })[k]
    const logs: string[] = []
    const handler = createHandler({
      verifyCaller: async () => ({ sub: people[person] }),
      ...storageAsCaller(env, (input, init) => fetch(input, init)),
      recordVerdict: async (owner, bucket, name, version, verdict) => {
        const { error } = await serviceClient(be).rpc('record_upload_verdict', {
          p_owner: owner, p_bucket: bucket, p_name: name, p_version: version, p_passed: verdict.ok,
          p_kind: verdict.ok ? verdict.kind : null, p_reason: verdict.ok ? null : verdict.reason,
        } as never)
        if (error) throw error
        if (!verdict.ok) await between()
      },
      log: (line) => logs.push(line),
    })
    return { handler, logs }
  }

  const post = async (handler: (req: Request) => Promise<Response>, person: Person, body: unknown) => {
    const res = await handler(new Request('http://verify.local/', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await tokenFor(person)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }))
    return { status: res.status, body: (await res.json()) as FunctionError }
  }

  it('the new upload stays: only the version that failed is removed', async () => {
    const name = await upload('worker1', 'chat-images', chatImage('worker1'), exeFile(), 'image/jpeg')
    const failing = await versionOf('chat-images', name)
    const { handler, logs } = handlerWithPause('worker1', async () => {
      await upload('worker1', 'chat-images', name, jpegFile(), 'image/jpeg', true)
    })
    const res = await post(handler, 'worker1', { bucket: 'chat-images', name })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('file_rejected')
    const now = await versionOf('chat-images', name)
    expect(now).toBeDefined()
    expect(now).not.toBe(failing)
    expect(logs.join('\n')).toMatch(/removed nothing/)
    // The new version is unverified until checked, and then passes.
    expect(await isVerified('chat-images', name)).toBe(false)
    expect((await verify('worker1', { bucket: 'chat-images', name })).status).toBe(200)
  })

  it('without a replacement the failing version is removed as before', async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2', 'jpg'), exeFile(), 'image/jpeg')
    const { handler } = handlerWithPause('worker2', async () => {})
    expect((await post(handler, 'worker2', { bucket: 'avatars', name })).status).toBe(422)
    expect(await exists('avatars', name)).toBe(false)
  })

  it('a removal that names an old version deletes nothing; naming the current one deletes it', async () => {
    const name = await upload('worker1', 'avatars', avatar('worker1'), pngFile(), 'image/png')
    const old = (await versionOf('avatars', name))!
    await upload('worker1', 'avatars', name, pngFile(), 'image/png', true)
    const current = (await versionOf('avatars', name))!
    const env = (k: string) => ({ SUPABASE_URL: be.url, SUPABASE_ANON_KEY: be.anonKey })[k]
    const storage = storageAsCaller(env, (input, init) => fetch(input, init))
    const token = await tokenFor('worker1')
    expect(await storage.remove(token, 'avatars', name, old)).toBe(false)
    expect(await exists('avatars', name)).toBe(true)
    expect(await storage.remove(token, 'avatars', name, current)).toBe(true)
    expect(await exists('avatars', name)).toBe(false)
  })
})

describe('other people', () => {
  it("I cannot verify another person's avatar, even though I can read it (403)", async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2'), pngFile(), 'image/png')
    const res = await verify('worker1', { bucket: 'avatars', name })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ error: { code: 'forbidden', message: '只能校验自己上传的文件', retryable: false } })
    expect(await isVerified('avatars', name)).toBe(false)
  })

  it("I cannot get another person's failing file removed by asking to verify it", async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2', 'jpg'), exeFile(), 'image/jpeg')
    const res = await verify('worker1', { bucket: 'avatars', name })
    expect(res.status).toBe(403)
    expect(await exists('avatars', name)).toBe(true)
  })

  it("another member's chat image is mine to see, not to verify: 403", async () => {
    const name = await upload('worker2', 'chat-images', chatImage('worker2'), jpegFile(), 'image/jpeg')
    const res = await verify('worker1', { bucket: 'chat-images', name })
    expect(res.status).toBe(403)
    expect(await isVerified('chat-images', name)).toBe(false)
  })

  it("a chat image of a group I am not in is hidden from me: 404", async () => {
    const group2 = '20000000-0000-4000-8000-000000000002' // butler2's 辽源路 group; worker1 is not in it
    const name = await upload('butler2', 'chat-images', `${group2}/${people.butler2}/${fresh('jpg')}`, jpegFile(), 'image/jpeg')
    const res = await verify('worker1', { bucket: 'chat-images', name })
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: { code: 'not_found', message: '文件不存在或无权查看', retryable: false } })
    expect(await isVerified('chat-images', name)).toBe(false)
  })

  it('an admin, who may read every chat image, still cannot verify one they did not upload', async () => {
    const name = await upload('worker2', 'chat-images', chatImage('worker2'), jpegFile(), 'image/jpeg')
    const res = await verify('admin', { bucket: 'chat-images', name })
    expect(res.status).toBe(403)
    expect(await isVerified('chat-images', name)).toBe(false)
  })

  it("asking public.is_own_upload_verified about another person's verified file says false", async () => {
    const name = await upload('worker2', 'avatars', avatar('worker2'), pngFile(), 'image/png')
    await verify('worker2', { bucket: 'avatars', name })
    const { data, error } = await (await asPerson('worker1')).rpc('is_own_upload_verified', { p_bucket: 'avatars', p_name: name })
    expect(error).toBeNull()
    expect(data).toBe(false)
  })
})

describe("the caller's token", () => {
  it('a call without a token is refused with 401 before the function runs', async () => {
    const res = await callFunction(be, 'verify-upload', { body: { bucket: 'avatars', name: 'x.png' }, token: null })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: 'UNAUTHORIZED_NO_AUTH_HEADER' })
  })

  it('the anon key is not a person: 401 unauthorized', async () => {
    const name = await upload('worker1', 'avatars', avatar('worker1'), pngFile(), 'image/png')
    const res = await callFunction(be, 'verify-upload', { body: { bucket: 'avatars', name }, token: be.anonKey })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: '请先登录', retryable: false } })
    expect(await isVerified('avatars', name)).toBe(false)
  })

  it('an expired token is refused with 401 by the functions gateway', async () => {
    const expired = await be.signToken({ sub: people.worker1, exp: Math.floor(Date.now() / 1000) - 60 })
    const res = await callFunction(be, 'verify-upload', { body: { bucket: 'avatars', name: 'x.png' }, token: expired })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: 'UNAUTHORIZED_INVALID_JWT_FORMAT' })
  })
})

describe('bad requests', () => {
  it('answers 400 to a body that is not JSON', async () => {
    const res = await callFunction<FunctionError>(be, 'verify-upload', { rawBody: '{bucket:', token: await tokenFor('worker1') })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error: { code: 'bad_request', message: '请求格式不正确，应为 JSON', retryable: false } })
  })

  it('answers 400 when bucket or name is missing or not a string', async () => {
    for (const body of [{}, { bucket: 'avatars' }, { name: 'a.png' }, { bucket: 'avatars', name: 7 }, { bucket: ' ', name: 'a.png' }]) {
      const res = await verify('worker1', body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'bad_request', message: '请求格式不正确，应为 { bucket, name }', retryable: false } })
    }
  })

  it('answers 404 for a file that does not exist', async () => {
    const res = await verify('worker1', { bucket: 'avatars', name: `${people.worker1}/${fresh('png')}` })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('answers 404 for a bucket that does not exist', async () => {
    const res = await verify('worker1', { bucket: 'no-such-bucket', name: 'a.png' })
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: { code: 'not_found', message: '文件不存在或无权查看', retryable: false } })
  })

  it('answers 405 to a GET', async () => {
    const res = await callFunction<FunctionError>(be, 'verify-upload', { method: 'GET', token: await tokenFor('worker1') })
    expect(res.status).toBe(405)
    expect(res.body.error.code).toBe('method_not_allowed')
  })
})
