/**
 * notify-dispatch on real Deno behind the local backend, against the fake WeChat API
 * (supabase/local/wechat). Pushes are made the way the app makes them: by an admin's role change
 * (trigger → private.notify) or by private.notify as superuser; quota through record_subscriptions as
 * the person or by superuser inserts.
 * Sections: who may call it / sending / quota / the access token / temporary failures / permanent
 * failures / WeChat's value rules / leases and concurrency / recording outcomes / a backlog / without an
 * access token / a misconfigured deployment / the local scheduler / the pg_cron migration.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FakeWechat } from '../../supabase/local/wechat/server'
import { LOCAL_WECHAT_TEMPLATES } from '../../supabase/local/wechat/templates'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient } from '../support/clients'
import { callFunction, type FunctionError } from '../support/functions'

interface Summary {
  claimed: number
  sent: number
  skipped: number
  failed: number
  retried: number
}

interface PushState {
  push_status: string
  attempts: number
  last_error: string | null
  /** Seconds from now until the next attempt is due, if one is. */
  retry_in: number | null
  leased: boolean
  pushed: boolean
}

/** A person with no WeChat identity (as after an account merge gone wrong). */
const NO_WECHAT = '00000000-0000-4000-8000-0000000000aa'

/** The local templates and one with every kind of rule, for the value-rule tests. */
const TEMPLATES = {
  ...LOCAL_WECHAT_TEMPLATES,
  field_rules: {
    id: 'test-field-rules-template',
    page: 'pages/home/index',
    fields: {
      thing1: 'title',
      phrase2: 'payload.status',
      amount3: 'payload.amount',
      date4: 'payload.day',
      name5: 'payload.name',
      character_string6: 'payload.ref',
    },
  },
}

let seq = 0
const dedupe = () => `test:${Date.now().toString(36)}:${(seq++).toString(36)}:${randomBytes(3).toString('hex')}`

/** A pending push for `recipient` through private.notify (as a domain event writes it); its id. */
async function notify(
  be: TestBackend,
  recipient: string,
  opts: { title?: string; body?: string; template?: string; payload?: Record<string, unknown> } = {},
): Promise<string> {
  const r = await be.db.query(`select private.notify($1, 'test', $2, $3, '/pages/me/index', $4::jsonb, $5, $6) as id`, [
    recipient,
    opts.title ?? '测试通知',
    opts.body ?? '',
    JSON.stringify(opts.payload ?? {}),
    dedupe(),
    opts.template ?? 'account_change',
  ])
  return String(r.rows[0].id)
}

/** Sets how many more pushes of a template the person accepted. */
async function setQuota(be: TestBackend, user: string, remaining: number, template = 'account_change') {
  await be.db.query(
    `insert into public.push_subscriptions (user_id, template, remaining) values ($1, $2, $3)
     on conflict (user_id, template) do update set remaining = excluded.remaining`,
    [user, template, remaining],
  )
}

async function quota(be: TestBackend, user: string, template = 'account_change'): Promise<number | null> {
  const r = await be.db.query('select remaining from public.push_subscriptions where user_id = $1 and template = $2', [user, template])
  return r.rows.length ? Number(r.rows[0].remaining) : null
}

async function push(be: TestBackend, id: string): Promise<PushState> {
  const r = await be.db.query(
    `select push_status::text, attempts, last_error,
            extract(epoch from next_attempt_at - now())::float8 as retry_in,
            lease_until is not null as leased, pushed_at is not null as pushed
       from public.notifications where id = $1`,
    [id],
  )
  return r.rows[0] as unknown as PushState
}

function dispatch(be: TestBackend, body: Record<string, unknown> = {}, token: string | null = be.serviceRoleKey) {
  return callFunction<Summary & FunctionError>(be, 'notify-dispatch', { body, token })
}

const none: Summary = { claimed: 0, sent: 0, skipped: 0, failed: 0, retried: 0 }

