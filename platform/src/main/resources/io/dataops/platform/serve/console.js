// The console: the caller's products from /api/v1/products. Everything shown goes in through textContent, never as
// markup: product names and states come from the server and are shown as text.
'use strict';

const KEY = 'dataops.token';

function status(text) {
  document.getElementById('status').textContent = text;
}

function cell(row, value) {
  const td = document.createElement('td');
  td.textContent = value === undefined || value === null ? '' : String(value);
  row.appendChild(td);
}

function render(versions) {
  const body = document.querySelector('#products tbody');
  body.replaceChildren();
  for (const v of versions) {
    const row = document.createElement('tr');
    cell(row, v.name);
    cell(row, v.version);
    cell(row, v.state);
    cell(row, v.rows);
    cell(row, v.createdAt);
    body.appendChild(row);
  }
  status(versions.length === 0 ? 'no products you may see yet' : versions.length + ' product version(s)');
}

async function load() {
  const token = sessionStorage.getItem(KEY);
  if (!token) {
    status('enter an API token (dataops user token issue)');
    return;
  }
  status('loading…');
  try {
    const response = await fetch('/api/v1/products', {
      headers: {'Authorization': 'Bearer ' + token},
      cache: 'no-store',
      credentials: 'omit',
    });
    const body = await response.json();
    if (!response.ok) {
      document.querySelector('#products tbody').replaceChildren();
      status(response.status + ': ' + (body.error || 'refused'));
      return;
    }
    render(body);
  } catch (e) {
    status('the server could not be reached');
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const field = document.getElementById('token');
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, field.value.trim());
    field.value = '';
    load();
  });
  document.getElementById('forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    document.querySelector('#products tbody').replaceChildren();
    status('token forgotten');
  });
  load();
});
