// flashpoint's web page: the alert list with filters, an alert's evidence
// and its lifecycle buttons, the tension chart. Talks to the JSON API of
// the same server (docs/operations.md, "HTTP API"); when the API answers
// 401 it asks for the bearer token and keeps it in localStorage. All data
// reaches the page through textContent, never as HTML.
'use strict';

const TOKEN_KEY = 'flashpoint.token';
const $ = (id) => document.getElementById(id);
let selected = null;  // the id of the alert shown in the detail panel
let pendingRetry = null;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// fetch() with the token; on 401 shows the token form and retries `retry`.
async function api(path, options, retry) {
  const opts = Object.assign({}, options || {});
  opts.headers = headers(opts.headers);
  const res = await fetch(path, opts);
  if (res.status === 401) {
    pendingRetry = retry || null;
    $('token-form').hidden = false;
    $('token').focus();
    throw new HttpError(401, 'this server needs a bearer token');
  }
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText;
    try {
      const body = await res.json();
      if (body && body.error) message = body.error;
    } catch (e) { /* not JSON */ }
    throw new HttpError(res.status, message);
  }
  return res;
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($('filters'))) {
    const value = String(v).trim();
    if (value !== '') params.set(k, value);
  }
  return params;
}

function showError(target, err) {
  target.textContent = err.message;
  target.className = 'error';
}

async function loadAlerts() {
  const line = $('status-line');
  const query = filterQuery().toString();
  line.textContent = 'loading…';
  line.className = 'muted';
  let alerts;
  try {
    const res = await api('/alerts' + (query ? '?' + query : ''), {}, loadAlerts);
    alerts = await res.json();
  } catch (err) {
    showError(line, err);
    return;
  }
  const rows = $('rows');
  rows.replaceChildren();
  for (const a of alerts.slice().reverse()) {  // newest first
    const tr = el('tr');
    tr.dataset.id = a.id;
    tr.appendChild(el('td', a.id));
    tr.appendChild(el('td', a.event_time));
    tr.appendChild(el('td', a.severity, 'sev-' + a.severity));
    tr.appendChild(el('td', a.rule));
    tr.appendChild(el('td', a.message || a.title));
    tr.appendChild(el('td', a.status));
    if (String(a.id) === String(selected)) tr.classList.add('selected');
    tr.addEventListener('click', () => showAlert(a.id));
    rows.appendChild(tr);
  }
  line.textContent = alerts.length + (alerts.length === 1 ? ' alert' : ' alerts');
  line.className = 'muted';
}

function field(dl, name, value) {
  if (value === undefined || value === null || value === '' ||
      (Array.isArray(value) && value.length === 0)) {
    return;
  }
  dl.appendChild(el('dt', name));
  dl.appendChild(el('dd', Array.isArray(value) ? value.join(', ') : value));
}

function pretty(json) {
  if (json === null || json === undefined) return '(the event itself was not stored)';
  if (typeof json === 'string') {
    try {
      return JSON.stringify(JSON.parse(json), null, 2);
    } catch (e) {
      return json;
    }
  }
  return JSON.stringify(json, null, 2);
}

function renderDetail(d) {
  const a = d.alert || {};
  const r = d.rule || {};
  selected = a.id;
  for (const tr of $('rows').children) {
    tr.classList.toggle('selected', tr.dataset.id === String(a.id));
  }
  $('detail').hidden = false;
  $('detail').dataset.id = a.id;
  $('detail-title').textContent = '#' + a.id + ' ' + (r.title || a.title || a.rule);
  const dl = $('detail-fields');
  dl.replaceChildren();
  field(dl, 'status', a.status);
  field(dl, 'severity', a.severity);
  field(dl, 'rule', a.rule);
  field(dl, 'message', a.message);
  field(dl, 'event time', a.event_time);
  field(dl, 'fired at', a.fired_at);
  field(dl, 'key', a.key);
  field(dl, 'claims', r.claims || a.claims);
  field(dl, 'tags', r.tags || a.tags);
  field(dl, 'rationale', r.rationale);
  if (r.file) field(dl, 'defined at', r.file + (r.line ? ':' + r.line : ''));
  field(dl, 'note', a.note);

  const ev = $('evidence');
  ev.replaceChildren();
  for (const e of d.events || []) {
    const li = el('li');
    const head = [e.source, e.id, e.time, e.kind].filter((x) => x).join(' · ');
    li.appendChild(el('div', head, 'evidence-head'));
    li.appendChild(el('pre', pretty(e.event)));
    ev.appendChild(li);
  }
  if (!ev.children.length) ev.appendChild(el('li', 'no evidence stored', 'muted'));

  const tb = $('detail-tension').tBodies[0];
  tb.replaceChildren();
  for (const t of d.tension || []) {
    const tr = el('tr');
    tr.appendChild(el('td', t.pair));
    tr.appendChild(el('td', t.weight));
    tr.appendChild(el('td', typeof t.score === 'number' ? t.score.toFixed(1) : t.score));
    tr.appendChild(el('td', t.level || '–'));
    tb.appendChild(tr);
  }
  if (!tb.children.length) {
    const tr = el('tr');
    const td = el('td', 'none', 'muted');
    td.colSpan = 4;
    tr.appendChild(td);
    tb.appendChild(tr);
  }

  const hb = $('history').tBodies[0];
  hb.replaceChildren();
  for (const h of d.log || []) {
    const tr = el('tr');
    tr.appendChild(el('td', h.at));
    tr.appendChild(el('td', h.by));
    tr.appendChild(el('td', h.from !== undefined ? h.from : h.from_status));
    tr.appendChild(el('td', h.to !== undefined ? h.to : h.to_status));
    tr.appendChild(el('td', h.note));
    hb.appendChild(tr);
  }
  $('ack').disabled = a.status === 'acked';
  $('resolve').disabled = a.status === 'resolved';
  $('reopen').disabled = a.status === 'open';
}