describe('on the local backend', () => {
  let be: TestBackend
  let wechat: FakeWechat
  const sends = () => wechat.calls('subscribe_send')

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { WECHAT_TIMEOUT_MS: '1500', WECHAT_TEMPLATES: JSON.stringify(TEMPLATES) } })
    wechat = be.wechat!
    await be.db.query(`insert into public.profiles (id, display_name) values ($1, '没有微信的人')`, [NO_WECHAT])
  })
  afterAll(async () => {
    await be?.close()
  })
  afterEach(async () => {
    wechat.reset()
    await be.db.exec('delete from public.notifications; delete from public.push_subscriptions;')
  })

  /** `n` pending pushes shared by the seeded workers and butlers, each with quota to spare. */
  async function manyPushes(n: number, label: string) {
    const recipients = [people.worker1, people.worker2, people.butler1, people.butler2]
    for (const r of recipients) await setQuota(be, r, 1000)
    await be.db.query(
      `insert into public.notifications (recipient_id, kind, title, link, dedupe_key, push_template, push_status)
       select ($1::uuid[])[1 + g % 4], 'test', $3 || g || '条', '/pages/me/index', $3 || ':' || g, 'account_change', 'pending'
         from generate_series(1, $2) g`,
      [recipients, n, label],
    )
  }

  describe('who may call it', () => {
    it('a call without a token is refused with 401 before the function runs', async () => {
      const res = await dispatch(be, {}, null)
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED_NO_AUTH_HEADER' })
    })

    it('the anon key is refused with 403 forbidden, and nothing is claimed', async () => {
      await setQuota(be, people.worker1, 1)
      const id = await notify(be, people.worker1)
      const res = await dispatch(be, {}, be.anonKey)
      expect(res.status).toBe(403)
      expect(res.body).toEqual({ error: { code: 'forbidden', message: '只有系统可以调用该功能', retryable: false } })
      expect(await push(be, id)).toMatchObject({ push_status: 'pending', attempts: 0, leased: false })
      expect(wechat.calls()).toEqual([])
    })

    it("a person's token is refused with 403 forbidden, even an admin's", async () => {
      const res = await dispatch(be, {}, await be.signToken({ sub: people.admin }))
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    })

    it('a service-role JWT the project signed is accepted, as well as the service-role key itself', async () => {
      const res = await dispatch(be, {}, await be.keys.sign({ role: 'service_role' }, { expiresIn: '5m' }))
      expect(res.status).toBe(200)
      expect(res.body).toEqual(none)
    })

    it('answers 405 method_not_allowed to a GET', async () => {
      const res = await callFunction<FunctionError>(be, 'notify-dispatch', { method: 'GET', token: be.serviceRoleKey })
      expect(res.status).toBe(405)
      expect(res.body.error.code).toBe('method_not_allowed')
    })

    it('answers 400 bad_request for an option out of range, and claims nothing', async () => {
      await setQuota(be, people.worker1, 1)
      const id = await notify(be, people.worker1)
      const res = await dispatch(be, { batch_size: 0 })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'bad_request', message: 'batch_size 应为 1 到 500 之间的整数', retryable: false } })
      expect((await push(be, id)).attempts).toBe(0)
    })
  })

  describe('sending', () => {
    it("sends an admin's role change to the person's WeChat with the template, page and fields, and marks it sent", async () => {
      const worker = await clientAs(be, 'worker1')
      expect((await worker.rpc('record_subscriptions', { templates: ['account_change'] })).error).toBeNull()
      const admin = await clientAs(be, 'admin')
      expect((await admin.rpc('set_user_role', { user_id: people.worker1, new_role: 'butler' })).error).toBeNull()
      const r = await be.db.query(`select id, created_at from public.notifications where recipient_id = $1`, [people.worker1])
      const id = String(r.rows[0].id)
      const createdAt = new Date(r.rows[0].created_at as string)

      const res = await dispatch(be)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ ...none, claimed: 1, sent: 1 })
      const china = new Date(createdAt.getTime() + 8 * 3600 * 1000)
      const when = `${china.getUTCFullYear()}年${china.getUTCMonth() + 1}月${china.getUTCDate()}日 ${String(china.getUTCHours()).padStart(2, '0')}:${String(china.getUTCMinutes()).padStart(2, '0')}`
      expect(sends().map((c) => c.params)).toEqual([
        {
          access_token: wechat.state.accessToken,
          touser: 'demo:worker1',
          template_id: 'local-account-change-template',
          page: 'pages/me/index',
          data: {
            thing1: { value: '您的角色已变更为创业管家' },
            time2: { value: when },
            thing3: { value: '管理员已将您的角色由职工调整为创业管家。' },
          },
          miniprogram_state: 'developer',
          lang: 'zh_CN',
        },
      ])
      expect(await push(be, id)).toEqual({ push_status: 'sent', attempts: 1, last_error: null, retry_in: null, leased: false, pushed: true })
      expect((await admin.rpc('set_user_role', { user_id: people.worker1, new_role: 'worker' })).error).toBeNull()
    })

    it('the person sees the sent notification in their message centre', async () => {
      await setQuota(be, people.worker2, 1)
      const id = await notify(be, people.worker2, { title: '消息中心可见' })
      await dispatch(be)
      const { data, error } = await (await clientAs(be, 'worker2')).from('notifications').select('id, title, push_status')
      expect(error).toBeNull()
      expect(data).toEqual([{ id: Number(id), title: '消息中心可见', push_status: 'sent' }])
    })

    it('an empty outbox makes no call to WeChat, not even for a token', async () => {
      const res = await dispatch(be)
      expect(res.body).toEqual(none)
      expect(wechat.calls()).toEqual([])
    })

    it('sends every due push of several people in one call', async () => {
      await setQuota(be, people.worker1, 5)
      await setQuota(be, people.butler1, 5)
      for (let i = 0; i < 3; i++) await notify(be, people.worker1, { title: `职工消息${i}` })
      for (let i = 0; i < 2; i++) await notify(be, people.butler1, { title: `管家消息${i}` })
      const res = await dispatch(be, { batch_size: 2 })
      expect(res.body).toEqual({ ...none, claimed: 5, sent: 5 })
      expect(sends().map((c) => `${c.params.touser} ${(c.params.data as Record<string, { value: string }>).thing1.value}`).sort()).toEqual([
        'demo:butler1 管家消息0',
        'demo:butler1 管家消息1',
        'demo:worker1 职工消息0',
        'demo:worker1 职工消息1',
        'demo:worker1 职工消息2',
      ])
    })
  })

  describe('quota', () => {
    it('a sent push uses one of the subscriptions the person accepted', async () => {
      const worker = await clientAs(be, 'worker2')
      // Three acceptances: three calls (one call counts a template once).
      for (let i = 0; i < 3; i++) expect((await worker.rpc('record_subscriptions', { templates: ['account_change'] })).error).toBeNull()
      await notify(be, people.worker2)
      await dispatch(be)
      expect(await quota(be, people.worker2)).toBe(2)
    })

    it('a person without a subscription is skipped as no_quota without a call to WeChat', async () => {
      const id = await notify(be, people.worker2)
      const res = await dispatch(be)
      expect(res.body).toEqual(none)
      expect(await push(be, id)).toMatchObject({ push_status: 'skipped', last_error: 'no_quota', attempts: 0, pushed: false })
      expect(wechat.calls()).toEqual([])
    })

    it('three pushes against a quota of two: two are sent, the third is skipped without a call', async () => {
      await setQuota(be, people.worker1, 2)
      const ids = [await notify(be, people.worker1, { title: '第一条' }), await notify(be, people.worker1, { title: '第二条' }), await notify(be, people.worker1, { title: '第三条' })]
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 2, sent: 2 })
      expect(sends()).toHaveLength(2)
      expect((await Promise.all(ids.map((id) => push(be, id)))).map((p) => p.push_status)).toEqual(['sent', 'sent', 'skipped'])
      expect((await push(be, ids[2])).last_error).toBe('no_quota')
      expect(await quota(be, people.worker1)).toBe(0)
    })

    it("WeChat's 43101 (refused, no subscription left) skips the push and sets the quota to 0", async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', 43101)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, skipped: 1 })
      expect(await push(be, id)).toMatchObject({ push_status: 'skipped', retry_in: null, pushed: false })
      expect((await push(be, id)).last_error).toMatch(/^refused: 43101 user refuse to accept the msg/)
      expect(await quota(be, people.worker1)).toBe(0)
    })

    it('after a 43101 the next push of that person is skipped without asking WeChat', async () => {
      await setQuota(be, people.worker1, 5)
      await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', 43101)
      await dispatch(be)
      wechat.reset()
      const later = await notify(be, people.worker1)
      await dispatch(be)
      expect(await push(be, later)).toMatchObject({ push_status: 'skipped', last_error: 'no_quota' })
      expect(sends()).toEqual([])
    })
  })

  describe('the access token', () => {
    it('is fetched once and shared by later calls', async () => {
      await setQuota(be, people.worker1, 5)
      await notify(be, people.worker1)
      await dispatch(be)
      wechat.reset()
      await notify(be, people.worker1)
      await dispatch(be)
      expect(wechat.calls('stable_token')).toEqual([])
      expect(sends()[0].params.access_token).toBe(wechat.state.accessToken)
    })

    it('is refreshed once with force_refresh and the push sent when WeChat says it is no longer valid (40001)', async () => {
      await setQuota(be, people.worker1, 5)
      await notify(be, people.worker1)
      await dispatch(be)
      wechat.reset()
      wechat.invalidateAccessToken()
      const id = await notify(be, people.worker1)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, sent: 1 })
      expect(wechat.calls('stable_token').map((c) => c.params.force_refresh)).toEqual([true])
      expect(sends()).toHaveLength(2)
      expect(sends()[1].params.access_token).toBe(wechat.state.accessToken)
      expect(sends()[0].params.access_token).not.toBe(wechat.state.accessToken)
      expect((await push(be, id)).push_status).toBe('sent')
    })

    it('pushes sent at once that all meet 40001 share one forced refresh', async () => {
      await setQuota(be, people.worker1, 10)
      await notify(be, people.worker1)
      await dispatch(be)
      wechat.reset()
      wechat.invalidateAccessToken()
      for (let i = 0; i < 6; i++) await notify(be, people.worker1, { title: `刷新测试${i}` })
      const res = await dispatch(be, { concurrency: 6 })
      expect(res.body).toEqual({ ...none, claimed: 6, sent: 6 })
      expect(wechat.calls('stable_token').map((c) => c.params.force_refresh)).toEqual([true])
      expect(sends().filter((c) => c.params.access_token === wechat.state.accessToken)).toHaveLength(6)
    })

    it('still rejected after the refresh: the push is retried later, not failed', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', 40001)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, retried: 1 })
      expect(sends()).toHaveLength(2)
      expect(wechat.calls('stable_token')).toHaveLength(1)
      const p = await push(be, id)
      expect(p).toMatchObject({ push_status: 'pending', attempts: 1, leased: false })
      expect(p.last_error).toMatch(/^access token still rejected after a refresh: 40001 /)
      expect(p.retry_in).toBeGreaterThan(20)
      expect(p.retry_in).toBeLessThanOrEqual(36)
    })
  })

  describe('temporary failures', () => {
    it.each([
      [45009, /^wechat 45009 reach max api daily quota limit/],
      [-1, /^wechat -1 system error/],
      ['http_500', /^unavailable: subscribeMessage\.send: HTTP 500$/],
      ['hang', /^unavailable: subscribeMessage\.send: no answer within 1500 ms$/],
      ['drop', /^unavailable: subscribeMessage\.send: network error/],
      ['not_json', /^unavailable: subscribeMessage\.send: answer is not JSON/],
    ] as const)('%s: the push stays pending and is retried after about 30 s', async (scenario, error) => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', scenario)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, retried: 1 })
      // A kept-alive connection cut before any answer is retried once by Deno's HTTP client itself; the
      // dispatcher adds no try of its own.
      expect(sends().length).toBeGreaterThanOrEqual(1)
      expect(sends().length).toBeLessThanOrEqual(scenario === 'drop' ? 2 : 1)
      const p = await push(be, id)
      expect(p).toMatchObject({ push_status: 'pending', attempts: 1, leased: false, pushed: false })
      expect(p.last_error).toMatch(error)
      expect(p.retry_in).toBeGreaterThan(20) // 30 s ± 20 %
      expect(p.retry_in).toBeLessThanOrEqual(36)
      expect(await quota(be, people.worker1)).toBe(5)
    })

    it('is not tried again before its time', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', -1)
      await dispatch(be)
      wechat.reset()
      expect((await dispatch(be)).body).toEqual(none)
      expect(sends()).toEqual([])
      expect((await push(be, id)).attempts).toBe(1)
    })

    it('goes out once it is due again', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', 45009)
      await dispatch(be)
      wechat.reset()
      await be.db.query(`update public.notifications set next_attempt_at = now() - interval '1 second' where id = $1`, [id])
      expect((await dispatch(be)).body).toEqual({ ...none, claimed: 1, sent: 1 })
      expect(await push(be, id)).toMatchObject({ push_status: 'sent', attempts: 2, last_error: null, retry_in: null, pushed: true })
      expect(sends()).toHaveLength(1)
    })

    it('waits longer each time: the fourth attempt is retried after about 4 minutes', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      await be.db.query('update public.notifications set attempts = 3 where id = $1', [id])
      wechat.setScenario('subscribe_send', -1)
      await dispatch(be)
      const p = await push(be, id)
      expect(p.attempts).toBe(4)
      expect(p.retry_in).toBeGreaterThan(240 * 0.8 - 5)
      expect(p.retry_in).toBeLessThanOrEqual(240 * 1.2)
    })

    it('fails the push on its eighth attempt, with the last reason', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      await be.db.query('update public.notifications set attempts = 7 where id = $1', [id])
      wechat.setScenario('subscribe_send', -1)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, failed: 1 })
      const p = await push(be, id)
      expect(p).toMatchObject({ push_status: 'failed', attempts: 8, retry_in: null, pushed: false })
      expect(p.last_error).toMatch(/^gave up after 8 attempts: wechat -1 system error/)
    })
  })

  describe('permanent failures', () => {
    it.each([
      [47003, /^wechat 47003 argument invalid!/],
      [40037, /^wechat 40037 invalid template_id/],
      [41030, /^wechat 41030 invalid page/],
    ] as const)('%i: the push fails with the reason and is never retried', async (code, error) => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      wechat.setScenario('subscribe_send', code)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, failed: 1 })
      const p = await push(be, id)
      expect(p).toMatchObject({ push_status: 'failed', attempts: 1, retry_in: null, leased: false, pushed: false })
      expect(p.last_error).toMatch(error)
      expect(sends()).toHaveLength(1)
      expect(await quota(be, people.worker1)).toBe(5)
    })

    it('a push to a person without a WeChat openid fails as no_openid without a call to WeChat', async () => {
      await setQuota(be, NO_WECHAT, 5)
      const id = await notify(be, NO_WECHAT)
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, failed: 1 })
      expect(await push(be, id)).toMatchObject({ push_status: 'failed', last_error: 'no_openid' })
      expect(wechat.calls()).toEqual([])
    })

    it('a push whose template is not configured fails as no_template', async () => {
      await setQuota(be, people.worker1, 5, 'batch_result')
      const id = await notify(be, people.worker1, { template: 'batch_result' })
      await dispatch(be)
      expect(await push(be, id)).toMatchObject({ push_status: 'failed', last_error: 'no_template: batch_result is not in WECHAT_TEMPLATES' })
      expect(sends()).toEqual([])
    })
  })

  describe("WeChat's value rules", () => {
    const fields = (i = 0) => sends()[i].params.data as Record<string, { value: string }>

    it('a title longer than 20 characters is cut to 19 and an ellipsis, and WeChat takes it', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1, { title: '关于二〇二六年度一次性创业补贴集中申报安排的通知' })
      await dispatch(be)
      expect(fields().thing1.value).toBe('关于二〇二六年度一次性创业补贴集中申报…')
      expect((await push(be, id)).push_status).toBe('sent')
    })

    it("values are written as WeChat takes them: amounts, dates, names, codes and the template's page", async () => {
      await setQuota(be, people.worker1, 5, 'field_rules')
      await notify(be, people.worker1, {
        template: 'field_rules',
        title: '补贴审核结果',
        payload: { status: '已通过', amount: 3000, day: '2026-11-25', name: '欧阳建国同志的创业小店老板', ref: 'B-2026-11-0042' },
      })
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, sent: 1 })
      expect(sends()[0].params).toMatchObject({ template_id: 'test-field-rules-template', page: 'pages/home/index' })
      expect(fields()).toEqual({
        thing1: { value: '补贴审核结果' },
        phrase2: { value: '已通过' },
        amount3: { value: '¥3000.00' },
        date4: { value: '2026年11月25日' },
        name5: { value: '欧阳建国同志的创业小' },
        character_string6: { value: 'B-2026-11-0042' },
      })
    })

    it('a phrase of more than 5 Chinese characters fails the push as bad_field, without a call to WeChat', async () => {
      await setQuota(be, people.worker1, 5, 'field_rules')
      const id = await notify(be, people.worker1, {
        template: 'field_rules',
        payload: { status: '审核未能通过', amount: 1, day: '2026-11-25', name: '刘建国', ref: 'B-1' },
      })
      const res = await dispatch(be)
      expect(res.body).toEqual({ ...none, claimed: 1, failed: 1 })
      expect(await push(be, id)).toMatchObject({ push_status: 'failed', last_error: 'bad_field: phrase2: "审核未能通过" is not 1 to 5 Chinese characters' })
      expect(sends()).toEqual([])
    })

    it('a value the payload lacks fails the push as bad_field, naming the data key', async () => {
      await setQuota(be, people.worker1, 5, 'field_rules')
      const id = await notify(be, people.worker1, { template: 'field_rules', payload: { status: '已通过' } })
      await dispatch(be)
      expect(await push(be, id)).toMatchObject({ push_status: 'failed', last_error: 'bad_field: amount3: has no value' })
    })
  })

  describe('leases and concurrency', () => {
    it('a push another dispatcher holds under its lease is not sent', async () => {
      await setQuota(be, people.worker1, 10)
      const ids = [await notify(be, people.worker1), await notify(be, people.worker1)]
      const { data, error } = await serviceClient(be).rpc('claim_pushes', { batch_size: 10, lease_seconds: 60 })
      expect(error).toBeNull()
      expect(data).toHaveLength(2)
      expect((await dispatch(be)).body).toEqual(none)
      expect(sends()).toEqual([])
      expect((await Promise.all(ids.map((id) => push(be, id)))).map((p) => [p.push_status, p.leased])).toEqual([
        ['pending', true],
        ['pending', true],
      ])
    })

    it('pushes claimed by a dispatcher that died before sending are each sent exactly once after the lease runs out', async () => {
      await setQuota(be, people.worker1, 10)
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.push(await notify(be, people.worker1, { title: `租约测试第${i}条` }))
      // The dead dispatcher: claims with a 1 s lease and is never heard from again.
      const { data } = await serviceClient(be).rpc('claim_pushes', { batch_size: 10, lease_seconds: 1 })
      expect(data).toHaveLength(5)
      await new Promise((resolve) => setTimeout(resolve, 1500))

      const first = await dispatch(be)
      const second = await dispatch(be)
      expect(first.body).toEqual({ ...none, claimed: 5, sent: 5 })
      expect(second.body).toEqual(none)
      const titles = sends().map((c) => (c.params.data as Record<string, { value: string }>).thing1.value)
      expect(titles.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `租约测试第${i}条`))
      expect((await Promise.all(ids.map((id) => push(be, id)))).every((p) => p.push_status === 'sent' && p.attempts === 2)).toBe(true)
      expect(await quota(be, people.worker1)).toBe(5)
    })

    it("the dead dispatcher's late finish changes nothing", async () => {
      await setQuota(be, people.worker1, 10)
      const id = await notify(be, people.worker1)
      await serviceClient(be).rpc('claim_pushes', { batch_size: 10, lease_seconds: 1 })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await dispatch(be)
      const { error } = await serviceClient(be).rpc('finish_push', { push_id: Number(id), outcome: 'failed', error: 'late' })
      expect(error).toBeNull()
      expect(await push(be, id)).toMatchObject({ push_status: 'sent', last_error: null })
      expect(await quota(be, people.worker1)).toBe(9)
    })

    it('sends to WeChat several at once, never more than `concurrency`', async () => {
      await manyPushes(40, '同时发送第')
      wechat.setLatency(50)
      try {
        const res = await dispatch(be, { concurrency: 5 })
        expect(res.body).toEqual({ ...none, claimed: 40, sent: 40 })
      } finally {
        wechat.setLatency(0)
      }
      expect(wechat.peakInFlight('subscribe_send')).toBe(5)
      expect(sends()).toHaveLength(40)
    })

    it('sends at most 16 at once by default', async () => {
      await manyPushes(60, '默认并发第')
      wechat.setLatency(50)
      try {
        expect((await dispatch(be)).body).toEqual({ ...none, claimed: 60, sent: 60 })
      } finally {
        wechat.setLatency(0)
      }
      expect(wechat.peakInFlight('subscribe_send')).toBeGreaterThan(1)
      expect(wechat.peakInFlight('subscribe_send')).toBeLessThanOrEqual(16)
    })

    it('claims the next batch while the last one is still being sent', async () => {
      await manyPushes(30, '流水线第')
      wechat.setLatency(100)
      try {
        expect((await dispatch(be, { batch_size: 3, concurrency: 8 })).body).toEqual({ ...none, claimed: 30, sent: 30 })
      } finally {
        wechat.setLatency(0)
      }
      // More sends out at once than one batch holds.
      expect(wechat.peakInFlight('subscribe_send')).toBeGreaterThan(3)
      expect(wechat.peakInFlight('subscribe_send')).toBeLessThanOrEqual(8)
    })

    it('two dispatchers at once never send a push twice', async () => {
      const recipients = [people.worker1, people.worker2, people.butler1, people.butler2, people.admin]
      for (const r of recipients) await setQuota(be, r, 1000)
      await be.db.query(
        `insert into public.notifications (recipient_id, kind, title, link, dedupe_key, push_template, push_status)
         select ($1::uuid[])[1 + g % 5], 'test', '并发测试第' || g || '条', '/pages/me/index', 'concurrent:' || g, 'account_change', 'pending'
           from generate_series(1, 300) g`,
        [recipients],
      )
      // 8 sends each at most: this section's 1.5 s WeChat timeout is short for 32 sends at once to the
      // in-process fake on a busy machine, and a timed-out send is (correctly) retried instead of sent.
      const [a, b] = await Promise.all([dispatch(be, { batch_size: 20, concurrency: 8 }), dispatch(be, { batch_size: 20, concurrency: 8 })])
      expect(a.status).toBe(200)
      expect(b.status).toBe(200)
      expect(a.body.claimed + b.body.claimed).toBe(300)
      expect(a.body.sent + b.body.sent).toBe(300)
      const keys = sends().map((c) => `${c.params.touser} ${JSON.stringify(c.params.data)}`)
      expect(keys).toHaveLength(300)
      expect(new Set(keys).size).toBe(300)
      const r = await be.db.query(`select push_status::text as s, count(*)::int as n from public.notifications group by 1`)
      expect(r.rows).toEqual([{ s: 'sent', n: 300 }])
    })
  })

  describe('recording outcomes', () => {
    /**
     * Watches public.notifications as superuser: every row whose lease is cleared (settled) is logged
     * with the transaction that did it, one per API call; the first `failures` settle calls fail.
     */
    async function settleProbe(failures = 0) {
      await be.db.exec(`
        create schema test_probe;
        create table test_probe.settled (txid bigint not null, push_id bigint not null);
        create sequence test_probe.settle_calls;
        create function test_probe.watch() returns trigger language plpgsql security definer set search_path = '' as $$
        begin
          if old.lease_until is not null and new.lease_until is null then
            -- One number per call: a failing call stops at its first row.
            if nextval('test_probe.settle_calls') <= ${failures} then raise exception 'injected: the database is unreachable'; end if;
            insert into test_probe.settled (txid, push_id) values (txid_current(), new.id);
          end if;
          return new;
        end $$;
        create trigger test_probe_watch before update on public.notifications for each row execute function test_probe.watch();
      `)
      return {
        async seen(): Promise<{ calls: number; rows: number; pushes: number }> {
          const r = await be.db.query(
            `select count(distinct txid)::int as calls, count(*)::int as rows, count(distinct push_id)::int as pushes from test_probe.settled`,
          )
          return r.rows[0] as { calls: number; rows: number; pushes: number }
        },
        drop: () => be.db.exec('drop schema test_probe cascade'),
      }
    }

    it('records the outcomes of many pushes in a few calls, each row once', async () => {
      await manyPushes(128, '批量记录第')
      const probe = await settleProbe()
      wechat.setLatency(100)
      try {
        expect((await dispatch(be)).body).toEqual({ ...none, claimed: 128, sent: 128 })
        const seen = await probe.seen()
        expect({ rows: seen.rows, pushes: seen.pushes }).toEqual({ rows: 128, pushes: 128 })
        // One call per push before. Now a call records what came in over SETTLE_DELAY_MS (100 ms): on an
        // idle machine about one call per wave of 16 answers, on a busy one about one per 100 ms of the
        // run (28 to 36 measured at a load average of 10 on 2 cores).
        expect(seen.calls).toBeGreaterThanOrEqual(1)
        expect(seen.calls).toBeLessThan(128)
      } finally {
        wechat.setLatency(0)
        await probe.drop()
      }
      const r = await be.db.query(`select push_status::text as s, count(*)::int as n from public.notifications group by 1`)
      expect(r.rows).toEqual([{ s: 'sent', n: 128 }])
    })

    it('a call that fails to record is tried again, and every outcome is recorded once', async () => {
      await manyPushes(8, '重试记录第')
      const probe = await settleProbe(2)
      try {
        expect((await dispatch(be)).body).toEqual({ ...none, claimed: 8, sent: 8 })
        expect(await probe.seen()).toMatchObject({ rows: 8, pushes: 8 })
      } finally {
        await probe.drop()
      }
      expect(sends()).toHaveLength(8)
      const r = await be.db.query(`select push_status::text as s, count(*)::int as n from public.notifications group by 1`)
      expect(r.rows).toEqual([{ s: 'sent', n: 8 }])
    })

    it('outcomes never recorded after three tries: the row is sent again once its lease runs out (at least once)', async () => {
      await setQuota(be, people.worker1, 5)
      const id = await notify(be, people.worker1)
      const probe = await settleProbe(3)
      try {
        expect((await dispatch(be)).body).toEqual({ ...none, claimed: 1, sent: 1 })
        expect(await probe.seen()).toMatchObject({ rows: 0 })
        expect(await push(be, id)).toMatchObject({ push_status: 'pending', attempts: 1, leased: true })
      } finally {
        await probe.drop()
      }
      await be.db.query(`update public.notifications set lease_until = now() - interval '1 second' where id = $1`, [id])
      expect((await dispatch(be)).body).toEqual({ ...none, claimed: 1, sent: 1 })
      expect(sends()).toHaveLength(2)
      expect(await push(be, id)).toMatchObject({ push_status: 'sent', attempts: 2, leased: false })
      expect(await quota(be, people.worker1)).toBe(4)
    })
  })
})

