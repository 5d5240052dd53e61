/**
 * The elder-friendly large-text mode (适老化). It follows WeChat's own font setting (我 → 设置 → 通用 →
 * 字体大小): a person who turned WeChat's text up gets large text here too, read when the app starts and
 * again whenever it comes back to the foreground. The switch on 我的 is a choice that wins over WeChat's
 * setting; it is kept in Taro storage, and a person who never touched it follows WeChat.
 *
 * Every page's root (components/app-page) applies the mode, so all mounted pages change at once.
 */
import Taro from '@tarojs/taro'
import { toggleRootClass } from '../platform/root-class'
import { readWeChatFont, type WeChatFontInfo } from './wechat-font'

export const LARGE_TEXT_STORAGE_KEY = 'cg.largeText'

/**
 * WeChat's standard text size: 17 px (fontSizeSetting) and a scale factor of 1. Anything above is a
 * person who made WeChat's text larger, up to 关怀模式 (23.8 px on a 375 px wide screen, factor 1.4).
 */
export const WECHAT_STANDARD_FONT_SIZE = 17

export type { WeChatFontInfo } from './wechat-font'

/** Where the current mode comes from: the person's own switch, WeChat's font setting, or neither. */
export type LargeTextSource = 'switch' | 'wechat' | 'default'

/** Whether WeChat's text is set above its standard size. */
export function isAboveStandard(info: WeChatFontInfo | null | undefined): boolean {
  if (!info) return false
  const factor = info.fontSizeScaleFactor
  if (typeof factor === 'number' && Number.isFinite(factor) && factor > 0) return factor > 1.01
  const size = info.fontSizeSetting
  return typeof size === 'number' && Number.isFinite(size) && size > WECHAT_STANDARD_FONT_SIZE
}

/** The person's own choice on 我的: true or false, or null when they never used the switch. */
let chosen: boolean | null | undefined
/** Whether WeChat's text is larger than standard, as last read. */
let wechatLarge: boolean | undefined
let applied: boolean | null = null
const listeners = new Set<() => void>()

function readChoice(): boolean | null {
  try {
    const stored: unknown = Taro.getStorageSync(LARGE_TEXT_STORAGE_KEY)
    return typeof stored === 'boolean' ? stored : null
  } catch {
    return null
  }
}

function load(): void {
  if (chosen === undefined) chosen = readChoice()
  if (wechatLarge === undefined) wechatLarge = isAboveStandard(readWeChatFont())
}

/** On H5 the tab bar lives outside the pages; a class on <html> lets it grow too (app.scss). */
function apply(value: boolean): void {
  if (applied === value) return
  applied = value
  toggleRootClass('app-large-text', value)
}

/** After the choice or WeChat's setting changed: the root class, then whoever shows the mode or its source. */
function changed(): void {
  apply(isLargeText())
  for (const listener of [...listeners]) listener()
}

export function isLargeText(): boolean {
  load()
  const value = chosen ?? wechatLarge ?? false
  if (applied === null) apply(value)
  return value
}

export function largeTextSource(): LargeTextSource {
  load()
  if (chosen !== null && chosen !== undefined) return 'switch'
  return wechatLarge ? 'wechat' : 'default'
}

/** The switch on 我的: the person's choice, kept, and from now on above WeChat's setting. */
export function setLargeText(value: boolean): void {
  load()
  chosen = value
  try {
    Taro.setStorageSync(LARGE_TEXT_STORAGE_KEY, value)
  } catch {
    // Storage unavailable: the choice still holds until the app closes.
  }
  changed()
}

/** Reads WeChat's font setting again (the person may have changed it while the app was in the background). */
export function syncWeChatFontSize(info: WeChatFontInfo | null = readWeChatFont()): void {
  load()
  const large = isAboveStandard(info)
  if (large === wechatLarge) return
  wechatLarge = large
  changed()
}

/** Follows WeChat's font setting from now on: read at once and whenever the app shows again. */
export function watchWeChatFontSize(): () => void {
  syncWeChatFontSize()
  const onShow = () => syncWeChatFontSize()
  Taro.onAppShow(onShow)
  return () => Taro.offAppShow(onShow)
}

export function subscribeLargeText(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}