async function showAlert(id) {
  const out = $('action-result');
  out.textContent = '';
  try {
    const res = await api('/alerts/' + encodeURIComponent(id), {}, () => showAlert(id));
    renderDetail(await res.json());
    $('detail').scrollIntoView({block: 'nearest'});
  } catch (err) {
    showError(out, err);
  }
}

async function changeStatus(action) {
  const id = $('detail').dataset.id;
  const out = $('action-result');
  const note = $('note').value.trim();
  const body = {by: 'web'};
  if (note) body.note = note;
  try {
    const res = await api('/alerts/' + encodeURIComponent(id) + '/' + action, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body),
    }, () => changeStatus(action));
    const detail = await res.json();
    renderDetail(detail);
    $('note').value = '';
    out.textContent = 'alert ' + id + ' is now ' + detail.alert.status;
    out.className = 'ok';
    await loadAlerts();
  } catch (err) {
    showError(out, err);
  }
}

async function exportAlerts(format) {
  const params = filterQuery();
  params.set('format', format);
  const line = $('status-line');
  try {
    const res = await api('/alerts?' + params.toString(), {}, () => exportAlerts(format));
    const blob = await res.blob();
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'alerts.' + format;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (err) {
    showError(line, err);
  }
}

async function loadTension() {
  let data;
  try {
    const res = await api('/tension', {}, loadTension);
    data = await res.json();
  } catch (err) {
    showError($('chart'), err);
    return;
  }
  const tb = $('pairs').tBodies[0];
  tb.replaceChildren();
  const select = $('pair');
  const keep = select.value;
  select.replaceChildren(el('option', 'every pair'));
  select.firstChild.value = '';
  for (const p of data.pairs || []) {
    const tr = el('tr');
    tr.appendChild(el('td', p.pair));
    tr.appendChild(el('td', p.score.toFixed(1)));
    tr.appendChild(el('td', p.peak.toFixed(1)));
    tr.appendChild(el('td', p.level || '–'));
    tr.appendChild(el('td', String(p.updated).slice(0, 10)));
    tr.appendChild(el('td', p.updates));
    tr.addEventListener('click', () => {
      select.value = p.pair;
      showChart();
    });
    tb.appendChild(tr);
    const opt = el('option', p.pair);
    opt.value = p.pair;
    select.appendChild(opt);
  }
  if (!tb.children.length) {
    const tr = el('tr');
    const td = el('td', 'no tension recorded', 'muted');
    td.colSpan = 6;
    tr.appendChild(td);
    tb.appendChild(tr);
  }
  select.value = keep;
}

// The SVG is built by the server (escaped there) and parsed as XML, never
// assigned as HTML.
async function showChart() {
  const pair = $('pair').value;
  const chart = $('chart');
  try {
    const res = await api('/tension.svg' + (pair ? '?pair=' + encodeURIComponent(pair) : ''), {},
                          showChart);
    const doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
    const svg = doc.documentElement;
    if (svg.nodeName !== 'svg') throw new Error('the chart is not SVG');
    chart.className = '';
    chart.replaceChildren(document.importNode(svg, true));
  } catch (err) {
    showError(chart, err);
  }
}

function init() {
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    loadAlerts();
  });
  $('reset').addEventListener('click', () => {
    $('filters').reset();
    loadAlerts();
  });
  $('export-csv').addEventListener('click', () => exportAlerts('csv'));
  $('export-ndjson').addEventListener('click', () => exportAlerts('ndjson'));
  for (const id of ['ack', 'resolve', 'reopen']) {
    $(id).addEventListener('click', () => changeStatus($(id).dataset.action));
  }
  $('chart-form').addEventListener('submit', (e) => {
    e.preventDefault();
    showChart();
  });
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, $('token').value);
    $('token').value = '';
    $('token-form').hidden = true;
    $('forget-token').hidden = false;
    const retry = pendingRetry;
    pendingRetry = null;
    loadAlerts();
    loadTension();
    if (retry && retry !== loadAlerts && retry !== loadTension) retry();
  });
  $('forget-token').hidden = !localStorage.getItem(TOKEN_KEY);
  $('forget-token').addEventListener('click', () => {
    localStorage.removeItem(TOKEN_KEY);
    $('forget-token').hidden = true;
  });
  $('source').textContent = location.host;
  loadAlerts();
  loadTension();
}

document.addEventListener('DOMContentLoaded', init);
