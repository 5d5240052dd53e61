/**
 * The editor's form: what staff type (strings, a list of blocks), checked in Chinese before anything is
 * sent, and turned into what save_post takes. The database checks all of it again and sanitizes the
 * body; these checks only save a round trip and say which field is wrong. Pure; tested in
 * tests/unit/editor-form.test.ts.
 */
import type { PostKind } from '../../constants/post-kinds'
import type { Json } from '../supabase/database.types'
import { asNodes, blocksToNodes, isEmptyBlock, isSafeHref, nodesToBlocks, type Block } from './rich-text'
import type { PostDraft } from './save-post'

export const EDITOR_LIMITS = {
  titleMax: 80,
  summaryMax: 200,
  tagsMax: 8,
  tagMax: 10,
  issuerMax: 60,
  docNumberMax: 60,
  skillsMax: 200,
  contactMax: 100,
  /** The database refuses bodies whose plain text is longer. */
  bodyTextMax: 20000,
} as const

/** A block with a key that survives moving it up and down. */
export interface BlockItem {
  key: string
  block: Block
}

export interface EditorForm {
  kind: PostKind
  title: string
  summary: string
  blocks: BlockItem[]
  tags: string[]
  region: string
  coverPath: string | null
  issuer: string
  docNumber: string
  effectiveFrom: string
  effectiveTo: string
  investmentMin: string
  investmentMax: string
  skills: string
  contact: string
}

export type EditorField = keyof EditorForm
export type EditorErrors = Partial<Record<EditorField, string>>

let nextKey = 0
export function blockItem(block: Block): BlockItem {
  nextKey += 1
  return { key: `b${nextKey}`, block }
}

export function emptyEditorForm(kind: PostKind = 'policy'): EditorForm {
  return {
    kind,
    title: '',
    summary: '',
    blocks: [blockItem({ kind: 'paragraph', text: '' })],
    tags: [],
    region: '全市',
    coverPath: null,
    issuer: '',
    docNumber: '',
    effectiveFrom: '',
    effectiveTo: '',
    investmentMin: '',
    investmentMax: '',
    skills: '',
    contact: '',
  }
}

/** The stored post's columns the form needs. */
export interface StoredPostFields {
  kind: PostKind
  title: string
  summary: string
  body_doc: Json
  tags: string[]
  region: string
  cover_path: string | null
  issuer: string | null
  doc_number: string | null
  effective_from: string | null
  effective_to: string | null
  investment_min: number | null
  investment_max: number | null
  skills: string | null
  contact: string | null
}

export function formFromPost(post: StoredPostFields): EditorForm {
  const blocks = nodesToBlocks(asNodes(post.body_doc)).map(blockItem)
  return {
    kind: post.kind,
    title: post.title,
    summary: post.summary,
    blocks: blocks.length > 0 ? blocks : [blockItem({ kind: 'paragraph', text: '' })],
    tags: [...post.tags],
    region: post.region,
    coverPath: post.cover_path,
    issuer: post.issuer ?? '',
    docNumber: post.doc_number ?? '',
    effectiveFrom: post.effective_from ?? '',
    effectiveTo: post.effective_to ?? '',
    investmentMin: post.investment_min === null ? '' : String(post.investment_min),
    investmentMax: post.investment_max === null ? '' : String(post.investment_max),
    skills: post.skills ?? '',
    contact: post.contact ?? '',
  }
}

