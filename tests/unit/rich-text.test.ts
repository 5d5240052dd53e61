import { describe, expect, it } from 'vitest'
import {
  asNodes,
  collectLinks,
  blocksToNodes,
  inlineToSource,
  isSafeHref,
  nodesForDisplay,
  nodesToBlocks,
  parseInline,
  plainText,
  type Block,
  type RichTextNode,
} from '../../src/services/posts/rich-text'

const COVER = 'http://127.0.0.1:54321/storage/v1/object/public/post-covers/a/b.jpg'

describe('inline marks of a line', () => {
  it('turns **text** into strong and keeps the rest as text', () => {
    expect(parseInline('申请人须为**本市户籍**人员')).toEqual([
      { type: 'text', text: '申请人须为' },
      { name: 'strong', children: [{ type: 'text', text: '本市户籍' }] },
      { type: 'text', text: '人员' },
    ])
  })

  it('turns [文字](https://…) and a bare https address into links, and leaves a Chinese full stop out of the address', () => {
    expect(parseInline('详见[通知原文](https://rsj.qingdao.gov.cn/a?id=1)，或 https://example.cn/x。')).toEqual([
      { type: 'text', text: '详见' },
      { name: 'a', attrs: { href: 'https://rsj.qingdao.gov.cn/a?id=1' }, children: [{ type: 'text', text: '通知原文' }] },
      { type: 'text', text: '，或 ' },
      { name: 'a', attrs: { href: 'https://example.cn/x' }, children: [{ type: 'text', text: 'https://example.cn/x' }] },
      { type: 'text', text: '。' },
    ])
  })

  it('never makes a link of javascript: or data: addresses', () => {
    const nodes = parseInline('[点我](javascript:alert(1)) data:text/html,<b>')
    expect(JSON.stringify(nodes)).not.toContain('"name":"a"')
    expect(plainText(nodes)).toBe('[点我](javascript:alert(1)) data:text/html,<b>')
    expect(isSafeHref('javascript:alert(1)')).toBe(false)
    expect(isSafeHref('https://example.cn')).toBe(true)
  })

  it('leaves an unclosed ** as typed', () => {
    expect(parseInline('5**万元')).toEqual([{ type: 'text', text: '5**万元' }])
  })

  it('gives the same source back from its nodes', () => {
    for (const source of ['**一次性创业补贴**1万元', '见[人社局](https://rsj.example.cn/a) 与 https://x.cn/b', '没有标记的文字']) {
      expect(inlineToSource(parseInline(source))).toBe(source)
    }
  })
})

describe('blocks to stored nodes and back', () => {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: '补贴标准' },
    { kind: 'paragraph', text: '符合条件的给予**一次性**补贴。\n第二行' },
    { kind: 'list', ordered: true, items: ['身份证', '营业执照', ''] },
    { kind: 'list', ordered: false, items: ['电工'] },
    { kind: 'image', src: COVER },
    { kind: 'link', text: '政策原文', href: 'https://rsj.example.cn/p/1' },
    { kind: 'heading', level: 3, text: '办理地点' },
    { kind: 'paragraph', text: '   ' },
  ]

  it('builds only allowed element names and leaves empty blocks and list items out', () => {
    const nodes = blocksToNodes(blocks)
    const names = new Set<string>()
    const walk = (list: RichTextNode[] | undefined) =>
      list?.forEach((n) => {
        if ('name' in n) {
          names.add(n.name)
          walk(n.children)
        }
      })
    walk(nodes)
    expect([...names].sort()).toEqual(['a', 'br', 'h2', 'h3', 'img', 'li', 'ol', 'p', 'strong', 'ul'])
    expect(nodes).toHaveLength(7)
    expect(nodes[2]).toEqual({
      name: 'ol',
      children: [
        { name: 'li', children: [{ type: 'text', text: '身份证' }] },
        { name: 'li', children: [{ type: 'text', text: '营业执照' }] },
      ],
    })
    expect(nodes[4]).toEqual({ name: 'img', attrs: { src: COVER } })
    expect(nodes[1]).toEqual({
      name: 'p',
      children: [
        { type: 'text', text: '符合条件的给予' },
        { name: 'strong', children: [{ type: 'text', text: '一次性' }] },
        { type: 'text', text: '补贴。' },
        { name: 'br' },
        { type: 'text', text: '第二行' },
      ],
    })
  })

  it('reads stored nodes back into the same blocks (empty ones gone)', () => {
    const back = nodesToBlocks(blocksToNodes(blocks))
    expect(back).toEqual([
      { kind: 'heading', level: 2, text: '补贴标准' },
      { kind: 'paragraph', text: '符合条件的给予**一次性**补贴。\n第二行' },
      { kind: 'list', ordered: true, items: ['身份证', '营业执照'] },
      { kind: 'list', ordered: false, items: ['电工'] },
      { kind: 'image', src: COVER },
      { kind: 'link', text: '政策原文', href: 'https://rsj.example.cn/p/1' },
      { kind: 'heading', level: 3, text: '办理地点' },
    ])
  })

  it('reads nodes it does not know as their text, and a bare text node as a paragraph', () => {
    expect(nodesToBlocks([{ type: 'text', text: '开头' }, { name: 'div', children: [{ name: 'em', children: [{ type: 'text', text: '斜体' }] }] }])).toEqual([
      { kind: 'paragraph', text: '开头' },
      { kind: 'paragraph', text: '斜体' },
    ])
  })

  it('gives the plain text of a body, one line per block', () => {
    expect(plainText(blocksToNodes(blocks.slice(0, 3)))).toBe('补贴标准\n符合条件的给予一次性补贴。\n第二行\n身份证\n营业执照\n\n')
  })
})

