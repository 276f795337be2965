import { call, ApiError } from './api.js';
import { limitsFor, toJson, toText, summary } from './limits.js';

// Roles and user overrides: list with where each comes from, edit with If-Match, problems next to the fields.
const $ = id => document.getElementById(id);
let editing = null; // {kind, name, version}

export async function loadQuotas() {
  const { body } = await call('GET', '/_sketchgate/quotas');
  fillTable($('roles-table'), 'role', body.roles || {});
  fillTable($('users-table'), 'user', body.users || {});
  const invalid = body.invalid || [];
  $('invalid-entries').hidden = invalid.length === 0;
  $('invalid-entries').textContent = invalid.length === 0 ? '' : 'Stored entries that are not valid and are skipped: '
      + invalid.map(i => `${i.id} (${i.problems.map(p => p.key + ': ' + p.reason).join('; ')})`).join(', ');
  $('invalid-entries').className = 'error';
}

function fillTable(table, kind, entries) {
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  const names = Object.keys(entries).sort();
  if (names.length === 0) {
    const row = tbody.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.className = 'help';
    cell.textContent = kind === 'role' ? 'No roles yet.' : 'No user has overrides.';
  }
  for (const name of names) {
    const entry = entries[name];
    const row = tbody.insertRow();
    row.dataset.name = name;
    row.insertCell().textContent = name;
    const source = row.insertCell();
    source.textContent = entry.source === 'runtime' ? 'run time' : 'file';
    source.className = 'source-' + entry.source;
    row.insertCell().textContent = summary(entry.settings);
    row.insertCell().textContent = entry.updated_by ? `${entry.updated_by}, ${entry.updated_at}` : '';
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'secondary edit';
    edit.textContent = 'Edit';
    edit.addEventListener('click', () => openEntry(kind, name).catch(showFormError));
    row.insertCell().append(edit);
  }
}

