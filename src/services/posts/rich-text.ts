/**
 * A post's body: the editor's list of blocks, and the Taro RichText nodes stored in posts.body_doc.
 *
 * Staff never type HTML. The editor keeps a list of blocks (heading, paragraph, list, image, link); a
 * paragraph or list item may mark **bold** text and links ([文字](https://…) or a bare https:// address).
 * `blocksToNodes` turns the blocks into the only nodes the database keeps (h2, h3, p, ul, ol, li, strong,
 * a, img, br and text), `nodesToBlocks` turns stored nodes back into blocks to edit a post again.
 *
 * The database sanitizes body_doc on every write by an allow-list (it never trusts this code); what is
 * built here is already inside that list, so nothing a person wrote is dropped on save.
 *
 * Pure: no Taro, no network; tested in tests/unit/rich-text.test.ts.
 */

export interface RichTextTextNode {
  type: 'text'
  text: string
}

export interface RichTextElementNode {
  name: string
  attrs?: Record<string, string>
  children?: RichTextNode[]
}

/** One node of Taro's RichText `nodes` (the same shape as the mini-program's rich-text). */
export type RichTextNode = RichTextTextNode | RichTextElementNode

export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'image'; src: string }
  | { kind: 'link'; text: string; href: string }

export type BlockKind = Block['kind']

/** The longest body the editor sends (the database caps body_doc as well). */
export const MAX_BODY_CHARS = 20_000

