// hw2 review: the one script of the grading pages (the reports have none). It talks only to
// the server that served it (the CSP allows nothing else) and saves every decision at once.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('review-data').textContent);
  const base = `${location.pathname.split('/').slice(0, 2).join('/')}/`;
  const notice = document.getElementById('notice');
  const show = (text, ok = false) => {
    notice.textContent = text;
    notice.className = ok ? 'notice ok' : 'notice';
    notice.hidden = !text;
  };
  async function post(path, body) {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const reply = await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }));
    if (!res.ok) throw new Error(reply.error || `${res.status} ${res.statusText}`);
    return reply;
  }

  if (data.page === 'overview') {
    const button = document.getElementById('render-all');
    const state = document.getElementById('render-state');
    button.addEventListener('click', async () => {
      button.disabled = true;
      state.textContent = 'rendering…';
      try {
        const r = await post('api/render', {});
        state.textContent = `${r.written} submissions re-rendered${r.faults.length ? `; not written: ${r.faults.join('; ')}` : ''}.`;
      } catch (error) {
        state.textContent = '';
        show(error.message);
      } finally {
        button.disabled = false;
      }
    });
    return;
  }

  const { check, max, order } = data;
  // Keyed by submission id: a pair's zip named toString.zip must not find Object.prototype's.
  const decisions = Object.assign(Object.create(null), data.decisions);
  let items = data.items;
  const session = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
  const $ = (id) => document.getElementById(id);
  const pointsInput = $('points');
  const remarkInput = $('remark');
  const state = $('state');
  const undoStack = [];
  // Set while another TA holds this question: the server's words, naming them.
  let locked = '';
  let current = Math.max(0, order.indexOf(decodeURIComponent(location.hash.slice(1))));
  if (!location.hash) {
    const ungraded = order.findIndex((id) => !decisions[id]);
    current = ungraded < 0 ? 0 : ungraded;
  }
  const sub = () => order[current];
  const clamp = (p) => Math.min(max, Math.max(0, p));
  const signed = (p) => (p < 0 ? `−${-p}` : `+${p}`);
  // Negative items take points off full marks; a list of only positive items adds to zero.
  const fromItems = (applied) => {
    const start = items.some((i) => i.points < 0) ? max : 0;
    return clamp(applied.reduce((sum, id) => sum + (items.find((i) => i.id === id)?.points ?? 0), start));
  };

  function render() {
    for (const section of document.querySelectorAll('section.submission')) section.hidden = section.dataset.submission !== sub();
    const d = decisions[sub()];
    if (document.activeElement !== pointsInput) pointsInput.value = d ? String(d.points) : '';
    if (document.activeElement !== remarkInput) remarkInput.value = d ? d.remark : '';
    for (const box of document.querySelectorAll('.answer-box')) box.classList.toggle('graded', !!decisions[box.parentElement.dataset.submission]);
    const strip = $('strip');
    if (strip.childElementCount !== order.length) {
      strip.replaceChildren(...order.map((id, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.title = id;
        b.tabIndex = -1;
        b.addEventListener('click', () => go(i));
        return b;
      }));
    }
    [...strip.children].forEach((b, i) => {
      b.className = `${decisions[order[i]] ? 'graded' : ''}${i === current ? ' current' : ''}`;
    });
    $('no-items').hidden = items.length > 0;
    const list = $('items');
    list.replaceChildren(...items.map((item, i) => {
      const li = document.createElement('li');
      li.className = d?.items.includes(item.id) ? 'on' : '';
      li.dataset.item = item.id;
      const key = document.createElement('kbd');
      key.textContent = String(i + 1);
      const pts = document.createElement('span');
      pts.className = 'pts';
      pts.textContent = signed(item.points);
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = item.label;
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'del';
      del.title = 'delete this rubric item';
      del.textContent = '×';
      del.addEventListener('click', (e) => {
        e.stopPropagation();
        saveItems(items.filter((x) => x.id !== item.id));
      });
      li.append(key, pts, label, del);
      li.addEventListener('click', () => toggle(item.id));
      return li;
    }));
    state.className = d ? 'state saved' : 'state';
    state.textContent = d ? `${d.points} / ${max} saved ${d.at.slice(11, 19)} UTC by ${d.ta}` : 'not graded';
    const graded = order.filter((id) => decisions[id]).length;
    $('progress').textContent = `${graded} / ${order.length} graded`;
    if (sub() !== undefined) history.replaceState(null, '', `#${encodeURIComponent(sub())}`);
  }

  // Saves run one after another, each naming the version the one before it left.
  let queue = Promise.resolve();
  function save(submission, next, undoable = true) {
    if (locked) {
      show(`Not saved. ${locked}`);
      return queue;
    }
    queue = queue.then(async () => {
      const before = decisions[submission];
      state.className = 'state';
      state.textContent = 'saving…';
      try {
        const reply = await post('api/decision', { check, submission, ...next, base: before ? before.version : '', session });
        if (reply.decision) decisions[submission] = reply.decision;
        else delete decisions[submission];
        if (undoable) undoStack.push({ submission, before: before ? { points: before.points, items: before.items, remark: before.remark } : { points: null, items: [], remark: '' } });
        show('');
      } catch (error) {
        show(error.message);
        state.className = 'state error';
      }
      render();
    });
    return queue;
  }

  const currentState = () => {
    const d = decisions[sub()];
    return { points: d ? d.points : null, items: d ? [...d.items] : [], remark: d ? d.remark : remarkInput.value };
  };

  function toggle(id) {
    const s = currentState();
    const typed = s.points !== null && s.points !== fromItems(s.items);
    s.items = s.items.includes(id) ? s.items.filter((x) => x !== id) : [...s.items, id];
    if (!typed) s.points = fromItems(s.items);
    save(sub(), s);
  }

  function setPoints(points) {
    if (points !== null && !(points >= 0 && points <= max)) {
      show(`Points must be from 0 to ${max}.`);
      return;
    }
    save(sub(), { ...currentState(), points, ...(points === null ? { items: [], remark: '' } : {}) });
  }

  let remarkTimer;
  function flushRemark() {
    clearTimeout(remarkTimer);
    remarkTimer = undefined;
    const d = decisions[sub()];
    // A comment is kept with points: before the first points it waits in the box.
    if (d && d.remark !== remarkInput.value) save(sub(), { ...currentState(), remark: remarkInput.value });
  }
  remarkInput.addEventListener('input', () => {
    clearTimeout(remarkTimer);
    remarkTimer = setTimeout(flushRemark, 600);
  });
  remarkInput.addEventListener('blur', flushRemark);
  pointsInput.addEventListener('change', () => setPoints(pointsInput.value.trim() === '' ? null : Number(pointsInput.value)));

  function go(index) {
    if (remarkTimer) flushRemark();
    if (!order.length) return;
    current = (index + order.length) % order.length;
    pointsInput.blur();
    remarkInput.blur();
    render();
    window.scrollTo(0, 0);
  }
  function nextUngraded() {
    for (let step = 1; step <= order.length; step++) {
      const i = (current + step) % order.length;
      if (!decisions[order[i]]) return go(i);
    }
    show('Every submission of this question is graded.', true);
  }
  async function undo() {
    await queue;
    const last = undoStack.pop();
    if (!last) return show('Nothing to undo.');
    current = order.indexOf(last.submission);
    render();
    save(last.submission, last.before, false);
  }

  function saveItems(next) {
    if (locked) return show(`Not saved. ${locked}`);
    post('api/items', { check, items: next }).then((reply) => {
      items = reply.items;
      Object.assign(decisions, reply.decisions);
      render();
    }, (error) => show(error.message));
  }
  $('new-item').addEventListener('submit', (e) => {
    e.preventDefault();
    const label = $('item-label').value.trim();
    const points = Number($('item-points').value);
    if (!label || !Number.isFinite(points)) return;
    if (items.length >= 9) return show('Nine rubric items at most: one per digit key.');
    saveItems([...items, { id: `i${Date.now().toString(36)}`, label, points }]);
    $('item-label').value = '';
    $('item-points').value = '';
    $('item-label').blur();
    $('item-points').blur();
  });
  $('prev').addEventListener('click', () => go(current - 1));
  $('next').addEventListener('click', () => go(current + 1));
  $('next-ungraded').addEventListener('click', nextUngraded);
  $('undo').addEventListener('click', undo);

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const field = e.target instanceof HTMLElement && e.target.closest('input, textarea, select');
    if (field) {
      if (e.key === 'Escape') e.target.blur();
      if (e.key === 'Enter' && e.target === pointsInput) pointsInput.blur();
      return;
    }
    const digit = /^[1-9]$/.test(e.key) ? Number(e.key) : 0;
    const actions = {
      j: () => go(current + 1), ArrowRight: () => go(current + 1), k: () => go(current - 1), ArrowLeft: () => go(current - 1),
      n: nextUngraded, u: undo, f: () => setPoints(max), z: () => setPoints(0), x: () => setPoints(null),
      p: () => {
        pointsInput.focus();
        pointsInput.select();
      },
      c: () => remarkInput.focus(),
    };
    if (digit) {
      if (items[digit - 1]) toggle(items[digit - 1].id);
      else show(`No rubric item ${digit}: add one in the panel.`);
    } else if (Object.hasOwn(actions, e.key)) actions[e.key]();
    else return;
    e.preventDefault();
  });

  // The claim on the question: renewed while the page is open, given up when it closes.
  async function claim() {
    try {
      await post('api/claim', { check, session });
      if (locked) show('');
      locked = '';
      document.body.classList.remove('locked');
    } catch (error) {
      locked = error.message;
      document.body.classList.add('locked');
      show(error.message);
    }
  }
  claim();
  setInterval(claim, data.claimRenewMs);
  addEventListener('pagehide', () => {
    if (remarkTimer) flushRemark();
    navigator.sendBeacon(`${base}api/release`, new Blob([JSON.stringify({ check, session })], { type: 'application/json' }));
  });
  render();
})();
