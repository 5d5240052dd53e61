#!/usr/bin/env node
/**
 * Draws the tab-bar icons (normal and selected) as PNGs into src/assets/tab-bar/, with Node's zlib and
 * no other dependency: simple shapes, 4×4 supersampled for smooth edges. WeChat wants each icon within
 * 40 KB and suggests 81×81 px; these are a few hundred bytes. Run again after changing a shape or a
 * colour (the colours match app.config.ts's tabBar). The selected icon is red and drawn with a bolder
 * stroke: the selected tab never depends on colour alone (适老化).
 */
import { writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 81
const SAMPLES = 4
const COLORS = { normal: [0x4a, 0x4f, 0x5c], selected: [0xd3, 0x2f, 0x2f] }
const outDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src', 'assets', 'tab-bar')

// Shapes in a 0..1 square; each returns whether a point is inked.
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const inRing = (x, y, cx, cy, r, w) => inCircle(x, y, cx, cy, r) && !inCircle(x, y, cx, cy, r - w)
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (!inRect(x, y, x0, y0, x1, y1)) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return inCircle(x, y, cx, cy, r)
}
const frame = (x, y, x0, y0, x1, y1, r, w) => inRoundRect(x, y, x0, y0, x1, y1, r) && !inRoundRect(x, y, x0 + w, y0 + w, x1 - w, y1 - w, Math.max(r - w, 0))
/** Stroke width; the selected icon is drawn bolder, so the selected tab is told by more than its colour. */
const STROKES = { normal: 0.07, selected: 0.11 }
let W = STROKES.normal

const SHAPES = {
  // 首页: a house — roof and walls with a door.
  home(x, y) {
    const roof = y >= 0.12 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.12) * 1.15 + 0.02 && !(y >= 0.12 + W * 1.6 && Math.abs(x - 0.5) <= (y - 0.12 - W * 1.6) * 1.15 - 0.02 && y < 0.5)
    const walls = frame(x, y, 0.22, 0.44, 0.78, 0.88, 0.03, W)
    const door = inRect(x, y, 0.43, 0.64, 0.57, 0.88)
    return roof || walls || door
  },
  // 创业群: a speech bubble with three dots.
  groups(x, y) {
    const bubble = frame(x, y, 0.1, 0.16, 0.9, 0.72, 0.14, W)
    const tail = y >= 0.68 && y <= 0.88 && x >= 0.26 && x <= 0.26 + (0.88 - y) * 1.1 && x <= 0.46
    const dots = [0.32, 0.5, 0.68].some((cx) => inCircle(x, y, cx, 0.44, 0.055))
    return bubble || tail || dots
  },
  // 申报: a form with lines and a tick.
  apply(x, y) {
    const sheet = frame(x, y, 0.18, 0.08, 0.82, 0.92, 0.06, W)
    const lines = [0.3, 0.45, 0.6].some((ly) => inRect(x, y, 0.32, ly - 0.03, 0.68, ly + 0.03))
    const tickA = Math.abs(y - (0.72 + (x - 0.34))) < 0.045 && x >= 0.34 && x <= 0.44
    const tickB = Math.abs(y - (0.82 - (x - 0.44) * 0.9)) < 0.045 && x >= 0.44 && x <= 0.66
    return sheet || lines || tickA || tickB
  },
  // 我的: a person — head and shoulders.
  me(x, y) {
    const head = inRing(x, y, 0.5, 0.32, 0.2, W)
    const shoulders = y <= 0.9 && inRing(x, y, 0.5, 0.98, 0.4, W) && y >= 0.58
    const base = inRect(x, y, 0.1, 0.9 - W, 0.9, 0.9) && inCircle(x, y, 0.5, 0.98, 0.4)
    return head || shoulders || base
  },
}

function crc32(buffer) {
  let crc = ~0
  for (const byte of buffer) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function png(shape, [r, g, b]) {
  const rows = []
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4)
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (shape((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE)) hits++
        }
      }
      row.set([r, g, b, Math.round((255 * hits) / SAMPLES ** 2)], 1 + px * 4)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

mkdirSync(outDir, { recursive: true })
for (const [name, shape] of Object.entries(SHAPES)) {
  for (const [state, color] of Object.entries(COLORS)) {
    W = STROKES[state]
    const file = path.join(outDir, state === 'normal' ? `${name}.png` : `${name}-active.png`)
    const data = png(shape, color)
    if (data.length > 40 * 1024) throw new Error(`${file} is ${data.length} bytes, over WeChat's 40 KB`)
    writeFileSync(file, data)
    console.log(`${path.relative(process.cwd(), file)} ${data.length} B`)
  }
}
