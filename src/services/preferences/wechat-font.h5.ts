/**
 * H5 has no WeChat font setting: large-text mode there is the switch on 我的 alone. Taro picks this file
 * for H5 builds instead of wechat-font.ts.
 */
export type { WeChatFontInfo } from './wechat-font'

export function readWeChatFont(): null {
  return null
}
