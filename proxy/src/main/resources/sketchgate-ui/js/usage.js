import { call } from './api.js';

// Usage over time from GET /_sketchgate/usage, drawn with Chart.js (the chart.js WebJar, loaded by index.html).
const $ = id => document.getElementById(id);
const COLORS = ['#1f6feb', '#d92d20', '#079455', '#dc6803', '#7a5af8', '#0e9384', '#c11574', '#667085'];
const charts = {};
window.sketchgateCharts = charts; // for people poking in the console, and for the browser test

export async function loadUsage() {
  const [from, interval] = $('usage-range').value.split('|');
  const params = new URLSearchParams({ from, interval });
  const user = $('usage-user').value.trim();
  if (user) params.set('user', user);
  const { body } = await call('GET', '/_sketchgate/usage?' + params);
  const users = body.users || [];
  const labels = users.length ? users[0].series.map(point => label(point.start)) : [];
  draw('requests', 'chart-requests', 'line', labels, users.map((u, i) => dataset(u.user, i,
      u.series.map(p => p.requests))));
  draw('esTime', 'chart-es-time', 'line', labels, users.map((u, i) => dataset(u.user, i,
      u.series.map(p => p.es_time_ms / 1000))));
  const reasons = Object.entries((body.totals && body.totals.rejections) || {}).sort((a, b) => b[1] - a[1]);
  draw('rejections', 'chart-rejections', 'bar', reasons.map(r => r[0]),
      [{ label: 'rejected requests', data: reasons.map(r => r[1]), backgroundColor: '#d92d20' }]);
  $('usage-empty').hidden = users.length > 0;
  fillTop(body.top_users || [], users);
}

function dataset(name, i, data) {
  const color = COLORS[i % COLORS.length];
  return { label: name, data, borderColor: color, backgroundColor: color, pointRadius: 3, tension: 0.2 };
}

function draw(name, canvasId, type, labels, datasets) {
  if (charts[name]) charts[name].destroy();
  charts[name] = new Chart($(canvasId), {
    type,
    data: { labels, datasets },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true } }, plugins: { legend: { display: type === 'line' } } },
  });
}

function fillTop(top, users) {
  const tbody = $('top-users').tBodies[0];
  tbody.replaceChildren();
  for (const entry of top) {
    const user = users.find(u => u.user === entry.user) || { totals: {} };
    const budget = user.budget_today;
    const row = tbody.insertRow();
    row.insertCell().textContent = entry.user;
    row.insertCell().textContent = entry.requests;
    row.insertCell().textContent = seconds(entry.es_time_ms);
    row.insertCell().textContent = user.totals.rejected || 0;
    row.insertCell().textContent = budget && budget.remaining_ms !== undefined
        ? `${seconds(budget.remaining_ms)} of ${seconds(budget.daily_es_time_budget_ms)}` : 'no budget';
  }
}

function seconds(ms) {
  return ms >= 60000 ? `${(ms / 60000).toFixed(1)} min` : `${(ms / 1000).toFixed(2)} s`;
}

function label(iso) {
  return iso.slice(5, 16).replace('T', ' '); // MM-DD HH:MM, UTC
}

export function initUsage() {
  $('usage-form').addEventListener('submit', e => {
    e.preventDefault();
    loadUsage().catch(window.sketchgateShowError);
  });
}
