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
  $('explain-json').textContent = JSON.stringify(answer, null, 2);
  $('explain-result').hidden = false;
}

export function initExplain() {
  $('explain-form').addEventListener('submit', e => explain(e).catch(window.sketchgateShowError));
}
