/**
 * What the elder-friendly audit measures on the page that is showing, from computed styles and element
 * boxes (never pixels): `measureShownPage` runs inside the browser (page.evaluate) and answers every miss
 * against the numbers of the MIIT design rules for apps (适老化), plus the smallest values it saw.
 *
 *   text size       ≥ 18 px in large-text mode (≥ 12 px otherwise), at a 375 px wide screen, for the
 *                   text in fields too
 *   line height     ≥ 1.3 × the text size
 *   contrast        ≥ 4.5 : 1 between the text colour and the background behind it (3 : 1 from 18 px),
 *                   the background being the nearest opaque one (semi-transparent layers and gradients
 *                   composed over it; a gradient counts by its worst colour); disabled controls exempt
 *   tap targets     ≥ 44 × 44 px for every control; ≥ 60 × 60 px in large-text mode for main buttons
 *                   (large or full-width), list rows (tappable cells) and the tab bar's items
 *   clipped         no text cut by an ancestor that hides overflow, by an ellipsis or a line clamp, or
 *                   by the screen's edge
 *   covered         no text or control that stays under something else (the tab bar, a fixed bar, an
 *                   overlay): at some scroll position of the page, the element at the centre of its box
 *                   is its own element (or inside it)
 *   overlapping     no two texts whose boxes (the em box of each line) intersect
 *
 * The function must stay self-contained: Playwright sends its source to the page.
 */

export interface MeasureOptions {
  /** Large-text mode is on: the 18 px and 60 × 60 px rules apply. */
  large: boolean
}

export interface Miss {
  rule: 'text-size' | 'line-height' | 'contrast' | 'tap-target' | 'clipped' | 'covered' | 'overlap'
  /** What was measured, in words, e.g. `16.9px < 18px`. */
  detail: string
  /** The text (first characters) or the control's label. */
  what: string
  /** A short selector-like path of the element. */
  where: string
}

export interface Measured {
  misses: Miss[]
  /** The smallest values seen on the page (null when there was nothing of that kind). */
  smallest: {
    textSize: number | null
    lineHeight: number | null
    contrast: number | null
    /** The smallest side of any control's box. */
    target: number | null
    /** The smallest side of a main button's, list row's or tab's box. */
    mainTarget: number | null
  }
  texts: number
  targets: number
}