const URL_PATTERN = /^https?:\/\/[^\s<>"'`]+$/i

/** Whether an address may be a link in a post: http or https only (never javascript:, data:, …). */
export function isSafeHref(href: string): boolean {
  return URL_PATTERN.test(href.trim())
}

function text(value: string): RichTextTextNode {
  return { type: 'text', text: value }
}

function isText(node: RichTextNode): node is RichTextTextNode {
  return (node as RichTextTextNode).type === 'text'
}

/**
 * Inline marks of one line of text: **bold**, [文字](https://…) and bare http(s) addresses. Anything that
 * does not parse as a mark stays literal text (an unclosed ** is shown as typed).
 */
export function parseInline(source: string): RichTextNode[] {
  const nodes: RichTextNode[] = []
  // Order matters: a [text](url) link first, then **bold**, then a bare address.
  const pattern = /\[([^\]\n]+)\]\((https?:\/\/[^\s)<>"'`]+)\)|\*\*([^*\n]+?)\*\*|(https?:\/\/[^\s<>"'`，。；！？、）)]+)/gi
  let last = 0
  for (const match of source.matchAll(pattern)) {
    const index = match.index ?? 0
    if (index > last) nodes.push(text(source.slice(last, index)))
    const [whole, linkText, linkHref, bold, bare] = match
    if (linkText !== undefined && linkHref !== undefined) {
      nodes.push({ name: 'a', attrs: { href: linkHref }, children: [text(linkText)] })
    } else if (bold !== undefined) {
      nodes.push({ name: 'strong', children: parseInline(bold) })
    } else if (bare !== undefined) {
      nodes.push({ name: 'a', attrs: { href: bare }, children: [text(bare)] })
    } else {
      nodes.push(text(whole))
    }
    last = index + whole.length
  }
  if (last < source.length) nodes.push(text(source.slice(last)))
  return nodes
}

/** The inline nodes of a line back as the editor's text (the inverse of parseInline). */
export function inlineToSource(nodes: readonly RichTextNode[] | undefined): string {
  let out = ''
  for (const node of nodes ?? []) {
    if (isText(node)) {
      out += node.text
      continue
    }
    switch (node.name) {
      case 'strong':
      case 'b':
        out += `**${inlineToSource(node.children)}**`
        break
      case 'a': {
        const href = node.attrs?.href ?? ''
        const label = inlineToSource(node.children)
        out += !isSafeHref(href) ? label : label === href ? href : `[${label}](${href})`
        break
      }
      case 'br':
        out += '\n'
        break
      default:
        // em and anything else the database kept: its text, without the mark.
        out += inlineToSource(node.children)
    }
  }
  return out
}

/** Paragraph text may hold several lines; each becomes its line in the same paragraph. */
function lines(source: string): RichTextNode[] {
  const parts = source.split('\n')
  const nodes: RichTextNode[] = []
  parts.forEach((part, i) => {
    if (i > 0) nodes.push({ name: 'br' })
    nodes.push(...parseInline(part))
  })
  return nodes
}

/** Whether a block has nothing in it and can be left out of the body. */
export function isEmptyBlock(block: Block): boolean {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return block.text.trim() === ''
    case 'list':
      return block.items.every((item) => item.trim() === '')
    case 'image':
      return block.src.trim() === ''
    case 'link':
      return block.href.trim() === ''
  }
}

/** The stored form of a body. Empty blocks are left out. */
export function blocksToNodes(blocks: readonly Block[]): RichTextNode[] {
  const nodes: RichTextNode[] = []
  for (const block of blocks) {
    if (isEmptyBlock(block)) continue
    switch (block.kind) {
      case 'heading':
        nodes.push({ name: `h${block.level}`, children: [text(block.text.trim())] })
        break
      case 'paragraph':
        nodes.push({ name: 'p', children: lines(block.text.trim()) })
        break
      case 'list':
        nodes.push({
          name: block.ordered ? 'ol' : 'ul',
          children: block.items.filter((item) => item.trim() !== '').map((item) => ({ name: 'li', children: parseInline(item.trim()) })),
        })
        break
      case 'image':
        nodes.push({ name: 'img', attrs: { src: block.src.trim() } })
        break
      case 'link': {
        const href = block.href.trim()
        const label = block.text.trim() || href
        nodes.push({ name: 'p', children: [{ name: 'a', attrs: { href }, children: [text(label)] }] })
        break
      }
    }
  }
  return nodes
}

/** Stored nodes back as blocks for the editor. Nodes outside the allow-list give their text as a paragraph. */
export function nodesToBlocks(nodes: readonly RichTextNode[] | null | undefined): Block[] {
  const blocks: Block[] = []
  for (const node of nodes ?? []) {
    if (isText(node)) {
      if (node.text.trim() !== '') blocks.push({ kind: 'paragraph', text: node.text })
      continue
    }
    switch (node.name) {
      case 'h2':
      case 'h3':
        blocks.push({ kind: 'heading', level: node.name === 'h2' ? 2 : 3, text: plainText(node.children) })
        break
      case 'ul':
      case 'ol':
        blocks.push({
          kind: 'list',
          ordered: node.name === 'ol',
          items: (node.children ?? []).filter((c): c is RichTextElementNode => !isText(c) && c.name === 'li').map((li) => inlineToSource(li.children)),
        })
        break
      case 'img':
        blocks.push({ kind: 'image', src: node.attrs?.src ?? '' })
        break
      case 'p': {
        const children = node.children ?? []
        const only = children.length === 1 ? children[0] : null
        if (only && !isText(only) && only.name === 'a' && isSafeHref(only.attrs?.href ?? '')) {
          blocks.push({ kind: 'link', text: plainText(only.children), href: only.attrs?.href ?? '' })
        } else {
          blocks.push({ kind: 'paragraph', text: inlineToSource(children) })
        }
        break
      }
      default: {
        const value = inlineToSource(node.children)
        if (value.trim() !== '') blocks.push({ kind: 'paragraph', text: value })
      }
    }
  }
  return blocks
}

/** The text of nodes without any marks (for search excerpts and share titles). */
export function plainText(nodes: readonly RichTextNode[] | null | undefined): string {
  let out = ''
  for (const node of nodes ?? []) {
    if (isText(node)) out += node.text
    else if (node.name === 'br') out += '\n'
    else {
      const inner = plainText(node.children)
      out += ['p', 'h2', 'h3', 'li', 'ul', 'ol'].includes(node.name) ? `${inner}\n` : inner
    }
  }
  return out.replace(/\n{3,}/g, '\n\n')
}

/** The size of the stored form of a body (its JSON), to warn before the database refuses it. */
export function bodyLength(blocks: readonly Block[]): number {
  return JSON.stringify(blocksToNodes(blocks)).length
}

/** Whether stored JSON looks like RichText nodes (body_doc arrives as untyped JSON). */
export function asNodes(value: unknown): RichTextNode[] {
  if (!Array.isArray(value)) return []
  return value.filter((node): node is RichTextNode => {
    if (typeof node !== 'object' || node === null) return false
    const n = node as Record<string, unknown>
    return (n.type === 'text' && typeof n.text === 'string') || typeof n.name === 'string'
  })
}

/** Class names for the reader's styles (src/subpackages/posts/components/post-body), one per element kind. */
const DISPLAY_CLASS: Record<string, string> = {
  h2: 'rt-h2',
  h3: 'rt-h3',
  p: 'rt-p',
  ul: 'rt-ul',
  ol: 'rt-ol',
  li: 'rt-li',
  strong: 'rt-strong',
  b: 'rt-strong',
  em: 'rt-em',
  a: 'rt-a',
  img: 'rt-img',
}

/**
 * Inline styles for what the reader must never get wrong whatever the platform's style scoping (the
 * mini-program's rich-text does not always see page classes): images fit the screen.
 */
const DISPLAY_STYLE: Record<string, string> = {
  img: 'max-width:100%;height:auto;display:block;margin:12px 0;border-radius:8px;',
}

/** Where our own storage paths point: the database keeps images as `/storage/v1/object/public/post-covers/…`. */
export const STORAGE_PUBLIC_PATH = '/storage/v1/object/public/post-covers/'

export interface DisplayOptions {
  /** The Supabase URL the build talks to, put in front of our own storage paths. */
  origin?: string
}

/** An image's address as stored (our storage path) or as the editor had it (a full URL), for showing. */
export function imageSource(src: string, origin = ''): string | null {
  const value = src.trim()
  if (value.startsWith(STORAGE_PUBLIC_PATH)) return `${origin.replace(/\/+$/, '')}${value}`
  return isSafeHref(value) ? value : null
}

/**
 * Stored nodes ready for RichText: our class names and the image style added (the stored form carries
 * neither; the database drops class and style attributes), our storage paths made full addresses. Only
 * allowed names are passed on.
 */
export function nodesForDisplay(nodes: readonly RichTextNode[] | null | undefined, options: DisplayOptions = {}): RichTextNode[] {
  const out: RichTextNode[] = []
  for (const node of nodes ?? []) {
    if (isText(node)) {
      out.push({ type: 'text', text: node.text })
      continue
    }
    if (node.name === 'br') {
      out.push({ name: 'br' })
      continue
    }
    const className = DISPLAY_CLASS[node.name]
    if (!className) {
      // Unknown to the reader: keep its text only.
      out.push(...nodesForDisplay(node.children, options))
      continue
    }
    const attrs: Record<string, string> = { class: className }
    if (node.name === 'a') {
      const href = node.attrs?.href ?? ''
      if (!isSafeHref(href)) {
        out.push(...nodesForDisplay(node.children, options))
        continue
      }
      attrs.href = href
      // H5: a link opens beside the app, never in its place, and gets no handle on the app's window.
      attrs.target = '_blank'
      attrs.rel = 'noopener noreferrer'
    }
    if (node.name === 'img') {
      const src = imageSource(node.attrs?.src ?? '', options.origin)
      if (!src) continue
      attrs.src = src
    }
    if (DISPLAY_STYLE[node.name]) attrs.style = DISPLAY_STYLE[node.name]
    out.push(node.name === 'img' ? { name: 'img', attrs } : { name: node.name, attrs, children: nodesForDisplay(node.children, options) })
  }
  return out
}

/** The links of a body, in order, once each: the mini-program's rich-text cannot open them, so the page lists them to copy. */
export function collectLinks(nodes: readonly RichTextNode[] | null | undefined): { text: string; href: string }[] {
  const out: { text: string; href: string }[] = []
  const walk = (list: readonly RichTextNode[] | undefined) => {
    for (const node of list ?? []) {
      if (isText(node)) continue
      const href = node.attrs?.href ?? ''
      if (node.name === 'a' && isSafeHref(href)) {
        if (!out.some((link) => link.href === href)) out.push({ text: plainText(node.children).trim() || href, href })
      } else {
        walk(node.children)
      }
    }
  }
  walk(nodes ?? undefined)
  return out
}
