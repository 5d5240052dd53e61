/**
 * Schema-wide security rules, checked on the migrated database (superuser, catalogue queries from
 * tests/support/schema-lint.ts). Each rule has a twin test that creates a deliberately bad object in a
 * transaction that is rolled back, and asserts the same check names it: a check that cannot fail
 * proves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Tx } from '../../supabase/local/db'
import { startTestBackend, type TestBackend } from '../support/backend'
import {
  auditTableWriteGrants,
  exceptionsNotWrittenForPeople,
  foreignKeysWithoutIndex,
  functionsWithoutFixedSearchPath,
  hasUnwrappedAuthCall,
  multiplePermissivePolicies,
  policiesWithUnwrappedAuthCalls,
  privateFunctionsExecutableByPublic,
  relationsWithoutPolicies,
  schemaChecks,
  securityDefinerFunctionsInPublic,
  tablesWithRlsOff,
  viewsWithoutSecurityInvoker,
  type Queryable,
} from '../support/schema-lint'

let be: TestBackend
beforeAll(async () => {
  be = await startTestBackend()
})
afterAll(async () => {
  await be?.close()
})

class RolledBack extends Error {}

/**
 * Runs `ddl` in a transaction, runs `check` inside it, rolls everything back, and returns what check
 * found that it did not find before the ddl: exactly the bad objects, whatever the rest of the schema
 * holds (the rules themselves are the first describe's job).
 */
async function reportedAfter(ddl: string, check: (db: Queryable) => Promise<string[]>): Promise<string[]> {
  let found: string[] = []
  await be.db
    .transaction(async (tx: Tx) => {
      const before = new Set(await check(tx))
      await tx.exec(ddl)
      found = (await check(tx)).filter((name) => !before.has(name))
      throw new RolledBack()
    })
    .catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e
    })
  return found
}

describe('the migrated schema', () => {
  for (const [rule, check] of Object.entries(schemaChecks)) {
    it(rule, async () => {
      expect(await check(be.db)).toEqual([])
    })
  }
})

