/**
 * Execute: one transaction per request under the caller's role, with `request.jwt.claims` and the
 * other request settings PostgREST sets, and the shared query that turns rows into a JSON body.
 */
import type { Tx } from '../db'
import type { Catalog, Relation } from './catalog'
import type { Parsed } from './request'
import type { Prefer } from './prefer'
import { MAX_ROWS } from './request'
import { Params, QueryBuilder, countSourceSql, countSql, levelSql } from './sql'
import type { Caller, RestContext, RestRequest } from './types'

export async function withRequestTransaction<T>(
  ctx: RestContext,
  req: RestRequest,
  caller: Caller,
  readOnly: boolean,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  // `set local role` does not bring the role's own settings, so its statement_timeout (and any other
  // `alter role ... set`) is applied here from the schema cache, for this transaction only.
  const roleSettings = ctx.catalog().roleSettings.get(caller.role) ?? []
  const values: unknown[] = [caller.role, JSON.stringify(caller.claims), req.method, req.path, JSON.stringify(req.headers)]
  const settings = roleSettings.map(([k, v]) => `, set_config(${`$${values.push(k)}`}, ${`$${values.push(v)}`}, true)`).join('')
  return ctx.db.transaction(async (tx) => {
    if (readOnly) await tx.query('set transaction read only')
    await tx.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.method', $3, true), set_config('request.path', $4, true),
              set_config('request.headers', $5, true)${settings}`,
      values,
    )
    return fn(tx)
  })
}

/**
 * The select list that aggregates a level's rows (`pgrst_t`) into the response body and its count. CSV
 * is PostgREST's (SqlFragment.hs asCsvF): a header of the first row's keys, then each row's record text
 * without its parentheses (PostgreSQL's quoting: fields with commas, quotes, spaces or nothing in them
 * are double-quoted, quotes doubled; NULL is empty), one per line.
 */
export const bodyColumns = (single: boolean, csv = false) =>
  csv
    ? `(select coalesce(string_agg(pgrst_k, ','), '') from json_object_keys((array_agg(row_to_json(pgrst_t)))[1]) pgrst_k) || E'\\n' ||
       coalesce(string_agg(substring(pgrst_t::text, 2, length(pgrst_t::text) - 2), E'\\n'), '') as body, count(*) as n`
    : single
      ? `coalesce((json_agg(pgrst_t)->0)::text, '') as body, count(*) as n`
      : `coalesce(json_agg(pgrst_t), '[]'::json)::text as body, count(*) as n`

/**
 * Rows of `source` (a table, CTE or function call) shaped by select, filters, order and paging, and the
 * total `count` asks for, as PostgREST gives it (MainTx.hs): `exact` counts every row; `planned` is the
 * planner's estimate of the rows the filters keep; `estimated` counts exactly up to max rows and, past
 * them, takes the larger of that and the planner's estimate.
 */
export async function selectRows(
  tx: Tx,
  cat: Catalog,
  rel: Relation,
  source: string,
  parsed: Parsed,
  params: Params,
  count: Prefer['count'],
): Promise<{ body: string; n: number; total: number | null }> {
  const builder = new QueryBuilder(cat, params, parsed.levels)
  const root = builder.buildLevel(rel, source, 't_root', parsed.select, [], null)
  // One statement for the page and the total, so both read the same parameters (paging is bound too).
  const exactSql = count === 'estimated' ? `(select count(*) from (${countSourceSql(root)} limit ${MAX_ROWS + 1}) pgrst_c)` : `(${countSql(root)})`
  const total = count === 'exact' || count === 'estimated' ? exactSql : 'null'
  const r = await tx.query(`select ${bodyColumns(parsed.single, parsed.csv)}, ${total} as total from (${levelSql(root)}) pgrst_t`, params.values)
  const row = r.rows[0]
  let exact = row.total === null ? null : Number(row.total)
  if (count === 'planned' || (count === 'estimated' && exact !== null && exact > MAX_ROWS)) {
    const planned = await plannedRows(tx, countSourceSql(root), params.values)
    exact = exact === null ? planned : Math.max(exact, planned)
  }
  return { body: String(row.body), n: Number(row.n), total: exact }
}

/** The planner's estimate of the rows `sql` returns (the top node's Plan Rows of EXPLAIN). */
async function plannedRows(tx: Tx, sql: string, values: unknown[]): Promise<number> {
  // The count reads only the filters' parameters, which come before the root's paging.
  const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))
  const r = await tx.query(`explain (format json) ${sql}`, values.slice(0, used))
  const cell = Object.values(r.rows[0])[0]
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: { 'Plan Rows': number } }[]
  return Math.round(plan[0].Plan['Plan Rows'])
}
