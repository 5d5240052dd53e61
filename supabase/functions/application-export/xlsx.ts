// The roster for the human-resources bureau as an .xlsx workbook, written with exceljs (a maintained
// writer; cached at install time like every npm package the functions import).
//
// One sheet, 申报名册, with the ten columns the bureau's template has. Resident IDs, phone numbers and
// credit codes are text cells (an 18-digit ID as a number would lose its last digits and any X), and
// their columns are formatted as text (@) so that editing a cell in Excel keeps it text. Amounts are
// numbers with two decimals.
import { PassThrough } from 'node:stream'
import ExcelJS from 'npm:exceljs@4.4.0'
import type { ExportRow } from './handler.ts'


export const SHEET_NAME = '申报名册'

/** Header, the row field it shows, column width and whether it is a text column. */
const COLUMNS: readonly { header: string; key: keyof ExportRow; width: number; text?: boolean; money?: boolean }[] = [
  { header: '序号', key: 'seq', width: 6 },
  { header: '姓名', key: 'real_name', width: 10 },
  { header: '身份证号', key: 'resident_id', width: 22, text: true },
  { header: '联系电话', key: 'phone', width: 14, text: true },
  { header: '企业名称', key: 'business_name', width: 28 },
  { header: '统一社会信用代码', key: 'credit_code', width: 22, text: true },
  { header: '补贴项目', key: 'programme_name', width: 18 },
  { header: '申请金额', key: 'requested_amount', width: 12, money: true },
  { header: '核定金额', key: 'approved_amount', width: 12, money: true },
  { header: '经办人', key: 'handler', width: 10 },
]

export const HEADER = COLUMNS.map((c) => c.header)

function money(v: number | string | null): number | null {
  if (v === null || v === undefined || v === '') return null
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : null
}

/**
 * The workbook's bytes. `title` goes into the document properties only. exceljs's streaming writer: each
 * row is serialised as it is added, which keeps a 5,000-row roster well under a second.
 */
export async function writeRoster(rows: readonly ExportRow[], title: string): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = []
  const sink = new PassThrough()
  sink.on('data', (c: Uint8Array) => chunks.push(c))
  // Inline strings (no shared-string table to build) and fast compression: a 5,000-row roster in about half
  // the time of the defaults, and Excel and WPS read it the same.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: true, zip: { zlib: { level: 1 } } })
  wb.creator = '创业管家'
  wb.title = title
  wb.created = new Date()
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.text ? { numFmt: '@' } : c.money ? { numFmt: '0.00' } : {},
  }))
  const header = ws.addRow(HEADER)
  header.font = { bold: true }
  header.commit()
  for (const r of rows) {
    ws.addRow(
      COLUMNS.map((c) => {
        const v = r[c.key]
        if (c.key === 'seq') return Number(v)
        if (c.money) return money(v as number | string | null)
        // Text as text, whatever it looks like.
        return v === null || v === undefined ? '' : String(v)
      }),
    ).commit()
  }
  ws.commit()
  await wb.commit()
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}
