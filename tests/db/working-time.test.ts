/**
 * Working time as the question desk counts it (supabase/migrations/20261202150000_working_time.sql):
 * 09:00–17:30 Beijing time on working days, where working days follow China's 2026 calendar with its
 * adjusted weekend workdays (调休), kept in public.holidays, which admins (and only admins) edit.
 *
 * Times are written in Beijing time (+08:00) and compared as instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { personas, type Personas } from '../support/personas'

let be: TestBackend
let p: Personas

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})

/** `private.add_working_minutes(start, minutes)` as an ISO instant in Beijing time. */
async function add(start: string, minutes: number): Promise<string> {
  const r = await be.db.query(
    `select to_char(private.add_working_minutes($1::timestamptz, $2) at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS') as due`,
    [start, minutes],
  )
  return `${String(r.rows[0]!.due)}+08:00`
}

async function between(from: string, to: string): Promise<number> {
  const r = await be.db.query(`select private.working_minutes_between($1::timestamptz, $2::timestamptz) as m`, [from, to])
  return Number(r.rows[0]!.m)
}

async function isWorkingDay(day: string): Promise<boolean> {
  const r = await be.db.query(`select private.is_working_day($1::date) as w`, [day])
  return r.rows[0]!.w === true
}

describe('working days', () => {
  it('an ordinary Monday is a working day and an ordinary Saturday and Sunday are not', async () => {
    expect(await isWorkingDay('2026-03-02')).toBe(true)
    expect(await isWorkingDay('2026-03-07')).toBe(false)
    expect(await isWorkingDay('2026-03-08')).toBe(false)
  })

  it('official days off on weekdays are not working days (元旦, 春节, 劳动节, 国庆节)', async () => {
    for (const day of ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-23', '2026-05-04', '2026-05-05', '2026-10-07']) {
      expect(await isWorkingDay(day), day).toBe(false)
    }
  })

  it('the adjusted weekend workdays of 2026 are working days (调休)', async () => {
    for (const day of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(await isWorkingDay(day), day).toBe(true)
    }
  })

  it('the seeded calendar has the 2026 notice: 33 days off and 6 adjusted workdays', async () => {
    const r = await be.db.query(
      `select kind, count(*)::int as n from public.holidays where day between '2026-01-01' and '2026-12-31' group by kind order by kind`,
    )
    expect(r.rows).toEqual([{ kind: 'off', n: 33 }, { kind: 'work', n: 6 }])
  })
})

