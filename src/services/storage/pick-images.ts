/**
 * Picking images and getting them ready to upload, on both builds:
 *
 *   pickImages(count)     weapp: Taro.chooseMedia (album or camera); H5: the browser's file chooser
 *   prepareImage(file)    an image longer than 1,600 px on a side is scaled down first:
 *                         weapp: Taro.getImageInfo for the size, Taro.compressImage to shrink;
 *                         H5: a canvas (services/platform/h5-files.ts)
 *   pickedFromPath(path)  a temp path from elsewhere (the chooseAvatar button) as a picked file
 *
 * A file that is not an image is passed on unchanged: the server's check refuses it with its reason.
 */
import Taro from '@tarojs/taro'
import { AppError } from '../errors'
import { pickFilesInBrowser, shrinkImageInBrowser } from '../platform/h5-files'

/**
 * The mini-program's picture and file APIs, read from Taro's object instead of as `Taro.x`: on H5 Taro
 * compiles every `Taro.x` into an import of its browser implementation, even inside a weapp-only branch,
 * which would ship chooseMedia, compressImage, getImageInfo and the file system manager to H5 for nothing.
 * Only the weapp branches below call them.
 */
const mini: Pick<typeof Taro, 'chooseMedia' | 'chooseMessageFile' | 'showActionSheet' | 'getImageInfo' | 'compressImage' | 'getFileSystemManager'> = Taro

export interface PickedFile {
  /** Temp file path (weapp) or object URL (H5). Also the thumbnail's src. */
  path: string
  size: number
  /** 'image/jpeg', 'image/png', 'image/webp', … or '' when unknown (the upload refuses it). */
  type: string
}

/** Longest side an uploaded image may keep; larger ones are scaled down on the phone first. */
export const MAX_IMAGE_SIDE = 1600

const BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' }

/** The type a temp path's extension names ('' when none). */
export function typeFromPath(path: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(path)?.[1]?.toLowerCase() ?? ''
  return BY_EXTENSION[ext] ?? ''
}

function isCancel(error: unknown): boolean {
  return /cancel/i.test((error as { errMsg?: string })?.errMsg ?? '')
}

/** The size of a temp file (weapp). */
export function tempFileSize(filePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    mini.getFileSystemManager().getFileInfo({
      filePath,
      success: (res) => resolve(res.size),
      fail: (err: { errMsg?: string }) =>
        reject(new AppError({ code: 'invalid', message: '无法读取所选文件，请重新选择', detail: `getFileInfo ${filePath}: ${err?.errMsg ?? String(err)}`, cause: err })),
    })
  })
}

/** Up to `count` images; [] when the person closes the picker. */
export async function pickImages(count: number): Promise<PickedFile[]> {
  if (process.env.TARO_ENV === 'h5') {
    const files = await pickFilesInBrowser({ accept: 'image/jpeg,image/png,image/webp', multiple: count > 1 })
    return files.slice(0, count).map(({ path, size, type }) => ({ path, size, type }))
  }
  try {
    const res = await mini.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] })
    return res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size, type: typeFromPath(f.tempFilePath) || 'image/jpeg' }))
  } catch (error) {
    if (isCancel(error)) return []
    throw new AppError({ code: 'unknown', message: '无法打开相册，请稍后重试', detail: `chooseMedia: ${JSON.stringify(error)}`, cause: error })
  }
}

/**
 * Up to `count` images or PDF files (application materials): H5's file chooser takes both; on weapp the
 * person chooses between the album/camera and a PDF from a WeChat chat (wx.chooseMessageFile: phones have
 * no file browser for mini-programs). [] when the person closes the picker.
 */
export async function pickImagesOrPdf(count: number): Promise<PickedFile[]> {
  if (process.env.TARO_ENV === 'h5') {
    const files = await pickFilesInBrowser({ accept: 'image/jpeg,image/png,image/webp,application/pdf', multiple: count > 1 })
    return files.slice(0, count).map(({ path, size, type }) => ({ path, size, type }))
  }
  let tapIndex: number
  try {
    ;({ tapIndex } = await mini.showActionSheet({ itemList: ['拍照或从相册选择', '从微信聊天中选择PDF文件'] }))
  } catch {
    return []
  }
  if (tapIndex === 0) return pickImages(count)
  try {
    const res = await mini.chooseMessageFile({ count, type: 'file', extension: ['pdf'] })
    return res.tempFiles.map((f) => ({ path: f.path, size: f.size, type: typeFromPath(f.name) || typeFromPath(f.path) }))
  } catch (error) {
    if (isCancel(error)) return []
    throw new AppError({ code: 'unknown', message: '无法打开聊天文件，请稍后重试', detail: `chooseMessageFile: ${JSON.stringify(error)}`, cause: error })
  }
}

/** A file the app got as a path (weapp's chooseAvatar button gives a temp path). */
export async function pickedFromPath(path: string): Promise<PickedFile> {
  return { path, size: await tempFileSize(path), type: typeFromPath(path) || 'image/jpeg' }
}

/** Scales an image longer than MAX_IMAGE_SIDE down before upload; anything else is answered unchanged. */
export async function prepareImage(file: PickedFile): Promise<PickedFile> {
  if (process.env.TARO_ENV === 'h5') {
    const shrunk = await shrinkImageInBrowser({ ...file, name: 'image' }, MAX_IMAGE_SIDE)
    return { path: shrunk.path, size: shrunk.size, type: shrunk.type }
  }
  let info: { width: number; height: number }
  try {
    info = await mini.getImageInfo({ src: file.path })
  } catch {
    // Not an image WeChat can read: sent as it is, and the server's check gives the reason.
    return file
  }
  if (Math.max(info.width, info.height) <= MAX_IMAGE_SIDE) return file
  const landscape = info.width >= info.height
  const res = await mini.compressImage({
    src: file.path,
    quality: 80,
    ...(landscape ? { compressedWidth: MAX_IMAGE_SIDE } : { compressedHeight: MAX_IMAGE_SIDE }),
  })
  return { path: res.tempFilePath, size: await tempFileSize(res.tempFilePath), type: typeFromPath(res.tempFilePath) || 'image/jpeg' }
}
