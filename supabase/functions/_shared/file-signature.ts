/**
 * What a file's first bytes say it is, for the upload check (issue 9, "content is what it claims"):
 * a client's content type and file name are claims; the signature decides. Only the kinds the app
 * accepts are recognised, each with its size limit, and every refusal has a sentence for the person.
 * Pure and dependency-free, so the edge function and Node tests share it.
 */

export type FileKind = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'audio/mpeg' | 'audio/aac' | 'audio/mp4'

/** Images up to 10 MB, PDFs up to 20 MB, voice clips (60 s at most) up to 2 MB (the buckets' own limits match). */
export const SIZE_LIMITS: Record<FileKind, number> = {
  'image/jpeg': 10 * 1024 * 1024,
  'image/png': 10 * 1024 * 1024,
  'image/webp': 10 * 1024 * 1024,
  'application/pdf': 20 * 1024 * 1024,
  'audio/mpeg': 2 * 1024 * 1024,
  'audio/aac': 2 * 1024 * 1024,
  'audio/mp4': 2 * 1024 * 1024,
}

/**
 * Other names clients give the same audio kinds (the mini-program's recorder writes .m4a, which some
 * runtimes label audio/x-m4a; the chat-voice bucket accepts audio/mpeg, audio/aac, audio/mp4 and
 * audio/x-m4a).
 */
const ALIASES: Record<string, FileKind> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/mp3': 'audio/mpeg',
  'audio/x-aac': 'audio/aac',
}

/** ISO base media brands of audio files (M4A and friends) after `ftyp`. */
const MP4_AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'mp42', 'mp41', 'isom', 'iso2', 'iso5', 'dash'])

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
  // MP3: an ID3v2 tag, or an MPEG audio frame header (11 sync bits, MPEG-1/2/2.5, layer III).
  if (startsWith(head, [0x49, 0x44, 0x33])) return 'audio/mpeg'
  if (head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && ((head[1] >> 1) & 0x03) === 0x01 && ((head[1] >> 3) & 0x03) !== 0x01) return 'audio/mpeg'
  // AAC in ADTS: 12 sync bits, layer 00.
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return 'audio/aac'
  // M4A: an ISO base media file (`ftyp` box) with an audio brand.
  if (startsWith(head, [0x66, 0x74, 0x79, 0x70], 4) && head.length >= 12) {
    const brand = String.fromCharCode(head[8], head[9], head[10], head[11])
    if (MP4_AUDIO_BRANDS.has(brand)) return 'audio/mp4'
  }
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
    if (accepted.every((k) => k.startsWith('audio/'))) return { ok: false, reason: '文件不是有效的语音（仅支持 MP3、AAC、M4A），已删除。' }
    return { ok: false, reason: accepted.every((k) => k.startsWith('image/')) ? '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。' : '文件类型不受支持（仅支持 JPG、PNG、WebP 图片和 PDF），已删除。' }
  }
  const declared = claimed.split(';')[0].trim().toLowerCase()
  if (kind !== (ALIASES[declared] ?? declared)) {
    return { ok: false, reason: '文件内容与声明的类型不符，已删除。请重新选择文件。' }
  }
  if (size > SIZE_LIMITS[kind]) {
    if (kind.startsWith('audio/')) return { ok: false, reason: '语音不能超过 2 MB，已删除。' }
    return { ok: false, reason: kind === 'application/pdf' ? 'PDF 文件不能超过 20 MB，已删除。' : '图片不能超过 10 MB，已删除。' }
  }
  return { ok: true, kind }
}
