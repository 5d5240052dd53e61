/**
 * Small real files for upload tests: each opens and is what it says (a 1×1 JPEG and PNG, a one-page
 * PDF), plus a Windows executable to rename `.jpg`.
 */

/** A 1×1 baseline JPEG (JFIF). */
export const jpegFile = (): Buffer =>
  Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  )

/** A 1×1 RGBA PNG. */
export const pngFile = (): Buffer =>
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

/** A one-page PDF with an empty page. */
export const pdfFile = (): Buffer =>
  Buffer.from(
    [
      '%PDF-1.4',
      '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj',
      '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj',
      '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 72 72]>> endobj',
      'trailer <</Root 1 0 R>>',
      '%%EOF',
      '',
    ].join('\n'),
    'latin1',
  )

/** The start of a Windows executable: "MZ", then the DOS stub's message. */
export const exeFile = (): Buffer => {
  const b = Buffer.alloc(256)
  Buffer.from('4d5a90000300000004000000ffff0000', 'hex').copy(b)
  Buffer.from('This program cannot be run in DOS mode.', 'latin1').copy(b, 0x4e)
  return b
}

/**
 * Ten MPEG-1 Layer III frames of silence (128 kbit/s, 44.1 kHz mono: 417 bytes each, header FF FB 90 C4),
 * after an empty ID3v2.4 tag, as a recorder's MP3 begins.
 */
export const mp3File = (): Buffer => {
  const frame = Buffer.alloc(417)
  Buffer.from('fffb90c4', 'hex').copy(frame)
  return Buffer.concat([Buffer.from('494433040000000000000', 'hex').subarray(0, 10), ...Array.from({ length: 10 }, () => frame)])
}

/** An AAC-LC stream in ADTS frames (44.1 kHz mono), as the mini-program recorder writes with format 'aac'. */
export const aacFile = (): Buffer => {
  // 7-byte header, protection absent, frame length 16 (header included), buffer fullness 0x7FF, one raw block.
  const frame = Buffer.from('fff15040021ffc' + '21'.padEnd(18, '0'), 'hex')
  return Buffer.concat(Array.from({ length: 8 }, () => frame))
}

/** The start of an M4A file: an `ftyp` box with major brand "M4A " and a free box. */
export const m4aFile = (): Buffer =>
  Buffer.concat([
    Buffer.from('0000001c667479704d344120000000004d344120697336dd6d703432'.replace('697336dd', '69736f6d'), 'hex'),
    Buffer.from('0000000866726565', 'hex'),
  ])
