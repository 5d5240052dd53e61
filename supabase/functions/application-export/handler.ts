// application-export: a locked or filed monthly batch (集中申报) as the .xlsx roster for the
// human-resources bureau.
//
//   GET ?batch=<batch id>, Authorization: Bearer <the butler's or admin's token>
//   200  the workbook (sheet 申报名册), Content-Disposition: attachment; filename*=UTF-8''<street><YYYY年M月>集中申报名册.xlsx
//   4xx/5xx { "error": { "code", "message", "retryable" } } (codes and messages: _shared/errors.ts)
//
// The rows come from public.batch_export(batch_id), called with the caller's own token: the database
// decides who may export (the butlers of the batch's street and admins, once the batch is locked) and
// writes the audit row (batch_exports) in the same call. The function sees nothing the caller could not
// read through the API themselves; it only turns the rows into a workbook.
import { AppError } from '../_shared/errors.ts'
import { type Logger, corsHeaders, errorResponse } from '../_shared/http.ts'

/** One row of the roster, as public.batch_export gives it. */
export interface ExportRow {
  seq: number
  real_name: string | null
  resident_id: string | null
  phone: string | null
  business_name: string | null
  credit_code: string | null
  programme_name: string | null
  requested_amount: number | string | null
  approved_amount: number | string | null
  handler: string | null
}

export interface ExportDocument {
  street: string
  /** The batch's month, `YYYY-MM-01`. */
  month: string
  rows: ExportRow[]
}

export interface ExportDeps {
  /** The person behind `Authorization` (_shared/jwt.ts createCallerVerifier); throws 401 otherwise. */
  verifyCaller: (authorization: string | null) => Promise<{ sub: string }>
  /** public.batch_export(batch_id) as the caller; database refusals as AppError. */
  loadExport: (token: string, batchId: string) => Promise<ExportDocument>
  /** The workbook's bytes (xlsx.ts writeRoster). */
  writeWorkbook: (rows: readonly ExportRow[], title: string) => Promise<Uint8Array<ArrayBuffer>>
  log?: Logger
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const CORS = {
  ...corsHeaders,
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Expose-Headers': 'Content-Disposition',
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** 四方区兴隆路街道2026年12月集中申报名册.xlsx for street 四方区兴隆路街道 and month 2026-12-01. */
export function rosterFileName(street: string, month: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month)
  const when = m ? `${m[1]}年${Number(m[2])}月` : ''
  return `${street}${when}集中申报名册.xlsx`
}

function contentDisposition(name: string, month: string): string {
  // An ASCII name for old clients, the real one (RFC 5987) for everyone else.
  const ascii = `roster-${/^\d{4}-\d{2}/.exec(month)?.[0] ?? 'batch'}.xlsx`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

function withCors(res: Response): Response {
  for (const [k, v] of Object.entries(CORS)) res.headers.set(k, v)
  return res
}

export function createHandler(deps: ExportDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
    try {
      if (req.method !== 'GET') throw new AppError('method_not_allowed', undefined, { headers: { Allow: 'GET, OPTIONS' } })
      const authorization = req.headers.get('authorization')
      await deps.verifyCaller(authorization)
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')![1]
      const batchId = new URL(req.url).searchParams.get('batch')?.trim() ?? ''
      if (!UUID.test(batchId)) throw new AppError('bad_request', '请指定要导出的批次')
      const doc = await deps.loadExport(token, batchId)
      const name = rosterFileName(doc.street, doc.month)
      const bytes = await deps.writeWorkbook(doc.rows, name.replace(/\.xlsx$/, ''))
      return new Response(bytes, {
        status: 200,
        headers: {
          ...CORS,
          'Content-Type': XLSX_TYPE,
          'Content-Disposition': contentDisposition(name, doc.month),
          'Content-Length': String(bytes.byteLength),
          'Cache-Control': 'no-store',
        },
      })
    } catch (e) {
      return withCors(errorResponse(e, deps.log))
    }
  }
}