const TAG_PATTERN = /^[^\s,，;；#]{1,10}$/
const REGION_PATTERN = /^[\u4e00-\u9fa5]{1,12}(区|县|市)([\u4e00-\u9fa50-9]{1,20}(街道|镇|乡))?$/

/** A tag as typed, cleaned ('#补贴 ' → '补贴'), or null when it cannot be one. */
export function cleanTag(value: string): string | null {
  const tag = value.trim().replace(/^#+/, '')
  return TAG_PATTERN.test(tag) ? tag : null
}

/** Whether a region is one the database takes: 全市, a district (四方区) or a street (四方区兴隆路街道). */
export function isValidRegion(region: string): boolean {
  const value = region.trim()
  return value === '全市' || REGION_PATTERN.test(value)
}

/** The district part of a person's street (四方区兴隆路街道 → 四方区), or null. */
export function districtOf(street: string | null | undefined): string | null {
  const match = street?.trim().match(/^(.+?(区|县|市))/)
  return match ? match[1] : null
}

function parseYuan(value: string): number | null | undefined {
  const text = value.trim().replace(/,/g, '')
  if (text === '') return null
  if (!/^\d{1,9}$/.test(text)) return undefined
  return Number(text)
}

/**
 * What is wrong with the form, by field, in Chinese; empty when it can be sent. `forPublishing` adds what
 * a post needs before people see it (a summary or a body).
 */
export function validateEditorForm(form: EditorForm, forPublishing = false): EditorErrors {
  const errors: EditorErrors = {}
  const title = form.title.trim()
  if (title === '') errors.title = '请填写标题'
  else if (title.length > EDITOR_LIMITS.titleMax) errors.title = `标题最多${EDITOR_LIMITS.titleMax}个字`
  if (form.summary.trim().length > EDITOR_LIMITS.summaryMax) errors.summary = `摘要最多${EDITOR_LIMITS.summaryMax}个字`
  const body = form.blocks.filter((item) => !isEmptyBlock(item.block))
  if (forPublishing && form.summary.trim() === '' && body.length === 0) errors.summary = '发布前请填写摘要或正文'
  const badLink = body.find((item) => item.block.kind === 'link' && !isSafeHref(item.block.href))
  if (badLink) errors.blocks = '链接的网址应以 http:// 或 https:// 开头'
  if (form.tags.length > EDITOR_LIMITS.tagsMax) errors.tags = `标签最多${EDITOR_LIMITS.tagsMax}个`
  else if (form.tags.some((tag) => cleanTag(tag) !== tag)) errors.tags = '每个标签为1到10个字，不含空格、逗号和#'
  if (!isValidRegion(form.region)) errors.region = '地区应为“全市”、一个区（如四方区）或一个街道（如四方区兴隆路街道）'
  if (form.issuer.trim().length > EDITOR_LIMITS.issuerMax) errors.issuer = `发文机关最多${EDITOR_LIMITS.issuerMax}个字`
  if (form.docNumber.trim().length > EDITOR_LIMITS.docNumberMax) errors.docNumber = `文号最多${EDITOR_LIMITS.docNumberMax}个字`
  if (form.effectiveFrom && form.effectiveTo && form.effectiveTo < form.effectiveFrom) errors.effectiveTo = '失效日期不能早于生效日期'
  const min = parseYuan(form.investmentMin)
  const max = parseYuan(form.investmentMax)
  if (min === undefined) errors.investmentMin = '请填写整数金额（元），如 30000'
  if (max === undefined) errors.investmentMax = '请填写整数金额（元），如 50000'
  if (typeof min === 'number' && typeof max === 'number' && min > max) errors.investmentMax = '投资上限不能低于下限'
  if (form.skills.trim().length > EDITOR_LIMITS.skillsMax) errors.skills = `所需技能最多${EDITOR_LIMITS.skillsMax}个字`
  if (form.contact.trim().length > EDITOR_LIMITS.contactMax) errors.contact = `联系方式最多${EDITOR_LIMITS.contactMax}个字`
  return errors
}

function orNull(value: string): string | null {
  const text = value.trim()
  return text === '' ? null : text
}

/**
 * What save_post takes. Fields of another kind are sent empty (a policy has no investment range), so
 * changing a post's kind leaves nothing of the old kind behind.
 */
export function draftFromForm(form: EditorForm, id?: string | null): PostDraft {
  const policy = form.kind === 'policy'
  const project = form.kind === 'project'
  return {
    ...(id ? { id } : {}),
    kind: form.kind,
    title: form.title.trim(),
    summary: form.summary.trim(),
    body_doc: blocksToNodes(form.blocks.map((item) => item.block)),
    tags: form.tags,
    region: form.region.trim() || '全市',
    cover_path: form.coverPath,
    issuer: policy ? orNull(form.issuer) : null,
    doc_number: policy ? orNull(form.docNumber) : null,
    effective_from: policy ? orNull(form.effectiveFrom) : null,
    effective_to: policy ? orNull(form.effectiveTo) : null,
    investment_min: project ? (parseYuan(form.investmentMin) ?? null) : null,
    investment_max: project ? (parseYuan(form.investmentMax) ?? null) : null,
    skills: project ? orNull(form.skills) : null,
    contact: project ? orNull(form.contact) : null,
  }
}

/** Moves the block at `index` one place up (-1) or down (+1); the list as it was at an edge. */
export function moveBlock(blocks: readonly BlockItem[], index: number, by: -1 | 1): BlockItem[] {
  const to = index + by
  if (index < 0 || index >= blocks.length || to < 0 || to >= blocks.length) return [...blocks]
  const next = [...blocks]
  ;[next[index], next[to]] = [next[to], next[index]]
  return next
}

/** The publish time a picker opens at: the next whole minute (a person then moves it later). */
export function nextWholeMinute(now: Date = new Date()): Date {
  const next = new Date(now.getTime())
  next.setSeconds(0, 0)
  next.setMinutes(next.getMinutes() + 1)
  return next
}