describe('a backlog', () => {
  // Its own backend with the default WeChat timeout (5 s): under load, many sends at once to the
  // in-process fake can take longer than the 1.5 s the other tests use, and a timed-out send is retried
  // (correctly) instead of counted here.
  let be: TestBackend
  const sends = () => be.wechat!.calls('subscribe_send')

  beforeAll(async () => {
    be = await startTestBackend()
  })
  afterAll(async () => {
    await be?.close()
  })

  const N = process.env.DATABASE_URL ? 10_000 : 2_000
  const PEOPLE = 50

  it(
    process.env.DATABASE_URL
      ? 'a 10,000-push backlog drains with no push lost and none sent twice (PostgreSQL)'
      : 'a 2,000-push backlog drains with no push lost and none sent twice (PGlite; 10,000 with DATABASE_URL)',
    async () => {
      await be.db.query(
        `insert into public.profiles (id, display_name)
         select ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, '积压测试' || i from generate_series(1, $1) i
         on conflict do nothing`,
        [PEOPLE],
      )
      await be.db.query(
        `insert into private.wechat_identities (user_id, openid)
         select ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, 'o_backlog_' || i from generate_series(1, $1) i
         on conflict do nothing`,
        [PEOPLE],
      )
      await be.db.query(
        `insert into public.push_subscriptions (user_id, template, remaining)
         select ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, 'account_change', $2 from generate_series(1, $1) i`,
        [PEOPLE, N],
      )
      await be.db.query(
        `insert into public.notifications (recipient_id, kind, title, link, dedupe_key, push_template, push_status)
         select ('00000000-0000-4000-9000-' || lpad((1 + g % $2)::text, 12, '0'))::uuid, 'test', '积压消息第' || g || '条',
                '/pages/me/index', 'backlog:' || g, 'account_change', 'pending'
           from generate_series(1, $1) g`,
        [N, PEOPLE],
      )

      // Two dispatchers, each called again until the outbox is empty (as pg_cron would, minute by minute).
      const totals = { claimed: 0, sent: 0 }
      const dispatcher = async () => {
        for (;;) {
          const res = await dispatch(be, { batch_size: 200, concurrency: 16 })
          expect(res.status).toBe(200)
          totals.claimed += res.body.claimed
          totals.sent += res.body.sent
          expect(res.body.failed + res.body.retried + res.body.skipped).toBe(0)
          if (res.body.claimed === 0) return
        }
      }
      await Promise.all([dispatcher(), dispatcher()])

      expect(totals).toEqual({ claimed: N, sent: N })
      const keys = sends().map((c) => `${c.params.touser} ${(c.params.data as Record<string, { value: string }>).thing1.value}`)
      expect(keys).toHaveLength(N)
      expect(new Set(keys).size).toBe(N)
      const r = await be.db.query(
        `select (select count(*)::int from public.notifications where push_status = 'sent' and attempts = 1) as sent,
                (select sum(remaining)::int from public.push_subscriptions) as quota_left`,
      )
      expect(r.rows[0]).toEqual({ sent: N, quota_left: PEOPLE * N - N })
    },
    600_000,
  )
})

