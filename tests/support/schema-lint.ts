/**
 * Schema-wide security checks, read from the PostgreSQL catalogue as superuser. Each check returns the
 * offending objects by name (empty when the schema is clean), so a failing test says what to fix.
 * They run against any connection: the test backend's `be.db`, or a transaction in which a test has just
 * created a deliberately bad object to prove the check can fail.
 *
 * In the spirit of Supabase's database linter (splinter): 0001 unindexed_foreign_keys, 0003
 * auth_rls_initplan, 0006 multiple_permissive_policies, 0007/0008 RLS and policies, 0010
 * security_definer_view, 0011 function_search_path_mutable, 0013 rls_disabled_in_public.
 */
import type { Tx } from '../../supabase/local/db'

export type Queryable = Pick<Tx, 'query'>

/** Schemas whose functions must pin their search_path. */
export const FUNCTION_SCHEMAS = ['public', 'private'] as const
/** Audit tables named by ARCHITECTURE.md §4; any table whose comment says append-only or audit joins them. */
export const AUDIT_TABLES = ['public.role_changes', 'public.consents'] as const
/** The roles the API runs requests as. */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const

async function names(db: Queryable, sql: string, params: unknown[] = []): Promise<string[]> {
  const r = await db.query(sql, params)
  return r.rows.map((row) => String(row.name)).sort()
}

/** Tables (and materialized views, which cannot have RLS) in `public` with row-level security off. */
export function tablesWithRlsOff(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I', n.nspname, c.relname) || case c.relkind when 'm' then ' (materialized view)' else '' end as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'm') and not c.relrowsecurity`,
  )
}

/**
 * Tables in `public` without a single policy, and views in `public` that read a table (in any schema)
 * without row-level security or without a policy: a view has no policies of its own, so it is only as
 * safe as the tables under it.
 */
export function relationsWithoutPolicies(db: Queryable): Promise<string[]> {
  return names(
    db,
    `with unprotected as (
       select c.oid, format('%I.%I', n.nspname, c.relname) as qname,
              case when not c.relrowsecurity then 'row level security off' else 'no policy' end as why
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p')
          and n.nspname not in ('pg_catalog', 'information_schema')
          and (not c.relrowsecurity or not exists (select 1 from pg_policy pol where pol.polrelid = c.oid))
     )
     select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and not exists (select 1 from pg_policy pol where pol.polrelid = c.oid)
     union
     select distinct format('%I.%I', vn.nspname, v.relname) || ' (view reads ' || u.qname || ': ' || u.why || ')'
       from pg_class v
       join pg_namespace vn on vn.oid = v.relnamespace
       join pg_rewrite rw on rw.ev_class = v.oid
       join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid and d.refclassid = 'pg_class'::regclass
       join unprotected u on u.oid = d.refobjid
      where vn.nspname = 'public' and v.relkind = 'v' and d.refobjid <> v.oid`,
  )
}

/**
 * Removes every scalar sub-select without FROM (PostgreSQL renders `(select auth.uid())` as
 * `( SELECT auth.uid() AS uid)`): those become initPlans evaluated once per statement. Sub-selects with
 * a FROM are kept and searched inside, because a call there still runs once per row.
 */
export function stripInitPlanWrappers(expr: string): string {
  let out = ''
  let i = 0
  while (i < expr.length) {
    const rest = expr.slice(i)
    const open = /^\(\s*SELECT\b/i.exec(rest)
    if (open) {
      const end = matchingParen(expr, i)
      const inner = expr.slice(i + 1, end)
      if (!/\bFROM\b/i.test(withoutLiterals(inner))) {
        i = end + 1
        continue
      }
      out += '(' + stripInitPlanWrappers(inner) + ')'
      i = end + 1
      continue
    }
    if (expr[i] === "'") {
      const close = literalEnd(expr, i)
      out += expr.slice(i, close + 1)
      i = close + 1
      continue
    }
    out += expr[i]
    i += 1
  }
  return out
}

function literalEnd(s: string, start: number): number {
  let j = start + 1
  while (j < s.length) {
    if (s[j] === "'" && s[j + 1] === "'") j += 2
    else if (s[j] === "'") return j
    else j += 1
  }
  return s.length - 1
}

function matchingParen(s: string, start: number): number {
  let depth = 0
  for (let j = start; j < s.length; j++) {
    if (s[j] === "'") j = literalEnd(s, j)
    else if (s[j] === '(') depth += 1
    else if (s[j] === ')' && --depth === 0) return j
  }
  return s.length - 1
}

function withoutLiterals(s: string): string {
  return s.replace(/'(?:[^']|'')*'/g, "''")
}

