import { describe, expect, it } from 'vitest'
import {
  blockItem,
  cleanTag,
  districtOf,
  draftFromForm,
  emptyEditorForm,
  formFromPost,
  isValidRegion,
  moveBlock,
  nextWholeMinute,
  validateEditorForm,
  type EditorForm,
} from '../../src/services/posts/editor-form'

function form(patch: Partial<EditorForm> = {}): EditorForm {
  return { ...emptyEditorForm(), title: '一次性创业补贴', ...patch }
}

describe('the editor form', () => {
  it('asks for a title, and for a summary or body only when publishing', () => {
    expect(validateEditorForm(form({ title: '  ' }))).toEqual({ title: '请填写标题' })
    expect(validateEditorForm(form())).toEqual({})
    expect(validateEditorForm(form(), true)).toEqual({ summary: '发布前请填写摘要或正文' })
    expect(validateEditorForm(form({ summary: '可申请1万元' }), true)).toEqual({})
  })

  it('refuses a link block whose address is not http or https', () => {
    const blocks = [blockItem({ kind: 'link', text: '原文', href: 'javascript:alert(1)' })]
    expect(validateEditorForm(form({ blocks })).blocks).toBe('链接的网址应以 http:// 或 https:// 开头')
  })

  it('checks tags, region, dates and money as the database does', () => {
    const errors = validateEditorForm(
      form({
        tags: ['补贴', '有 空格'],
        region: '青岛',
        effectiveFrom: '2026-06-01',
        effectiveTo: '2026-01-01',
        investmentMin: '5万',
        investmentMax: '-1',
      }),
    )
    expect(Object.keys(errors).sort()).toEqual(['effectiveTo', 'investmentMax', 'investmentMin', 'region', 'tags'])
    expect(validateEditorForm(form({ investmentMin: '50000', investmentMax: '30000' })).investmentMax).toBe('投资上限不能低于下限')
  })

  it('cleans a typed tag and tells regions the database takes', () => {
    expect(cleanTag(' #补贴 ')).toBe('补贴')
    expect(cleanTag('创业，补贴')).toBeNull()
    expect(cleanTag('一二三四五六七八九十一')).toBeNull()
    for (const region of ['全市', '四方区', '四方区兴隆路街道', '胶州市', '平度市南村镇']) expect(isValidRegion(region)).toBe(true)
    for (const region of ['青岛', '', 'Sifang']) expect(isValidRegion(region)).toBe(false)
    expect(districtOf('四方区兴隆路街道')).toBe('四方区')
    expect(districtOf(null)).toBeNull()
  })

  it('sends only the fields of the post\'s kind, body as nodes, empty text as null', () => {
    const policy = draftFromForm(
      form({
        kind: 'policy',
        summary: ' 摘要 ',
        issuer: '青岛市人社局',
        docNumber: ' ',
        investmentMin: '30000',
        skills: '电工',
        blocks: [blockItem({ kind: 'paragraph', text: '**重点**内容' }), blockItem({ kind: 'paragraph', text: '' })],
      }),
      'abc',
    )
    expect(policy).toMatchObject({
      id: 'abc',
      kind: 'policy',
      summary: '摘要',
      issuer: '青岛市人社局',
      doc_number: null,
      investment_min: null,
      skills: null,
      body_doc: [{ name: 'p', children: [{ name: 'strong', children: [{ type: 'text', text: '重点' }] }, { type: 'text', text: '内容' }] }],
    })
    const project = draftFromForm(form({ kind: 'project', investmentMin: '20,000', investmentMax: '50000', issuer: '某局' }))
    expect(project).toMatchObject({ investment_min: 20000, investment_max: 50000, issuer: null })
    expect('id' in project).toBe(false)
  })

  it('reads a stored post back into the form', () => {
    const loaded = formFromPost({
      kind: 'project',
      title: '社区早餐店',
      summary: '投入约3万元',
      body_doc: [{ name: 'h2', children: [{ type: 'text', text: '项目介绍' }] }],
      tags: ['项目'],
      region: '四方区',
      cover_path: 'u/a.jpg',
      issuer: null,
      doc_number: null,
      effective_from: null,
      effective_to: null,
      investment_min: 30000,
      investment_max: null,
      skills: null,
      contact: '李管家',
    })
    expect(loaded.blocks.map((b) => b.block)).toEqual([{ kind: 'heading', level: 2, text: '项目介绍' }])
    expect(loaded).toMatchObject({ investmentMin: '30000', investmentMax: '', contact: '李管家', coverPath: 'u/a.jpg' })
  })

  it('moves a block up and down, and not past either end', () => {
    const blocks = [blockItem({ kind: 'paragraph', text: 'a' }), blockItem({ kind: 'paragraph', text: 'b' })]
    expect(moveBlock(blocks, 1, -1).map((b) => b.key)).toEqual([blocks[1].key, blocks[0].key])
    expect(moveBlock(blocks, 0, -1).map((b) => b.key)).toEqual([blocks[0].key, blocks[1].key])
  })

  it('opens the publish-time picker at the next whole minute', () => {
    expect(nextWholeMinute(new Date(2026, 11, 1, 9, 59, 30, 500))).toEqual(new Date(2026, 11, 1, 10, 0, 0, 0))
  })
})
