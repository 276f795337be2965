// Every limit key the admin API accepts, with what it means, its unit and an example: the form is usable without
// reading docs/limits.md. Validation is the server's (the same code as the config file), shown next to each field.
export const LIMITS = [
  { key: 'indices', roleOnly: true, kind: 'list', label: 'Indices', unit: 'index patterns, comma-separated',
    example: 'logs-*, metrics-*', help: 'The indices whose requests this role governs. Empty: every index.' },
  { key: 'max_time_range', kind: 'duration', label: 'Longest time range', unit: 'duration: ms, s, m, h, d',
    example: '30d', help: 'max_time_range — the longest time span a query may cover on the index\'s time field, like 30d.' },
  { key: 'on_exceed', kind: 'choice', choices: ['reject', 'clamp'], label: 'When the range is longer',
    unit: 'reject or clamp', help: 'on_exceed — reject: refuse the query (400). clamp: narrow it to the most recent allowed window. Only with max_time_range; default reject.' },
  { key: 'require_time_filter', kind: 'boolean', label: 'Require a time filter', unit: 'true or false',
    help: 'require_time_filter — refuse queries without a range on the time field.' },
  { key: 'requests_per_minute', kind: 'number', label: 'Requests per minute', unit: 'whole number, 1 to 1000000',
    example: '120', help: 'requests_per_minute — per user; more are refused with 429 until a token refills.' },
  { key: 'max_concurrent', kind: 'number', label: 'Concurrent requests', unit: 'whole number, 1 to 10000',
    example: '4', help: 'max_concurrent — requests of one user running in Elasticsearch at once; more wait in a queue.' },
  { key: 'max_queue', kind: 'number', label: 'Queue length', unit: 'whole number, 0 to 1000000',
    example: '20', help: 'max_queue — requests of one user waiting for a slot; beyond it 429. Only with max_concurrent.' },
  { key: 'max_queue_time', kind: 'duration', label: 'Longest wait in the queue', unit: 'duration: 1ms to 1h',
    example: '30s', help: 'max_queue_time — a queued request waiting longer is refused with 429. Only with max_concurrent.' },
  { key: 'max_execution_time', kind: 'duration', label: 'Longest run in Elasticsearch', unit: 'duration: 1ms to 1d',
    example: '60s', help: 'max_execution_time — at the deadline the search is cancelled and the user gets 400.' },
  { key: 'daily_es_time_budget', kind: 'duration', label: 'Daily Elasticsearch time', unit: 'duration: 1ms to 365d',
    example: '2h', help: 'daily_es_time_budget — the sum of Elasticsearch\'s took per user per UTC day; then 429 until midnight.' },
];

export function limitsFor(kind) {
  return LIMITS.filter(limit => kind === 'role' || !limit.roleOnly);
}

/** A field's text as the JSON value to send; the server judges it (so "31 days" reaches it and is explained). */
export function toJson(limit, text) {
  const value = text.trim();
  if (value === '') return undefined;
  if (limit.kind === 'list') return value.split(',').map(s => s.trim()).filter(s => s !== '');
  if (limit.kind === 'number' && /^-?\d+$/.test(value)) return Number(value);
  if (limit.kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

export function toText(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function summary(settings) {
  const parts = Object.entries(settings || {}).map(([k, v]) => `${k}: ${toText(v)}`);
  return parts.length ? parts.join('; ') : '(no limits)';
}