const AUTH_CALL = /\bauth\.(uid|jwt|role)\s*\(/i

/** True when the policy expression calls auth.uid()/jwt()/role() outside a `(select …)` wrapper. */
export function hasUnwrappedAuthCall(expr: string | null): boolean {
  return expr !== null && AUTH_CALL.test(withoutLiterals(stripInitPlanWrappers(expr)))
}

/** Policies (any schema) whose USING or WITH CHECK calls auth.uid()/auth.jwt()/auth.role() once per row. */
export async function policiesWithUnwrappedAuthCalls(db: Queryable): Promise<string[]> {
  const r = await db.query(
    `select format('%I.%I', schemaname, tablename) as tbl, policyname, qual, with_check from pg_policies`,
  )
  const out: string[] = []
  for (const row of r.rows) {
    const label = `${row.tbl}: "${row.policyname}"`
    if (hasUnwrappedAuthCall(row.qual as string | null)) out.push(`${label} using`)
    if (hasUnwrappedAuthCall(row.with_check as string | null)) out.push(`${label} with check`)
  }
  return out.sort()
}

/**
 * Functions in `public` and `private` (extensions' own excepted) without `set search_path`. The one
 * exception: a `language sql` security-invoker function whose comment begins with "Inlined:" (a SET
 * clause stops PostgreSQL from inlining a function into the caller's query, e.g. public.feed_posts; such
 * a function runs with the caller's rights and must name everything with its schema).
 */
export function functionsWithoutFixedSearchPath(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any ($1) and p.prokind in ('f', 'p')
        and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%')
        and not (p.prolang = (select oid from pg_language where lanname = 'sql') and not p.prosecdef
                 and coalesce(obj_description(p.oid, 'pg_proc'), '') like 'Inlined:%')
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
    [[...FUNCTION_SCHEMAS]],
  )
}

/** `security definer` functions in `public`, where the API can call them: they belong in `private`. */
export function securityDefinerFunctionsInPublic(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prosecdef
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
  )
}

/** Views in `public` that run with their owner's rights instead of the caller's (RLS bypassed). */
export function viewsWithoutSecurityInvoker(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'v'
        and not exists (
          select 1 from unnest(coalesce(c.reloptions, '{}')) opt
           where lower(opt) ~ '^security_invoker=(true|on|yes|1)$'
        )`,
  )
}

/**
 * UPDATE (table or any column), DELETE or TRUNCATE held by an API role, directly, through PUBLIC or
 * through a granted role, on an audit table: the named ones and every table in `public` or `private`
 * whose comment says append-only or audit.
 */
export function auditTableWriteGrants(db: Queryable): Promise<string[]> {
  return names(
    db,
    `with audit as (
       select c.oid, format('%I.%I', n.nspname, c.relname) as qname
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p')
          and (format('%I.%I', n.nspname, c.relname) = any ($1)
               or (n.nspname in ('public', 'private') and obj_description(c.oid, 'pg_class') ~* '(append-only|audit)'))
     )
     select a.qname || ': ' || priv || ' to ' || r.rolname as name
       from audit a
       cross join pg_roles r
       cross join unnest(array['UPDATE', 'DELETE', 'TRUNCATE']) priv
      where r.rolname = any ($2)
        and case priv
              when 'UPDATE' then has_any_column_privilege(r.oid, a.oid, 'UPDATE')
              else has_table_privilege(r.oid, a.oid, priv)
            end`,
    [[...AUDIT_TABLES], [...API_ROLES]],
  )
}

/**
 * Functions in `private` that PUBLIC (so every role, anon included) may execute. PostgreSQL grants
 * EXECUTE to PUBLIC on every new function, and `alter default privileges in schema private revoke …`
 * cannot take that away (per-schema defaults only add to the global ones), so each private function
 * needs its own `revoke execute … from public` and explicit grants to the roles that call it.
 */
export function privateFunctionsExecutableByPublic(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'private'
        and exists (
          select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl
           where acl.grantee = 0 and acl.privilege_type = 'EXECUTE'
        )`,
  )
}

/** `raise [exception] '<literal>'` in PL/pgSQL source: the literal, quotes undoubled. */
const RAISE_LITERAL = /\braise\s+(?:exception\s+)?'((?:[^']|'')*)'/gi

/**
 * Exceptions people can meet that are not written for them: in every function of `public` or `private`
 * that anon or authenticated may execute, and every trigger function there (triggers fire on people's
 * writes), a `raise exception '…'` whose message does not begin with a Chinese character. The app shows
 * a database message only when it begins with one (src/services/errors.ts, isWrittenForPerson), so
 * any other message reaches the person as a generic sentence. Functions only the service role may run
 * (the dispatcher's, sign-in's) may raise in English: their callers log, they do not show.
 */
