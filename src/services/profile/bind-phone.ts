/**
 * Binds the phone number behind a getPhoneNumber button code to the signed-in person, through the
 * wechat-phone edge function (WeChat is asked for the number server-side; the code alone is sent).
 */
import { invokeFunction } from '../functions/invoke'

export interface BoundPhone {
  phone: string
  verified_at: string
}

export function bindPhone(code: string): Promise<BoundPhone> {
  return invokeFunction<BoundPhone>('wechat-phone', { code })
}
