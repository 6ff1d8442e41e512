"""The history of one cell among 1,000,000 entries: the app's query (a page
of 2,000, newest first), on the schema of src/store/schema.rs (the history
table and its indexes), through SQLite in Python (no build needed).
Run: python3 benches/history_query.py"""
import os, sqlite3, tempfile, time
here = os.path.dirname(os.path.abspath(__file__))
folder = tempfile.TemporaryDirectory()
c = sqlite3.connect(os.path.join(folder.name, 'h.sqlite'))
schema = open(os.path.join(here, '..', 'src', 'store', 'schema.rs'), encoding='utf-8').read()
for part in ('V4_HISTORY', 'V7_HISTORY_NEWEST'):
    c.executescript(schema.split(f'const {part}: &str = r#"')[1].split('"#;')[0])
fields = ['count','label','note'] + [f'sex:{s}' for s in ['Kvinnor','Män']] + [f'age:{a}' for a in ['16-20','21-30','31-50','51-65']] + [f'duration:{d}' for d in ['upp till 6 mån','7 mån-1 år','2-3 år','4 år och mer']] + [f'also_at:{a}' for a in ['Kommun','Landsting','Försäkringskassan','Arbetsförmedlingen']]
groups = [(f'Enhet {u}', g+1, f'Målgrupp {u}-{g}') for u in range(4350) for g in range(10)]
t = time.time()
with c:
    c.executemany("INSERT INTO history (survey_id,time,user,unit,rank,label,field,old,new,how) VALUES (1,'2026-11-27T14:00:00.000Z','Fyllnad',?,?,?,?,?,?,'edit')",
        ((groups[(i*7919) % len(groups)][0], groups[(i*7919) % len(groups)][1], groups[(i*7919) % len(groups)][2], fields[(i*31) % len(fields)], str(i%50), str(i%60)) for i in range(1_000_000)))
print('fill', time.time()-t)
print(sqlite3.sqlite_version)
u, r, l = groups[20000]
with c:
    c.executemany("INSERT INTO history (survey_id,time,user,unit,rank,label,field,old,new,how) VALUES (1,'2026-11-27T15:00:00.000Z','Åsa',?,?,?,'count',?,?,'edit')", [(u, r, l, str(i), str(i+1)) for i in range(25)])
q = "SELECT time, user, unit, rank, label, field, old, new, how, strftime('%Y-%m-%d %H:%M:%S', time, 'localtime') FROM history WHERE survey_id = ?1 AND unit = ?2 AND label IS ?3 AND field = ?4 ORDER BY id DESC LIMIT ?5"
print(c.execute("EXPLAIN QUERY PLAN " + q, (1, u, l, 'count', 2000)).fetchall())
times = []
for _ in range(1000):
    t = time.perf_counter()
    rows = c.execute(q, (1, u, l, 'count', 2000)).fetchall()
    times.append(time.perf_counter() - t)
times.sort()
print('rows', len(rows), 'total', c.execute('select count(*) from history').fetchone())
for p in (50, 90, 99):
    print(p, '%.3f ms' % (times[len(times)*p//100]*1000))
print('max %.3f ms' % (times[-1]*1000))
