/**
 * Execute: one transaction per request under the caller's role, with `request.jwt.claims` and the
 * other request settings PostgREST sets, and the shared query that turns rows into a JSON body.
 */
import type { Tx } from '../db'
import type { Catalog, Relation } from './catalog'
import type { Parsed } from './request'
import { Params, QueryBuilder, countSql, levelSql } from './sql'
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

/** The select list that aggregates a level's rows (`pgrst_t`) into the response body and its count. */
export const bodyColumns = (single: boolean) =>
  single
    ? `coalesce((json_agg(pgrst_t)->0)::text, '') as body, count(*) as n`
    : `coalesce(json_agg(pgrst_t), '[]'::json)::text as body, count(*) as n`

/** Rows of `source` (a table, CTE or function call) shaped by select, filters, order and paging. */
export async function selectRows(
  tx: Tx,
  cat: Catalog,
  rel: Relation,
  source: string,
  parsed: Parsed,
  params: Params,
  wantCount: boolean,
): Promise<{ body: string; n: number; total: number | null }> {
  const builder = new QueryBuilder(cat, params, parsed.levels)
  const root = builder.buildLevel(rel, source, 't_root', parsed.select, [], null)
  // One statement for the page and the total, so both read the same parameters (paging is bound too).
  const total = wantCount ? `(${countSql(root)})` : 'null'
  const r = await tx.query(`select ${bodyColumns(parsed.single)}, ${total} as total from (${levelSql(root)}) pgrst_t`, params.values)
  const row = r.rows[0]
  return { body: String(row.body), n: Number(row.n), total: row.total === null ? null : Number(row.total) }
}
