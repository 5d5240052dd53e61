/**
 * WeChat's privacy authorization (mandatory since October 2023): a privacy API (the phone-number
 * button, choosing photos, the recorder, …) works only once the person agreed to the mini-program's
 * 用户隐私保护指引. Onboarding's 同意 button tells WeChat so on the same tap
 * (open-type="agreePrivacyAuthorization"). Anyone who reaches a privacy API another way (WeChat cleared
 * the agreement, or the guide gained a new item) gets WeChat's onNeedPrivacyAuthorization event: the API
 * waits until we resolve it. We answer with the app's own notice (components/privacy-authorization):
 * agree → resolve({ buttonId, event: 'agree' }) and the API goes on; decline → resolve({ event: 'disagree' }),
 * the API fails, and the page stays usable and says what will not work.
 *
 * Only the mini-program has the event; on H5 nothing is ever asked.
 */
import Taro from '@tarojs/taro'

/** The id of the notice's 同意 button, which carries open-type="agreePrivacyAuthorization". */
export const PRIVACY_AGREE_BUTTON_ID = 'privacy-authorization-agree'

type ResolveOption = Taro.onNeedPrivacyAuthorization.ResolveOption

export interface PrivacyAuthorizationState {
  /** WeChat is waiting for the person's answer; `feature` is what they were about to use. */
  pending: { feature: string } | null
  /** The person declined: what will not work (shown until they close it). */
  declined: { feature: string; message: string } | null
}

/** What each privacy API is for, in the person's words (the referrer WeChat names: "button.getPhoneNumber", "chooseMedia", …). */
const FEATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/getPhoneNumber|getRealtimePhoneNumber/i, '绑定手机号'],
  [/chooseAvatar|nickname/i, '更换头像'],
  [/chooseMedia|chooseImage|chooseVideo/i, '上传照片'],
  [/chooseMessageFile/i, '从聊天记录选择文件'],
  [/record|VoIP/i, '语音录制'],
  [/camera|VKSession/i, '拍照'],
  [/location|Poi/i, '获取位置'],
  [/saveImageToPhotosAlbum|saveVideoToPhotosAlbum|writePhotosAlbum/i, '保存图片到相册'],
  [/clipboard/i, '复制和粘贴'],
]

/** What the person was about to use, from WeChat's referrer. */
export function featureOf(referrer: string | undefined): string {
  const match = FEATURES.find(([pattern]) => pattern.test(referrer ?? ''))
  return match ? match[1] : '这项功能'
}

/** The sentence shown after declining: what does not work, that the rest does, and how to change one's mind. */
export function declinedMessage(feature: string): string {
  return `您没有同意隐私保护指引，${feature}暂时无法使用；其他功能可以照常使用。需要时再点一次，同意后即可使用。`
}

let state: PrivacyAuthorizationState = { pending: null, declined: null }
/** WeChat's answers still owed: every privacy API that waits for the person (usually one). */
let waiting: Array<{ resolve: (option: ResolveOption) => void; exposed: boolean }> = []
const listeners = new Set<() => void>()

function setState(next: PrivacyAuthorizationState): void {
  state = next
  for (const listener of [...listeners]) listener()
}

export function getPrivacyAuthorizationState(): PrivacyAuthorizationState {
  return state
}

export function subscribePrivacyAuthorization(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

function answer(option: ResolveOption): void {
  const owed = waiting
  waiting = []
  for (const request of owed) request.resolve(option)
}

/** WeChat's event: remember how to answer and show the notice (one answer serves every waiting API). */
export function needPrivacyAuthorization(resolve: (option: ResolveOption) => void, referrer?: string): void {
  waiting.push({ resolve, exposed: false })
  setState({ pending: { feature: state.pending?.feature ?? featureOf(referrer) }, declined: null })
}

/** The notice is on screen: WeChat wants to know (resolve with exposureAuthorization), once per request. */
export function reportPrivacyNoticeShown(): void {
  for (const request of waiting) {
    if (request.exposed) continue
    request.exposed = true
    request.resolve({ event: 'exposureAuthorization' })
  }
}

/**
 * The person tapped a 同意 button with open-type="agreePrivacyAuthorization" (the notice's, or
 * onboarding's): WeChat checks that this button was tapped, then lets the waiting API go on.
 */
export function agreePrivacyAuthorization(buttonId: string = PRIVACY_AGREE_BUTTON_ID): void {
  answer({ buttonId, event: 'agree' })
  if (state.pending || state.declined) setState({ pending: null, declined: null })
}

/** The person declined: the waiting API fails, and the page says what will not work. */
export function declinePrivacyAuthorization(): void {
  const feature = state.pending?.feature ?? '这项功能'
  answer({ event: 'disagree' })
  setState({ pending: null, declined: { feature, message: declinedMessage(feature) } })
}

/** Closes the "what will not work" note. */
export function dismissPrivacyDeclined(): void {
  if (state.declined) setState({ ...state, declined: null })
}

let watching = false

/** Listens for WeChat's event (mini-program only, base library 2.32.3 and later). Once per app. */
export function watchPrivacyAuthorization(): void {
  if (watching || process.env.TARO_ENV !== 'weapp') return
  if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  watching = true
  Taro.onNeedPrivacyAuthorization((resolve, eventInfo) => needPrivacyAuthorization(resolve, eventInfo?.referrer))
}
