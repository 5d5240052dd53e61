/**
 * H5 only: the bytes of a picture the browser's picker gave (Taro.chooseImage answers blob: URLs there,
 * where the mini-program gives temp file paths that services/storage/read-temp-file.ts reads).
 */
import { AppError } from '../errors'

export async function readPickedBlob(url: string): Promise<ArrayBuffer> {
  try {
    const response = await fetch(url)
    return await response.arrayBuffer()
  } catch (error) {
    throw new AppError({ code: 'invalid', message: '无法读取所选文件，请重新选择', detail: `read ${url}: ${String(error)}`, cause: error })
  }
}
