/**
 * content-check and wechat-events on real Deno behind the local backend, against the fake WeChat API
 * (supabase/local/wechat: msgSecCheck, mediaCheckAsync and its wxa_media_check push, with a switch to
 * flag content). Messages are sent the way the app sends them: send_group_message as the member.
 *
 * Sections: who may call it / texts / images and voice (the event) / WeChat down / the message-push URL's
 * signature / the local scheduler.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { functionsWithoutJwt } from '../../supabase/local/server'
import type { FakeWechat } from '../../supabase/local/wechat/server'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, serviceClient, type Client } from '../support/clients'
import { callFunction, type FunctionError } from '../support/functions'
import { groups } from '../support/personas'
import { jpegFile, mp3File } from '../support/sample-files'

interface Summary {
  claimed: number
  published: number
  flagged: number
  submitted: number
  retried: number
}

let be: TestBackend
let wechat: FakeWechat
let workerB: Client
let butlerX: Client

beforeAll(async () => {
  be = await startTestBackend()
  wechat = be.wechat!
  workerB = await clientAs(be, 'worker2')
  butlerX = await clientAs(be, 'butler1')
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  wechat.reset()
  // Nothing left queued for the next test.
  await be.db.query(`delete from private.group_message_checks`)
})

const run = (body: unknown = {}) => callFunction<Summary & FunctionError>(be, 'content-check', { body, token: be.serviceRoleKey })

async function send(body: string): Promise<string> {
  const id = randomUUID()
  const res = await workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body })
  expect(res.error).toBeNull()
  return id
}

async function message(id: string) {
  const r = await be.db.query(
    `select m.status, c.state, c.attempts, c.last_error, c.trace_id,
            extract(epoch from c.next_attempt_at - now())::int as retry_in, v.suggest, v.label, v.source
       from public.group_messages m
       left join private.group_message_checks c on c.message_id = m.id
       left join private.group_message_verdicts v on v.message_id = m.id
      where m.id = $1`,
    [id],
  )
  return r.rows[0] as Record<string, unknown>
}

const visibleTo = async (c: Client, id: string) => ((await c.rpc('group_messages', { group_id: groups.X })).data as { id: string }[]).some((m) => m.id === id)

async function until(what: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await what()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('timed out waiting')
}

describe('who may call it', () => {
  it('only the service role: no key 401, the anon key or a person 403', async () => {
    expect((await callFunction<FunctionError>(be, 'content-check', { body: {}, token: null })).status).toBe(401)
    expect((await callFunction<FunctionError>(be, 'content-check', { body: {} })).status).toBe(403)
    const person = await be.signToken({ sub: '00000000-0000-4000-8000-000000000012' })
    expect((await callFunction<FunctionError>(be, 'content-check', { body: {}, token: person })).status).toBe(403)
  })

  it('refuses out-of-range options in Chinese', async () => {
    const res = await run({ batch_size: 0 })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toBe('batch_size 应为 1 到 200 之间的整数')
  })
})

describe('texts: msgSecCheck v2', () => {
  it('a clean text is published: WeChat was asked with the sender\'s openid, scene 2 and version 2', async () => {
    const id = await send('请问一次性创业补贴什么时候发放？')
    expect(await visibleTo(butlerX, id)).toBe(false)
    const res = await run()
    expect(res.body).toEqual({ claimed: 1, published: 1, flagged: 0, submitted: 0, retried: 0 })
    expect(await message(id)).toMatchObject({ status: 'published', state: null, suggest: 'pass', label: 100, source: 'msgSecCheck' })
    expect(await visibleTo(butlerX, id)).toBe(true)
    const [call] = wechat.calls('msg_sec_check')
    expect(call.params).toMatchObject({ content: '请问一次性创业补贴什么时候发放？', version: 2, scene: 2, openid: 'demo:worker2' })
  })

  it('a risky text is flagged: hidden from the group, listed for its butlers, still the author\'s', async () => {
    const id = await send('这是一条违规测试消息')
    const res = await run()
    expect(res.body).toMatchObject({ published: 0, flagged: 1 })
    expect(await message(id)).toMatchObject({ status: 'flagged', suggest: 'risky', label: 20006 })
    expect(await visibleTo(butlerX, id)).toBe(false)
    expect(await visibleTo(workerB, id)).toBe(true)
    expect(((await butlerX.rpc('flagged_group_messages', { group_id: groups.X })).data as { id: string }[]).map((m) => m.id)).toContain(id)
  })

  it('the switch flags whatever is sent, review included', async () => {
    wechat.setContentVerdict({ suggest: 'review', label: 21000 })
    const id = await send('普通的一句话')
    await run()
    expect(await message(id)).toMatchObject({ status: 'flagged', suggest: 'review', label: 21000 })
  })

  it('a sender without a WeChat identity is not published unchecked: the butlers decide', async () => {
    await be.db.query(`delete from private.wechat_identities where user_id = '00000000-0000-4000-8000-000000000012'`)
    try {
      const id = await send('没有 openid 的消息')
      await run()
      expect(await message(id)).toMatchObject({ status: 'flagged', suggest: 'review' })
      expect(wechat.calls('msg_sec_check')).toEqual([])
    } finally {
      await be.db.query(`insert into private.wechat_identities (user_id, openid) values ('00000000-0000-4000-8000-000000000012', 'demo:worker2')`)
    }
  })
})

describe('images and voice: mediaCheckAsync and its event', () => {
  async function sendMedia(kind: 'image' | 'voice'): Promise<string> {
    const bucket = kind === 'image' ? 'chat-images' : 'chat-voice'
    const name = `${groups.X}/00000000-0000-4000-8000-000000000012/${randomUUID()}.${kind === 'image' ? 'jpg' : 'mp3'}`
    const up = await workerB.storage.from(bucket).upload(name, kind === 'image' ? jpegFile() : mp3File(), { contentType: kind === 'image' ? 'image/jpeg' : 'audio/mpeg' })
    expect(up.error).toBeNull()
    const token = await be.signToken({ sub: '00000000-0000-4000-8000-000000000012' })
    expect((await callFunction(be, 'verify-upload', { body: { bucket, name }, token })).status).toBe(200)
    const id = randomUUID()
    const res = await workerB.rpc('send_group_message', { id, group_id: groups.X, kind, media_path: name, duration_seconds: kind === 'voice' ? 8 : null } as never)
    expect(res.error).toBeNull()
    return id
  }

  it('an image is submitted with a signed URL WeChat can fetch; its event publishes it', async () => {
    const id = await sendMedia('image')
    const res = await run()
    expect(res.body).toMatchObject({ claimed: 1, submitted: 1 })
    const [call] = wechat.calls('media_check_async')
    expect(call.params).toMatchObject({ media_type: 2, version: 2, scene: 2, openid: 'demo:worker2' })
    expect(String(call.params.media_url)).toMatch(/\/storage\/v1\/object\/sign\/chat-images\//)
    await until(async () => (await message(id)).status === 'published')
    expect(await message(id)).toMatchObject({ suggest: 'pass', source: 'mediaCheckAsync' })
    await until(async () => wechat.pushes().length > 0)
    expect(wechat.pushes()).toEqual([expect.objectContaining({ status: 200, body: 'success', mediaStatus: 200 })])
  })

  it('a voice clip flagged by the event stays hidden from the group', async () => {
    wechat.setContentVerdict({ suggest: 'risky', label: 20002 })
    const id = await sendMedia('voice')
    await run()
    expect(wechat.calls('media_check_async')[0].params).toMatchObject({ media_type: 1 })
    await until(async () => (await message(id)).status === 'flagged')
    expect(await message(id)).toMatchObject({ suggest: 'risky', label: 20002 })
    expect(await visibleTo(butlerX, id)).toBe(false)
  })

  it('without an event, the check waits (submitted) and is due again after the wait', async () => {
    wechat.setPushUrl(null)
    try {
      const id = await sendMedia('image')
      await run()
      const m = await message(id)
      expect(m).toMatchObject({ status: 'pending', state: 'awaiting', trace_id: expect.any(String) })
      expect(Number(m.retry_in)).toBeGreaterThan(25 * 60)
      // A second run changes nothing until then.
      expect((await run()).body).toMatchObject({ claimed: 0 })
    } finally {
      wechat.setPushUrl(`${be.url}/functions/v1/wechat-events`)
    }
  })
})

describe('WeChat down: publishing waits, nothing is lost', () => {
  for (const scenario of ['http_500', 'drop', -1, 45009] as const) {
    it(`msgSecCheck answering ${scenario}: the message stays pending with a later retry, then passes once WeChat is back`, async () => {
      wechat.setScenario('msg_sec_check', scenario)
      const id = await send(`等待检查 ${scenario}`)
      const res = await run()
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ claimed: 1, retried: 1, published: 0 })
      const m = await message(id)
      expect(m).toMatchObject({ status: 'pending', state: 'due', attempts: 1 })
      expect(Number(m.retry_in)).toBeGreaterThanOrEqual(20)
      expect(await visibleTo(butlerX, id)).toBe(false)

      wechat.setScenario('msg_sec_check', 'ok')
      await be.db.query(`update private.group_message_checks set next_attempt_at = now() where message_id = $1`, [id])
      await run()
      expect(await message(id)).toMatchObject({ status: 'published' })
    })
  }

  it('two checkers at once claim each message once', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => send(`并发检查 ${i}`)))
    const [a, b] = await Promise.all([run({ batch_size: 2 }), run({ batch_size: 2 })])
    expect(a.body.claimed + b.body.claimed).toBe(6)
    expect(wechat.calls('msg_sec_check')).toHaveLength(6)
    for (const id of ids) expect(await message(id)).toMatchObject({ status: 'published' })
  })
})

describe('the message-push URL (wechat-events)', () => {
  const sign = (timestamp: string, nonce: string, token = 'local-push-token') =>
    createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
  const post = (query: string, body: unknown) =>
    fetch(`${be.url}/functions/v1/wechat-events?${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

  it('answers WeChat\'s URL check with echostr, with no Supabase token, when the signature is right', async () => {
    const ts = String(Math.floor(Date.now() / 1000))
    const res = await fetch(`${be.url}/functions/v1/wechat-events?signature=${sign(ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello123`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello123')
  })

  it('refuses a forged signature, a wrong token and an old timestamp, and records nothing', async () => {
    const id = randomUUID()
    await workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body: '等事件' })
    await be.db.query(`update private.group_message_checks set state = 'awaiting', trace_id = 'trace-forged' where message_id = $1`, [id])
    const event = { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'trace-forged', errcode: 0, result: { suggest: 'pass', label: 100 } }
    const ts = String(Math.floor(Date.now() / 1000))
    const old = String(Math.floor(Date.now() / 1000) - 3600)
    for (const q of [
      `signature=${'0'.repeat(40)}&timestamp=${ts}&nonce=n2`,
      `signature=${sign(ts, 'n2', 'guessed-token')}&timestamp=${ts}&nonce=n2`,
      `signature=${sign(old, 'n2')}&timestamp=${old}&nonce=n2`,
      `timestamp=${ts}&nonce=n2`,
    ]) {
      expect((await post(q, event)).status).toBe(403)
    }
    expect(await message(id)).toMatchObject({ status: 'pending' })
    // The same event, signed with the right token, is taken.
    const ok = await post(`signature=${sign(ts, 'n3')}&timestamp=${ts}&nonce=n3`, event)
    expect(await ok.text()).toBe('success')
    expect(await message(id)).toMatchObject({ status: 'published', source: 'mediaCheckAsync' })
  })

  it('acknowledges an unknown trace, a failed check and other events without changing anything', async () => {
    const ts = String(Math.floor(Date.now() / 1000))
    const q = `signature=${sign(ts, 'n4')}&timestamp=${ts}&nonce=n4`
    for (const event of [
      { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'nobody', errcode: 0, result: { suggest: 'risky', label: 20001 } },
      { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'nobody', errcode: 1, errmsg: 'download failed' },
      { MsgType: 'event', Event: 'subscribe_msg_popup_event' },
    ]) {
      const res = await post(q, event)
      expect(await res.text()).toBe('success')
    }
    expect((await post(q, 'not an object')).status).toBe(400)
  })
})

describe('which functions the local gateway lets through without a token', () => {
  it('exactly those supabase/config.toml deploys with verify_jwt = false', async () => {
    expect([...(await functionsWithoutJwt(path.resolve(__dirname, '../../supabase/config.toml')))]).toEqual(['wechat-events'])
    const dir = await mkdtemp(path.join(tmpdir(), 'cfg-'))
    const file = path.join(dir, 'config.toml')
    await writeFile(file, '[functions.a]\nverify_jwt = false # comment\n[functions.b]\nverify_jwt = true\n[api]\nverify_jwt = false\n')
    expect([...(await functionsWithoutJwt(file))]).toEqual(['a'])
    expect([...(await functionsWithoutJwt(path.join(dir, 'missing.toml')))]).toEqual([])
    await rm(dir, { recursive: true })
  })

  it('content-check is not one of them: without a token the gateway refuses it', async () => {
    const res = await fetch(`${be.url}/functions/v1/content-check`, { method: 'POST' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED_NO_AUTH_HEADER' })
  })
})

describe('the local scheduler', () => {
  it('checks a message within seconds of its sending, with nobody calling the function', async () => {
    const local = await startTestBackend({ scheduler: { intervalMs: 200 } })
    try {
      const c = await clientAs(local, 'worker2')
      const id = randomUUID()
      expect((await c.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body: '调度器测试' })).error).toBeNull()
      const butler = await clientAs(local, 'butler1')
      await until(async () => ((await butler.rpc('group_messages', { group_id: groups.X })).data as { id: string }[]).some((m) => m.id === id), 30_000)
    } finally {
      await local.close()
    }
  })

  it('service clients see the queue drain: nothing is left for the checker', async () => {
    const svc = serviceClient(be)
    expect((await svc.rpc('claim_content_checks', {})).data).toEqual([])
  })
})