describe('without an access token', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { WECHAT_TIMEOUT_MS: '1500' } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it('stable_token busy (-1): answers 502 wechat_unavailable and puts the claimed pushes back for a retry', async () => {
    await setQuota(be, people.worker1, 5)
    const id = await notify(be, people.worker1)
    be.wechat!.setScenario('stable_token', -1)
    const res = await dispatch(be)
    expect(res.status).toBe(502)
    expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
    const p = await push(be, id)
    expect(p).toMatchObject({ push_status: 'pending', attempts: 1, leased: false })
    expect(p.last_error).toMatch(/^access token: getStableAccessToken: errcode -1 system error/)
    expect(p.retry_in).toBeGreaterThan(20)
    expect(be.wechat!.calls('subscribe_send')).toEqual([])
  })

  it('stable_token refusing the app secret (40125): answers 500 server_misconfigured', async () => {
    await be.db.query(`update public.notifications set next_attempt_at = now() - interval '1 second'`)
    be.wechat!.setScenario('stable_token', 40125)
    const res = await dispatch(be)
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('server_misconfigured')
    expect(be.wechat!.calls('subscribe_send')).toEqual([])
  })
})

describe('a misconfigured deployment', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { WECHAT_TEMPLATES: '{"account_change": {"fields": {}}}' } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it('answers 500 server_misconfigured for unusable WECHAT_TEMPLATES and claims nothing', async () => {
    await setQuota(be, people.worker1, 5)
    const id = await notify(be, people.worker1)
    const res = await dispatch(be)
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
    expect(await push(be, id)).toMatchObject({ push_status: 'pending', attempts: 0 })
    expect(be.wechat!.calls()).toEqual([])
  })
})

