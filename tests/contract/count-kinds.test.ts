/**
 * `Prefer: count=planned|estimated` on reads and counts on functions that return scalars, as PostgREST
 * gives them (MainTx.hs, Statements.hs, RangeQuery.hs): planned is the planner's estimate of the rows
 * the filters keep; estimated is the exact count up to max rows (1000) and past it the larger of that
 * and the estimate; a function's result is counted exactly for exact and estimated (one row for a
 * scalar). The table (2,000 rows, analyzed so the estimate is exact) and function are test-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, type Client } from '../support/clients'
import { eventually, rest } from './helpers'

let be: TestBackend
let worker: Client
beforeAll(async () => {
  be = await startTestBackend()
  worker = await clientAs(be, 'worker1')
  await be.db.exec(`
    create table public.contract_counted (id int primary key);
    insert into public.contract_counted select generate_series(1, 2000);
    analyze public.contract_counted;
    grant select on public.contract_counted to anon, authenticated;
    create function public.contract_digits() returns setof int language sql stable as $$ select generate_series(1, 3) $$;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/rpc/contract_digits')).status === 200))) {
    throw new Error('the test table and function were never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`
    drop table if exists public.contract_counted;
    drop function if exists public.contract_digits();
    notify pgrst, 'reload schema';
  `)
  await be?.close()
})

const counted = (query: string, prefer: string) => rest(be, `/contract_counted?select=id&${query}`, { headers: { Prefer: prefer } })

describe('count=planned', () => {
  it("gives the planner's estimate as the total (206 for a partial page)", async () => {
    const res = await counted('limit=1', 'count=planned')
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('0-0/2000')
    expect(res.headers.get('preference-applied')).toBe('count=planned')
    expect(await res.json()).toEqual([{ id: 1 }])
  })

  it('estimates the rows the filters keep, not the whole table', async () => {
    const res = await counted('id=lte.100&limit=1', 'count=planned')
    const total = Number(res.headers.get('content-range')!.split('/')[1])
    expect(total).toBeGreaterThan(20)
    expect(total).toBeLessThan(500)
  })
})

describe('count=estimated', () => {
  it('counts exactly while the rows are no more than max rows', async () => {
    const res = await counted('id=lte.700&limit=2', 'count=estimated')
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('0-1/700')
  })

  it("past max rows, takes the planner's estimate when it is larger than the rows counted", async () => {
    const res = await counted('limit=2', 'count=estimated')
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('0-1/2000')
  })
})

describe('counts on functions returning scalars', () => {
  it('counts a scalar result as one row (Content-Range 0-0/1)', async () => {
    const { data, count, status, error } = await worker.rpc('unread_notification_count', undefined, { count: 'exact' })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(count).toBe(1)
    expect(typeof data).toBe('number')
  })

  it('reports the rows of a set of scalars without a count (Content-Range 0-2/*)', async () => {
    const res = await rest(be, '/rpc/contract_digits', { method: 'POST', body: {} })
    expect(res.headers.get('content-range')).toBe('0-2/*')
  })

  it('counts a set of scalars', async () => {
    const res = await rest(be, '/rpc/contract_digits', { method: 'POST', body: {}, headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('0-2/3')
    expect(await res.json()).toEqual([1, 2, 3])
  })
})
