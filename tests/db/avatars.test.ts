/**
 * Avatars (migration 20261202090000_profile_avatars.sql): public.set_my_avatar makes a verified object in
 * the caller's own avatars folder their avatar; profiles.avatar_path is read beside the name; the current
 * avatar object cannot be replaced or removed. Sections: each persona / what a malicious member tries /
 * the current avatar is frozen / reading avatars beside names.
 *
 * Verdicts are recorded here with the service role through record_upload_verdict, the same call
 * verify-upload makes (tests/functions/verify-upload.test.ts drives the function itself).
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import type { Client } from '../support/clients'
import { personas, type PersonPersona, type Personas } from '../support/personas'
import { exeFile, pdfFile, pngFile } from '../support/sample-files'

let be: TestBackend
let p: Personas
const run = randomUUID().slice(0, 8)
let seq = 0
const fresh = (ext = 'png') => `${run}-${seq++}.${ext}`

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})

async function upload(who: PersonPersona, bucket: string, name: string, bytes = pngFile(), type = 'image/png', upsert = false) {
  const { error } = await p[who].storage.from(bucket).upload(name, bytes, { contentType: type, upsert })
  expect(error).toBeNull()
  return name
}

/** Records verify-upload's verdict on the object's current version, as the function does. */
async function verdict(who: PersonPersona, bucket: string, name: string, passed: boolean) {
  const v = await be.db.query('select version from storage.objects where bucket_id = $1 and name = $2', [bucket, name])
  const { error } = await p.service.rpc('record_upload_verdict', {
    p_owner: p.ids[who], p_bucket: bucket, p_name: name, p_version: v.rows[0].version as string, p_passed: passed,
    p_kind: passed ? 'image/png' : null, p_reason: passed ? null : '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。',
  } as never)
  expect(error).toBeNull()
}

/** A verified avatar object of `who`, not yet their avatar. */
async function verifiedAvatar(who: PersonPersona): Promise<string> {
  const name = await upload(who, 'avatars', `${p.ids[who]}/${fresh()}`)
  await verdict(who, 'avatars', name, true)
  return name
}

const avatarOf = async (who: PersonPersona) =>
  (await be.db.query('select avatar_path from public.profiles where id = $1', [p.ids[who]])).rows[0].avatar_path as string | null

const setAvatar = (c: Client, path: string | null) => c.rpc('set_my_avatar', { p_path: path as string })

const NOT_MINE = { code: '42501', message: '只能使用自己上传的头像' }

describe('each persona', () => {
  it.each(['workerA', 'workerB', 'butlerX', 'butlerY', 'admin'] as const)('%s sets a verified upload in their own folder as their avatar', async (who) => {
    const name = await verifiedAvatar(who)
    const { error, status } = await setAvatar(p[who], name)
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(await avatarOf(who)).toBe(name)
  })

  it('anon may not call set_my_avatar (401, no privilege)', async () => {
    const { error, status } = await setAvatar(p.anon, `${p.ids.workerA}/x.png`)
    expect(status).toBe(401)
    expect(error).toMatchObject({ code: '42501', message: 'permission denied for function set_my_avatar' })
  })

  it('the service role may not call it either: it sets avatars for nobody (403)', async () => {
    const { error, status } = await setAvatar(p.service, `${p.ids.workerA}/x.png`)
    expect(status).toBe(403)
    expect(error).toMatchObject({ code: '42501', message: 'permission denied for function set_my_avatar' })
  })

  it('answers the previous avatar, and null clears it', async () => {
    const first = await verifiedAvatar('workerB')
    const second = await verifiedAvatar('workerB')
    await setAvatar(p.workerB, first)
    expect(await setAvatar(p.workerB, second)).toMatchObject({ data: first, error: null })
    expect(await setAvatar(p.workerB, second)).toMatchObject({ data: null, error: null })
    expect(await setAvatar(p.workerB, null)).toMatchObject({ data: second, error: null })
    expect(await avatarOf('workerB')).toBeNull()
  })

  it('nobody updates avatar_path on the table directly (no UPDATE privilege)', async () => {
    const name = await verifiedAvatar('workerA')
    const { error, status } = await p.workerA.from('profiles').update({ avatar_path: name } as never).eq('id', p.ids.workerA)
    expect(status).toBe(403)
    expect(error).toMatchObject({ code: '42501', message: 'permission denied for table profiles' })
  })
})