describe('add_working_minutes', () => {
  it('within one working day adds the minutes as they are', async () => {
    expect(await add('2026-03-03T10:00:00+08:00', 120)).toBe('2026-03-03T12:00:00+08:00')
  })

  it('a target that ends exactly at closing time is due at 17:30, not the next morning', async () => {
    expect(await add('2026-03-03T15:30:00+08:00', 120)).toBe('2026-03-03T17:30:00+08:00')
  })

  it('what does not fit before 17:30 carries over to 09:00 of the next working day, with no lunch break', async () => {
    // 16:45 + 120 min: 45 min today, 75 min tomorrow from 09:00 → 10:15 (no lunch-time pause)
    expect(await add('2026-03-03T16:45:00+08:00', 120)).toBe('2026-03-04T10:15:00+08:00')
    // A whole working day (510 min) from 12:00 spans 12:00–17:30 and 09:00–12:00
    expect(await add('2026-03-03T12:00:00+08:00', 510)).toBe('2026-03-04T12:00:00+08:00')
  })

  it('a question asked on Friday afternoon is due on Monday', async () => {
    expect(await add('2026-03-06T17:00:00+08:00', 120)).toBe('2026-03-09T10:30:00+08:00')
  })

  it('a start on a weekend counts from Monday 09:00', async () => {
    expect(await add('2026-03-07T11:00:00+08:00', 120)).toBe('2026-03-09T11:00:00+08:00')
    expect(await add('2026-03-08T23:59:00+08:00', 30)).toBe('2026-03-09T09:30:00+08:00')
  })

  it('a start before opening counts from 09:00 and a start after closing from the next morning', async () => {
    expect(await add('2026-03-03T06:30:00+08:00', 120)).toBe('2026-03-03T11:00:00+08:00')
    expect(await add('2026-03-03T21:00:00+08:00', 120)).toBe('2026-03-04T11:00:00+08:00')
  })

  it('the Spring Festival holiday is skipped: asked before it, due on the first working day after', async () => {
    // Fri 13 Feb 16:30 (1 h left), Sat 14 Feb is a 调休 workday (510 min), then 15–23 Feb off.
    expect(await add('2026-02-13T16:30:00+08:00', 60 + 510 + 30)).toBe('2026-02-24T09:30:00+08:00')
  })

  it('an adjusted Saturday workday (调休) has working time', async () => {
    // Friday 13 Feb 17:00 + 120 min: 30 min on Friday, then Saturday 14 Feb from 09:00
    expect(await add('2026-02-13T17:00:00+08:00', 120)).toBe('2026-02-14T10:30:00+08:00')
    // An adjusted Sunday workday, 20 Sep (the next weekday, Mon 21 Sep, is also working)
    expect(await add('2026-09-19T10:00:00+08:00', 60)).toBe('2026-09-20T10:00:00+08:00')
  })

  it('the National Day week is skipped, 9 October counts and 10 October (Saturday) is a workday', async () => {
    expect(await add('2026-09-30T17:00:00+08:00', 60)).toBe('2026-10-08T09:30:00+08:00')
    expect(await add('2026-10-09T17:00:00+08:00', 60)).toBe('2026-10-10T09:30:00+08:00')
  })

  it('a day off on a weekday is skipped (劳动节 4–5 May)', async () => {
    expect(await add('2026-04-30T17:00:00+08:00', 60)).toBe('2026-05-06T09:30:00+08:00')
  })

  it('the instant returned is the same in any session time zone', async () => {
    const r = await be.db.transaction(async (tx) => {
      await tx.query(`set local timezone = 'America/New_York'`)
      return tx.query(`select private.add_working_minutes('2026-03-03T16:45:00+08:00', 120) = '2026-03-04T10:15:00+08:00'::timestamptz as same`)
    })
    expect(r.rows[0]!.same).toBe(true)
  })

  it('zero minutes on a working day during hours is the start itself', async () => {
    expect(await add('2026-03-03T10:00:00+08:00', 0)).toBe('2026-03-03T10:00:00+08:00')
  })

  it('negative, missing or absurd minutes are refused with a Chinese message and 22023', async () => {
    for (const minutes of [-1, 60 * 24 * 366 + 1]) {
      await expect(be.db.query(`select private.add_working_minutes(now(), $1)`, [minutes])).rejects.toMatchObject({
        code: '22023',
        message: '工作时长应在0到527040分钟之间',
      })
    }
    await expect(be.db.query(`select private.add_working_minutes(now(), null)`)).rejects.toMatchObject({ code: '22023' })
  })
})

describe('working_minutes_between', () => {
  it('counts only working time between two moments', async () => {
    expect(await between('2026-03-03T10:00:00+08:00', '2026-03-03T12:00:00+08:00')).toBe(120)
    expect(await between('2026-03-06T17:00:00+08:00', '2026-03-09T10:30:00+08:00')).toBe(120)
    expect(await between('2026-02-13T16:30:00+08:00', '2026-02-24T09:30:00+08:00')).toBe(600)
  })

  it('is the inverse of add_working_minutes for a start within working time', async () => {
    for (const [start, minutes] of [['2026-03-03T16:45:00+08:00', 120], ['2026-09-30T11:00:00+08:00', 1000]] as const) {
      const due = await add(start, minutes)
      expect(await between(start, due)).toBe(minutes)
    }
  })

  it('is zero when the end is not after the start, and over a weekend only', async () => {
    expect(await between('2026-03-03T12:00:00+08:00', '2026-03-03T10:00:00+08:00')).toBe(0)
    expect(await between('2026-03-07T09:00:00+08:00', '2026-03-08T18:00:00+08:00')).toBe(0)
  })
})

