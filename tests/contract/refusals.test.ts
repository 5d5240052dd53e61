/**
 * What the local /rest/v1 refuses, as hosted Supabase refuses it: UPDATE and DELETE without a filter
 * (Supabase loads pg-safeupdate; PostgREST answers its 21000 with 400), malformed percent-encoding, and
 * RPC array bodies read as PostgREST reads them (the first object's arguments, never "no arguments" for
 * a non-empty array). The echo function is test-only, created by the test as superuser and dropped after.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, people, serviceClient, type Client } from '../support/clients'
import { eventually, expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let service: Client
let butler1: Client
beforeAll(async () => {
  be = await startTestBackend()
  service = serviceClient(be)
  butler1 = await clientAs(be, 'butler1')
  await be.db.exec(`
    create function public.contract_rpc_echo(ids int[] default null) returns text
      language sql stable as $$ select coalesce(ids::text, 'no ids') $$;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/rpc/contract_rpc_echo')).status === 200))) {
    throw new Error('contract_rpc_echo was never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop function if exists public.contract_rpc_echo(int[]); notify pgrst, 'reload schema';`)
  await be?.close()
})

async function postCount() {
  const { count, error } = await service.from('posts').select('*', { count: 'exact', head: true })
  if (error) throw new Error(error.message)
  return count
}

describe('UPDATE and DELETE need a filter (pg-safeupdate)', () => {
  it('refuses a PATCH without any filter (400 21000) and changes nothing', async () => {
    const res = await service.from('posts').update({ pinned: true }).select('id')
    expectPostgrestError(res, 400, '21000', 'UPDATE requires a WHERE clause')
    const { data } = await service.from('posts').select('id').eq('pinned', true)
    expect(data).toEqual([{ id: posts.deadline }])
  })

  it('refuses a DELETE without any filter (400 21000) and deletes nothing', async () => {
    const before = await postCount()
    const res = await rest(be, '/posts', { method: 'DELETE', apikey: be.serviceRoleKey, token: be.serviceRoleKey })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ code: '21000', details: null, hint: null, message: 'DELETE requires a WHERE clause' })
    expect(await postCount()).toBe(before)
  })

  it('refuses a DELETE whose only filter is on an embedded resource (400 21000)', async () => {
    const res = await rest(be, '/posts?select=id,profiles!author_id(id)&profiles.id=eq.nobody', { method: 'DELETE', token: be.serviceRoleKey, apikey: be.serviceRoleKey })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: '21000', message: 'DELETE requires a WHERE clause' })
  })

  it('still deletes with a filter', async () => {
    const id = randomUUID()
    await butler1.from('posts').insert({ id, kind: 'notice', title: '删除我' })
    const { error, status } = await butler1.from('posts').delete().eq('id', id)
    expect(error).toBeNull()
    expect(status).toBe(204)
    expect(await service.from('posts').select('id').eq('id', id)).toMatchObject({ data: [] })
  })
})

describe('malformed percent-encoding', () => {
  it('refuses a bad escape in a filter value (400 PGRST100)', async () => {
    const res = await rest(be, '/posts?select=id&title=eq.%zz')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100', message: '"failed to parse query string (?select=id&title=eq.%zz)"' })
  })

  it('refuses an escape cut short in a key (400 PGRST100)', async () => {
    const res = await rest(be, '/posts?select=id&ti%7=eq.x')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100' })
  })

  it('refuses escapes that are not UTF-8 (400 PGRST100)', async () => {
    const res = await rest(be, '/posts?select=id&title=eq.%C3%28')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100' })
  })

  it('refuses a bad escape in the path (400 PGRST100)', async () => {
    const res = await rest(be, '/po%zzsts?select=id')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100' })
  })

  it('reads good escapes and + as a space', async () => {
    const res = await rest(be, `/posts?select=id&id=eq.${encodeURIComponent(posts.loan)}&title=not.eq.a+b%20c`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: posts.loan }])
  })
})

describe('RPC with a JSON array body', () => {
  const call = (body: unknown) => rest(be, '/rpc/contract_rpc_echo', { method: 'POST', body })

  it("calls the function once with the first object's arguments, as PostgREST does", async () => {
    const res = await call([{ ids: [1, 2] }, { ids: [3] }])
    expect(res.status).toBe(200)
    expect(await res.json()).toBe('{1,2}')
  })

  it('refuses objects with different keys (400 PGRST102)', async () => {
    const res = await call([{ ids: [1] }, { other: 1 }])
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ code: 'PGRST102', details: null, hint: null, message: 'All object keys must match' })
  })

  it('refuses an array of non-objects (400 PGRST102)', async () => {
    const res = await call([1, 2])
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST102', message: 'All object keys must match' })
  })

  it('calls the function without arguments for an empty array, as PostgREST does', async () => {
    const res = await call([])
    expect(res.status).toBe(200)
    expect(await res.json()).toBe('no ids')
  })

  it("marks only the listed notification read when the ids come in an array body", async () => {
    const worker = await be.signToken({ sub: people.worker1 })
    await be.db.exec(`
      insert into public.notifications (recipient_id, kind, title, dedupe_key)
      values ('${people.worker1}', 'contract_test', '一', 'contract-refusals-1'), ('${people.worker1}', 'contract_test', '二', 'contract-refusals-2');
    `)
    const { rows } = await be.db.query(`select id from public.notifications where dedupe_key like 'contract-refusals-%' order by dedupe_key`)
    const [first, second] = rows.map((r) => Number(r.id))
    const res = await rest(be, '/rpc/mark_notifications_read', { method: 'POST', token: worker, body: [{ ids: [first] }] })
    expect(res.status).toBe(200)
    expect(await res.json()).toBe(1)
    const unread = await be.db.query(`select id from public.notifications where id = any($1) and read_at is null`, [[first, second]])
    expect(unread.rows.map((r) => Number(r.id))).toEqual([second])
  })

  it('never marks every notification read for an empty array, no arguments or null ids: "all" is its own function', async () => {
    const worker = await be.signToken({ sub: people.worker1 })
    await be.db.exec(`
      insert into public.notifications (recipient_id, kind, title, dedupe_key)
      values ('${people.worker1}', 'contract_test', '三', 'contract-refusals-3'), ('${people.worker1}', 'contract_test', '四', 'contract-refusals-4');
    `)
    const unreadCount = async () =>
      Number((await be.db.query(`select count(*) from public.notifications where recipient_id = $1 and read_at is null`, [people.worker1])).rows[0].count)
    const before = await unreadCount()
    expect(before).toBeGreaterThanOrEqual(2)

    const empty = await rest(be, '/rpc/mark_notifications_read', { method: 'POST', token: worker, body: [] })
    expect(empty.status).toBe(404)
    expect(await empty.json()).toMatchObject({ code: 'PGRST202' })
    const none = await rest(be, '/rpc/mark_notifications_read', { method: 'POST', token: worker, body: {} })
    expect(none.status).toBe(404)
    const nullIds = await rest(be, '/rpc/mark_notifications_read', { method: 'POST', token: worker, body: { ids: null } })
    expect(nullIds.status).toBe(200)
    expect(await nullIds.json()).toBe(0)
    expect(await unreadCount()).toBe(before)

    const all = await rest(be, '/rpc/mark_all_notifications_read', { method: 'POST', token: worker, body: {} })
    expect(all.status).toBe(200)
    expect(await all.json()).toBe(before)
    expect(await unreadCount()).toBe(0)
  })
})
