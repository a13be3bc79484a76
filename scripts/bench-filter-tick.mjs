// The filter island's tick, measured in the page (see bench-filter-tick.sh).
//
//   node scripts/bench-filter-tick.mjs BASE_URL
import { chromium } from '../end2end/node_modules/playwright/index.mjs';

const [base] = process.argv.slice(2);
const slowdown = Number(process.env.CPU_SLOWDOWN || 4);
const ticks = Number(process.env.TICKS || 30);
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
let other = 0;
// The result list follows each tick: held, so it neither lands nor counts.
await page.route(/\/ressurser\?/, () => {});
const others = [];
page.on('request', (r) => {
  const url = new URL(r.url());
  if (url.pathname !== '/ressurser' || !url.search) {
    other += 1;
    others.push(url.pathname + url.search);
  }
});
await page.goto(`${base}/ressurser`);
await page.waitForFunction(() => (window.__islands ?? 0) >= 1, null, { timeout: 60000 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
other = 0;
const results = await page.evaluate(async (ticks) => {
  const boxes = [...document.querySelectorAll('.filter-panel input[type=checkbox]:not(:disabled)')];
  const show = document.querySelector('[data-show]');
  const out = [];
  // The island's own handler: from the change event's start (a capturing
  // listener on window runs first) to the panel's listener (it bubbles
  // there right after the island's element).
  let started = 0;
  let counted = 0;
  window.addEventListener('change', () => { started = performance.now(); }, true);
  document.getElementById('filtre').addEventListener('change', () => { counted = performance.now(); });
  for (let i = 0; i < ticks; i++) {
    const box = boxes[(i * 7) % boxes.length];
    if (box.disabled) continue;
    const before = show.textContent;
    const t0 = performance.now();
    box.click(); // the change event runs the island's handler before click() returns
    const returned = performance.now();
    // The frame that shows the counts starts here (its paint follows at once).
    const painted = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    await new Promise((r) => setTimeout(r, 0));
    out.push({ island: counted - started, written: counted - t0, returned: returned - t0, painted: painted - t0, changed: show.textContent !== before || box.checked });
    box.click(); // and back, for the next tick
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  return { out, options: boxes.length };
}, ticks);
const duringTicks = other;
const othersDuringTicks = [...new Set(others)];
await page.close();

// Memory: each swap of the catalogue page hydrates a new filter island, and
// Leptos 0.8 never frees the old one's state. A fresh page, nothing held.
const page2 = await browser.newPage();
await page2.goto(`${base}/ressurser`);
await page2.waitForFunction(() => (window.__islands ?? 0) >= 1, null, { timeout: 60000 });
const swaps = Number(process.env.SWAPS || 100);
const before = await page2.evaluate(() => window.__islandsMemory());
for (let i = 0; i < swaps; i++) {
  const rounds = await page2.evaluate(() => window.__islands);
  await page2.evaluate((i) => {
    const boxes = [...document.querySelectorAll('.filter-panel input[type=checkbox]:not(:disabled)')];
    boxes[i % boxes.length].click();
  }, i);
  await page2.waitForFunction((n) => window.__islands > n, rounds, { timeout: 30000 });
}
const after = await page2.evaluate(() => window.__islandsMemory());
await browser.close();

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
};
const island = results.out.map((r) => r.island);
const written = results.out.map((r) => r.written);
const painted = results.out.map((r) => r.painted);
console.log(`filter island, /ressurser, ${results.options} options, ${results.out.length} ticks at ${slowdown}x CPU slowdown`);
console.log(`the island's handler (count + write): median ${q(island, 0.5).toFixed(1)} ms, worst ${Math.max(...island).toFixed(1)} ms`);
const rest = written.slice(1);
console.log(`the first tick (reads the panel; the browser compiles the counting code on first use): ${written[0].toFixed(1)} ms; the other ${rest.length}: median ${q(rest, 0.5).toFixed(1)} ms, worst ${Math.max(...rest).toFixed(1)} ms`);
console.log(`click -> every count written:  median ${q(written, 0.5).toFixed(1)} ms, worst ${Math.max(...written).toFixed(1)} ms`);
const returned = results.out.map((r) => r.returned);
console.log(`click -> click() returned: median ${q(returned, 0.5).toFixed(1)} ms, worst ${Math.max(...returned).toFixed(1)} ms`);
console.log(`click -> the frame showing them: median ${q(painted, 0.5).toFixed(1)} ms, worst ${Math.max(...painted).toFixed(1)} ms`);
console.log(`requests other than the result list during the ticks: ${duringTicks}${duringTicks ? ' ' + JSON.stringify(othersDuringTicks.slice(0, 5)) : ''}`);
console.log(`wasm memory: ${before} B before, ${after} B after ${swaps} page swaps (${((after - before) / swaps).toFixed(0)} B a swap; grows in 64 KiB pages)`);
console.log(`goal: every count within 50 ms of the click: ${Math.max(...written) <= 50 ? 'met' : 'missed'} (worst tick ${Math.max(...written).toFixed(1)} ms)`);
