/**
 * The device's cryptographically secure random bytes: crypto.getRandomValues on H5, wx.getRandomValues
 * (Taro.getRandomValues) on the mini-program, whose JavaScript engine has no `crypto` global. Math.random
 * is never used for ids: two phones choosing the same id would hide one person's message behind another's.
 */
import Taro from '@tarojs/taro'
import { AppError } from '../errors'
import { newUuid, type RandomBytes } from './random-id'

const NO_SECURE_RANDOM = new AppError({
  code: 'unknown',
  message: '当前微信版本过低，无法发送消息，请升级微信后重试',
  detail: 'no cryptographically secure random source (crypto.getRandomValues / wx.getRandomValues)',
})

/** The platform's secure random bytes. */
export const platformRandomBytes: RandomBytes = async (length) => {
  if (process.env.TARO_ENV === 'weapp') {
    // Base library 2.25.0 and later; older WeChat versions lack it.
    if (typeof Taro.getRandomValues !== 'function') throw NO_SECURE_RANDOM
    const { randomValues } = await Taro.getRandomValues({ length })
    return new Uint8Array(randomValues)
  }
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto
  if (!crypto?.getRandomValues) throw NO_SECURE_RANDOM
  return crypto.getRandomValues(new Uint8Array(length))
}

/** A new random UUID (v4) from the platform's secure source. */
export function newSecureUuid(): Promise<string> {
  return newUuid(platformRandomBytes)
}
