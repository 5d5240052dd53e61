/**
 * Reads the first sheet of an .xlsx file into rows of cell texts, for tests that open an exported roster.
 * An .xlsx is a zip of XML parts: the central directory lists them, each is stored or deflated
 * (node:zlib inflates it); cells are shared strings (t="s"), inline strings, or plain values.
 */
import { inflateRawSync } from 'node:zlib'

/** Every file in a zip archive by name. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  // End of central directory: signature 0x06054b50 within the last 64 KB.
  let eocd = -1
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 65_557); i--) {
    if (archive.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = archive.readUInt16LE(eocd + 10)
  let at = archive.readUInt32LE(eocd + 16)
  for (let n = 0; n < count; n++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = archive.readUInt16LE(at + 10)
    const compressed = archive.readUInt32LE(at + 20)
    const nameLength = archive.readUInt16LE(at + 28)
    const extraLength = archive.readUInt16LE(at + 30)
    const commentLength = archive.readUInt16LE(at + 32)
    const local = archive.readUInt32LE(at + 42)
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28)
    const data = archive.subarray(dataStart, dataStart + compressed)
    files.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data))
    at += 46 + nameLength + extraLength + commentLength
  }
  return files
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&')
}

/** The texts of every <t> inside a piece of XML, joined (rich text has several runs). */
function texts(xml: string): string {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decode(m[1])).join('')
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A'
  return [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1
}

export interface Sheet {
  /** The sheet's name as the workbook lists it. */
  name: string
  rows: string[][]
}

/** The first sheet of the workbook, each row as an array of cell texts ('' for empty cells). */
export function readFirstSheet(archive: Buffer): Sheet {
  const files = unzip(archive)
  const workbook = files.get('xl/workbook.xml')?.toString('utf8') ?? ''
  const name = decode(/<sheet\s[^>]*name="([^"]*)"/.exec(workbook)?.[1] ?? '')
  const shared = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]))
  const sheetName = [...files.keys()].filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f)).sort()[0]
  const xml = files.get(sheetName)?.toString('utf8') ?? ''
  const rows: string[][] = []
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = []
    for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cell[1]
      const body = cell[2] ?? ''
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1]
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1]
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1]
      const text = type === 's' ? (shared[Number(value)] ?? '') : type === 'inlineStr' ? texts(body) : decode(value ?? '')
      cells[ref ? columnIndex(ref) : cells.length] = text
    }
    rows.push(Array.from(cells, (c) => c ?? ''))
  }
  return { name, rows }
}
