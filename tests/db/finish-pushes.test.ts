/**
 * public.finish_pushes: the dispatcher records many push outcomes in one call, under the rules
 * finish_push always had (both call private.settle_pushes). Driven with supabase-js as the service role;
 * who else may call it is in access-matrix.test.ts.
 *
 * Sections: settling / late and repeated outcomes / quota / malformed input / finish_push.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people, serviceClient, type Client } from '../support/clients'

let be: TestBackend
let service: Client

beforeAll(async () => {
  be = await startTestBackend()
  service = serviceClient(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  await be.db.exec('delete from public.notifications; delete from public.push_subscriptions;')
})

/** A pending push for `recipient`, as a domain event writes it; its id. */
async function pending(recipient: string, template = 'account_change'): Promise<number> {
  const r = await be.db.query(`select private.notify($1, 'test', '批量结算测试', '', null, '{}', $2, $3) as id`, [
    recipient,
    `finish-pushes:${randomBytes(6).toString('hex')}`,
    template,
  ])
  return Number(r.rows[0].id)
}

async function setQuota(user: string, remaining: number, template = 'account_change') {
  await be.db.query(
    `insert into public.push_subscriptions (user_id, template, remaining) values ($1, $2, $3)
     on conflict (user_id, template) do update set remaining = excluded.remaining`,
    [user, template, remaining],
  )
}

async function quota(user: string, template = 'account_change'): Promise<number> {
  const r = await be.db.query('select remaining from public.push_subscriptions where user_id = $1 and template = $2', [user, template])
  return Number(r.rows[0].remaining)
}

interface Row {
  status: string
  last_error: string | null
  retry_at: string | null
  leased: boolean
  pushed: boolean
}

async function row(id: number): Promise<Row> {
  const r = await be.db.query(
    `select push_status::text as status, last_error,
            to_char(next_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as retry_at,
            lease_until is not null as leased, pushed_at is not null as pushed
       from public.notifications where id = $1`,
    [id],
  )
  return r.rows[0] as unknown as Row
}

/** Claims the due pushes as the dispatcher does, so they are under a lease as when outcomes come in. */
async function claim() {
  const { error } = await service.rpc('claim_pushes', { batch_size: 500, lease_seconds: 60 })
  expect(error).toBeNull()
}

const finish = (outcomes: unknown) => service.rpc('finish_pushes', { outcomes: outcomes as never })

describe('settling', () => {
  it('each outcome settles its row: sent, skipped, failed, and pending again with its retry time', async () => {
    await setQuota(people.worker1, 10)
    const [a, b, c, d] = [await pending(people.worker1), await pending(people.worker1), await pending(people.worker1), await pending(people.worker1)]
    await claim()
    const res = await finish([
      { id: a, status: 'sent' },
      { id: b, status: 'skipped', error: 'refused: 43101' },
      { id: c, status: 'failed', error: 'wechat 47003' },
      { id: d, status: 'pending', error: 'wechat -1', retry_at: '2030-01-01T08:00:00Z' },
    ])
    expect(res).toMatchObject({ status: 200, error: null, data: 4 })
    expect(await row(a)).toEqual({ status: 'sent', last_error: null, retry_at: null, leased: false, pushed: true })
    expect(await row(b)).toEqual({ status: 'skipped', last_error: 'refused: 43101', retry_at: null, leased: false, pushed: false })
    expect(await row(c)).toEqual({ status: 'failed', last_error: 'wechat 47003', retry_at: null, leased: false, pushed: false })
    expect(await row(d)).toEqual({ status: 'pending', last_error: 'wechat -1', retry_at: '2030-01-01T08:00:00Z', leased: false, pushed: false })
  })

  it('takes 500 outcomes in one call and settles every row', async () => {
    await setQuota(people.worker2, 1000)
    await be.db.query(
      `insert into public.notifications (recipient_id, kind, title, dedupe_key, push_template, push_status)
       select $1, 'test', '批量' || g, 'finish-pushes-500:' || g, 'account_change', 'pending' from generate_series(1, 500) g`,
      [people.worker2],
    )
    await claim()
    const ids = (await be.db.query('select id from public.notifications order by id')).rows.map((r) => Number(r.id))
    const res = await finish(ids.map((id) => ({ id, status: 'sent' })))
    expect(res).toMatchObject({ error: null, data: 500 })
    const r = await be.db.query(`select push_status::text as s, count(*)::int as n from public.notifications group by 1`)
    expect(r.rows).toEqual([{ s: 'sent', n: 500 }])
    expect(await quota(people.worker2)).toBe(500)
  })

  it('an empty list settles nothing', async () => {
    expect(await finish([])).toMatchObject({ status: 200, error: null, data: 0 })
  })

  it('takes an id written as a string of digits, as PostgREST does for bigint', async () => {
    await setQuota(people.worker1, 1)
    const id = await pending(people.worker1)
    expect(await finish([{ id: String(id), status: 'failed', error: 'no_openid' }])).toMatchObject({ error: null, data: 1 })
    expect((await row(id)).status).toBe('failed')
  })
})