describe('what a malicious member tries', () => {
  it("someone else's verified avatar file is refused (42501) and nothing changes", async () => {
    const theirs = await verifiedAvatar('workerB')
    const before = await avatarOf('workerA')
    const { error, status } = await setAvatar(p.workerA, theirs)
    expect(status).toBe(403)
    expect(error).toMatchObject(NOT_MINE)
    expect(await avatarOf('workerA')).toBe(before)
  })

  it('a file planted in my folder by the service role (not my upload) is refused', async () => {
    const name = `${p.ids.workerA}/${fresh()}`
    const { error: upErr } = await p.service.storage.from('avatars').upload(name, pngFile(), { contentType: 'image/png' })
    expect(upErr).toBeNull()
    const { error } = await setAvatar(p.workerA, name)
    expect(error).toMatchObject(NOT_MINE)
  })

  it('an unverified upload is refused with 22023', async () => {
    const name = await upload('workerA', 'avatars', `${p.ids.workerA}/${fresh()}`)
    const { error, status } = await setAvatar(p.workerA, name)
    expect(status).toBe(400)
    expect(error).toMatchObject({ code: '22023', message: '头像还没有通过安全检查，请重新上传' })
  })

  it('a file whose check failed is refused', async () => {
    const name = await upload('workerA', 'avatars', `${p.ids.workerA}/${fresh('jpg')}`, exeFile(), 'image/jpeg')
    await verdict('workerA', 'avatars', name, false)
    const { error } = await setAvatar(p.workerA, name)
    expect(error).toMatchObject({ code: '22023' })
  })

  it('a verified image that was then replaced by other bytes is refused (the new version is unverified)', async () => {
    const name = await verifiedAvatar('workerA')
    await upload('workerA', 'avatars', name, exeFile(), 'image/png', true)
    const { error } = await setAvatar(p.workerA, name)
    expect(error).toMatchObject({ code: '22023' })
  })

  it('a verified file of mine in another bucket is refused: application materials are not avatars', async () => {
    // workerB's seeded draft application: the only folder of application-materials anyone may fill
    const name = await upload('workerB', 'application-materials', `${p.ids.workerB}/50000000-0000-4000-8000-000000000001/${fresh('pdf')}`, pdfFile(), 'application/pdf')
    await verdict('workerB', 'application-materials', name, true)
    const { error } = await setAvatar(p.workerB, name)
    expect(error).toMatchObject(NOT_MINE)
  })

  it('a name in my folder that exists only in another bucket is not found (P0002)', async () => {
    const { error, status } = await setAvatar(p.workerA, `${p.ids.workerA}/${fresh()}`)
    // PostgREST answers the whole P0 class with 500; the app reads the code (src/services/errors.ts).
    expect(status).toBe(500)
    expect(error).toMatchObject({ code: 'P0002', message: '头像文件不存在，请重新上传' })
  })

  it("traversal, empty and dot segments never reach another person's file", async () => {
    const theirs = await verifiedAvatar('workerB')
    const file = theirs.split('/')[1]
    for (const path of [
      `${p.ids.workerA}/../${theirs}`,
      `${p.ids.workerA}/../${p.ids.workerB}/${file}`,
      `${p.ids.workerA}//${file}`,
      `${p.ids.workerA}/./${file}`,
      `./${p.ids.workerA}/${file}`,
      `/${p.ids.workerA}/${file}`,
      `${p.ids.workerA}`,
      '',
    ]) {
      const { error } = await setAvatar(p.workerA, path)
      expect(error, path).toMatchObject(NOT_MINE)
    }
  })

  it('a very long name is refused before any lookup', async () => {
    const { error } = await setAvatar(p.workerA, `${p.ids.workerA}/${'a'.repeat(400)}.png`)
    expect(error).toMatchObject(NOT_MINE)
  })

  it('a number for a path is just a name outside my folder, and an extra argument finds no function', async () => {
    expect((await p.workerA.rpc('set_my_avatar', { p_path: 42 as never })).error).toMatchObject(NOT_MINE)
    const { error } = await (p.workerA.rpc as (fn: string, args: object) => PromiseLike<{ error: unknown }>)('set_my_avatar', { p_path: 'x', user_id: p.ids.workerB })
    expect(error).toMatchObject({ code: 'PGRST202' })
  })

  it('the table refuses an avatar_path outside the person\'s own folder even from the service role', async () => {
    const theirs = await verifiedAvatar('workerB')
    const { error } = await p.service.from('profiles').update({ avatar_path: theirs }).eq('id', p.ids.workerA)
    expect(error).toMatchObject({ code: '23514' })
  })
})

