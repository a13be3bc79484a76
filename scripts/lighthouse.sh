#!/usr/bin/env bash
# Lighthouse benchmark: runs Google Lighthouse (npm, pinned version) in
# Debian's headless Chromium against the release build on a temporary
# database and prints the four category scores (performance, accessibility,
# best practices, SEO, 0-100) for the home page, the resource list, one
# resource page and the feedback flow (the two pages with islands among
# them). Lighthouse's defaults are kept: mobile form factor (Moto G Power
# screen) with simulated throttling (slow 4G, 4x CPU slowdown), so the
# performance score depends on how busy the machine is; compare runs made on
# an idle machine, or use RUNS to take the median. (The shell used to
# preload the wasm; when that download finished before the first paint,
# Lighthouse counted it towards LCP, +3.5 s. The bundle now loads after
# parsing, without preload hints.)
#
# Needs the release build (scripts/build.sh); does not build. Installs
# lighthouse into target/tools/lighthouse on first use (no browser download).
# The JSON and HTML reports go to target/lighthouse/<page>-<run>.report.*.
#
#   scripts/lighthouse.sh
#   RUNS=3 scripts/lighthouse.sh        # each page 3 times, median performance
#   AUDITS=1 scripts/lighthouse.sh      # also list every audit not scoring 1
#   LH_PORT=3321 LH_RESOURCE=a-larm scripts/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[lighthouse]\033[0m %s\n' "$*" >&2; }

version=12.8.2 # 13.x needs Node >= 22.19; Debian's Node 20 runs 12.x
runs=${RUNS:-1}
port=${LH_PORT:-3320}
resource=${LH_RESOURCE:-brukerinvolvering-i-tjenesteutvikling}
tools=target/tools/lighthouse
out=target/lighthouse
bin=target/release/bli-involvert
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ ! -x $bin || ! -d target/site/pkg ]]; then
  echo "no release build ($bin, target/site/pkg): run scripts/build.sh first" >&2
  exit 1
fi
if [[ ! -x $CHROME_PATH ]]; then
  echo "no Chromium at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)" >&2
  exit 1
fi

installed=$(node -p "require('./$tools/node_modules/lighthouse/package.json').version" 2>/dev/null || true)
if [[ $installed != "$version" ]]; then
  log "installing lighthouse@$version into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "lighthouse@$version" >&2
fi
lighthouse=$tools/node_modules/.bin/lighthouse

source scripts/release-server.sh
log "starting the release server on 127.0.0.1:$port (database in $tmp)"
start_release_server "$port"

# name and path of each page
pages=("home /" "ressurser /ressurser" "ressurs /ressurser/$resource" "tilbakemelding /tilbakemelding")
check_pages "${pages[@]#* }"

mkdir -p "$out"
rm -f "$out"/*.report.json "$out"/*.report.html
for page in "${pages[@]}"; do
  name=${page%% *}; path=${page#* }
  for i in $(seq 1 "$runs"); do
    log "$path (run $i of $runs)"
    "$lighthouse" "$base$path" --quiet \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      --output=json --output=html --output-path="$out/$name-$i" || {
      echo "lighthouse failed for $path; server log:" >&2; tail -20 "$tmp/server.log" >&2; exit 1;
    }
  done
done

# Summary: per page the run with the median performance score (the lower
# middle one for an even RUNS), its category scores and main metrics.
AUDITS=${AUDITS:-0} node - "$out" "$runs" "${pages[@]}" <<'EOF'
const fs = require('fs');
const [out, runs, ...pages] = process.argv.slice(2);
const pct = (s) => (s == null ? '-' : String(Math.round(s * 100)));
const cats = ['performance', 'accessibility', 'best-practices', 'seo'];
const metrics = [
  ['FCP', 'first-contentful-paint'], ['LCP', 'largest-contentful-paint'],
  ['TBT', 'total-blocking-time'], ['CLS', 'cumulative-layout-shift'], ['SI', 'speed-index'],
];
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
};
const scores = [['page', ...cats]];
const times = [['page', ...metrics.map((m) => m[0])]];
const failing = [];
for (const page of pages) {
  const [name, path] = page.split(' ');
  const reports = [];
  for (let i = 1; i <= Number(runs); i++) {
    reports.push(JSON.parse(fs.readFileSync(`${out}/${name}-${i}.report.json`, 'utf8')));
  }
  const perf = (r) => r.categories.performance.score ?? -1;
  reports.sort((a, b) => perf(a) - perf(b));
  const r = reports[Math.floor((reports.length - 1) / 2)];
  let perfCell = pct(r.categories.performance.score);
  if (reports.length > 1) perfCell += ` (${reports.map((x) => pct(x.categories.performance.score)).join('/')})`;
  scores.push([path, perfCell, ...cats.slice(1).map((c) => pct(r.categories[c].score))]);
  times.push([path, ...metrics.map(([, id]) => r.audits[id].displayValue ?? '-')]);
  if (r.runtimeError) failing.push(`${path}: runtime error ${r.runtimeError.code}: ${r.runtimeError.message}`);
  const ids = new Set(cats.flatMap((c) => r.categories[c].auditRefs.map((a) => a.id)));
  for (const id of ids) {
    const a = r.audits[id];
    const mode = a.scoreDisplayMode; // informative, manual, notApplicable: no score
    if (a.score == null ? mode !== 'error' : a.score >= 1) continue;
    const items = a.details?.items?.length;
    const extra = [a.displayValue, items ? `${items} item(s)` : null].filter(Boolean).join(', ');
    failing.push(`${path}: ${id} [${mode === 'error' ? 'error' : pct(a.score)}] ${a.title}${extra ? ' — ' + extra : ''}`);
  }
}
console.log(table(scores));
console.log('');
console.log(table(times));
if (process.env.AUDITS === '1' && failing.length) {
  console.log('\naudits not scoring 1:');
  console.log(failing.join('\n'));
}
console.log(`\nreports: ${out}/<page>-<run>.report.{json,html}`);
EOF
