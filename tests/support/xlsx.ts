/**
 * Reading an .xlsx in tests without an npm package: the file is a ZIP (read through its central
 * directory, entries inflated with node:zlib), and the first sheet's XML is read with the shared strings.
 * Enough to check what the bureau's clerk will see: sheet names, and each cell's text and whether Excel
 * holds it as text (shared or inline string) or as a number.
 */
import { inflateRawSync } from 'node:zlib'

/** Every file in a ZIP archive, by name. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  // End of central directory: signature 0x06054b50, searched from the end (a comment may follow it).
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file (no end of central directory)')
  const entries = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  const files = new Map<string, Buffer>()
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = buf.readUInt16LE(at + 10)
    const compressed = buf.readUInt32LE(at + 20)
    const nameLen = buf.readUInt16LE(at + 28)
    const extraLen = buf.readUInt16LE(at + 30)
    const commentLen = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8')
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(dataAt, dataAt + compressed)
    files.set(name, method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : Buffer.alloc(0))
    at += 46 + nameLen + extraLen + commentLen
  }
  return files
}

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&')

/** The text of every <t> inside an element (rich text has several). */
const textOf = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('')

export interface Cell {
  /** A1-style reference. */
  ref: string
  /** 'text' for shared or inline strings, 'number' otherwise. */
  kind: 'text' | 'number'
  value: string
  /** The style index (s attribute), for the number format. */
  style: number
}

export interface Workbook {
  sheetNames: string[]
  /** The first sheet's rows, each the cells present, in order. */
  rows: Cell[][]
  /** numFmtId per style index (cellXfs). */
  numFmtOfStyle: number[]
}

export function readXlsx(buf: Buffer): Workbook {
  const files = unzip(buf)
  const workbook = files.get('xl/workbook.xml')?.toString('utf8') ?? ''
  const sheetNames = [...workbook.matchAll(/<sheet\s[^>]*name="([^"]*)"/g)].map((m) => unescapeXml(m[1]))
  const shared = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]))
  const styles = files.get('xl/styles.xml')?.toString('utf8') ?? ''
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? ''
  const numFmtOfStyle = [...cellXfs.matchAll(/<xf\s([^>]*)>|<xf\s([^>]*)\/>/g)].map((m) => Number(/numFmtId="(\d+)"/.exec(m[1] ?? m[2])?.[1] ?? 0))
  const sheetFile = [...files.keys()].filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).sort()[0]
  const sheet = files.get(sheetFile)?.toString('utf8') ?? ''
  const rows: Cell[][] = []
  for (const row of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: Cell[] = []
    for (const c of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1]
      const inner = c[2] ?? ''
      const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? ''
      const type = /t="(\w+)"/.exec(attrs)?.[1]
      const style = Number(/s="(\d+)"/.exec(attrs)?.[1] ?? 0)
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1]
      if (type === 's') cells.push({ ref, kind: 'text', value: shared[Number(v)] ?? '', style })
      else if (type === 'inlineStr' || type === 'str') cells.push({ ref, kind: 'text', value: type === 'str' ? unescapeXml(v ?? '') : textOf(inner), style })
      else if (v !== undefined) cells.push({ ref, kind: 'number', value: v, style })
    }
    rows.push(cells)
  }
  return { sheetNames, rows, numFmtOfStyle }
}

/** The first sheet as plain values: text cells as strings, numbers as numbers. */
export function sheetValues(wb: Workbook): (string | number)[][] {
  return wb.rows.map((r) => r.map((c) => (c.kind === 'text' ? c.value : Number(c.value))))
}
