import { call, ApiError } from './api.js';

// Unique-count definitions with their precompute job and real-time tailer, from GET /_sketchgate/unique-counts.
const $ = id => document.getElementById(id);

export async function loadUniques() {
  const table = $('uniques-table');
  let body;
  try {
    body = (await call('GET', '/_sketchgate/unique-counts')).body;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      table.hidden = true;
      $('uniques-state').textContent = 'Not available: this proxy has no unique-counts API (a version without it).';
      return;
    }
    throw e;
  }
  const definitions = body.unique_counts || [];
  table.hidden = definitions.length === 0;
  $('uniques-state').textContent = definitions.length === 0
      ? 'No unique-count definitions: add them under unique_counts in sketchgate.yml (docs/unique-counts.md).' : '';
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  for (const d of definitions) {
    const job = d.job || {};
    const current = job.current;
    const row = tbody.insertRow();
    row.insertCell().textContent = d.name;
    row.insertCell().textContent = `${d.source} → ${d.index} (${d.granularity} buckets)`;
    row.insertCell().textContent = job.state || 'unknown';
    const progress = row.insertCell();
    if (current) {
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = current.progress || 0;
      progress.append(bar, ` ${Math.round((current.progress || 0) * 100)}% of ${current.from} – ${current.to}`
          + (current.buckets_per_second ? `, ${Math.round(current.buckets_per_second)} buckets/s` : ''));
    } else {
      // a precompute run before this process started (the demo's, the CLI's) or by another instance shows only in
      // the watermark it left
      progress.textContent = job.last_run ? `last run ${job.last_run.outcome} at ${job.last_run.finished_at}`
          : job.precomputed_through ? `done through ${job.precomputed_through} (an earlier run)` : 'no run yet';
    }
    row.insertCell().textContent = job.precomputed_through || 'nothing yet';
    const realtime = d.realtime;
    row.insertCell().textContent = realtime
        ? `${realtime.state}${realtime.tailed_through ? `, through ${realtime.tailed_through}` : ''}`
          + (realtime.lag_ms !== undefined && realtime.lag_ms !== null ? ` (lag ${(realtime.lag_ms / 1000).toFixed(1)} s)` : '')
        : 'off';
    row.insertCell().textContent = job.last_error || (realtime && realtime.last_error) || '';
  }
}
