/**
 * The upload check's reading of first bytes (supabase/functions/_shared/file-signature.ts): what a file
 * is decides, not what its name or content type claims.
 */
import { describe, expect, it } from 'vitest'
import { sniffKind, verifyFile } from '../../supabase/functions/_shared/file-signature'
import { aacFile, m4aFile, mp3File } from '../support/sample-files'

const bytes = (hex: string, size = 32) => {
  const b = new Uint8Array(size)
  b.set(Buffer.from(hex.replace(/ /g, ''), 'hex'))
  return b
}
const jpeg = bytes('ff d8 ff e0 00 10 4a 46 49 46')
const png = bytes('89 50 4e 47 0d 0a 1a 0a')
const webp = bytes('52 49 46 46 24 00 00 00 57 45 42 50')
const pdf = bytes('25 50 44 46 2d 31 2e 37')
/** The start of a Windows executable ("MZ"), as an .exe renamed .jpg would begin. */
const exe = bytes('4d 5a 90 00 03 00 00 00')

describe('sniffKind', () => {
  it('recognises JPEG, PNG, WebP and PDF by their first bytes', () => {
    expect([jpeg, png, webp, pdf].map(sniffKind)).toEqual(['image/jpeg', 'image/png', 'image/webp', 'application/pdf'])
  })

  it('recognises nothing in an executable', () => {
    expect(sniffKind(exe)).toBeNull()
  })

  it('does not take a RIFF file that is not WebP (a WAV) for an image', () => {
    expect(sniffKind(bytes('52 49 46 46 24 00 00 00 57 41 56 45'))).toBeNull()
  })
})

describe('verifyFile', () => {
  it('accepts a JPEG that says it is a JPEG', () => {
    expect(verifyFile(jpeg, 1000, 'image/jpeg')).toEqual({ ok: true, kind: 'image/jpeg' })
  })

  it('refuses an .exe renamed .jpg and uploaded as image/jpeg, in Chinese', () => {
    expect(verifyFile(exe, 1000, 'image/jpeg', ['image/jpeg', 'image/png', 'image/webp'])).toEqual({
      ok: false,
      reason: '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。',
    })
  })

  it('refuses a PNG that claims to be a JPEG', () => {
    expect(verifyFile(png, 1000, 'image/jpeg')).toEqual({ ok: false, reason: '文件内容与声明的类型不符，已删除。请重新选择文件。' })
  })

  it('refuses a PDF where only images are accepted', () => {
    expect(verifyFile(pdf, 1000, 'application/pdf', ['image/jpeg', 'image/png', 'image/webp']).ok).toBe(false)
  })

  it('holds images to 10 MB and PDFs to 20 MB', () => {
    expect(verifyFile(png, 10 * 1024 * 1024, 'image/png').ok).toBe(true)
    expect(verifyFile(png, 10 * 1024 * 1024 + 1, 'image/png')).toEqual({ ok: false, reason: '图片不能超过 10 MB，已删除。' })
    expect(verifyFile(pdf, 20 * 1024 * 1024, 'application/pdf').ok).toBe(true)
    expect(verifyFile(pdf, 20 * 1024 * 1024 + 1, 'application/pdf')).toEqual({ ok: false, reason: 'PDF 文件不能超过 20 MB，已删除。' })
  })
})

describe('voice clips (chat-voice)', () => {
  const AUDIO = ['audio/mpeg', 'audio/aac', 'audio/mp4'] as const
  const head = (b: Buffer) => new Uint8Array(b.subarray(0, 16))

  it('recognises MP3 (with an ID3 tag or from the first frame), AAC in ADTS and M4A', () => {
    expect(sniffKind(head(mp3File()))).toBe('audio/mpeg')
    expect(sniffKind(head(mp3File().subarray(10)))).toBe('audio/mpeg')
    expect(sniffKind(head(aacFile()))).toBe('audio/aac')
    expect(sniffKind(head(m4aFile()))).toBe('audio/mp4')
  })

  it('does not take a JPEG (FF D8) for an MPEG frame, nor an MP4 video brand for M4A', () => {
    expect(sniffKind(jpeg)).toBe('image/jpeg')
    expect(sniffKind(bytes('00 00 00 18 66 74 79 70 71 74 20 20'))).toBeNull() // QuickTime "qt  "
  })

  it('accepts the names recorders give M4A and MP3 (audio/x-m4a, audio/mp3)', () => {
    expect(verifyFile(head(m4aFile()), 5000, 'audio/x-m4a', AUDIO)).toEqual({ ok: true, kind: 'audio/mp4' })
    expect(verifyFile(head(mp3File()), 5000, 'audio/mp3', AUDIO)).toEqual({ ok: true, kind: 'audio/mpeg' })
    expect(verifyFile(head(aacFile()), 5000, 'audio/aac', AUDIO)).toEqual({ ok: true, kind: 'audio/aac' })
  })

  it('refuses an image or an executable as a voice clip, and a clip over 2 MB, in Chinese', () => {
    expect(verifyFile(jpeg, 5000, 'audio/mpeg', AUDIO)).toEqual({ ok: false, reason: '文件不是有效的语音（仅支持 MP3、AAC、M4A），已删除。' })
    expect(verifyFile(exe, 5000, 'audio/aac', AUDIO).ok).toBe(false)
    expect(verifyFile(head(aacFile()), 5000, 'audio/mpeg', AUDIO)).toEqual({ ok: false, reason: '文件内容与声明的类型不符，已删除。请重新选择文件。' })
    expect(verifyFile(head(mp3File()), 2 * 1024 * 1024 + 1, 'audio/mpeg', AUDIO)).toEqual({ ok: false, reason: '语音不能超过 2 MB，已删除。' })
  })

  it('refuses audio where only images are accepted', () => {
    expect(verifyFile(head(mp3File()), 5000, 'audio/mpeg', ['image/jpeg', 'image/png', 'image/webp']).ok).toBe(false)
  })
})
