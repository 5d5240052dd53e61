/**
 * The elder-friendly large-text mode (适老化): one switch on 我的, kept in Taro storage and applied by
 * every page's root (components/app-page), so all mounted pages change at once.
 */
import Taro from '@tarojs/taro'
import { toggleRootClass } from '../platform/root-class'

export const LARGE_TEXT_STORAGE_KEY = 'cg.largeText'

let enabled: boolean | null = null
const listeners = new Set<() => void>()

/** On H5 the tab bar lives outside the pages; a class on <html> lets it grow too (app.scss). */
function applyToDocument(value: boolean): void {
  toggleRootClass('app-large-text', value)
}

export function isLargeText(): boolean {
  if (enabled === null) {
    try {
      enabled = Taro.getStorageSync(LARGE_TEXT_STORAGE_KEY) === true
    } catch {
      enabled = false
    }
    applyToDocument(enabled)
  }
  return enabled
}

export function setLargeText(value: boolean): void {
  enabled = value
  applyToDocument(value)
  try {
    Taro.setStorageSync(LARGE_TEXT_STORAGE_KEY, value)
  } catch {
    // Storage unavailable: the choice still holds until the app closes.
  }
  for (const listener of [...listeners]) listener()
}

export function subscribeLargeText(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}
