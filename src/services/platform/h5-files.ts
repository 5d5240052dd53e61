/**
 * Picking and shrinking images in the browser (H5 only; the mini-program uses Taro.chooseMedia and
 * Taro.compressImage, see services/storage/pick-images.ts and prepare-image.ts).
 *
 * Not Taro.chooseImage / chooseMedia on H5: they drop any file the browser cannot decode as an image
 * (an .exe renamed .jpg vanishes without a word), and the person must be told why a file was refused,
 * by the server's check. So the files are handed over as they are, with an object URL as their path.
 */

export interface BrowserFile {
  /** An object URL of the file (blob:…), usable as Taro.uploadFile's filePath and as an <Image> src. */
  path: string
  size: number
  /** The browser's type for it (from the name's extension), '' when it has none. */
  type: string
  name: string
}

const BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' }

function typeOf(file: File): string {
  if (file.type) return file.type
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? ''
  return BY_EXTENSION[ext] ?? ''
}

/** Opens the browser's file chooser; answers [] when the person closes it without choosing. */
export function pickFilesInBrowser(options: { accept: string; multiple: boolean }): Promise<BrowserFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = options.accept
    input.multiple = options.multiple
    input.setAttribute('data-testid', 'file-picker')
    input.style.cssText = 'position: fixed; left: -4000px; top: -4000px; opacity: 0;'
    let settled = false
    const finish = (files: BrowserFile[]) => {
      if (settled) return
      settled = true
      input.remove()
      resolve(files)
    }
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).map((file) => ({ path: URL.createObjectURL(file), size: file.size, type: typeOf(file), name: file.name }))
      finish(files)
    })
    input.addEventListener('cancel', () => finish([]))
    document.body.appendChild(input)
    input.click()
  })
}

function loadImage(src: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const image = new Image()
    image.onload = () => resolve(image)
    image.onerror = () => resolve(null)
    image.src = src
  })
}

/**
 * Scales an image whose longer side exceeds `maxSide` down to it on a canvas (JPEG, quality 0.85; PNG
 * stays PNG so transparency survives). A file the browser cannot decode is returned unchanged: it is not
 * an image, and the server's check will say so.
 */
export async function shrinkImageInBrowser(file: BrowserFile, maxSide: number): Promise<BrowserFile & { width: number; height: number; compressed: boolean }> {
  const image = await loadImage(file.path)
  if (!image) return { ...file, width: 0, height: 0, compressed: false }
  const width = image.naturalWidth
  const height = image.naturalHeight
  const longest = Math.max(width, height)
  if (longest <= maxSide) return { ...file, width, height, compressed: false }
  const scale = maxSide / longest
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(width * scale)
  canvas.height = Math.round(height * scale)
  const context = canvas.getContext('2d')
  if (!context) return { ...file, width, height, compressed: false }
  context.drawImage(image, 0, 0, canvas.width, canvas.height)
  const type = file.type === 'image/png' ? 'image/png' : 'image/jpeg'
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85))
  if (!blob) return { ...file, width, height, compressed: false }
  URL.revokeObjectURL(file.path)
  const ext = type === 'image/png' ? 'png' : 'jpg'
  return {
    path: URL.createObjectURL(blob),
    size: blob.size,
    type,
    name: file.name.replace(/\.[a-z0-9]+$/i, '') + `.${ext}`,
    width: canvas.width,
    height: canvas.height,
    compressed: true,
  }
}
