/** The question desk's client rules (src/services/questions/types.ts): what a typed question becomes, and the queue's tabs. */
import { describe, expect, it } from 'vitest'
import { filterQueue, QUESTION_TITLE_MAX, splitQuestion } from '../../src/services/questions/types'

describe('a typed question', () => {
  it('is its first line as the title and the rest as the detail', () => {
    expect(splitQuestion('  租金补贴怎么申请？\n我在孵化基地租了店面。\n\n谢谢 ')).toEqual({ title: '租金补贴怎么申请？', body: '我在孵化基地租了店面。\n\n谢谢' })
    expect(splitQuestion('补贴什么时候发？')).toEqual({ title: '补贴什么时候发？', body: '' })
  })

  it('keeps a long first line whole in the detail and shortens the title to the server\'s limit', () => {
    const long = '我'.repeat(120)
    const { title, body } = splitQuestion(long)
    expect(title).toHaveLength(QUESTION_TITLE_MAX)
    expect(title.endsWith('…')).toBe(true)
    expect(body).toBe(long)
  })

  it('is nothing when only spaces were typed', () => {
    expect(splitQuestion(' \n ')).toEqual({ title: '', body: '' })
  })
})

describe('the butler queue tabs', () => {
  const rows = [
    { id: 'a', is_mine: true, is_overdue: false, owner_id: 'me' },
    { id: 'b', is_mine: true, is_overdue: true, owner_id: 'me' },
    { id: 'c', is_mine: false, is_overdue: true, owner_id: 'other' },
    { id: 'd', is_mine: false, is_overdue: false, owner_id: null },
  ]

  it('我的 has what is assigned to me, 已超时 every overdue one, 未分配 those without an owner', () => {
    expect(filterQueue(rows, 'mine').map((r) => r.id)).toEqual(['a', 'b'])
    expect(filterQueue(rows, 'overdue').map((r) => r.id)).toEqual(['b', 'c'])
    expect(filterQueue(rows, 'unassigned').map((r) => r.id)).toEqual(['d'])
  })
})