describe('late and repeated outcomes', () => {
  it('a repeated call (an answer lost, the flush tried again) changes nothing and counts nothing', async () => {
    await setQuota(people.worker1, 5)
    const ids = [await pending(people.worker1), await pending(people.worker1)]
    await claim()
    const outcomes = ids.map((id) => ({ id, status: 'sent' }))
    expect((await finish(outcomes)).data).toBe(2)
    expect((await finish(outcomes)).data).toBe(0)
    expect(await quota(people.worker1)).toBe(3)
  })

  it("a late dispatcher's different outcome for a settled row changes nothing", async () => {
    await setQuota(people.worker1, 5)
    const id = await pending(people.worker1)
    await claim()
    expect((await finish([{ id, status: 'sent' }])).data).toBe(1)
    const res = await finish([{ id, status: 'skipped', error: 'refused: 43101' }])
    expect(res).toMatchObject({ error: null, data: 0 })
    expect(await row(id)).toMatchObject({ status: 'sent', last_error: null, pushed: true })
    expect(await quota(people.worker1)).toBe(4)
  })

  it('settles the rows still pending and leaves the settled ones and unknown ids alone', async () => {
    await setQuota(people.worker1, 5)
    const [settled, open] = [await pending(people.worker1), await pending(people.worker1)]
    await claim()
    await finish([{ id: settled, status: 'failed', error: 'first' }])
    const res = await finish([
      { id: settled, status: 'sent' },
      { id: open, status: 'sent' },
      { id: 999_999_999, status: 'sent' },
    ])
    expect(res).toMatchObject({ error: null, data: 1 })
    expect(await row(settled)).toMatchObject({ status: 'failed', last_error: 'first', pushed: false })
    expect((await row(open)).status).toBe('sent')
    expect(await quota(people.worker1)).toBe(4)
  })

  it('two calls settling the same rows at once settle each row once and use its quota once', async () => {
    await setQuota(people.worker1, 100)
    await setQuota(people.worker2, 100)
    const ids: number[] = []
    for (let i = 0; i < 20; i++) ids.push(await pending(i % 2 ? people.worker1 : people.worker2))
    await claim()
    const outcomes = ids.map((id) => ({ id, status: 'sent' }))
    const [a, b] = await Promise.all([finish(outcomes), finish([...outcomes].reverse())])
    expect([a.error, b.error]).toEqual([null, null])
    expect((a.data ?? 0) + (b.data ?? 0)).toBe(20)
    expect([await quota(people.worker1), await quota(people.worker2)]).toEqual([90, 90])
  })
})

describe('quota', () => {
  it('each sent push uses one subscription of its own person and template', async () => {
    await setQuota(people.worker1, 5)
    await setQuota(people.worker2, 2)
    await setQuota(people.worker1, 7, 'batch_result')
    const w1 = [await pending(people.worker1), await pending(people.worker1), await pending(people.worker1)]
    const w2 = await pending(people.worker2)
    await claim()
    expect((await finish([...w1, w2].map((id) => ({ id, status: 'sent' })))).data).toBe(4)
    expect([await quota(people.worker1), await quota(people.worker2), await quota(people.worker1, 'batch_result')]).toEqual([2, 1, 7])
  })

  it("a skipped push (WeChat's 43101) empties that person's quota for the template, whatever was sent with it", async () => {
    await setQuota(people.worker1, 5)
    await setQuota(people.worker2, 5)
    const [sent, refused, other] = [await pending(people.worker1), await pending(people.worker1), await pending(people.worker2)]
    await claim()
    await finish([
      { id: sent, status: 'sent' },
      { id: refused, status: 'skipped', error: 'refused: 43101' },
      { id: other, status: 'sent' },
    ])
    expect([await quota(people.worker1), await quota(people.worker2)]).toEqual([0, 4])
  })

  it('failed and retried pushes use no quota', async () => {
    await setQuota(people.worker1, 5)
    const [failed, retried] = [await pending(people.worker1), await pending(people.worker1)]
    await claim()
    await finish([
      { id: failed, status: 'failed', error: 'wechat 47003' },
      { id: retried, status: 'pending', error: 'wechat -1', retry_at: '2030-01-01T00:00:00Z' },
    ])
    expect(await quota(people.worker1)).toBe(5)
  })

  it('more sent pushes than the count says leave the quota at 0, never below', async () => {
    await setQuota(people.worker1, 3)
    const ids = [await pending(people.worker1), await pending(people.worker1), await pending(people.worker1)]
    await claim()
    await setQuota(people.worker1, 1) // the person's count went down meanwhile
    expect((await finish(ids.map((id) => ({ id, status: 'sent' })))).data).toBe(3)
    expect(await quota(people.worker1)).toBe(0)
  })
})

