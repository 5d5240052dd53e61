/**
 * WeChat's text size (我 → 设置 → 通用 → 字体大小), from wx.getAppBaseInfo. The mini-program's version;
 * wechat-font.h5.ts stands in on H5, which has no such setting (and whose getAppBaseInfo would bring a
 * browser-detection library into the first screen's JavaScript).
 */
import Taro from '@tarojs/taro'

/** What WeChat's getAppBaseInfo tells about the text size. */
export interface WeChatFontInfo {
  fontSizeScaleFactor?: number
  fontSizeSetting?: number
}

/** WeChat's font setting now; null on a WeChat too old to tell (getAppBaseInfo from base library 2.20.1). */
export function readWeChatFont(): WeChatFontInfo | null {
  try {
    if (typeof Taro.getAppBaseInfo !== 'function') return null
    return Taro.getAppBaseInfo() as WeChatFontInfo
  } catch {
    return null
  }
}
