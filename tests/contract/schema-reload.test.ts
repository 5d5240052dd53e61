/**
 * The schema cache: objects created after start are served once `NOTIFY pgrst, 'reload schema'` (or a
 * bare `NOTIFY pgrst`) arrives, as with PostgREST. The app's schema has no jsonb column, so JSON paths
 * are pinned here on a test-only table made the same way. Test objects are created by the test as
 * superuser and dropped afterwards.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor } from '../support/clients'
import { eventually, rest } from './helpers'

let be: TestBackend
/** Untyped on purpose: the tables here exist only while the test runs, not in the generated types. */
let db: SupabaseClient
beforeAll(async () => {
  be = await startTestBackend()
  db = clientFor(be) as unknown as SupabaseClient
})
afterAll(async () => {
  await be?.db.exec(`
    drop table if exists public.contract_reload_probe, public.contract_drop_probe, public.contract_json_probe;
    drop function if exists public.contract_probe_answer();
    notify pgrst, 'reload schema';
  `)
  await be?.close()
})

const served = (path: string) => async () => (await rest(be, path)).status === 200
// Between the drop and the reload the table is still in the cache and PostgreSQL answers 42P01;
// only the reloaded cache answers PGRST205.
const gone = (path: string) => async () => {
  const res = await rest(be, path)
  return res.status === 404 && ((await res.json()) as { code: string }).code === 'PGRST205'
}

describe('reloading the schema cache', () => {
  it("serves a table created after start once 'reload schema' is notified", async () => {
    const before = await rest(be, '/contract_reload_probe')
    expect(before.status).toBe(404)
    expect(await before.json()).toMatchObject({ code: 'PGRST205' })

    await be.db.exec(`
      create table public.contract_reload_probe (id int primary key, label text not null);
      insert into public.contract_reload_probe values (1, '新表');
      notify pgrst, 'reload schema';
    `)
    expect(await eventually(served('/contract_reload_probe'))).toBe(true)
    const { data, error } = await db.from('contract_reload_probe').select('id, label')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, label: '新表' }])
  })

  it("stops serving a dropped table once 'reload schema' is notified (404 PGRST205)", async () => {
    await be.db.exec(`create table public.contract_drop_probe (id int primary key); notify pgrst, 'reload schema';`)
    expect(await eventually(served('/contract_drop_probe'))).toBe(true)
    await be.db.exec(`drop table public.contract_drop_probe; notify pgrst, 'reload schema';`)
    expect(await eventually(gone('/contract_drop_probe'))).toBe(true)
    const { error, status } = await db.from('contract_drop_probe').select('*')
    expect(status).toBe(404)
    expect(error).toMatchObject({ code: 'PGRST205', message: "Could not find the table 'public.contract_drop_probe' in the schema cache" })
  })

  it('serves a new function after a bare NOTIFY pgrst', async () => {
    await be.db.exec(`
      create function public.contract_probe_answer() returns int language sql stable as 'select 42';
      notify pgrst;
    `)
    expect(await eventually(async () => (await rest(be, '/rpc/contract_probe_answer')).status === 200)).toBe(true)
    const { data, error } = await db.rpc('contract_probe_answer')
    expect(error).toBeNull()
    expect(data).toBe(42)
  })
})

describe('JSON paths (on a test-only jsonb table)', () => {
  beforeAll(async () => {
    await be.db.exec(`
      create table public.contract_json_probe (id int primary key, data jsonb not null);
      insert into public.contract_json_probe values
        (1, '{"kind": "a", "rank": 10, "owner": {"name": "王"}, "tags": ["x", "y"]}'),
        (2, '{"kind": "b", "rank": 9, "owner": {"name": "李"}, "tags": ["y"]}'),
        (3, '{"kind": "a", "rank": 100, "owner": null, "tags": []}');
      notify pgrst, 'reload schema';
    `)
    if (!(await eventually(served('/contract_json_probe')))) throw new Error('contract_json_probe was never served')
  })

  it('selects a text value with ->>, named after the last key', async () => {
    const { data, error } = await db.from('contract_json_probe').select('id, data->owner->>name').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: 1, name: '王' },
      { id: 2, name: '李' },
      { id: 3, name: null },
    ])
  })

  it('selects a JSON value with ->', async () => {
    const { data, error } = await db.from('contract_json_probe').select('data->tags').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([{ tags: ['x', 'y'] }, { tags: ['y'] }, { tags: [] }])
  })

  it('renames a JSON path with alias:', async () => {
    const { data, error } = await db.from('contract_json_probe').select('owner:data->owner->>name').eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ owner: '王' }])
  })

  it('casts a JSON path', async () => {
    const { data, error } = await db.from('contract_json_probe').select('data->>rank::int').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([{ rank: 10 }, { rank: 9 }, { rank: 100 }])
  })

  it('filters on a JSON path', async () => {
    const { data, error } = await db.from('contract_json_probe').select('id').eq('data->>kind', 'a').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1 }, { id: 3 }])
  })

  it('filters on a nested JSON path', async () => {
    const { data, error } = await db.from('contract_json_probe').select('id').eq('data->owner->>name', '李')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 2 }])
  })

  it('filters on an array element by index', async () => {
    const { data, error } = await db.from('contract_json_probe').select('id').eq('data->tags->>0', 'y')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 2 }])
  })

  it('orders by a JSON number with -> and by its text with ->>', async () => {
    const byNumber = await db.from('contract_json_probe').select('id').order('data->rank')
    const byText = await db.from('contract_json_probe').select('id').order('data->>rank')
    expect(byNumber.data).toEqual([{ id: 2 }, { id: 1 }, { id: 3 }])
    expect(byText.data).toEqual([{ id: 1 }, { id: 3 }, { id: 2 }])
  })
})