describe('the calendar table', () => {
  it('a signed-in worker reads the calendar and anonymous visitors are refused', async () => {
    const worker = await p.workerA.from('holidays').select('day, kind, name').eq('day', '2026-10-10')
    expect(worker.error).toBeNull()
    expect(worker.data).toEqual([{ day: '2026-10-10', kind: 'work', name: '国庆节' }])
    const anon = await p.anon.from('holidays').select('day')
    expect({ status: anon.status, code: anon.error?.code }).toEqual({ status: 401, code: '42501' })
  })

  it('an admin adds next year\'s day off, it is stamped with the admin, and due times follow it at once', async () => {
    // Wed 2026-12-30 is an ordinary working day until the admin marks it off.
    expect(await add('2026-12-29T17:00:00+08:00', 60)).toBe('2026-12-30T09:30:00+08:00')
    const res = await p.admin.from('holidays').insert({ day: '2026-12-30', kind: 'off', name: '测试假日' }).select('day, updated_by').single()
    expect(res.error).toBeNull()
    expect(res.data).toEqual({ day: '2026-12-30', updated_by: p.ids.admin })
    expect(await add('2026-12-29T17:00:00+08:00', 60)).toBe('2026-12-31T09:30:00+08:00')
    const del = await p.admin.from('holidays').delete({ count: 'exact' }).eq('day', '2026-12-30')
    expect({ error: del.error, count: del.count }).toEqual({ error: null, count: 1 })
  })

  it('an admin corrects a day, and the editor recorded is the admin even if another id is sent', async () => {
    const res = await p.admin
      .from('holidays')
      .update({ name: '元旦（更正）' }, { count: 'exact' })
      .eq('day', '2026-01-01')
    expect({ error: res.error, count: res.count }).toEqual({ error: null, count: 1 })
    const row = await be.db.query(`select name, updated_by from public.holidays where day = '2026-01-01'`)
    expect(row.rows[0]).toEqual({ name: '元旦（更正）', updated_by: p.ids.admin })
    const forged = await p.admin.from('holidays').update({ updated_by: p.ids.butlerX } as never).eq('day', '2026-01-01')
    expect({ status: forged.status, code: forged.error?.code }).toEqual({ status: 403, code: '42501' })
    await be.db.query(`update public.holidays set name = '元旦' where day = '2026-01-01'`)
  })

  it('a butler or a worker cannot add, change or remove calendar days', async () => {
    for (const who of ['butlerX', 'workerA'] as const) {
      const ins = await p[who].from('holidays').insert({ day: '2026-12-31', kind: 'off', name: '私放假' })
      expect({ status: ins.status, code: ins.error?.code, message: ins.error?.message }).toEqual({
        status: 403, code: '42501', message: 'new row violates row-level security policy for table "holidays"',
      })
      const upd = await p[who].from('holidays').update({ kind: 'off' }, { count: 'exact' }).eq('day', '2026-10-10')
      expect({ error: upd.error, count: upd.count }).toEqual({ error: null, count: 0 })
      const del = await p[who].from('holidays').delete({ count: 'exact' }).eq('day', '2026-10-01')
      expect({ error: del.error, count: del.count }).toEqual({ error: null, count: 0 })
    }
    const r = await be.db.query(`select count(*)::int as n from public.holidays`)
    expect(r.rows[0]!.n).toBe(39)
  })

  it('a working day on a weekday is refused: only weekends can be adjusted workdays', async () => {
    const res = await p.admin.from('holidays').insert({ day: '2026-12-02', kind: 'work', name: '周三上班' })
    expect({ status: res.status, code: res.error?.code }).toEqual({ status: 400, code: '23514' })
  })
})
