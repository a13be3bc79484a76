// Where the browser's main thread spends its time while a page loads and
// hydrates: Debian's Chromium with 4x CPU slowdown (Lighthouse's mobile
// setting), one Chrome trace per load, each event's self time put in a
// category. Prints the median of RUNS loads per page. Run through
// scripts/main-thread.sh, which starts the release server.
//
//   node scripts/main-thread.mjs BASE_URL PATH...
import { chromium } from '../end2end/node_modules/playwright/index.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, ...paths] = process.argv.slice(2);
const runs = Number(process.env.RUNS || 3);
const slowdown = Number(process.env.CPU_SLOWDOWN || 4);
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

const CATEGORIES = ['wasm compile', 'style + layout', 'paint', 'parse'];

/** The category an event's own time belongs to; null: its parent's. */
function category(name) {
  if (name.startsWith('wasm.') || name.startsWith('v8.wasm.')) return 'wasm compile';
  if (/Layout|Style|RecalcStyle|ShapeText|UpdateLayoutTree|InvalidateLayout/.test(name)) return 'style + layout';
  if (/Paint|Composit|Commit|Raster|PrePaint|UpdateLifecycle/.test(name)) return 'paint';
  if (/Parse|Parser|Tokenizer|appendBytes|DecodedData/.test(name)) return 'parse';
  return null;
}

/** Milliseconds the CPU profile spent inside the bundle's hydrate(): the
 *  JS glue's export, so it covers the wasm it runs (the trace does not see
 *  wasm called from a promise callback). */
function hydrateTime(profile) {
  const parent = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const inside = new Map();
  const within = (id) => {
    if (inside.has(id)) return inside.get(id);
    const n = byId.get(id);
    const yes = (n.callFrame.functionName === 'hydrate' && n.callFrame.url.includes('/pkg/')) || (parent.has(id) && within(parent.get(id)));
    inside.set(id, yes);
    return yes;
  };
  let ms = 0;
  profile.samples.forEach((id, i) => {
    const next = profile.timeDeltas[i + 1];
    if (next !== undefined && within(id)) ms += next / 1000;
  });
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(browser, url, file) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  await browser.startTracing(page, {
    path: file,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'v8.wasm', 'blink', 'loading'],
  });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto(url);
  const hydrated = await page.waitForFunction(() => window.__hydrated === true && performance.now(), null, { timeout: 60000, polling: 10 });
  const hydratedAt = await hydrated.jsonValue();
  // A page with islands: until the navigator has loaded the visitors'
  // bundle and hydrated them (after load and an idle moment).
  const islands = await page.waitForFunction(
    () => (!document.querySelector('leptos-island') || (window.__islands ?? 0) >= 1) && performance.now(),
    null,
    { timeout: 60000, polling: 10 },
  );
  const islandsReady = await islands.jsonValue();
  await page.waitForTimeout(300);
  const { profile } = await cdp.send('Profiler.stop');
  await browser.stopTracing();
  await page.close();

  const trace = JSON.parse(fs.readFileSync(file, 'utf8'));
  const events = trace.traceEvents || trace;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  // The renderer's main thread with the most work is the page's.
  const busy = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (threads.get(key) === 'CrRendererMain' && e.ph === 'X' && e.name === 'RunTask') busy.set(key, (busy.get(key) || 0) + e.dur);
  }
  const main = [...busy].sort((a, b) => b[1] - a[1])[0][0];
  const slices = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);

  const totals = Object.fromEntries([...CATEGORIES, 'other'].map((c) => [c, 0]));
  let blocking = 0;
  let longTasks = 0;
  const stack = [];
  const close = (until) => {
    while (stack.length && stack[stack.length - 1].end <= until) {
      const done = stack.pop();
      totals[done.cat] += Math.max(0, done.dur - done.children) / 1000;
    }
  };
  for (const e of slices) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (!parent && e.name !== 'RunTask') continue; // outside a task: not page work
    if (e.name === 'RunTask' && !parent) {
      if (e.dur > 50000) {
        longTasks += 1;
        blocking += (e.dur - 50000) / 1000;
      }
    }
    if (parent) parent.children += e.dur;
    const cat = category(e.name) || (parent ? parent.cat : 'other');
    stack.push({ end: e.ts + e.dur, dur: e.dur, children: 0, cat });
  }
  close(Infinity);
  let tasks = 0;
  for (const e of slices) if (e.name === 'RunTask') tasks += e.dur / 1000;
  return { totals, blocking, longTasks, hydratedAt, islandsReady, tasks, hydrate: hydrateTime(profile) };
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-thread-'));
const rows = [];
for (const p of paths) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(browser, base + p, path.join(dir, `trace-${i}.json`)));
  const row = { page: p, hydrated: median(results.map((r) => r.hydratedAt)), islands: median(results.map((r) => r.islandsReady)), long: median(results.map((r) => r.longTasks)), blocking: median(results.map((r) => r.blocking)) };
  for (const c of CATEGORIES) row[c] = median(results.map((r) => r.totals[c]));
  row.hydrate = median(results.map((r) => r.hydrate));
  row.tasks = median(results.map((r) => r.tasks));
  rows.push(row);
}
await browser.close();
fs.rmSync(dir, { recursive: true, force: true });

const columns = [
  ['hydrated at', (r) => r.hydrated],
  ['islands at', (r) => r.islands],
  ['tasks > 50 ms', (r) => r.long],
  ['blocking', (r) => r.blocking],
  ['all tasks', (r) => r.tasks],
  ['wasm compile', (r) => r['wasm compile']],
  ['hydrate()', (r) => r.hydrate],
  ['style + layout', (r) => r['style + layout']],
  ['paint', (r) => r.paint],
  ['parse', (r) => r.parse],
];
console.log(`main thread at ${slowdown}x CPU slowdown, median of ${runs} loads per page, ms from navigation`);
console.log('blocking: each task beyond its first 50 ms, as in Total Blocking Time (observed, not simulated)');
console.log('hydrate(): the JS and wasm run inside it, including the lazy compilation of each wasm function on its first call');
const width = Math.max(...rows.map((r) => r.page.length), 4) + 2;
console.log('page'.padEnd(width) + columns.map(([h]) => h.padStart(h.length + 2)).join(''));
for (const r of rows) {
  console.log(r.page.padEnd(width) + columns.map(([h, f]) => `${Math.round(f(r))}`.padStart(h.length + 2)).join(''));
}