describe('each rule reports a deliberately bad object', () => {
  it('a table in public with row level security off is reported', async () => {
    const found = await reportedAfter(`create table public.lint_open (id int primary key)`, tablesWithRlsOff)
    expect(found).toEqual(['public.lint_open'])
  })

  it('a materialized view in public is reported as having no row level security', async () => {
    const found = await reportedAfter(
      `create materialized view public.lint_feed as select id, title from public.posts`,
      tablesWithRlsOff,
    )
    expect(found).toEqual(['public.lint_feed (materialized view)'])
  })

  it('a table in public with row level security on but no policy is reported', async () => {
    const found = await reportedAfter(
      `create table public.lint_locked (id int primary key);
       alter table public.lint_locked enable row level security;`,
      relationsWithoutPolicies,
    )
    expect(found).toEqual(['public.lint_locked'])
  })

  it('a view in public over a table without row level security is reported', async () => {
    const found = await reportedAfter(
      `create table private.lint_secrets (id int primary key, secret text);
       create view public.lint_secret_view with (security_invoker = true) as select id, secret from private.lint_secrets;`,
      relationsWithoutPolicies,
    )
    expect(found).toEqual(['public.lint_secret_view (view reads private.lint_secrets: row level security off)'])
  })

  it('a policy calling auth.uid() without the select wrapper is reported', async () => {
    const found = await reportedAfter(
      `create policy "lint per-row uid" on public.post_bookmarks for select to authenticated using (user_id = auth.uid())`,
      policiesWithUnwrappedAuthCalls,
    )
    expect(found).toEqual(['public.post_bookmarks: "lint per-row uid" using'])
  })

  it('a policy calling auth.jwt() unwrapped in its with check is reported, the wrapped form is not', async () => {
    const found = await reportedAfter(
      `create policy "lint jwt check" on public.post_bookmarks for insert to authenticated
         with check ((auth.jwt() ->> 'role') = 'authenticated');
       create policy "lint wrapped jwt" on public.post_bookmarks for insert to authenticated
         with check ((select auth.jwt() ->> 'role') = 'authenticated');
       create policy "lint role in subquery" on public.post_bookmarks for delete to authenticated
         using (exists (select 1 from public.posts p where p.id = post_id and auth.role() = 'authenticated'));`,
      policiesWithUnwrappedAuthCalls,
    )
    expect(found).toEqual([
      'public.post_bookmarks: "lint jwt check" with check',
      'public.post_bookmarks: "lint role in subquery" using',
    ])
  })

  it('the wrapper detection reads PostgreSQL\'s rendering of policy expressions', () => {
    expect(hasUnwrappedAuthCall('(id = ( SELECT auth.uid() AS uid))')).toBe(false)
    expect(hasUnwrappedAuthCall("(( SELECT (auth.jwt() ->> 'role'::text)) = 'x'::text)")).toBe(false)
    expect(hasUnwrappedAuthCall('(id = auth.uid())')).toBe(true)
    expect(hasUnwrappedAuthCall("(note = 'auth.uid()'::text)")).toBe(false)
    expect(hasUnwrappedAuthCall(null)).toBe(false)
  })

  it('a function in public or private without a fixed search_path is reported', async () => {
    const found = await reportedAfter(
      `create function public.lint_loose(n int) returns int language sql as 'select n + 1';
       create function private.lint_loose() returns int language sql as 'select 1';`,
      functionsWithoutFixedSearchPath,
    )
    expect(found).toEqual(['private.lint_loose()', 'public.lint_loose(n integer)'])
  })

  it('only a security-invoker SQL function marked "Inlined:" may go without a search_path', async () => {
    const found = await reportedAfter(
      `create function public.lint_inlined() returns int language sql stable as 'select 1';
       comment on function public.lint_inlined() is 'Inlined: the planner inlines it';
       create function private.lint_inlined_definer() returns int language sql security definer as 'select 1';
       comment on function private.lint_inlined_definer() is 'Inlined: but runs with its owner''s rights';
       create function private.lint_inlined_plpgsql() returns int language plpgsql as 'begin return 1; end';
       comment on function private.lint_inlined_plpgsql() is 'Inlined: plpgsql is never inlined';`,
      functionsWithoutFixedSearchPath,
    )
    expect(found).toEqual(['private.lint_inlined_definer()', 'private.lint_inlined_plpgsql()'])
  })

  it('a security definer function in public is reported', async () => {
    const found = await reportedAfter(
      `create function public.lint_definer() returns int language sql security definer set search_path = '' as 'select 1'`,
      securityDefinerFunctionsInPublic,
    )
    expect(found).toEqual(['public.lint_definer()'])
  })

  it('a view in public without security_invoker is reported, one with it is not', async () => {
    const found = await reportedAfter(
      `create view public.lint_definer_view as select id from public.posts;
       create view public.lint_invoker_view with (security_invoker = on) as select id from public.posts;`,
      viewsWithoutSecurityInvoker,
    )
    expect(found).toEqual(['public.lint_definer_view'])
  })

  it('an append-only table (by its comment) that API roles may change is reported', async () => {
    const found = await reportedAfter(
      `create table public.lint_events (id int primary key);
       comment on table public.lint_events is 'Append-only history of lint events.';
       alter table public.lint_events enable row level security;
       revoke all on public.lint_events from anon, authenticated;
       revoke delete, truncate on public.lint_events from service_role;`,
      auditTableWriteGrants,
    )
    expect(found).toEqual(['public.lint_events: UPDATE to service_role'])
  })

  it('a column-level UPDATE grant on role_changes is reported', async () => {
    const found = await reportedAfter(
      `grant update (new_role) on public.role_changes to authenticated`,
      auditTableWriteGrants,
    )
    expect(found).toEqual(['public.role_changes: UPDATE to authenticated'])
  })

  it('DELETE and TRUNCATE on consents through PUBLIC are reported for every API role', async () => {
    const found = await reportedAfter(`grant delete, truncate on public.consents to public`, auditTableWriteGrants)
    expect(found).toEqual([
      'public.consents: DELETE to anon',
      'public.consents: DELETE to authenticated',
      'public.consents: DELETE to service_role',
      'public.consents: TRUNCATE to anon',
      'public.consents: TRUNCATE to authenticated',
      'public.consents: TRUNCATE to service_role',
    ])
  })

  it('two permissive policies for the same role and action are reported, one per role and action is not', async () => {
    const found = await reportedAfter(
      `create table public.lint_notes (id int primary key, owner uuid);
       alter table public.lint_notes enable row level security;
       create policy "lint owners read" on public.lint_notes for select to authenticated using (owner = (select auth.uid()));
       create policy "lint everyone reads" on public.lint_notes for select to anon, authenticated using (true);
       create policy "lint owners insert" on public.lint_notes for insert to authenticated with check (owner = (select auth.uid()));
       create policy "lint owners delete" on public.lint_notes for delete to authenticated using (owner = (select auth.uid()));`,
      multiplePermissivePolicies,
    )
    expect(found).toEqual(['public.lint_notes: select to authenticated ("lint everyone reads", "lint owners read")'])
  })

  it('a policy for all actions and to public counts for every action and every API role', async () => {
    const found = await reportedAfter(
      `create table public.lint_all (id int primary key);
       alter table public.lint_all enable row level security;
       create policy "lint anything" on public.lint_all for all using (true);
       create policy "lint anon deletes" on public.lint_all for delete to anon using (true);
       create policy "lint restrictive" on public.lint_all as restrictive for delete to authenticated using (true);`,
      multiplePermissivePolicies,
    )
    expect(found).toEqual(['public.lint_all: delete to anon ("lint anon deletes", "lint anything")'])
  })

  it('a foreign key without an index on its columns is reported, one led by an index is not', async () => {
    const found = await reportedAfter(
      `create table public.lint_child (id int primary key, post_id uuid references public.posts, author_id uuid references public.profiles,
                                       editor_id uuid references public.profiles);
       create index lint_child_author_idx on public.lint_child (author_id, id);
       create index lint_child_editor_idx on public.lint_child (editor_id) where editor_id is not null;
       create table private.lint_pair (a int, b int, primary key (a, b));
       create table private.lint_pair_ref (id int primary key, a int, b int, foreign key (b, a) references private.lint_pair (a, b));`,
      foreignKeysWithoutIndex,
    )
    expect(found).toEqual(['private.lint_pair_ref (b, a)', 'public.lint_child (editor_id)', 'public.lint_child (post_id)'])
  })

  it('a private function left executable by PUBLIC is reported, one revoked from PUBLIC is not', async () => {
    const found = await reportedAfter(
      `create function private.lint_open_helper() returns int language sql set search_path = '' as 'select 1';
       create function private.lint_closed_helper() returns int language sql set search_path = '' as 'select 1';
       revoke execute on function private.lint_closed_helper() from public;
       grant execute on function private.lint_closed_helper() to authenticated;`,
      privateFunctionsExecutableByPublic,
    )
    expect(found).toEqual(['private.lint_open_helper()'])
  })

  it('an English raise in a function people may call is reported; in a service-role-only function it is not', async () => {
    const found = await reportedAfter(
      `create function public.lint_for_people() returns void language plpgsql set search_path = '' as $$
       begin
         if true then raise exception 'not allowed' using errcode = '42501'; end if;
         raise exception '不允许' using errcode = '42501';
       end $$;
       create function public.lint_for_the_system() returns void language plpgsql set search_path = '' as $$
       begin raise exception 'a retry needs retry_at'; end $$;
       revoke execute on function public.lint_for_the_system() from public, anon, authenticated;`,
      exceptionsNotWrittenForPeople,
    )
    expect(found).toEqual(["public.lint_for_people(): 'not allowed'"])
  })

  it('an English raise in a trigger function is reported, whoever may execute it', async () => {
    const found = await reportedAfter(
      `create function private.lint_trigger() returns trigger language plpgsql set search_path = '' as $$
       begin raise 'row refused'; end $$;
       revoke execute on function private.lint_trigger() from public;`,
      exceptionsNotWrittenForPeople,
    )
    expect(found).toEqual(["private.lint_trigger(): 'row refused'"])
  })
})
