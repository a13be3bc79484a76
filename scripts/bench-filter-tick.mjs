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
page.on('request', (r) => {
  const url = new URL(r.url());
  if (url.pathname !== '/ressurser' || !url.search) other += 1;
});
await page.goto(`${base}/ressurser`);
await page.waitForFunction(() => (window.__islands ?? 0) >= 1, null, { timeout: 60000 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
other = 0;
const results = await page.evaluate(async (ticks) => {
  const boxes = [...document.querySelectorAll('.filter-panel input[type=checkbox]:not(:disabled)')];
  const show = document.querySelector('[data-show]');
  const out = [];
  for (let i = 0; i < ticks; i++) {
    const box = boxes[(i * 7) % boxes.length];
    if (box.disabled) continue;
    const before = show.textContent;
    const t0 = performance.now();
    box.click(); // the change event runs the island's handler before click() returns
    const written = performance.now();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const painted = performance.now();
    out.push({ written: written - t0, painted: painted - t0, changed: show.textContent !== before || box.checked });
    box.click(); // and back, for the next tick
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  return { out, options: boxes.length };
}, ticks);
// Memory: each swap of the catalogue page hydrates a new filter island, and
// Leptos 0.8 never frees the old one's state.
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
await page.unroute(/\/ressurser\?/);
const swaps = Number(process.env.SWAPS || 40);
const before = await page.evaluate(() => window.__islandsMemory());
for (let i = 0; i < swaps; i++) {
  const rounds = await page.evaluate(() => window.__islands);
  await page.evaluate((i) => {
    const boxes = [...document.querySelectorAll('.filter-panel input[type=checkbox]:not(:disabled)')];
    boxes[i % boxes.length].click();
  }, i);
  await page.waitForFunction((n) => window.__islands > n, rounds, { timeout: 30000 });
}
const after = await page.evaluate(() => window.__islandsMemory());
await browser.close();

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
};
const written = results.out.map((r) => r.written);
const painted = results.out.map((r) => r.painted);
console.log(`filter island, /ressurser, ${results.options} options, ${results.out.length} ticks at ${slowdown}x CPU slowdown`);
console.log(`click -> every count written:  median ${q(written, 0.5).toFixed(1)} ms, worst ${Math.max(...written).toFixed(1)} ms`);
console.log(`click -> next frame painted:   median ${q(painted, 0.5).toFixed(1)} ms, worst ${Math.max(...painted).toFixed(1)} ms`);
console.log(`requests other than the result list meanwhile: ${other}`);
console.log(`wasm memory: ${before} B before, ${after} B after ${swaps} page swaps (${((after - before) / swaps).toFixed(0)} B a swap; grows in 64 KiB pages)`);
console.log(`goal: every count within 50 ms: ${Math.max(...written) <= 50 ? 'met' : 'missed'}`);
