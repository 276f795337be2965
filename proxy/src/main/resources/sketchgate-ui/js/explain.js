import { call, basic } from './api.js';

// POST /_sketchgate/explain: the decision for a request, without running it.
const $ = id => document.getElementById(id);

async function explain(event) {
  event.preventDefault();
  const text = $('explain-body').value.trim();
  let body;
  if (text !== '') {
    try { body = JSON.parse(text); } catch (ndjson) { body = text; } // _msearch bodies are NDJSON text
  }
  const user = $('explain-user').value.trim();
  const headers = user ? { Authorization: basic(user, $('explain-password').value) }
      : { Authorization: JSON.parse(sessionStorage.getItem('sketchgate.credentials')).authorization };
  const request = { method: $('explain-method').value, path: $('explain-path').value.trim(), headers };
  if (body !== undefined) request.body = body;
  const { body: answer } = await call('POST', '/_sketchgate/explain', { body: request });
  $('explain-outcome').textContent = answer.outcome;
  $('explain-outcome').className = 'outcome-' + answer.outcome;
  $('explain-decision').textContent = answer.decision || '';
  // a refusal's reason, as the user would read it, above the whole explanation
  const reason = answer.error && answer.error.error ? answer.error.error.reason : '';
  $('explain-reason').textContent = reason;
  $('explain-reason').hidden = reason === '';
  $('explain-json').textContent = JSON.stringify(answer, null, 2);
  $('explain-result').hidden = false;
}

/** Points the path at an index a role governs, while the field still holds the placeholder. */
export async function loadExplain() {
  if (!$('explain-path').defaultValue || $('explain-path').value !== $('explain-path').defaultValue) return;
  const { body: quotas } = await call('GET', '/_sketchgate/quotas');
  for (const role of Object.values(quotas.roles || {})) {
    const indices = (role.settings && role.settings.indices) || [];
    if (indices.length > 0) {
      $('explain-path').value = `/${indices[0]}/_search`;
      return;
    }
  }
}

export function initExplain() {
  $('explain-form').addEventListener('submit', e => explain(e).catch(window.sketchgateShowError));
}
