/** A phone number as it may be shown: 138****1234 (first three and last four digits). */
export function maskPhone(phone: string): string {
  const digits = phone.trim()
  if (digits.length < 8) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}
