/**
 * Binds the phone number behind a getPhoneNumber button code to the signed-in person, through the
 * wechat-phone edge function (WeChat is asked for the number server-side; the code alone is sent).
 */
import { invokeFunction } from '../functions/invoke'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { profileKeys } from './keys'

export interface BoundPhone {
  phone: string
  verified_at: string
}

export function bindPhone(code: string): Promise<BoundPhone> {
  return invokeFunction<BoundPhone>('wechat-phone', { code })
}

/** 我的's 绑定手机号: the new number shows at once; the page shows a refusal under the row. */
export function useBindPhoneMutation() {
  return useAppMutation<string, BoundPhone>({
    mutate: (code) => bindPhone(code),
    errorToast: false,
    successToast: '手机号已绑定',
    onSuccess: (bound) => setQueryData(profileKeys.phone(), bound),
    invalidates: () => [profileKeys.phone()],
  })
}