/** Runs in the page. */
export async function measureShownPage(options: MeasureOptions): Promise<Measured> {
  const { large } = options
  const MIN_TEXT = large ? 18 : 12
  const MIN_LINE = 1.3
  const MIN_TARGET = 44
  const MIN_MAIN_TARGET = large ? 60 : 44
  const misses: Miss[] = []
  const smallest: Measured['smallest'] = { textSize: null, lineHeight: null, contrast: null, target: null, mainTarget: null }
  const least = (key: keyof Measured['smallest'], value: number) => {
    const current = smallest[key]
    if (current === null || value < current) smallest[key] = Math.round(value * 100) / 100
  }

  type Rgba = [number, number, number, number]
  type Box = { left: number; top: number; right: number; bottom: number }

  const describe = (el: Element): string => {
    const parts: string[] = []
    let node: Element | null = el
    while (node && parts.length < 3 && node !== document.body) {
      const cls = [...node.classList].filter((c) => !/^(taro|weui-bar__item_on|hydrated)/.test(c)).slice(0, 2)
      parts.unshift(`${node.tagName.toLowerCase().replace(/-core$/, '')}${cls.length ? '.' + cls.join('.') : ''}`)
      if (node.classList.contains('taro_page')) break
      node = node.parentElement
    }
    return parts.join(' > ')
  }
  const clip = (text: string) => {
    const t = text.replace(/\s+/g, ' ').trim()
    return t.length > 24 ? `${t.slice(0, 24)}…` : t
  }

  const visible = (el: Element): boolean => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      const cs = getComputedStyle(node)
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.visibility === 'collapse' || Number(cs.opacity) === 0) return false
    }
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0
  }

  /** The page that shows (Taro's router keeps others in the DOM, hidden), plus what is fixed outside it (the tab bar). */
  const shownPages = [...document.querySelectorAll('.taro_page')].filter((p) => getComputedStyle(p).display !== 'none' && !p.classList.contains('taro_page_shade'))
  const tabBar = document.querySelector('.weui-tabbar')
  const roots: Element[] = [...shownPages, ...(tabBar && visible(tabBar) ? [tabBar] : [])]

  // ── colours ──────────────────────────────────────────────────────────────────────────────────────
  const parseColor = (value: string): Rgba | null => {
    const m = value.match(/rgba?\(([^)]+)\)/)
    if (!m) return null
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number)
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1]
  }
  const colorsIn = (value: string): Rgba[] => (value.match(/rgba?\([^)]+\)/g) ?? []).map((c) => parseColor(c)).filter((c): c is Rgba => c !== null)
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3]
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1]
  }
  const luminance = (c: Rgba) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const ratio = (a: Rgba, b: Rgba) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
    return (l1 + 0.05) / (l2 + 0.05)
  }
  /** The backgrounds behind an element: its own and its ancestors' layers down to the first opaque one, composed. */
  const backgroundsBehind = (el: Element): Rgba[] => {
    const layers: Rgba[][] = []
    for (let node: Element | null = el; node; node = node.parentElement) {
      const cs = getComputedStyle(node)
      const gradient = cs.backgroundImage !== 'none' ? colorsIn(cs.backgroundImage) : []
      const color = parseColor(cs.backgroundColor)
      const alternatives: Rgba[] = gradient.length ? gradient : color && color[3] > 0 ? [color] : []
      if (alternatives.length) {
        layers.push(alternatives)
        if (alternatives.every((c) => c[3] >= 1)) break
      }
    }
    let results: Rgba[] = [[255, 255, 255, 1]]
    for (const layer of layers.reverse()) results = layer.flatMap((c) => results.map((below) => over(c, below)))
    return results
  }
  const opacityOf = (el: Element) => {
    let opacity = 1
    for (let node: Element | null = el; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity)
    return opacity
  }
  const disabled = (el: Element) =>
    !!el.closest('[disabled], [aria-disabled="true"], .nut-button-disabled, .nut-checkbox-label-disabled, .nut-input-disabled')

  // ── what clips and what scrolls ─────────────────────────────────────────────────────────────────
  /** The part of the screen through which an element can be seen: the window cut by every ancestor that clips. */
  const viewBox = (el: Element): Box => {
    const box: Box = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight }
    for (let node = el.parentElement; node; node = node.parentElement) {
      const cs = getComputedStyle(node)
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue
      const r = node.getBoundingClientRect()
      const bl = parseFloat(cs.borderLeftWidth) || 0
      const bt = parseFloat(cs.borderTopWidth) || 0
      if (cs.overflowX !== 'visible') {
        box.left = Math.max(box.left, r.left + bl)
        box.right = Math.min(box.right, r.left + bl + node.clientWidth)
      }
      if (cs.overflowY !== 'visible') {
        box.top = Math.max(box.top, r.top + bt)
        box.bottom = Math.min(box.bottom, r.top + bt + node.clientHeight)
      }
    }
    return box
  }
  /** Clipped for good: cut by an ancestor that hides overflow (not one that scrolls), or by the screen's sides. */
  const clippedBy = (el: Element, rect: Box): string | null => {
    // Inside something that scrolls, what lies beyond its edge is scrolled away, not cut: from there up,
    // that direction no longer counts.
    let scrollsX = false
    let scrollsY = false
    for (let node = el.parentElement; node; node = node.parentElement) {
      const cs = getComputedStyle(node)
      const r = node.getBoundingClientRect()
      const hideX = !scrollsX && (cs.overflowX === 'hidden' || cs.overflowX === 'clip')
      const hideY = !scrollsY && (cs.overflowY === 'hidden' || cs.overflowY === 'clip')
      scrollsX ||= /(auto|scroll)/.test(cs.overflowX)
      scrollsY ||= /(auto|scroll)/.test(cs.overflowY)
      if (!hideX && !hideY) continue
      const left = r.left + (parseFloat(cs.borderLeftWidth) || 0)
      const top = r.top + (parseFloat(cs.borderTopWidth) || 0)
      const right = left + node.clientWidth
      const bottom = top + node.clientHeight
      const outsideEntirely = (hideX && (rect.right <= left || rect.left >= right)) || (hideY && (rect.bottom <= top || rect.top >= bottom))
      if (outsideEntirely) return null // hidden on purpose (e.g. the pull-to-refresh indicator above the page)
      if (hideX && (rect.left < left - 1 || rect.right > right + 1)) return `cut at the side by ${describe(node)}`
      if (hideY && (rect.top < top - 1 || rect.bottom > bottom + 1)) return `cut at the top or bottom by ${describe(node)}`
    }
    if (!scrollsX && (rect.left < -1 || rect.right > window.innerWidth + 1)) return 'runs off the side of the screen'
    return null
  }

  // ── texts ───────────────────────────────────────────────────────────────────────────────────────
  interface TextItem {
    el: Element
    node: Text
    text: string
    size: number
    rects: Box[]
  }
  const texts: TextItem[] = []
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const text = node.data.trim()
      const el = node.parentElement
      if (!text || !el || /^(STYLE|SCRIPT|NOSCRIPT)$/.test(el.tagName) || !visible(el)) continue
      const range = document.createRange()
      range.selectNodeContents(node)
      const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5).map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }))
      if (!rects.length) continue
      texts.push({ el, node, text, size: parseFloat(getComputedStyle(el).fontSize), rects })
    }
  }

  // What is typed into a field is text too (not a text node): its size and colour count, its box is the field's.
  const fields = roots
    .flatMap((root) => [...root.querySelectorAll('input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea')])
    .filter((el) => visible(el))
  for (const field of fields) {
    const value = (field as HTMLInputElement).value || (field as HTMLInputElement).placeholder || ''
    const cs = getComputedStyle(field)
    const size = parseFloat(cs.fontSize)
    least('textSize', size)
    if (size < MIN_TEXT - 0.05) misses.push({ rule: 'text-size', detail: `${size.toFixed(1)}px < ${MIN_TEXT}px (typed text)`, what: clip(value) || '(empty field)', where: describe(field) })
  }

  for (const item of texts) {
    const cs = getComputedStyle(item.el)
    const where = describe(item.el)
    const what = clip(item.text)
    least('textSize', item.size)
    if (item.size < MIN_TEXT - 0.05) misses.push({ rule: 'text-size', detail: `${item.size.toFixed(1)}px < ${MIN_TEXT}px`, what, where })

    const lineHeight = cs.lineHeight === 'normal' ? Math.max(...item.rects.map((r) => r.bottom - r.top)) : parseFloat(cs.lineHeight)
    const lineRatio = lineHeight / item.size
    least('lineHeight', lineRatio)
    if (lineRatio < MIN_LINE - 0.005) misses.push({ rule: 'line-height', detail: `${lineRatio.toFixed(2)} < ${MIN_LINE}`, what, where })

    if (!disabled(item.el)) {
      const fg = parseColor(cs.color) ?? [0, 0, 0, 1]
      const alpha = fg[3] * opacityOf(item.el)
      const worst = Math.min(...backgroundsBehind(item.el).map((bg) => ratio(over([fg[0], fg[1], fg[2], alpha], bg), bg)))
      const needed = item.size >= 18 ? 3 : 4.5
      least('contrast', worst)
      if (worst < needed - 0.005) misses.push({ rule: 'contrast', detail: `${worst.toFixed(2)} : 1 < ${needed} : 1 (${cs.color} on ${backgroundsBehind(item.el).map((c) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`).join(' / ')})`, what, where })
    }

    for (const rect of item.rects) {
      const cut = clippedBy(item.el, rect)
      if (cut) {
        misses.push({ rule: 'clipped', detail: cut, what, where })
        break
      }
    }
    const truncating = (el: Element) => {
      const s = getComputedStyle(el)
      const clamps = s.webkitLineClamp !== 'none' && s.webkitLineClamp !== '' && el.scrollHeight > el.clientHeight + 1
      const ellipsis = s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1
      return clamps || ellipsis
    }
    if (truncating(item.el)) misses.push({ rule: 'clipped', detail: 'cut short by an ellipsis or a line clamp', what, where })
  }

  // ── tap targets ─────────────────────────────────────────────────────────────────────────────────
  const CONTROLS = [
    'button',
    'a[href]',
    'input:not([type="hidden"])',
    'textarea',
    'select',
    '[role="button"]',
    '[role="link"]',
    '[role="switch"]',
    '[role="checkbox"]',
    '[role="radio"]',
    '[role="tab"]',
    '.nut-button',
    '.nut-cell-clickable',
    '.nut-switch',
    '.nut-checkbox',
    '.nut-radio',
    '.weui-tabbar__item',
  ].join(', ')
  const MAIN = '.nut-button-large, .nut-button-block, .nut-cell-clickable, .weui-tabbar__item'
  const controls = roots.flatMap((root) => [...root.querySelectorAll(CONTROLS)]).filter((el) => visible(el))
  // A control inside another control is the same tap (a NutUI button's inner <button>, a checkbox's input).
  const outermost = controls.filter((el) => !controls.some((other) => other !== el && other.contains(el)))
  for (const el of outermost) {
    const r = el.getBoundingClientRect()
    const main = el.matches(MAIN)
    const need = main ? MIN_MAIN_TARGET : MIN_TARGET
    const side = Math.min(r.width, r.height)
    least('target', side)
    if (main) least('mainTarget', side)
    if (r.width < need - 0.5 || r.height < need - 0.5) {
      const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? ''
      misses.push({
        rule: 'tap-target',
        detail: `${r.width.toFixed(0)} × ${r.height.toFixed(0)} px < ${need} × ${need} px${main ? ' (main button or list row)' : ''}`,
        what: clip(label) || '(no label)',
        where: describe(el),
      })
    }
  }

  // ── covered, at every scroll position of the page ───────────────────────────────────────────────
  const scrollers = shownPages.flatMap((p) => [p, ...p.querySelectorAll('*')]).filter((el) => {
    const cs = getComputedStyle(el)
    return /(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1
  })
  // Covered means never seen: a text or control under something else at every scroll position where it
  // is in view (content that scrolls behind a fixed bar and out again is fine; the last lines under the
  // tab bar, or a top line under a bar the page leaves no room for, are not).
  const sightings = new Map<string, { clear: boolean; miss: Miss }>()
  const checkCovered = () => {
    const probe = (el: Element, box: Box, what: string, line = 0) => {
      const view = viewBox(el)
      // Only what the page's clipping lets through entirely (the rest is scrolled away, not covered).
      if (box.left < view.left - 1 || box.right > view.right + 1 || box.top < view.top - 1 || box.bottom > view.bottom + 1) return
      const hit = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2)
      const clear = !hit || hit === el || el.contains(hit) || hit.contains(el)
      const key = `${describe(el)}|${what}|${line}`
      const seen = sightings.get(key)
      if (seen) seen.clear ||= clear
      else sightings.set(key, { clear, miss: { rule: 'covered', detail: `under ${hit ? describe(hit) : '?'}`, what: clip(what), where: describe(el) } })
    }
    for (const item of texts) item.rects.forEach((rect, line) => probe(item.el, rect, item.text, line))
    for (const el of outermost) {
      const r = el.getBoundingClientRect()
      probe(el, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }, el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '')
    }
  }
  const wait = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
  const scroller = scrollers[0] as HTMLElement | undefined
  if (scroller) {
    const start = scroller.scrollTop
    const step = Math.max(100, scroller.clientHeight - 80)
    for (let top = 0; ; top += step) {
      scroller.scrollTop = Math.min(top, scroller.scrollHeight - scroller.clientHeight)
      await wait()
      // Boxes move with the scroll: measure them again.
      for (const item of texts) {
        const range = document.createRange()
        range.selectNodeContents(item.node)
        item.rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5).map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }))
      }
      checkCovered()
      if (top >= scroller.scrollHeight - scroller.clientHeight) break
    }
    scroller.scrollTop = start
    await wait()
  } else {
    checkCovered()
  }
  for (const { clear, miss } of sightings.values()) if (!clear) misses.push(miss)

  // ── texts overlapping texts (the em box of each line, where it can be seen) ─────────────────────
  const boxes = texts.flatMap((item, index) => {
    const range = document.createRange()
    range.selectNodeContents(item.node)
    const view = viewBox(item.el)
    return [...range.getClientRects()]
      .filter((r) => r.width > 0.5 && r.height > 0.5)
      .map((r) => {
        const middle = (r.top + r.bottom) / 2
        return { index, left: Math.max(r.left, view.left), right: Math.min(r.right, view.right), top: Math.max(middle - item.size / 2, view.top), bottom: Math.min(middle + item.size / 2, view.bottom) }
      })
      .filter((b) => b.right - b.left > 1 && b.bottom - b.top > 1)
  })
  const overlapping = new Set<string>()
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]
      const b = boxes[j]
      if (a.index === b.index) continue
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
      if (w <= 1 || h <= 1) continue
      const key = `${a.index}|${b.index}`
      if (overlapping.has(key)) continue
      overlapping.add(key)
      const A = texts[a.index]
      const B = texts[b.index]
      misses.push({ rule: 'overlap', detail: `${w.toFixed(0)} × ${h.toFixed(0)} px shared with “${clip(B.text)}” (${describe(B.el)})`, what: clip(A.text), where: describe(A.el) })
    }
  }

  return { misses, smallest, texts: texts.length, targets: outermost.length }
}
