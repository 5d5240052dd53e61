/**
 * What a file's first bytes say it is, for the upload check (issue 9, "content is what it claims"):
 * a client's content type and file name are claims; the signature decides. Only the kinds the app
 * accepts are recognised, each with its size limit, and every refusal has a sentence for the person.
 * Pure and dependency-free, so the edge function and Node tests share it.
 */

export type FileKind = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'

/** Images up to 10 MB, PDFs up to 20 MB (the buckets' own limits match). */
export const SIZE_LIMITS: Record<FileKind, number> = {
  'image/jpeg': 10 * 1024 * 1024,
  'image/png': 10 * 1024 * 1024,
  'image/webp': 10 * 1024 * 1024,
  'application/pdf': 20 * 1024 * 1024,
}

/** How many leading bytes sniffKind needs. */
export const SIGNATURE_BYTES = 12

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v)

/** The kind the first bytes show, or null when they are none of the accepted kinds. */
export function sniffKind(head: Uint8Array): FileKind | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  // RIFF....WEBP
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  return null
}

export type Verdict = { ok: true; kind: FileKind } | { ok: false; reason: string }

/**
 * Checks a stored file against what it claims (its content type) and the limits. `accepted` narrows the
 * kinds for a use (e.g. images only for avatars).
 */
export function verifyFile(head: Uint8Array, size: number, claimed: string, accepted: readonly FileKind[] = Object.keys(SIZE_LIMITS) as FileKind[]): Verdict {
  const kind = sniffKind(head)
  if (!kind || !accepted.includes(kind)) {
    return { ok: false, reason: accepted.every((k) => k.startsWith('image/')) ? '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。' : '文件类型不受支持（仅支持 JPG、PNG、WebP 图片和 PDF），已删除。' }
  }
  if (kind !== claimed.split(';')[0].trim().toLowerCase()) {
    return { ok: false, reason: '文件内容与声明的类型不符，已删除。请重新选择文件。' }
  }
  if (size > SIZE_LIMITS[kind]) {
    return { ok: false, reason: kind === 'application/pdf' ? 'PDF 文件不能超过 20 MB，已删除。' : '图片不能超过 10 MB，已删除。' }
  }
  return { ok: true, kind }
}
