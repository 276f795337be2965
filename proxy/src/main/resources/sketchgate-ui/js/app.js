import { login, logout, session, call, ApiError } from './api.js';
import { initQuotas, loadQuotas } from './quotas.js';
import { initUsage, loadUsage } from './usage.js';
import { loadUniques } from './uniques.js';
import { initExplain, loadExplain } from './explain.js';

// The page: log in, then one tab at a time. Any 401 after login sends the user back to the login form.
const $ = id => document.getElementById(id);
const loaders = { quotas: loadQuotas, usage: loadUsage, uniques: loadUniques, explain: loadExplain };

function showError(e) {
  if (e instanceof ApiError && e.status === 401) {
    logout();
    showLogin(e.message);
    return;
  }
  $('app-error').textContent = e.message || String(e);
  $('app-error').hidden = false;
}
window.sketchgateShowError = showError;

function showLogin(error) {
  $('app').hidden = true;
  $('session').hidden = true;
  $('login-screen').hidden = false;
  $('login-error').textContent = error || '';
  $('login-error').hidden = !error;
}

async function showApp() {
  $('login-screen').hidden = true;
  $('app').hidden = false;
  $('session').hidden = false;
  $('session-user').textContent = session().user;
  await openTab('quotas');
}

async function openTab(name) {
  $('app-error').hidden = true;
  document.querySelectorAll('nav .tab').forEach(t => t.classList.toggle('active', t.dataset.tab === name));
  document.querySelectorAll('.panel').forEach(p => { p.hidden = p.id !== 'tab-' + name; });
  document.body.dataset.tab = name;
  try {
    await loaders[name]();
  } catch (e) {
    showError(e);
  }
}

$('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  login($('login-user').value.trim(), $('login-password').value);
  $('login-password').value = '';
  try {
    await call('GET', '/_sketchgate/quotas'); // needs sketchgate_admin: checks both password and role
    await showApp();
  } catch (e) {
    logout();
    showLogin(e instanceof ApiError && e.status === 403
        ? e.message + '\nThis page is for administrators (role sketchgate_admin).' : e.message);
  }
});
$('logout').addEventListener('click', () => { logout(); showLogin(); });
document.querySelectorAll('nav .tab').forEach(tab => tab.addEventListener('click', () => openTab(tab.dataset.tab)));
initQuotas();
initUsage();
initExplain();

if (session()) showApp(); else showLogin();
