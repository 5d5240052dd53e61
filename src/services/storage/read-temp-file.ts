/**
 * The bytes of a file the mini-program picked (a temp path from Taro.chooseMedia, Taro.compressImage or
 * the chooseAvatar button), as an ArrayBuffer: supabase-js's storage client cannot take a path, and the
 * mini-program has no Blob or FormData to hand it instead.
 */
import Taro from '@tarojs/taro'
import { AppError } from '../errors'

export function readTempFile(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      // No encoding: the data comes back as an ArrayBuffer.
      success: (res) => {
        if (res.data instanceof ArrayBuffer || (typeof res.data === 'object' && res.data !== null && 'byteLength' in res.data)) {
          resolve(res.data as ArrayBuffer)
        } else {
          reject(new AppError({ code: 'invalid', message: '无法读取所选文件，请重新选择', detail: 'readFile returned text, not bytes' }))
        }
      },
      fail: (err: { errMsg?: string }) =>
        reject(new AppError({ code: 'invalid', message: '无法读取所选文件，请重新选择', detail: `readFile ${filePath}: ${err?.errMsg ?? String(err)}`, cause: err })),
    })
  })
}
