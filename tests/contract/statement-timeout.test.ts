/**
 * The work of one request is bounded as on hosted Supabase: each API role's statement_timeout (anon 3 s,
 * signed-in users 8 s) applies to its requests, and a query that runs past it is cancelled with
 * PostgreSQL's 57014, which PostgREST answers with 500. PGlite cannot interrupt a running statement
 * (it ignores statement_timeout), so the pathological queries run only against a real PostgreSQL server.
 * The tables here are test-only, created by the test as superuser and dropped afterwards: a hub with
 * two tables of 3,000 rows each pointing at its one row, so every embed through it multiplies the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { eventually, rest } from './helpers'

let be: TestBackend
beforeAll(async () => {
  be = await startTestBackend()
  await be.db.exec(`
    create table public.contract_timeout_hub (id int primary key);
    create table public.contract_timeout_left (id int primary key, hub_id int not null references public.contract_timeout_hub);
    create table public.contract_timeout_right (id int primary key, hub_id int not null references public.contract_timeout_hub);
    insert into public.contract_timeout_hub values (1);
    insert into public.contract_timeout_left select g, 1 from generate_series(1, 3000) g;
    insert into public.contract_timeout_right select g, 1 from generate_series(1, 3000) g;
    create function public.contract_timeout_setting() returns text language sql stable as $$ select current_setting('statement_timeout') $$;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/contract_timeout_hub')).status === 200))) {
    throw new Error('contract_timeout_hub was never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`
    drop table if exists public.contract_timeout_left, public.contract_timeout_right, public.contract_timeout_hub;
    drop function if exists public.contract_timeout_setting();
    notify pgrst, 'reload schema';
  `)
  await be?.close()
})

const onPostgres = !!process.env.DATABASE_URL

async function settingAs(token: string | undefined, apikey?: string) {
  const res = await rest(be, '/rpc/contract_timeout_setting', { token, apikey })
  expect(res.status).toBe(200)
  return res.json()
}

describe("each role's statement timeout", () => {
  it('applies 3 s to anonymous requests', async () => {
    expect(await settingAs(undefined)).toBe('3s')
  })

  it('applies 8 s to signed-in requests', async () => {
    expect(await settingAs(await be.signToken({ sub: people.worker1 }))).toBe('8s')
  })

  it('leaves the service role without one', async () => {
    expect(await settingAs(be.serviceRoleKey, be.serviceRoleKey)).toBe('0')
  })
})

describe.skipIf(!onPostgres)('pathological queries (PostgreSQL only: PGlite cannot cancel a statement)', () => {
  /** `hub(left(hub(left(...))))`: every level through the hub multiplies the rows by 3,000. */
  const nested = (levels: number) => {
    let inner = 'id'
    for (let i = 0; i < levels; i++) inner = `${i % 2 === 0 ? 'contract_timeout_hub' : 'contract_timeout_left'}(${inner})`
    return `id,${inner}`
  }

  it('cuts off a 17-level nested embed after the anon timeout (500 57014)', async () => {
    const started = Date.now()
    const res = await rest(be, `/contract_timeout_left?select=${encodeURIComponent(nested(17))}`)
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ code: '57014', details: null, hint: null, message: 'canceling statement due to statement timeout' })
    expect(Date.now() - started).toBeLessThan(6000)
  })

  it('cuts off a cartesian join through embeds after the anon timeout (500 57014)', async () => {
    const select = 'id,contract_timeout_hub(contract_timeout_right(id,contract_timeout_hub(contract_timeout_right(id))))'
    const res = await rest(be, `/contract_timeout_left?select=${encodeURIComponent(select)}`)
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' })
  })

  it('still answers the next request on the same server', async () => {
    const res = await rest(be, '/contract_timeout_hub?select=id')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: 1 }])
  })
})