describe('the local scheduler', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ scheduler: { intervalMs: 250 } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it("sends an admin's role change without anyone calling the dispatcher", async () => {
    await setQuota(be, people.worker2, 1)
    const admin = clientFor(be, await be.signToken({ sub: people.admin }))
    expect((await admin.rpc('set_user_role', { user_id: people.worker2, new_role: 'butler' })).error).toBeNull()
    const deadline = Date.now() + 30_000
    let status = 'pending'
    while (status === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      const r = await be.db.query(`select push_status::text as s from public.notifications where recipient_id = $1`, [people.worker2])
      status = String(r.rows[0].s)
    }
    expect(status).toBe('sent')
    expect(be.wechat!.calls('subscribe_send').map((c) => c.params.touser)).toEqual(['demo:worker2'])
  })
})

describe('the pg_cron migration', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend()
  })
  afterAll(async () => {
    await be?.close()
  })

  it('applies where pg_cron and pg_net are missing, and schedules nothing', async () => {
    const r = await be.db.query(
      `select exists (select 1 from supabase_migrations.schema_migrations where version = '20261121160000') as applied,
              to_regnamespace('cron') is null as no_cron,
              to_regnamespace('net') is null as no_net`,
    )
    expect(r.rows[0]).toEqual({ applied: true, no_cron: true, no_net: true })
  })
})
