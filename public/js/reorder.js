// Your own order, with JavaScript: the Move buttons (data-action="move-up" / "move-down") move in
// place, and an open task can be dragged with a mouse or pen, or moved with Alt+↑ / Alt+↓ while
// one of its controls has focus. All post to the row's Move buttons' formaction, POST
// /tasks/:id/move, as the buttons do without JavaScript (touch screens keep those buttons: a drag
// there would fight scrolling), and the server's answer (the list in its new order, and "Moved
// “Buy milk” to position 2 of 5.") is shown and announced.

import { announce } from './announce.js';

const actions = document.getElementById('task-actions');
let list = null;

/** How far (px) a pressed pointer travels before a press becomes a drag. */
const DRAG_THRESHOLD = 6;

const rowOf = (element) => element && element.closest('ul[data-reorder] > li[data-task-id]');

/** Where a task's move posts: its Move buttons' formaction (the script builds no URL). */
function moveAction(taskId) {
  const row = document.getElementById(`task-${taskId}`);
  const button = row && row.querySelector('[data-action="move-up"], [data-action="move-down"]');
  return button ? button.getAttribute('formaction') : null;
}

/** Posts the move; shows the list the server answers with. Resolves with the message. */
async function move(taskId, fields) {
  const action = moveAction(taskId);
  if (!action) return undefined;
  const body = new URLSearchParams(new FormData(actions));
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const res = await fetch(action, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  if (res.status === 401) return window.location.assign('/login');
  const data = (res.headers.get('Content-Type') || '').startsWith('application/json')
    ? await res.json()
    : null;
  if (!res.ok || !data || typeof data.html !== 'string') {
    // The page no longer matches what the server has (the task is gone, the form expired):
    // show the server's page as it is now.
    window.location.reload();
    return undefined;
  }
  list.innerHTML = data.html;
  announce(data.message.text);
  return data.message.text;
}

/** After the list is redrawn, the same control of the same task gets the focus back. */
function refocus(taskId, selector) {
  const row = document.getElementById(`task-${taskId}`);
  const target = row && (row.querySelector(selector) || row.querySelector('[data-action="toggle"]'));
  if (target) target.focus();
}

// Moves run one after another, in the order asked for.
let queue = Promise.resolve();
const enqueue = (job) => {
  queue = queue
    .then(job)
    .catch(() => announce('Could not reach Get It Done! Check your connection and try again.'));
  return queue;
};

// ------------------------------------------------------------------ the Move buttons

// The buttons post the page's #move-up or #move-down form (which holds the direction) to the
// task's move route; they are handled here, so that focus stays on the task and no submit follows.
function enhanceButtons() {
  list.addEventListener('click', (event) => {
    const button = event.target.closest(
      'ul[data-reorder] [data-action="move-up"], ul[data-reorder] [data-action="move-down"]',
    );
    if (!button) return;
    event.preventDefault();
    const taskId = rowOf(button).getAttribute('data-task-id');
    const selector = controlSelector(button);
    enqueue(async () => {
      await move(taskId, { direction: button.getAttribute('data-action') === 'move-up' ? 'up' : 'down' });
      refocus(taskId, selector);
    });
  });
}

// ------------------------------------------------------------------ Alt+↑ / Alt+↓

function controlSelector(element) {
  const control = element.closest('[data-action]');
  const action = control && control.getAttribute('data-action');
  return ['move-up', 'move-down', 'edit', 'delete'].includes(action)
    ? `[data-action="${action}"]`
    : '[data-action="toggle"]';
}

function enhanceKeys() {
  list.addEventListener('keydown', (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const row = rowOf(event.target);
    // In the edit form's fields Alt+arrows belong to the field.
    if (!row || event.target.closest('input, textarea, select')) return;
    event.preventDefault();
    const taskId = row.getAttribute('data-task-id');
    const selector = controlSelector(event.target);
    enqueue(async () => {
      await move(taskId, { direction: event.key === 'ArrowUp' ? 'up' : 'down' });
      refocus(taskId, selector);
    });
  });
}

// ------------------------------------------------------------------ dragging

let drag = null;

function startDrag(press) {
  const { row, pointerId } = press;
  const listElement = row.parentElement;
  drag = { ...press, listElement, home: row.nextElementSibling, moved: false };
  row.setPointerCapture(pointerId);
  window.getSelection()?.removeAllRanges(); // the press may have started selecting the name
  row.classList.add('task--dragging');
  listElement.classList.add('tasks--dragging');
}

/** Puts the dragged row where the pointer is: before the first row whose middle is below it. */
function follow(clientY) {
  const { row, listElement } = drag;
  const others = [...listElement.children].filter((child) => child !== row);
  const next = others.find((other) => {
    const box = other.getBoundingClientRect();
    return clientY < box.top + box.height / 2;
  });
  if ((next || null) !== row.nextElementSibling) {
    listElement.insertBefore(row, next || null);
    drag.moved = true;
  }
}

function endDrag(cancelled) {
  const { row, listElement, home } = drag;
  const state = drag;
  drag = null;
  row.classList.remove('task--dragging');
  listElement.classList.remove('tasks--dragging');
  if (row.hasPointerCapture(state.pointerId)) row.releasePointerCapture(state.pointerId);
  if (cancelled) {
    listElement.insertBefore(row, home);
    announce('Move cancelled.');
    return;
  }
  if (!state.moved || row.nextElementSibling === home) return;
  const taskId = row.getAttribute('data-task-id');
  const next = row.nextElementSibling;
  const previous = row.previousElementSibling;
  // Dropped last on a page with more after it: after the last task shown, not at the very end.
  const morePages = Boolean(listElement.parentElement.querySelector('.pager a[rel="next"]'));
  enqueue(async () => {
    if (next) await move(taskId, { before: next.getAttribute('data-task-id') });
    else if (morePages && previous) {
      await move(taskId, { before: previous.getAttribute('data-task-id') });
      await move(taskId, { direction: 'down' });
    } else await move(taskId, { before: '' });
    refocus(taskId, '[data-action="toggle"]');
  });
}

function enhanceDrag() {
  list.addEventListener('pointerdown', (event) => {
    const row = rowOf(event.target);
    // Mouse and pen only, the main button, and not on the row's controls or its edit form.
    if (!row || event.pointerType === 'touch' || event.button !== 0 || drag) return;
    if (event.target.closest('button, a, input, form, label') || row.classList.contains('task--editing'))
      return;
    const press = { row, pointerId: event.pointerId, startY: event.clientY };
    const onMove = (moveEvent) => {
      if (moveEvent.pointerId !== press.pointerId) return;
      if (!drag) {
        if (Math.abs(moveEvent.clientY - press.startY) < DRAG_THRESHOLD) return;
        startDrag(press);
      }
      moveEvent.preventDefault(); // no text selection while dragging
      follow(moveEvent.clientY);
    };
    const onEnd = (endEvent) => {
      if (endEvent.pointerId !== press.pointerId) return;
      document.removeEventListener('pointermove', onMove);
      document.removeEventListener('pointerup', onEnd);
      document.removeEventListener('pointercancel', onEnd);
      if (drag) endDrag(endEvent.type === 'pointercancel');
    };
    document.addEventListener('pointermove', onMove);
    document.addEventListener('pointerup', onEnd);
    document.addEventListener('pointercancel', onEnd);
  });

  // Escape drops the row back where it was.
  document.addEventListener('keydown', (event) => {
    if (drag && event.key === 'Escape') {
      event.preventDefault();
      endDrag(true);
    }
  });

  document.documentElement.classList.add('can-drag');
}

/** Move buttons, Alt+arrows and dragging, for the list in `taskList`. */
export function enhanceReorder(taskList) {
  if (!actions) return;
  list = taskList;
  enhanceButtons();
  enhanceKeys();
  enhanceDrag();
}