/** Opens the form with the entry as stored now (and its version for If-Match); a new name opens an empty form. */
export async function openEntry(kind, name) {
  let entry = null;
  try {
    entry = (await call('GET', path(kind, name))).body;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  editing = { kind, name, version: entry ? entry.version : 'file', exists: !!entry };
  $('entry-title').textContent = (kind === 'role' ? 'Role ' : 'Overrides of user ') + name;
  $('entry-source').textContent = !entry ? 'New: not in the config file, nothing stored yet.'
      : entry.source === 'runtime' ? `Changed at run time by ${entry.updated_by} (${entry.updated_at}), version ${entry.version}.`
        + (entry.file ? ' The config file\'s value is shown under each field.' : ' The config file does not define it.')
      : 'From the config file. Saving stores a run-time change that replaces the whole entry.';
  renderFields(kind, entry ? entry.settings : {}, entry && entry.source === 'runtime' ? entry.file : null);
  $('entry-delete').hidden = !(entry && entry.source === 'runtime');
  $('entry-problems').hidden = true;
  $('entry-message').hidden = true;
  $('entry-form').hidden = false;
  $('entry-form').scrollIntoView({ block: 'nearest' });
}

function renderFields(kind, settings, file) {
  const container = $('entry-fields');
  container.replaceChildren();
  for (const limit of limitsFor(kind)) {
    const row = document.createElement('div');
    row.className = 'field';
    row.dataset.key = limit.key;
    const label = document.createElement('label');
    label.htmlFor = 'field-' + limit.key;
    label.textContent = limit.label;
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = `${limit.key} · ${limit.unit}`;
    label.append(unit);
    let input;
    if (limit.kind === 'choice' || limit.kind === 'boolean') {
      input = document.createElement('select');
      const choices = limit.kind === 'boolean' ? ['true', 'false'] : limit.choices;
      for (const choice of ['', ...choices]) {
        const option = document.createElement('option');
        option.value = choice;
        option.textContent = choice === '' ? '(not set)' : choice;
        input.append(option);
      }
    } else {
      input = document.createElement('input');
      input.placeholder = limit.example ? `not set, e.g. ${limit.example}` : 'not set';
    }
    input.id = 'field-' + limit.key;
    input.name = limit.key;
    input.value = toText(settings[limit.key]);
    const help = document.createElement('div');
    help.className = 'help';
    help.textContent = limit.help + (file && file[limit.key] !== undefined ? ` (config file: ${toText(file[limit.key])})` : '');
    const problem = document.createElement('div');
    problem.className = 'problem';
    problem.id = 'problem-' + limit.key;
    row.append(label, input, help, problem);
    container.append(row);
  }
}

async function save(event) {
  event.preventDefault();
  clearProblems();
  const body = {};
  for (const limit of limitsFor(editing.kind)) {
    const value = toJson(limit, $('field-' + limit.key).value);
    if (value !== undefined) body[limit.key] = value;
  }
  try {
    const answer = await call('PUT', path(editing.kind, editing.name), { body, headers: { 'If-Match': `"${editing.version}"` } });
    editing.version = answer.body.version;
    await loadQuotas();
    await openEntry(editing.kind, editing.name);
    message(`Saved (${answer.body.result}, version ${answer.body.version}). Every proxy applies it within about a second.`);
  } catch (e) {
    showFormError(e);
  }
}

async function remove() {
  if (!confirm(`Delete the run-time change of ${editing.name}? The config file's entry (if any) applies again.`)) return;
  try {
    await call('DELETE', path(editing.kind, editing.name), { headers: { 'If-Match': `"${editing.version}"` } });
    await loadQuotas();
    $('entry-form').hidden = true;
  } catch (e) {
    showFormError(e);
  }
}

function showFormError(e) {
  const box = $('entry-problems');
  if (e instanceof ApiError && e.status === 400 && e.problems.length) {
    const prefix = editing.kind === 'role' ? `roles.${editing.name}.` : `users.${editing.name}.overrides.`;
    const general = [];
    for (const p of e.problems) {
      const key = p.key.startsWith(prefix) ? p.key.slice(prefix.length).split(/[.[]/)[0] : p.key;
      const slot = document.getElementById('problem-' + key);
      if (slot) {
        slot.textContent = p.reason;
        document.getElementById('field-' + key).classList.add('invalid');
      } else {
        general.push(`${p.key}: ${p.reason}`);
      }
    }
    box.textContent = `Not saved: ${e.problems.length} problem(s). Fix the fields marked in red.`
        + (general.length ? '\n' + general.join('\n') : '');
    const first = document.querySelector('#entry-fields .invalid');
    if (first) first.focus();
  } else if (e instanceof ApiError && e.status === 409) {
    box.textContent = e.message + '\nClose the form and open the entry again to see the current values, then reapply your change.';
  } else {
    box.textContent = e.message;
  }
  box.hidden = false;
}

function clearProblems() {
  document.querySelectorAll('#entry-fields .problem').forEach(p => { p.textContent = ''; });
  document.querySelectorAll('#entry-fields .invalid').forEach(i => i.classList.remove('invalid'));
  $('entry-problems').hidden = true;
  $('entry-message').hidden = true;
}

function message(text) {
  $('entry-message').textContent = text;
  $('entry-message').hidden = false;
}

function path(kind, name) {
  return `/_sketchgate/quotas/${kind === 'role' ? 'roles' : 'users'}/${encodeURIComponent(name)}`;
}

export function initQuotas() {
  $('entry-form').addEventListener('submit', save);
  $('entry-delete').addEventListener('click', remove);
  $('entry-cancel').addEventListener('click', () => { $('entry-form').hidden = true; });
  $('new-role').addEventListener('submit', e => {
    e.preventDefault();
    openEntry('role', $('new-role-name').value.trim()).catch(showFormError);
  });
  $('new-user').addEventListener('submit', e => {
    e.preventDefault();
    openEntry('user', $('new-user-name').value.trim()).catch(showFormError);
  });
}