describe('malformed input', () => {
  // Each input also holds a well-formed outcome for `ok` where it can: the call is refused as a whole.
  it.each<[string, (id: number, ok: number) => unknown, string]>([
    ['an object instead of an array', (id) => ({ id, status: 'sent' }), 'outcomes must be a JSON array of {"id", "status", "error", "retry_at"} objects'],
    ['null', () => null, 'outcomes must be a JSON array of {"id", "status", "error", "retry_at"} objects'],
    ['501 outcomes', (id, ok) => [{ id: ok, status: 'sent' }, ...Array.from({ length: 500 }, (_, i) => ({ id: id + 1 + i, status: 'sent' }))], 'outcomes holds 501 outcomes; at most 500 at a time'],
    ['a number in the array', (_id, ok) => [{ id: ok, status: 'sent' }, 7], 'outcomes[1] must be an object with "id" and "status"'],
    ['an unknown key', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'pending', retryAt: '2030-01-01T00:00:00Z' }], 'outcomes[1] has an unknown key "retryAt" (expected id, status, error, retry_at)'],
    ['no id', (_id, ok) => [{ id: ok, status: 'sent' }, { status: 'sent' }], 'outcomes[1].id must be a push id (a positive integer), not nothing'],
    ['a fractional id', (_id, ok) => [{ id: ok, status: 'sent' }, { id: 1.5, status: 'sent' }], 'outcomes[1].id must be a push id (a positive integer), not 1.5'],
    ['no status', (id, ok) => [{ id: ok, status: 'sent' }, { id }], 'outcomes[1].status must be "sent", "skipped", "failed" or "pending", not nothing'],
    ['status none', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'none' }], 'outcomes[1].status must be "sent", "skipped", "failed" or "pending", not "none"'],
    ['an error that is not text', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'failed', error: { code: 1 } }], 'outcomes[1].error must be a string or null'],
    ['a retry time that is not a time', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'pending', retry_at: 'soon' }], 'outcomes[1].retry_at must be a time (ISO 8601, e.g. 2026-12-01T08:00:00Z), not "soon"'],
    ['a retry without retry_at', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'pending', error: 'wechat -1' }], 'push {id}: a retry needs retry_at'],
    ['the same push twice', (id, ok) => [{ id: ok, status: 'sent' }, { id, status: 'failed' }, { id, status: 'sent' }], 'push {id}: two outcomes for one push in one call'],
  ])('%s is refused with 400 22023 and changes nothing', async (_, input, message) => {
    await setQuota(people.worker1, 5)
    const id = await pending(people.worker1)
    const ok = await pending(people.worker1)
    await claim()
    const res = await finish(input(id, ok))
    expect({ status: res.status, data: res.data, code: res.error?.code, message: res.error?.message }).toEqual({
      status: 400,
      data: null,
      code: '22023',
      message: message.replace('{id}', String(id)),
    })
    expect(await row(id)).toMatchObject({ status: 'pending', leased: true })
    expect(await row(ok)).toMatchObject({ status: 'pending', leased: true })
    expect(await quota(people.worker1)).toBe(5)
  })
})

describe('finish_push', () => {
  it('settles one push under the same rules: once, with its quota', async () => {
    await setQuota(people.worker1, 5)
    const id = await pending(people.worker1)
    await claim()
    expect((await service.rpc('finish_push', { push_id: id, outcome: 'sent' })).error).toBeNull()
    expect((await service.rpc('finish_push', { push_id: id, outcome: 'failed', error: 'late' })).error).toBeNull()
    expect(await row(id)).toMatchObject({ status: 'sent', last_error: null })
    expect(await quota(people.worker1)).toBe(4)
  })

  it('refuses a retry without retry_at with the same message', async () => {
    await setQuota(people.worker1, 5)
    const id = await pending(people.worker1)
    const { error, status } = await service.rpc('finish_push', { push_id: id, outcome: 'pending', error: 'wechat -1' })
    expect({ status, code: error?.code, message: error?.message }).toEqual({ status: 400, code: '22023', message: `push ${id}: a retry needs retry_at` })
  })
})