export async function exceptionsNotWrittenForPeople(db: Queryable): Promise<string[]> {
  const r = await db.query(
    `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as name, p.prosrc as src
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       join pg_language l on l.oid = p.prolang
      where n.nspname = any ($1) and l.lanname = 'plpgsql'
        and (p.prorettype = 'trigger'::regtype
             or has_function_privilege('anon', p.oid, 'EXECUTE')
             or has_function_privilege('authenticated', p.oid, 'EXECUTE'))`,
    [[...FUNCTION_SCHEMAS]],
  )
  const out: string[] = []
  for (const row of r.rows) {
    for (const match of String(row.src).matchAll(RAISE_LITERAL)) {
      const message = match[1].replace(/''/g, "'")
      if (!/^[\u4e00-\u9fff]/.test(message)) out.push(`${String(row.name)}: '${message}'`)
    }
  }
  return out.sort()
}

/**
 * More than one permissive policy for the same table, role and action (Supabase lint 0006): PostgreSQL
 * evaluates every one of them for every row, and the rule for one action is spread over several places.
 * A policy `for all` counts for each action, one `to public` for each API role. Reported as
 * `schema.table: action to role ("policy", "policy")`.
 */
export function multiplePermissivePolicies(db: Queryable): Promise<string[]> {
  return names(
    db,
    `with pol as (
       select format('%I.%I', n.nspname, c.relname) as tbl, p.polname, r.rolname as role, act.action
         from pg_policy p
         join pg_class c on c.oid = p.polrelid
         join pg_namespace n on n.oid = c.relnamespace
         cross join lateral unnest(p.polroles) as pr(oid)
         join pg_roles r on r.oid = pr.oid or (pr.oid = 0 and r.rolname = any ($1))
         cross join lateral unnest(case p.polcmd
                                     when '*' then array['select', 'insert', 'update', 'delete']
                                     when 'r' then array['select']
                                     when 'a' then array['insert']
                                     when 'w' then array['update']
                                     when 'd' then array['delete']
                                   end) as act(action)
        where p.polpermissive and r.rolname = any ($1)
          and n.nspname not in ('pg_catalog', 'information_schema')
     )
     select tbl || ': ' || action || ' to ' || role || ' (' || string_agg(format('"%s"', polname), ', ' order by polname) || ')' as name
       from pol
      group by tbl, action, role
     having count(*) > 1`,
    [[...API_ROLES]],
  )
}

/**
 * Foreign keys in `public` and `private` whose columns do not lead any (non-partial) index of their
 * table (Supabase lint 0001): deleting or re-keying the referenced row scans the whole table, and joins
 * along the key cannot use an index. Reported as `schema.table (columns)`.
 */
export function foreignKeysWithoutIndex(db: Queryable): Promise<string[]> {
  return names(
    db,
    `select format('%I.%I', n.nspname, c.relname) || ' (' ||
            (select string_agg(a.attname, ', ' order by k.i)
               from unnest(con.conkey) with ordinality k(attnum, i)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) || ')' as name
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid
       join pg_namespace n on n.oid = c.relnamespace
      where con.contype = 'f' and n.nspname in ('public', 'private')
        and not exists (
          select 1 from pg_index i
           where i.indrelid = con.conrelid and i.indpred is null
             and (select array_agg(x order by x)
                    from unnest((string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)]) x)
               = (select array_agg(x order by x) from unnest(con.conkey) x)
        )`,
  )
}

/** Every check, by the sentence its test is named for. */
export const schemaChecks = {
  'every table in public has row level security enabled': tablesWithRlsOff,
  'every table in public has a policy and every view in public reads only protected tables': relationsWithoutPolicies,
  'every policy calls auth.uid(), auth.jwt() and auth.role() through a (select …) wrapper': policiesWithUnwrappedAuthCalls,
  'every function in public and private pins its search_path': functionsWithoutFixedSearchPath,
  'no security definer function sits in public': securityDefinerFunctionsInPublic,
  'every view in public is security_invoker': viewsWithoutSecurityInvoker,
  'no API role may update, delete or truncate an audit table': auditTableWriteGrants,
  'no function in private is executable by PUBLIC': privateFunctionsExecutableByPublic,
  'every exception a person can meet is raised with a message in Chinese': exceptionsNotWrittenForPeople,
  'no table has two permissive policies for the same role and action': multiplePermissivePolicies,
  'every foreign key is covered by an index': foreignKeysWithoutIndex,
} as const satisfies Record<string, (db: Queryable) => Promise<string[]>>
