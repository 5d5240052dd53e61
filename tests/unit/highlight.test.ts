import { describe, expect, it } from 'vitest'
import { excerptAround, hasHit, highlightSegments, searchTerms } from '../../src/services/posts/highlight'

describe('search hit highlighting', () => {
  it('finds a Chinese word inside a longer one: 担保 in 创业担保贷款贴息', () => {
    expect(highlightSegments('创业担保贷款贴息政策', '担保')).toEqual([
      { text: '创业', hit: false },
      { text: '担保', hit: true },
      { text: '贷款贴息政策', hit: false },
    ])
  })

  it('marks every occurrence and every term, merging overlaps, and the segments give the text back', () => {
    const text = '补贴：担保贷款与担保补贴'
    const segments = highlightSegments(text, '担保  补贴 担保贷款')
    expect(segments.map((s) => s.text).join('')).toBe(text)
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(['补贴', '担保贷款', '担保补贴'])
  })

  it('ignores case for Latin letters', () => {
    expect(highlightSegments('SYB 创业培训', 'syb')).toEqual([
      { text: 'SYB', hit: true },
      { text: ' 创业培训', hit: false },
    ])
  })

  it('marks nothing for an empty query and returns nothing for an empty text', () => {
    expect(highlightSegments('创业补贴', '   ')).toEqual([{ text: '创业补贴', hit: false }])
    expect(highlightSegments('', '补贴')).toEqual([])
    expect(hasHit('创业补贴', '贷款')).toBe(false)
    expect(hasHit('创业补贴', '补贴')).toBe(true)
  })

  it('splits terms on ASCII and full-width spaces, longest first, once each', () => {
    expect(searchTerms(' 担保\u3000担保贷款 担保 ')).toEqual(['担保贷款', '担保'])
  })

  it('cuts an excerpt from radius characters before the first hit to twice that after, with … where it was cut', () => {
    const body = `${'甲'.repeat(50)}创业担保贷款${'乙'.repeat(50)}`
    const excerpt = excerptAround(body, '担保', 5)
    expect(excerpt).toBe('…甲甲甲创业担保贷款乙乙乙乙乙乙…')
    expect(excerptAround('短文本', '没有', 5)).toBe('短文本')
  })
})
