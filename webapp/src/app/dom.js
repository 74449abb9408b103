// A tiny DOM builder: no framework, no innerHTML (text always goes in as text nodes).

/**
 * @param {string} tag
 * @param {Record<string, any> | null} [attrs] attributes; `on*` functions become listeners
 * @param {...any} children strings, nodes, arrays, null/false (skipped)
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} parent @param {any[]} children */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** @param {Element} el @param {...any} children */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

const SVG = 'http://www.w3.org/2000/svg';

/** @param {string} tag @param {Record<string, any>} [attrs] @param {...any} children */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) if (value != null) el.setAttribute(name, String(value));
  append(el, children);
  return el;
}

/** Announces a message to screen readers. @param {string} text */
export function announce(text) {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

/**
 * A notice: icon + text, never colour alone.
 * @param {'ok'|'bad'|'warn'|'info'} kind @param {...any} children
 */
export function notice(kind, ...children) {
  const icon = { ok: '✔', bad: '✖', warn: '⚠', info: 'ℹ' }[kind];
  return h('div', { class: `notice ${kind}`, role: kind === 'bad' ? 'alert' : null },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), h('div', { class: 'notice-body' }, children));
}

/** @param {string | undefined} iso */
export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return iso.length <= 10 ? d.toISOString().slice(0, 10) : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
