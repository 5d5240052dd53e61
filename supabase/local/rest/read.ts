/** GET and HEAD on a table or view. */
import { quoteIdent as q, type Relation } from './catalog'
import { selectRows, withRequestTransaction } from './execute'
import { appliedHeader } from './prefer'
import { parseRequest } from './request'
import { contentRange, contentType, rangeStatus, singleCheck } from './respond'
import { Params } from './sql'
import type { Caller, RestContext, RestRequest, RestResponse } from './types'

export async function read(ctx: RestContext, req: RestRequest, caller: Caller, rel: Relation): Promise<RestResponse> {
  const parsed = parseRequest(req, ctx.catalog())
  const root = parsed.levels.get('')!
  return withRequestTransaction(ctx, req, caller, true, async (tx) => {
    const params = new Params()
    const { body, n, total } = await selectRows(tx, ctx.catalog(), rel, `public.${q(rel.name)}`, parsed, params, parsed.prefer.count)
    const offset = root.offset ?? 0
    const status = rangeStatus(offset, n, total)
    singleCheck(parsed.single, n)
    return {
      status,
      headers: {
        'Content-Type': parsed.csv ? 'text/csv; charset=utf-8' : contentType(parsed.single),
        'Content-Range': contentRange(offset, n, total),
        ...appliedHeader(parsed.prefer),
      },
      body: req.method === 'HEAD' ? '' : body,
    }
  })
}
