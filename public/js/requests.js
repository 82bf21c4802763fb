// Sending the list's forms with fetch. The server answers the same routes with JSON carrying
// the freshly rendered list; this module puts it in place, or shows the error it answered.

import { announce, focusNewTask, focusTask, neighbourId } from './announce.js';

const newTask = document.getElementById('new-task');

/** An answer that is not JSON: something this script does not understand. */
class NotJsonAnswer extends Error {}

function showFieldError(input, errorId, text, moveFocus) {
  let error = document.getElementById(errorId);
  if (!error) {
    error = document.createElement('p');
    error.className = 'field__error';
    error.id = errorId;
    input.closest('form, .field').appendChild(error);
  }
  error.textContent = text;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', errorId);
  if (moveFocus) input.focus();
}

/** A message in the list's message area, for errors the server answered with JSON. */
function showMessage(list, text) {
  const region = list.querySelector('.flash-region');
  if (region) {
    const box = document.createElement('div');
    box.className = 'flash flash--error';
    box.textContent = text;
    region.replaceChildren(box);
  }
  announce(text);
}

function clearFieldError(input, errorId) {
  const error = document.getElementById(errorId);
  if (error) error.remove();
  input.removeAttribute('aria-invalid');
  input.removeAttribute('aria-describedby');
}

/** What the user asked for: the pressed button's data-action, else the form's. */
function actionKind(form, submitter) {
  return (submitter && submitter.getAttribute('data-action')) || form.getAttribute('data-action');
}

/** Where a submission goes: the pressed button's formaction, else the form's action. */
function actionOf(form, submitter) {
  return submitter && submitter.hasAttribute('formaction')
    ? submitter.getAttribute('formaction')
    : form.getAttribute('action') || '';
}

async function send(form, action) {
  const res = await fetch(action, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(new FormData(form)).toString(),
  });
  const json = (res.headers.get('Content-Type') || '').indexOf('application/json') === 0;
  if (!json) throw new NotJsonAnswer();
  return { status: res.status, data: await res.json() };
}

/** Puts an answer on the page: the new list, with focus moved on, or the error it gives. */
function show(list, form, { kind, taskId, neighbour, fromBlur }, result) {
  const data = result.data;
  if (result.status === 422 && data.error) {
    // The refusal names its field: the name, or the due date.
    const onDue = data.error.field === 'due';
    const input = form.querySelector(onDue ? 'input[name="due"]' : 'input[type="text"]');
    const errorId =
      kind === 'add'
        ? onDue
          ? 'due-error'
          : 'task-error'
        : (onDue ? 'edit-due-error-' : 'edit-error-') + taskId;
    // After leaving the field, the message shows but focus stays where the user went.
    if (input) showFieldError(input, errorId, data.error.message, !fromBlur);
    announce(data.error.message);
    return;
  }
  if (result.status === 401) {
    window.location.assign('/login'); // the session ended: log in again
    return;
  }
  if (result.status === 403) {
    window.location.reload(); // the form expired: a fresh page has a fresh token
    return;
  }
  if (result.status >= 400 || typeof data.html !== 'string') {
    showMessage(list, (data.error && data.error.message) || 'That did not work. Please try again.');
    return;
  }
  list.innerHTML = data.html;
  announce(data.message.text);
  if (kind === 'add') {
    newTask.value = '';
    clearFieldError(newTask, 'task-error');
    const newDue = form.querySelector('input[name="due"]');
    if (newDue) {
      newDue.value = '';
      clearFieldError(newDue, 'due-error');
    }
    focusNewTask();
  } else if (kind === 'toggle') {
    if (!focusTask(taskId) && !focusTask(neighbour)) focusNewTask();
  } else if (kind === 'undo') {
    if (!focusTask(taskId)) focusNewTask();
  } else if (kind === 'save') {
    if (!focusTask(taskId, 'edit')) focusNewTask();
  } else if (kind === 'delete') {
    if (!focusTask(neighbour)) focusNewTask();
  } else {
    focusNewTask();
  }
}

async function run(list, form, submitter, kind) {
  // A task's buttons belong to the page's one #task-actions form: the button's row says which
  // task. Undo is not in a row: its form carries the task's id itself.
  const control = submitter || form;
  const item = control.closest('li[data-task-id]');
  const owner = control.closest('[data-task-id]');
  const taskId = owner ? owner.getAttribute('data-task-id') : null;
  const action = actionOf(form, submitter);
  // A task that leaves the view (deleted, or toggled away under a filter) hands focus on.
  const neighbour = kind === 'delete' || kind === 'toggle' ? neighbourId(item) : null;
  const fromBlur = form.hasAttribute('data-blur');

  try {
    show(list, form, { kind, taskId, neighbour, fromBlur }, await send(form, action));
  } catch (err) {
    if (err instanceof NotJsonAnswer) {
      // Not an answer the script understands: let the browser post the form as it would
      // without JavaScript, and show the page the server answers with.
      form.action = action;
      form.submit();
      return;
    }
    // No answer at all. Posting again could do the action twice, so say so instead.
    showMessage(list, 'Could not reach Get It Done! Check your connection and try again.');
  } finally {
    form.removeAttribute('data-submitting');
    form.removeAttribute('data-blur');
  }
}

/** Takes over every form that names its action (data-action), for the list in `list`. */
export function enhanceForms(list) {
  // Actions run one after another, in the order the user asked for them.
  let queue = Promise.resolve();

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const kind = actionKind(form, event.submitter);
    // Not a form this script knows; or a browser that does not say which button was pressed, on
    // the shared #task-actions form (whose buttons name the action): the browser posts it, to the
    // button's formaction, as it would without this script.
    if (!kind) return;
    // An edit already on its way (leaving the field sent it) is not sent twice by its Save button.
    if (kind === 'save' && form.hasAttribute('data-submitting')) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    // The list is about to be replaced: its fields losing focus must not submit again.
    form.setAttribute('data-submitting', '');
    const submitter = event.submitter;
    queue = queue.then(() => run(list, form, submitter, kind));
  });
}
