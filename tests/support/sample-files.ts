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