describe('nodes for the reader', () => {
  it('adds class names and the image style, and drops links and images with unsafe addresses', () => {
    const shown = nodesForDisplay([
      { name: 'h2', children: [{ type: 'text', text: '标题' }] },
      { name: 'p', children: [{ name: 'a', attrs: { href: 'javascript:alert(1)' }, children: [{ type: 'text', text: '坏链接' }] }] },
      { name: 'img', attrs: { src: 'javascript:alert(1)' } },
      { name: 'img', attrs: { src: COVER, onerror: 'alert(1)' } },
      { name: 'script', children: [{ type: 'text', text: 'x' }] },
    ])
    expect(shown).toEqual([
      { name: 'h2', attrs: { class: 'rt-h2' }, children: [{ type: 'text', text: '标题' }] },
      { name: 'p', attrs: { class: 'rt-p' }, children: [{ type: 'text', text: '坏链接' }] },
      { name: 'img', attrs: { class: 'rt-img', src: COVER, style: expect.stringContaining('max-width:100%') } },
      { type: 'text', text: 'x' },
    ])
  })

  it('puts the build\'s Supabase URL in front of our stored storage paths', () => {
    const shown = nodesForDisplay([{ name: 'img', attrs: { src: '/storage/v1/object/public/post-covers/u/a.jpg' } }], { origin: 'https://api.example.cn/' })
    expect(shown).toEqual([{ name: 'img', attrs: { class: 'rt-img', src: 'https://api.example.cn/storage/v1/object/public/post-covers/u/a.jpg', style: expect.any(String) } }])
    expect(nodesForDisplay([{ name: 'img', attrs: { src: '/etc/passwd' } }], { origin: 'https://api.example.cn' })).toEqual([])
  })

  it('lists the body\'s safe links once each, in order, for the mini-program to copy', () => {
    const nodes = blocksToNodes([
      { kind: 'paragraph', text: '见[原文](https://a.cn/1)和 https://b.cn/2，再见[原文](https://a.cn/1)' },
      { kind: 'link', text: '', href: 'https://c.cn/3' },
    ])
    nodes.push({ name: 'p', children: [{ name: 'a', attrs: { href: 'javascript:alert(1)' }, children: [{ type: 'text', text: 'x' }] }] })
    expect(collectLinks(nodes)).toEqual([
      { text: '原文', href: 'https://a.cn/1' },
      { text: 'https://b.cn/2', href: 'https://b.cn/2' },
      { text: 'https://c.cn/3', href: 'https://c.cn/3' },
    ])
  })

  it('accepts only node-shaped values from stored JSON', () => {
    expect(asNodes(null)).toEqual([])
    expect(asNodes('<p>x</p>')).toEqual([])
    expect(asNodes([{ name: 'p' }, 3, { type: 'text', text: 'a' }, { type: 'text' }])).toEqual([{ name: 'p' }, { type: 'text', text: 'a' }])
  })
})
