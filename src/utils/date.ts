/**
 * Dates as people here write them. Plain Date arithmetic, no library: the home feed formats every post's
 * date, and dayjs with its Chinese locale (3.7 KB gzip) was the only reason the first screen loaded it
 * (the message centre's relative times still use dayjs, in its subpackage).
 */

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const

/** A `date` from the database (YYYY-MM-DD) is a calendar day: read it in local time, not as UTC midnight. */
function parse(value: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value)
}

function chineseDate(date: Date): string {
  return `${date.getFullYear()}年${date.getMonth() + 1}月${date.getDate()}日`
}

/** A post's date as people write it: 2025年11月20日 周四. */
export function formatPostDate(iso: string): string {
  const date = parse(iso)
  return `${chineseDate(date)} ${WEEKDAYS[date.getDay()]}`
}

/** A calendar date (YYYY-MM-DD from the database) as people write it: 2025年6月30日. */
export function formatDate(date: string): string {
  return chineseDate(parse(date))
}

/** A Date as the database's `date` type wants it: YYYY-MM-DD in local time. */
export function toDateValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** An instant (timestamptz) as people write it, in the phone's time: 2026年12月1日 14:05. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${chineseDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}