describe('the current avatar is frozen', () => {
  it('cannot be replaced by an upsert, nor removed, until another avatar is set; then the old one can go', async () => {
    const current = await verifiedAvatar('butlerY')
    await setAvatar(p.butlerY, current)

    const replace = await p.butlerY.storage.from('avatars').upload(current, exeFile(), { contentType: 'image/png', upsert: true })
    expect(replace.error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' })
    const removed = await p.butlerY.storage.from('avatars').remove([current])
    expect(removed).toMatchObject({ data: [], error: null })
    const moved = await p.butlerY.storage.from('avatars').move(current, `${p.ids.butlerY}/${fresh()}`)
    expect(moved.error).not.toBeNull()

    const next = await verifiedAvatar('butlerY')
    expect(await setAvatar(p.butlerY, next)).toMatchObject({ data: current, error: null })
    const removedOld = await p.butlerY.storage.from('avatars').remove([current])
    expect(removedOld.data).toHaveLength(1)
  })
})

describe('reading avatars beside names', () => {
  it('whoever may read a name reads the avatar with it; the other columns stay closed', async () => {
    const name = await verifiedAvatar('butlerX')
    await setAvatar(p.butlerX, name)
    // butler1 has published posts: everyone, even anon, sees their name and avatar.
    for (const who of ['anon', 'workerA', 'admin'] as const) {
      const { data, error } = await p[who].from('profiles').select('id, display_name, avatar_path').eq('id', p.ids.butlerX)
      expect(error, who).toBeNull()
      expect(data, who).toEqual([{ id: p.ids.butlerX, display_name: '李管家', avatar_path: name }])
    }
    // workerB's name is not workerA's to read, so neither is the avatar.
    const hidden = await p.workerA.from('profiles').select('id, avatar_path').eq('id', p.ids.workerB)
    expect(hidden).toMatchObject({ data: [], error: null })
  })

  it("the feed embeds the author's avatar with the name", async () => {
    const name = await verifiedAvatar('admin')
    await setAvatar(p.admin, name)
    const { data, error } = await p.anon.rpc('feed_posts', undefined, { get: true }).select('id, author:profiles!author_id(display_name, avatar_path)')
    expect(error).toBeNull()
    const byAdmin = (data ?? []).filter((r) => r.author?.display_name === '王主任')
    expect(byAdmin.length).toBeGreaterThan(0)
    for (const r of byAdmin) expect(r.author?.avatar_path).toBe(name)
  })
})

describe('after the account is deleted', () => {
  it('its avatar is nobody\'s any more, so the uploader can remove the file, as 注销账号 does', async () => {
    const name = await verifiedAvatar('workerA')
    await setAvatar(p.workerA, name)
    expect((await p.workerA.storage.from('avatars').remove([name])).data).toEqual([])
    expect(await p.workerA.rpc('delete_my_account')).toMatchObject({ error: null })
    const { data: listed } = await p.workerA.storage.from('avatars').list(p.ids.workerA)
    expect((listed ?? []).map((f) => f.name)).toContain(name.split('/')[1])
    const removed = await p.workerA.storage.from('avatars').remove((listed ?? []).map((f) => `${p.ids.workerA}/${f.name}`))
    expect(removed.error).toBeNull()
    // Everything they uploaded is gone (the file the service role planted in their folder is not theirs).
    const left = await be.db.query(`select count(*)::int as n from storage.objects where bucket_id = 'avatars' and owner_id = $1`, [p.ids.workerA])
    expect(left.rows[0].n).toBe(0)
  })
})
