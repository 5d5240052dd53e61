import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'

dayjs.locale('zh-cn')

/** A post's date as people write it: 2025年11月20日 周四. */
export function formatPostDate(iso: string): string {
  return dayjs(iso).format('YYYY年M月D日 ddd')
}

/** A calendar date (YYYY-MM-DD from the database) as people write it: 2025年6月30日. */
export function formatDate(date: string): string {
  return dayjs(date).format('YYYY年M月D日')
}

/** A Date as the database's `date` type wants it: YYYY-MM-DD in local time. */
export function toDateValue(date: Date): string {
  return dayjs(date).format('YYYY-MM-DD')
}
