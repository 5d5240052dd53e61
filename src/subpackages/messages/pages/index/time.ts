import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'
import 'dayjs/locale/zh-cn'

dayjs.extend(relativeTime)
dayjs.locale('zh-cn')

/** When a message came: 刚刚 / 5 分钟前 / 3 天前 within a week, then 2026年11月20日 14:05. */
export function formatMessageTime(iso: string, now: Date = new Date()): string {
  const at = dayjs(iso)
  const seconds = dayjs(now).diff(at, 'second')
  if (seconds < 60) return '刚刚'
  if (seconds < 7 * 24 * 3600) return at.from(now)
  return at.format(at.year() === now.getFullYear() ? 'M月D日 HH:mm' : 'YYYY年M月D日 HH:mm')
}
